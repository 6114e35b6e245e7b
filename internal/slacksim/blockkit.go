package slacksim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Block Kit limits as Slack enforces them (slack-protocol.md section 3).
const (
	maxMessageBlocks = 50
	maxViewBlocks    = 100
	maxViewBytes     = 250 << 10
)

// ValidateMessageBlocks checks a message's blocks array against Slack's Block Kit
// rules and returns Slack-style "[ERROR] … [json-pointer:/blocks/0/text/text]" lines;
// nil when Slack would accept it.
func ValidateMessageBlocks(blocks json.RawMessage) []string {
	v := &validator{}
	var arr []any
	if err := decode(blocks, &arr); err != nil {
		v.errf("/blocks", "must be an array of blocks")
		return v.msgs
	}
	v.blocks(arr, "/blocks", maxMessageBlocks, false)
	return v.msgs
}

// ValidateView checks a modal or Home tab view (the object passed as "view") and
// returns Slack-style messages with /view/… json-pointers; nil when valid.
func ValidateView(view json.RawMessage) []string {
	v := &validator{}
	if len(view) > maxViewBytes {
		v.errf("/view", "must be less than %d bytes (view_too_large)", maxViewBytes+1)
	}
	var m map[string]any
	if err := decode(view, &m); err != nil {
		v.errf("/view", "must be a JSON object")
		return v.msgs
	}
	typ, _ := m["type"].(string)
	switch typ {
	case "modal":
		v.text(m, "/view", "title", textRule{plainOnly: true, max: 24, required: true})
		v.text(m, "/view", "submit", textRule{plainOnly: true, max: 24})
		v.text(m, "/view", "close", textRule{plainOnly: true, max: 24})
	case "home":
	case "":
		v.errf("/view/type", "missing required field: type")
	default:
		v.errf("/view/type", "must be one of modal, home")
	}
	v.maxStr(m, "/view", "private_metadata", 3000)
	v.maxStr(m, "/view", "callback_id", 255)
	v.maxStr(m, "/view", "external_id", 255)
	arr, ok := m["blocks"].([]any)
	if !ok {
		v.errf("/view/blocks", "missing required field: blocks")
		return v.msgs
	}
	hasInput := v.blocks(arr, "/view/blocks", maxViewBlocks, true)
	if typ == "modal" && hasInput && m["submit"] == nil {
		v.errf("/view/submit", "must provide submit if an input block is present")
	}
	return v.msgs
}

// decode parses JSON keeping numbers as json.Number.
func decode(data []byte, dst any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return d.Decode(dst)
}

type validator struct{ msgs []string }

func (v *validator) errf(ptr, format string, args ...any) {
	v.msgs = append(v.msgs, fmt.Sprintf("[ERROR] %s [json-pointer:%s]", fmt.Sprintf(format, args...), ptr))
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// maxStr checks an optional string field's length.
func (v *validator) maxStr(m map[string]any, ptr, key string, max int) {
	raw, ok := m[key]
	if !ok || raw == nil {
		return
	}
	s, ok := raw.(string)
	if !ok {
		v.errf(ptr+"/"+key, "must be a string")
		return
	}
	if runes(s) > max {
		v.errf(ptr+"/"+key, "must be less than %d characters", max+1)
	}
}

// reqStr checks a required string field's length (1..max).
func (v *validator) reqStr(m map[string]any, ptr, key string, max int) {
	s, ok := m[key].(string)
	if !ok || s == "" {
		v.errf(ptr+"/"+key, "missing required field: %s", key)
		return
	}
	v.maxStr(m, ptr, key, max)
}

type textRule struct {
	plainOnly bool
	max       int
	required  bool
}

// text checks a composition text object at m[key].
func (v *validator) text(m map[string]any, ptr, key string, r textRule) {
	raw, ok := m[key]
	if !ok || raw == nil {
		if r.required {
			v.errf(ptr+"/"+key, "missing required field: %s", key)
		}
		return
	}
	v.textObj(raw, ptr+"/"+key, r)
}

func (v *validator) textObj(raw any, ptr string, r textRule) {
	t, ok := raw.(map[string]any)
	if !ok {
		v.errf(ptr, "must be a text object")
		return
	}
	switch t["type"] {
	case "plain_text":
	case "mrkdwn":
		if r.plainOnly {
			v.errf(ptr+"/type", "must be plain_text")
		}
	default:
		v.errf(ptr+"/type", "must be one of plain_text, mrkdwn")
	}
	s, ok := t["text"].(string)
	switch {
	case !ok:
		v.errf(ptr+"/text", "missing required field: text")
	case s == "":
		v.errf(ptr+"/text", "must be more than 0 characters")
	case r.max > 0 && runes(s) > r.max:
		v.errf(ptr+"/text", "must be less than %d characters", r.max+1)
	}
}

// list checks an array field's length bounds and returns its items.
func (v *validator) list(m map[string]any, ptr, key string, min, max int) []any {
	raw, ok := m[key]
	if !ok || raw == nil {
		if min > 0 {
			v.errf(ptr+"/"+key, "missing required field: %s", key)
		}
		return nil
	}
	arr, ok := raw.([]any)
	switch {
	case !ok:
		v.errf(ptr+"/"+key, "must be an array")
	case len(arr) < min:
		v.errf(ptr+"/"+key, "must have at least %d items", min)
	case len(arr) > max:
		v.errf(ptr+"/"+key, "must be less than %d items", max+1)
	}
	return arr
}

// blocks validates a blocks array; it reports whether any input block is present.
func (v *validator) blocks(arr []any, ptr string, max int, inView bool) bool {
	if len(arr) > max {
		v.errf(ptr, "must be less than %d items", max+1)
	}
	ids := map[string]bool{}
	hasInput := false
	for i, raw := range arr {
		p := ptr + "/" + strconv.Itoa(i)
		b, ok := raw.(map[string]any)
		if !ok {
			v.errf(p, "must be an object")
			continue
		}
		if id, ok := b["block_id"].(string); ok {
			v.maxStr(b, p, "block_id", 255)
			if ids[id] {
				v.errf(p+"/block_id", "duplicate block_id %q", id)
			}
			ids[id] = true
		}
		typ, _ := b["type"].(string)
		hasInput = hasInput || typ == "input"
		v.block(typ, b, p, inView)
	}
	return hasInput
}

func (v *validator) block(typ string, b map[string]any, p string, inView bool) {
	switch typ {
	case "section":
		if b["text"] == nil && b["fields"] == nil {
			v.errf(p, "must provide text or fields")
		}
		v.text(b, p, "text", textRule{max: 3000})
		for i, f := range v.list(b, p, "fields", 0, 10) {
			v.textObj(f, p+"/fields/"+strconv.Itoa(i), textRule{max: 2000})
		}
		if acc, ok := b["accessory"]; ok {
			v.element(acc, p+"/accessory", accessoryTypes)
		}
	case "header":
		v.text(b, p, "text", textRule{plainOnly: true, max: 150, required: true})
	case "divider":
	case "context":
		for i, e := range v.list(b, p, "elements", 1, 10) {
			v.element(e, p+"/elements/"+strconv.Itoa(i), contextTypes)
		}
	case "actions":
		v.elements(v.list(b, p, "elements", 1, 25), p+"/elements", actionTypes)
	case "input":
		v.text(b, p, "label", textRule{plainOnly: true, max: 2000, required: true})
		v.text(b, p, "hint", textRule{plainOnly: true, max: 2000})
		if el, ok := b["element"]; ok {
			v.element(el, p+"/element", inputTypes)
		} else {
			v.errf(p+"/element", "missing required field: element")
		}
	case "image":
		v.image(b, p)
		v.text(b, p, "title", textRule{plainOnly: true, max: 2000})
	case "rich_text":
		v.list(b, p, "elements", 1, 1<<20)
	case "markdown":
		if inView {
			v.errf(p+"/type", "failed to match all allowed schemas")
			return
		}
		v.reqStr(b, p, "text", 12000)
	case "video", "file":
	case "":
		v.errf(p+"/type", "missing required field: type")
	default:
		v.errf(p, "failed to match all allowed schemas")
	}
}

// elements validates an element array whose action_ids must be unique.
func (v *validator) elements(arr []any, ptr string, allowed map[string]bool) {
	ids := map[string]bool{}
	for i, e := range arr {
		p := ptr + "/" + strconv.Itoa(i)
		v.element(e, p, allowed)
		if m, ok := e.(map[string]any); ok {
			if id, ok := m["action_id"].(string); ok {
				if ids[id] {
					v.errf(p+"/action_id", "duplicate action_id %q", id)
				}
				ids[id] = true
			}
		}
	}
}

func (v *validator) image(m map[string]any, p string) {
	if m["image_url"] == nil && m["slack_file"] == nil {
		v.errf(p+"/image_url", "missing required field: image_url")
	}
	v.maxStr(m, p, "image_url", 3000)
	v.reqStr(m, p, "alt_text", 2000)
}

// ValidationError formats validator output for a Go error; nil when msgs is empty.
func ValidationError(msgs []string) error {
	if len(msgs) == 0 {
		return nil
	}
	return fmt.Errorf("invalid blocks: %s", strings.Join(msgs, "; "))
}
