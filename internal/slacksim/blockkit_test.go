package slacksim_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/leancoach/leancoach/internal/slackcorpus"
	"github.com/leancoach/leancoach/internal/slacksim"
)

func section(text string) string {
	b, _ := json.Marshal(text)
	return `{"type":"section","text":{"type":"mrkdwn","text":` + string(b) + `}}`
}

func button(id, text, value string) string {
	t, _ := json.Marshal(text)
	v, _ := json.Marshal(value)
	return `{"type":"button","action_id":"` + id + `","text":{"type":"plain_text","text":` + string(t) + `},"value":` + string(v) + `}`
}

func opt(text, value string) string {
	t, _ := json.Marshal(text)
	v, _ := json.Marshal(value)
	return `{"text":{"type":"plain_text","text":` + string(t) + `},"value":` + string(v) + `}`
}

func repeat(s string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = strings.ReplaceAll(s, "%d", fmt.Sprint(i))
	}
	return strings.Join(parts, ",")
}

func TestValidateMessageBlocks(t *testing.T) {
	x := strings.Repeat
	tests := []struct {
		name   string
		blocks string
		want   string // substring of the first message; "" = valid
	}{
		{"valid section", `[` + section("hi") + `]`, ""},
		{"section 3000", `[` + section(x("a", 3000)) + `]`, ""},
		{"section 3001", `[` + section(x("a", 3001)) + `]`, "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"},
		{"section empty", `[` + section("") + `]`, "must be more than 0 characters [json-pointer:/blocks/0/text/text]"},
		{"section without text", `[{"type":"section"}]`, "must provide text or fields [json-pointer:/blocks/0]"},
		{"fields 11", `[{"type":"section","fields":[` + repeat(`{"type":"mrkdwn","text":"f"}`, 11) + `]}]`, "must be less than 11 items [json-pointer:/blocks/0/fields]"},
		{"field 2001", `[{"type":"section","fields":[{"type":"mrkdwn","text":"` + x("a", 2001) + `"}]}]`, "[json-pointer:/blocks/0/fields/0/text]"},
		{"50 blocks", `[` + repeat(`{"type":"divider"}`, 50) + `]`, ""},
		{"51 blocks", `[` + repeat(`{"type":"divider"}`, 51) + `]`, "must be less than 51 items [json-pointer:/blocks]"},
		{"header 150", `[{"type":"header","text":{"type":"plain_text","text":"` + x("h", 150) + `"}}]`, ""},
		{"header 151", `[{"type":"header","text":{"type":"plain_text","text":"` + x("h", 151) + `"}}]`, "must be less than 151 characters [json-pointer:/blocks/0/text/text]"},
		{"header mrkdwn", `[{"type":"header","text":{"type":"mrkdwn","text":"h"}}]`, "must be plain_text [json-pointer:/blocks/0/text/type]"},
		{"context 11", `[{"type":"context","elements":[` + repeat(`{"type":"mrkdwn","text":"c"}`, 11) + `]}]`, "[json-pointer:/blocks/0/elements]"},
		{"actions 25", `[{"type":"actions","elements":[` + repeat(button("b%d", "B", "v"), 25) + `]}]`, ""},
		{"actions 26", `[{"type":"actions","elements":[` + repeat(button("b%d", "B", "v"), 26) + `]}]`, "must be less than 26 items [json-pointer:/blocks/0/elements]"},
		{"button text 76", `[{"type":"actions","elements":[` + button("b", x("t", 76), "v") + `]}]`, "[json-pointer:/blocks/0/elements/0/text/text]"},
		{"button value 2000", `[{"type":"actions","elements":[` + button("b", "t", x("v", 2000)) + `]}]`, ""},
		{"button value 2001", `[{"type":"actions","elements":[` + button("b", "t", x("v", 2001)) + `]}]`, "must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]"},
		{"button bad style", `[{"type":"actions","elements":[{"type":"button","action_id":"b","text":{"type":"plain_text","text":"t"},"style":"fancy"}]}]`, "[json-pointer:/blocks/0/elements/0/style]"},
		{"duplicate action_id", `[{"type":"actions","elements":[` + button("b", "t", "v") + `,` + button("b", "t", "v") + `]}]`, "duplicate action_id"},
		{"duplicate block_id", `[{"type":"divider","block_id":"x"},{"type":"divider","block_id":"x"}]`, "duplicate block_id \"x\" [json-pointer:/blocks/1/block_id]"},
		{"block_id 256", `[{"type":"divider","block_id":"` + x("b", 256) + `"}]`, "[json-pointer:/blocks/0/block_id]"},
		{"action_id 256", `[{"type":"actions","elements":[` + button(x("a", 256), "t", "v") + `]}]`, "[json-pointer:/blocks/0/elements/0/action_id]"},
		{"overflow 1", `[{"type":"actions","elements":[{"type":"overflow","action_id":"o","options":[` + opt("a", "a") + `]}]}]`, "must have at least 2 items"},
		{"overflow 6", `[{"type":"actions","elements":[{"type":"overflow","action_id":"o","options":[` + repeat(opt("a", "a%d"), 6) + `]}]}]`, "must be less than 6 items"},
		{"option value 151", `[{"type":"actions","elements":[{"type":"static_select","action_id":"s","options":[` + opt("a", x("v", 151)) + `]}]}]`, "[json-pointer:/blocks/0/elements/0/options/0/value]"},
		{"option text 76", `[{"type":"actions","elements":[{"type":"static_select","action_id":"s","options":[` + opt(x("t", 76), "v") + `]}]}]`, "[json-pointer:/blocks/0/elements/0/options/0/text/text]"},
		{"checkboxes 11", `[{"type":"actions","elements":[{"type":"checkboxes","action_id":"c","options":[` + repeat(opt("a", "a%d"), 11) + `]}]}]`, "must be less than 11 items"},
		{"placeholder 151", `[{"type":"actions","elements":[{"type":"users_select","action_id":"u","placeholder":{"type":"plain_text","text":"` + x("p", 151) + `"}}]}]`, "[json-pointer:/blocks/0/elements/0/placeholder/text]"},
		{"unknown block", `[{"type":"carousel"}]`, "failed to match all allowed schemas [json-pointer:/blocks/0]"},
		{"unknown element", `[{"type":"actions","elements":[{"type":"slider","action_id":"s"}]}]`, "failed to match all allowed schemas [json-pointer:/blocks/0/elements/0]"},
		{"not an array", `{"type":"divider"}`, "must be an array"},
		{"image needs alt_text", `[{"type":"image","image_url":"https://x/y.png"}]`, "missing required field: alt_text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slacksim.ValidateMessageBlocks(json.RawMessage(tt.blocks))
			if tt.want == "" {
				if len(got) != 0 {
					t.Errorf("ValidateMessageBlocks = %q, want none", got)
				}
				return
			}
			if len(got) == 0 || !strings.Contains(got[0], tt.want) {
				t.Errorf("ValidateMessageBlocks = %q, want first containing %q", got, tt.want)
			}
		})
	}
}

func modal(extra, blocks string) string {
	return `{"type":"modal","title":{"type":"plain_text","text":"Reflect"}` + extra + `,"blocks":[` + blocks + `]}`
}

const input = `{"type":"input","block_id":"i","label":{"type":"plain_text","text":"Note"},"element":{"type":"plain_text_input","action_id":"n"}}`

func TestValidateView(t *testing.T) {
	x := strings.Repeat
	submit := `,"submit":{"type":"plain_text","text":"Save"}`
	tests := []struct {
		name, view, want string
	}{
		{"valid modal", modal(submit, input), ""},
		{"valid home", `{"type":"home","blocks":[` + section("hi") + `]}`, ""},
		{"title 25", `{"type":"modal","title":{"type":"plain_text","text":"` + x("t", 25) + `"},"blocks":[]}`, "must be less than 25 characters [json-pointer:/view/title/text]"},
		{"no title", `{"type":"modal","blocks":[]}`, "missing required field: title [json-pointer:/view/title]"},
		{"submit 25", modal(`,"submit":{"type":"plain_text","text":"`+x("s", 25)+`"}`, input), "[json-pointer:/view/submit/text]"},
		{"close 25", modal(`,"close":{"type":"plain_text","text":"`+x("s", 25)+`"}`, ""), "[json-pointer:/view/close/text]"},
		{"input needs submit", modal("", input), "[json-pointer:/view/submit]"},
		{"private_metadata 3001", modal(`,"private_metadata":"`+x("m", 3001)+`"`, ""), "must be less than 3001 characters [json-pointer:/view/private_metadata]"},
		{"callback_id 256", modal(`,"callback_id":"`+x("c", 256)+`"`, ""), "[json-pointer:/view/callback_id]"},
		{"100 blocks", `{"type":"home","blocks":[` + repeat(`{"type":"divider"}`, 100) + `]}`, ""},
		{"101 blocks", `{"type":"home","blocks":[` + repeat(`{"type":"divider"}`, 101) + `]}`, "must be less than 101 items [json-pointer:/view/blocks]"},
		{"bad type", `{"type":"sheet","blocks":[]}`, "[json-pointer:/view/type]"},
		{"unknown input element", modal(submit, `{"type":"input","label":{"type":"plain_text","text":"L"},"element":{"type":"button","action_id":"b","text":{"type":"plain_text","text":"t"}}}`), "failed to match all allowed schemas [json-pointer:/view/blocks/0/element]"},
		{"too large", `{"type":"home","private_metadata":"","blocks":[` + repeat(section(x("a", 3000)), 90) + `]}`, "view_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slacksim.ValidateView(json.RawMessage(tt.view))
			if tt.want == "" {
				if len(got) != 0 {
					t.Errorf("ValidateView = %q, want none", got)
				}
				return
			}
			if len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), tt.want) {
				t.Errorf("ValidateView = %q, want one containing %q", got, tt.want)
			}
		})
	}
}

// TestValidateCorpusViews checks that Slack's own example views pass.
func TestValidateCorpusViews(t *testing.T) {
	for _, name := range []string{"web-views-open.json", "web-views-publish.json", "web-views-update.json"} {
		t.Run(name, func(t *testing.T) {
			var doc struct{ View json.RawMessage }
			readJSON(t, name, &doc)
			if got := slacksim.ValidateView(doc.View); len(got) != 0 {
				t.Errorf("ValidateView(%s) = %q, want none", name, got)
			}
		})
	}
}

func readJSON(t *testing.T, name string, dst any) []byte {
	t.Helper()
	b, err := slackcorpus.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	if dst != nil {
		if err := json.Unmarshal(b, dst); err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
	}
	return b
}

func FuzzValidateMessageBlocks(f *testing.F) {
	f.Add(`[` + section("hi") + `]`)
	f.Add(`[{"type":"actions","elements":[` + button("b", "t", "v") + `]}]`)
	f.Add(`[{"type":"input","label":{"type":"plain_text","text":"L"},"element":{"type":"static_select","action_id":"s","option_groups":[{"label":{"type":"plain_text","text":"g"},"options":[` + opt("a", "a") + `]}]}}]`)
	f.Fuzz(func(t *testing.T, s string) {
		for _, m := range slacksim.ValidateMessageBlocks(json.RawMessage(s)) {
			if !strings.HasPrefix(m, "[ERROR] ") || !strings.Contains(m, "[json-pointer:/") {
				t.Errorf("message %q lacks Slack's shape", m)
			}
		}
		_ = slacksim.ValidateView(json.RawMessage(`{"type":"modal","title":{"type":"plain_text","text":"t"},"blocks":` + s + `}`))
	})
}
