package sandbox_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/sandbox"
)

func testRenderer() *sandbox.Renderer {
	return &sandbox.Renderer{
		Names: sandbox.Names{
			Users:    map[string]string{"U1": "Maarten Jansen", "U2": "Fatima El Amrani"},
			Channels: map[string]string{"C1": "kudos"},
		},
		People: []sandbox.Person{
			{ID: "U1", RealName: "Maarten Jansen"},
			{ID: "U2", RealName: "Fatima <El> Amrani"},
		},
		Channels: []sandbox.Channel{{ID: "C1", Name: "kudos"}, {ID: "D1", Name: "leancoach", IsDM: true}},
		Labels:   sandbox.Labels{Lang: i18n.EN},
	}
}

// TestRenderEveryKind draws one fixture holding every block and element kind
// the page supports and checks each one's markup, including the data-*
// attributes the page's script sends back with a click.
func TestRenderEveryKind(t *testing.T) {
	raw, err := os.ReadFile("testdata/every_kind.json")
	if err != nil {
		t.Fatal(err)
	}
	errs := map[string]string{"title": "Give it a title <please>"}
	state := map[string]map[string]json.RawMessage{
		"title": {"title_in": json.RawMessage(`{"type":"plain_text_input","value":"typed & kept"}`)},
	}
	got := testRenderer().Blocks(raw, errs, state)
	tests := []struct{ kind, want string }{
		{"header", `<div class="bk-header" data-block="h">Week review 🎉 &lt;b&gt;</div>`},
		{"section text mrkdwn", `<b>Bold</b> <i>it</i> <s>st</s> <code>code</code>`},
		{"section link", `<a class="bk-link" href="https://example.com" target="_blank" rel="noopener noreferrer">link</a>`},
		{"section user mention", `<span class="bk-mention">@Maarten Jansen</span>`},
		{"section channel mention", `<span class="bk-mention">#kudos</span>`},
		{"section fields", `<div class="bk-field"><b>Streak</b><br>3</div><div class="bk-field">Best: 5</div>`},
		{"accessory button", `<div class="bk-accessory"><button type="button" class="bk-button" data-kind="button" data-action="acc_btn" data-block="s" data-value="v1" data-url="">Open</button></div>`},
		{"overflow", `<details class="bk-overflow" data-kind="overflow" data-action="over" data-block="s_over">`},
		{"overflow option", `<button type="button" class="bk-menu-item" data-value="remove">Remove</button>`},
		{"accessory image", `<img class="bk-accessory-img" src="https://example.com/a.png" alt="a chart">`},
		{"context mrkdwn", `<span class="bk-context-text">🔥 Streak: <b>3</b></span>`},
		{"context plain_text", `<span class="bk-context-text">plain &lt;context&gt;</span>`},
		{"context image", `<img class="bk-context-img" src="https://example.com/i.png" alt="icon">`},
		{"divider", `<div class="bk-divider" data-block="d"><hr></div>`},
		{"actions", `<div class="bk-actions" data-block="a">`},
		{"button primary", `class="bk-button bk-primary" data-kind="button" data-action="b_primary" data-block="a" data-value="k1" data-url="">Write a compliment</button>`},
		{"button danger", `class="bk-button bk-danger" data-kind="button" data-action="b_danger"`},
		{"button plain", `class="bk-button" data-kind="button" data-action="b_plain"`},
		{"static_select", `<select class="bk-select" data-kind="static_select" data-action="snooze" data-block="a"><option value="" selected>Snooze…</option><option value="hour">For an hour</option>`},
		{"static_select groups", `<optgroup label="Group A"><option value="a1" selected>A1</option></optgroup>`},
		{"users_select", `<select class="bk-select bk-users" data-kind="users_select" data-action="who" data-block="a"><option value="">Pick a leader</option><option value="U1">Maarten Jansen</option><option value="U2" selected>Fatima &lt;El&gt; Amrani</option></select>`},
		{"datepicker", `<input type="date" class="bk-date" data-kind="datepicker" data-action="until" data-block="a" value="2026-12-24">`},
		{"timepicker", `<input type="time" class="bk-time" data-kind="timepicker" data-action="at" data-block="a" value="08:30">`},
		{"checkboxes", `<div class="bk-checkboxes" role="group" data-kind="checkboxes" data-action="days" data-block="a">`},
		{"checkbox checked", `<input type="checkbox" name="g1-days" value="mon" checked>`},
		{"checkbox mrkdwn and description", `value="tue"><span class="bk-choice-text"><b>Tue</b><span class="bk-choice-desc">second day</span>`},
		{"radio_buttons", `<div class="bk-radios" role="group" data-kind="radio_buttons" data-action="lang" data-block="a">`},
		{"radio checked", `<input type="radio" name="g2-lang" value="nl" checked>`},
		{"conversations_select", `<option value="C1">#kudos</option></select>`},
		{"image block", `<div class="bk-image" data-block="img"><div class="bk-image-title">Chart</div><img src="https://example.com/big.png" alt="big">`},
		{"input optional label", `<label class="bk-label">Observation <span class="bk-optional">(optional)</span></label>`},
		{"input multiline", `<textarea class="bk-textarea" rows="4" data-kind="plain_text_input" data-action="note" data-block="note" data-input="1" data-key="note/note" placeholder="What did you see?" maxlength="2000">Line &lt;/textarea&gt;&lt;b&gt;</textarea>`},
		{"input hint", `<div class="bk-hint">Only you see this.</div>`},
		{"input single line with state", `<input type="text" class="bk-text-input" data-kind="plain_text_input" data-action="title_in" data-block="title" data-input="1" data-key="title/title_in" value="typed &amp; kept">`},
		{"input error", `<div class="bk-error" role="alert">Give it a title &lt;please&gt;</div>`},
		{"input users_select", `data-kind="users_select" data-action="leader" data-block="leader" data-input="1" data-key="leader/leader"><option value="">Select a person</option><option value="U1">Maarten Jansen</option><option value="U2" selected>`},
		{"input static_select", `data-kind="static_select" data-action="habit" data-block="habit" data-input="1" data-key="habit/habit"><option value="" selected>Select an item</option><option value="standup">Stand-up</option>`},
		{"input radio_buttons", `data-kind="radio_buttons" data-action="fb" data-block="fb" data-input="1" data-key="fb/fb">`},
		{"input checkboxes", `data-kind="checkboxes" data-action="more" data-block="more" data-input="1" data-key="more/more">`},
		{"input datepicker", `<input type="date" class="bk-date" data-kind="datepicker" data-action="when" data-block="when" data-input="1" data-key="when/when" value="">`},
		{"unsupported block", `<div class="bk-unsupported" data-block="rt">[rich_text is not shown in the sandbox]</div>`},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			if !strings.Contains(got, tt.want) {
				t.Errorf("Blocks(every_kind.json) lacks the %s markup\nwant %s\n got %s", tt.kind, tt.want, got)
			}
		})
	}
	if strings.Contains(got, "<script") || strings.Contains(got, "<b>>") {
		t.Errorf("Blocks(every_kind.json) let markup through: %s", got)
	}
}

func TestRenderReadOnlyDisablesControls(t *testing.T) {
	r := testRenderer()
	r.ReadOnly = true
	got := r.Blocks(json.RawMessage(`[{"type":"actions","elements":[{"type":"button","action_id":"x","text":{"type":"plain_text","text":"X"}}]}]`), nil, nil)
	if !strings.Contains(got, ` disabled data-value=""`) {
		t.Errorf("Blocks(read-only button) = %s, want it disabled", got)
	}
}

func TestRenderBadJSON(t *testing.T) {
	got := testRenderer().Blocks(json.RawMessage(`{"not":"an array"}`), nil, nil)
	if !strings.Contains(got, "could not be read") {
		t.Errorf("Blocks(object) = %q, want the unreadable notice", got)
	}
	if got := testRenderer().Blocks(nil, nil, nil); got != "" {
		t.Errorf("Blocks(nil) = %q, want empty", got)
	}
}

// TestRenderEverythingLeancoachSends renders every message and view in
// slackapp's golden files (what the bot really sends) and checks that no
// block or element kind falls back to the unsupported notice, and that each
// element kind found there has its own markup.
func TestRenderEverythingLeancoachSends(t *testing.T) {
	files, err := filepath.Glob("../slackapp/testdata/golden/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skip("no slackapp golden files yet")
	}
	markup := map[string]string{
		"header": `class="bk-header"`, "section": `class="bk-section"`, "context": `class="bk-context"`,
		"divider": `class="bk-divider"`, "actions": `class="bk-actions"`, "input": `class="bk-input"`,
		"image": `<img`, "button": `data-kind="button"`, "overflow": `data-kind="overflow"`,
		"static_select": `data-kind="static_select"`, "users_select": `data-kind="users_select"`,
		"datepicker": `data-kind="datepicker"`, "checkboxes": `data-kind="checkboxes"`,
		"radio_buttons": `data-kind="radio_buttons"`, "plain_text_input": `data-kind="plain_text_input"`,
		"timepicker": `data-kind="timepicker"`, "conversations_select": `data-kind="conversations_select"`,
		"channels_select": `data-kind="channels_select"`,
	}
	seen := map[string]bool{}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Blocks json.RawMessage `json:"blocks"`
			}
			if err := json.Unmarshal(raw, &doc); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			got := testRenderer().Blocks(doc.Blocks, nil, nil)
			if strings.Contains(got, "bk-unsupported") {
				t.Errorf("Blocks(%s) has an unsupported kind: %s", f, got)
			}
			for _, kind := range kinds(t, doc.Blocks) {
				seen[kind] = true
				want, ok := markup[kind]
				if !ok {
					t.Errorf("%s uses %q, which this test does not know", f, kind)
					continue
				}
				if !strings.Contains(got, want) {
					t.Errorf("Blocks(%s) lacks %s for %q", f, want, kind)
				}
			}
		})
	}
	t.Logf("kinds leancoach sends: %v", keys(seen))
}

// kinds lists the block and element types of a blocks array.
func kinds(t *testing.T, blocks json.RawMessage) []string {
	t.Helper()
	var bs []struct {
		Type      string `json:"type"`
		Accessory *struct {
			Type string `json:"type"`
		} `json:"accessory"`
		Element *struct {
			Type string `json:"type"`
		} `json:"element"`
		Elements []struct {
			Type string `json:"type"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(blocks, &bs); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, b := range bs {
		out = append(out, b.Type)
		if b.Accessory != nil {
			out = append(out, b.Accessory.Type)
		}
		if b.Element != nil {
			out = append(out, b.Element.Type)
		}
		if b.Type == "actions" {
			for _, e := range b.Elements {
				out = append(out, e.Type)
			}
		}
	}
	return out
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
