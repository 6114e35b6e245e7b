package slackapp_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slackcorpus"
)

// Fuzz targets of the reliability campaign (reliability.md 7E1) for the
// decoders of values Slack echoes back to the bot: they are input like any
// other, since a payload can be forged.

// corpusPayloads returns the "payload" objects of the corpus's interactive
// samples, for seeds. It fails the target when it finds none.
func corpusPayloads(f *testing.F) []string {
	f.Helper()
	files, err := slackcorpus.Glob("*interactive*.json")
	if err != nil {
		f.Fatal(err)
	}
	var out []string
	for _, file := range files {
		var env struct {
			Payload json.RawMessage `json:"payload"`
		}
		if json.Unmarshal(file.Data, &env) == nil && len(env.Payload) > 0 {
			out = append(out, string(env.Payload))
		} else {
			out = append(out, string(file.Data))
		}
	}
	return out
}

func FuzzParseSnoozeValue(f *testing.F) {
	for _, s := range []string{"hour:s1|U0DIR00000|2026-12-07", "morning:send|U123ABC|2026-12-07.2",
		"hour:", ":s1|U1|x", "week:s1|U0DIR00000|2026-12-07", "hour:s1|<@U1>|d", "hour:a|U1|b|c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		choice, key, ok := slackapp.ParseSnoozeValue(v)
		if !ok {
			if choice != "" || key != "" {
				t.Errorf("ParseSnoozeValue(%q) = %q, %q, false: want zero values when not ok", v, choice, key)
			}
			return
		}
		if string(choice)+":"+string(key) != v {
			t.Errorf("ParseSnoozeValue(%q) = %q, %q: does not read back to the value", v, choice, key)
		}
		if _, ok := coach.ParseSnoozeChoice(string(choice)); !ok {
			t.Errorf("ParseSnoozeValue(%q) accepted choice %q", v, choice)
		}
		checkKey(t, v, key)
	})
}

func FuzzParseModalMeta(f *testing.F) {
	for _, s := range []string{`{"k":"s1|U0DIR00000|2026-12-07","l":"nl"}`, `{"k":"s1|U0DIR00000|2026-12-07"}`,
		`{"k":"","l":"en"}`, `{"k":"s1|U1|d","l":"xx"}`, `[]`, `null`, `"x"`, `{"k":1}`, strings.Repeat("a", 3001)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := slackapp.ParseModalMeta(s)
		if err != nil {
			return
		}
		if len(s) > 3000 {
			t.Errorf("ParseModalMeta accepted %d bytes, over Slack's 3000", len(s))
		}
		if m.Lang != i18n.EN && m.Lang != i18n.NL {
			t.Errorf("ParseModalMeta(%q).Lang = %q, want en or nl", s, m.Lang)
		}
		checkKey(t, s, m.Key)
		// What the bot would write for the same meta reads back the same.
		again, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("marshal %+v: %v", m, err)
		}
		if m2, err := slackapp.ParseModalMeta(string(again)); err != nil || m2 != m {
			t.Errorf("ParseModalMeta(%s) = %+v, %v; want %+v", again, m2, err, m)
		}
	})
}

// checkKey: an accepted occurrence key has the shape schedule|user|date.
func checkKey(t *testing.T, in string, k coach.OccurrenceKey) {
	t.Helper()
	parts := strings.Split(string(k), "|")
	if len(parts) != 3 || parts[0] == "" || parts[2] == "" {
		t.Errorf("input %q gave key %q, not schedule|user|date", in, k)
		return
	}
	if _, ok := coach.ParseUserID(parts[1]); !ok {
		t.Errorf("input %q gave key %q with user %q", in, k, parts[1])
	}
}

// FuzzReadAnswerModal feeds arbitrary view_submission payloads to the modal
// reader that runs before the ack: it must never panic, and what it accepts
// names a well-formed occurrence.
func FuzzReadAnswerModal(f *testing.F) {
	for _, p := range corpusPayloads(f) {
		f.Add(p)
	}
	f.Add(`{"type":"view_submission","user":{"id":"U0DIR00000"},"view":{"callback_id":"lc_answer_done","private_metadata":"{\"k\":\"s1|U0DIR00000|2026-12-07\",\"l\":\"en\"}","state":{"values":{"note":{"note":{"type":"plain_text_input","value":"x"}}}}}}`)
	f.Fuzz(func(t *testing.T, payload string) {
		var cb slack.InteractionCallback
		if json.Unmarshal([]byte(payload), &cb) != nil {
			return
		}
		ans, _, err := slackapp.ReadAnswerModal(cb)
		if err != nil {
			return
		}
		checkKey(t, payload, ans.Meta.Key)
		if n := utf8.RuneCountInString(ans.In.Note); n > coach.MaxTextLen {
			t.Errorf("ReadAnswerModal accepted a note of %d runes, over %d", n, coach.MaxTextLen)
		}
	})
}

// FuzzRenderKudos: whatever a director types, the public kudos message
// mentions only the leader and the director (both generated from IDs), holds
// no other Slack control sequence, and stays within Slack's 3000-character
// section text.
func FuzzRenderKudos(f *testing.F) {
	for _, s := range []string{"great <!channel>", "<!here|here>", "<@U0ADMIN01>", "<#C1|x>", "<https://evil|x>",
		"&lt;!here&gt;", "a & b <3", "```<!everyone>```", "\u202Eabc", "<\u200B!channel>", strings.Repeat("é", 2100),
		strings.Repeat("<", 2000), "00&000" + strings.Repeat("<", 1994), strings.Repeat("&\n", 1000), strings.Repeat("a&", 1000)} {
		f.Add(s)
	}
	const from, to = coach.UserID("U0DIR00000"), coach.UserID("U0LDR00000")
	f.Fuzz(func(t *testing.T, text string) {
		for _, lang := range []i18n.Lang{i18n.EN, i18n.NL} {
			fallback, blocks := slackapp.RenderKudos(lang, coach.Kudos{From: from, To: to, Text: text})
			raw, err := json.Marshal(blocks)
			if err != nil {
				t.Fatalf("marshal blocks: %v", err)
			}
			var v any
			if err := json.Unmarshal(raw, &v); err != nil {
				t.Fatalf("blocks are not JSON: %v", err)
			}
			for _, s := range append(stringsIn(v), fallback) {
				rest := strings.NewReplacer("<@"+string(from)+">", "", "<@"+string(to)+">", "").Replace(s)
				// Slack's control sequences open with '<'; a '>' alone is
				// the generated blockquote.
				if strings.Contains(rest, "<") {
					t.Errorf("RenderKudos(%.80q) has a control sequence the bot did not generate: %.200q", text, s)
				}
				if n := utf8.RuneCountInString(s); n > 3000 {
					t.Errorf("RenderKudos(%.80q): a text of %d characters, over Slack's 3000", text, n)
				}
			}
		}
	})
}

func stringsIn(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for _, c := range x {
			out = append(out, stringsIn(c)...)
		}
	case []any:
		for _, c := range x {
			out = append(out, stringsIn(c)...)
		}
	case string:
		out = append(out, x)
	}
	return out
}
