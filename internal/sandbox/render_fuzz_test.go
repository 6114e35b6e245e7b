package sandbox_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// allowedTag is every element the renderer writes; anything else in its
// output would be markup that came from a message.
var allowedTag = map[string]bool{
	"div": true, "span": true, "b": true, "i": true, "s": true, "code": true, "pre": true,
	"blockquote": true, "br": true, "a": true, "hr": true, "img": true, "button": true,
	"details": true, "summary": true, "select": true, "option": true, "optgroup": true,
	"input": true, "textarea": true, "label": true,
}

var (
	tagRE     = regexp.MustCompile(`<(/?)([a-zA-Z0-9]+)([^>]*)>`)
	handlerRE = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	// quotedRE is an attribute's value; attr escapes '"', so a value cannot
	// end early, and what is inside it is inert.
	quotedRE = regexp.MustCompile(`="[^"]*"`)
)

// FuzzRenderEscapes puts hostile text in every text field leancoach's
// messages and modals carry and checks that only the renderer's own tags and
// attributes come out.
func FuzzRenderEscapes(f *testing.F) {
	for _, s := range []string{
		"<script>alert(1)</script>", `"><img src=x onerror=alert(1)>`, "<https://x.test|<b>hi</b>>",
		"<javascript:alert(1)|x>", "*_~`nested`~_*", "&lt;!channel&gt; &amp;amp;", "```<pre>```",
		"&gt; quote <@U1|<i>x</i>>", "<#C1|\"onmouseover=alert(1)>", "\uE000\uE001<>", "</textarea><script>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, _ := json.Marshal(s)
		blocks := strings.ReplaceAll(`[
			{"type":"header","text":{"type":"plain_text","text":Q}},
			{"type":"section","block_id":Q,"text":{"type":"mrkdwn","text":Q},"fields":[{"type":"mrkdwn","text":Q}],
			 "accessory":{"type":"overflow","action_id":Q,"options":[{"text":{"type":"plain_text","text":Q},"value":Q}]}},
			{"type":"context","elements":[{"type":"mrkdwn","text":Q},{"type":"image","image_url":Q,"alt_text":Q}]},
			{"type":"actions","elements":[{"type":"button","action_id":Q,"text":{"type":"plain_text","text":Q},"value":Q,"url":Q},
			 {"type":"static_select","action_id":"s","placeholder":{"type":"plain_text","text":Q},"options":[{"text":{"type":"plain_text","text":Q},"value":Q}]},
			 {"type":"checkboxes","action_id":"c","options":[{"text":{"type":"mrkdwn","text":Q},"value":Q,"description":{"type":"plain_text","text":Q}}]}]},
			{"type":"input","block_id":"in","label":{"type":"plain_text","text":Q},"hint":{"type":"plain_text","text":Q},
			 "element":{"type":"plain_text_input","action_id":"t","initial_value":Q,"placeholder":{"type":"plain_text","text":Q}}}
		]`, "Q", string(q))
		got := testRenderer().Blocks(json.RawMessage(blocks), map[string]string{"in": s}, nil)
		for _, m := range tagRE.FindAllStringSubmatch(got, -1) {
			if !allowedTag[strings.ToLower(m[2])] {
				t.Fatalf("Blocks(%q) wrote a <%s> tag: %s", s, m[2], got)
			}
			if handlerRE.MatchString(quotedRE.ReplaceAllString(m[3], `=""`)) {
				t.Fatalf("Blocks(%q) wrote an event handler attribute: %s", s, m[0])
			}
		}
		if strings.Contains(strings.ToLower(got), `href="javascript:`) {
			t.Fatalf("Blocks(%q) wrote a javascript: link: %s", s, got)
		}
	})
}
