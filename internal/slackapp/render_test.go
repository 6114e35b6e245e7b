package slackapp_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/slacksim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var (
	renderAt   = time.Date(2026, 12, 7, 8, 45, 0, 0, time.UTC)
	amsterdam  = mustLoc("Europe/Amsterdam")
	directorID = coach.UserID("UDIRECT1")
	leaderID   = coach.UserID("ULEADER1")
	leader2ID  = coach.UserID("ULEADER2")
	kudosID    = coach.ChannelID("CKUDOS01")
)

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func occ(h coach.Habit) coach.Occurrence {
	o := coach.Occurrence{
		Key: coach.NewOccurrenceKey("s1", directorID, "2026-12-07"), Schedule: "s1", Director: directorID,
		Habit: h, LocalDate: "2026-12-07", Due: renderAt, State: coach.Sent, Channel: "DDIRECT1", TS: "1765097100.000100",
	}
	if h == coach.Question {
		o.QuestionID = coach.Questions()[0].ID
	}
	return o
}

func answered(h coach.Habit, a coach.Answer) coach.Occurrence {
	o := occ(h)
	a.At, a.By = renderAt.Add(20*time.Minute), directorID
	o.Answer = &a
	return o
}

type message struct {
	Text   string        `json:"text"`
	Blocks []slack.Block `json:"blocks"`
}

// golden compares got (marshalled as indented JSON) with
// testdata/golden/name.json, or rewrites it with -update.
func golden(t *testing.T, name string, got any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep <@U…> readable in the golden files
	enc.SetIndent("", "  ")
	if err := enc.Encode(got); err != nil {
		t.Fatalf("marshal %s: %v", name, err)
	}
	b := buf.Bytes()
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return b
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("%s differs from %s (run go test -update and review the diff):\n%s", name, path, b)
	}
	return b
}

func checkMessage(t *testing.T, name, text string, blocks []slack.Block) {
	t.Helper()
	if text == "" {
		t.Errorf("%s: empty fallback text", name)
	}
	golden(t, name, message{text, blocks})
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range slacksim.ValidateMessageBlocks(raw) {
		t.Errorf("%s: Block Kit: %s", name, p)
	}
	checkNoMissingKeys(t, name, string(raw)+text)
}

func checkView(t *testing.T, name string, v slack.ModalViewRequest) {
	t.Helper()
	golden(t, name, v)
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range slacksim.ValidateView(raw) {
		t.Errorf("%s: Block Kit: %s", name, p)
	}
	checkNoMissingKeys(t, name, string(raw))
}

// checkNoMissingKeys fails when a catalog key was rendered as itself (i18n's
// sign of a missing text).
func checkNoMissingKeys(t *testing.T, name, out string) {
	t.Helper()
	for _, prefix := range []string{"prompt.", "modal.", "kudos.", "cmd.", "habit.", "question.", "format.", "svc."} {
		for _, l := range i18n.Langs() {
			for _, k := range i18n.Keys(l) {
				if strings.HasPrefix(k, prefix) && strings.Contains(out, `"`+k+`"`) {
					t.Errorf("%s: shows the bare key %q", name, k)
				}
			}
		}
	}
}

func TestRenderPrompts(t *testing.T) {
	for _, l := range i18n.Langs() {
		for _, h := range coach.Habits() {
			name := "prompt_" + string(h) + "." + string(l)
			t.Run(name, func(t *testing.T) {
				text, blocks := slackapp.RenderPrompt(l, occ(h))
				checkMessage(t, name, text, blocks)
			})
		}
	}
}

func TestRenderAnswered(t *testing.T) {
	info := slackapp.AnsweredInfo{Streak: 3, Loc: amsterdam, KudosChannel: kudosID}
	cases := []struct {
		name string
		o    coach.Occurrence
		info slackapp.AnsweredInfo
	}{
		{"standup_done", answered(coach.Standup, coach.Answer{Outcome: coach.Done, Observation: "private", FeedbackGiven: true}), info},
		{"standup_done_no_feedback", answered(coach.Standup, coach.Answer{Outcome: coach.Done}), slackapp.AnsweredInfo{Streak: 1, Loc: amsterdam}},
		{"compliment_done", answered(coach.Compliment, coach.Answer{Outcome: coach.Done, Leader: leaderID, Text: "<!channel> well done"}), info},
		{"question_done", answered(coach.Question, coach.Answer{Outcome: coach.Done, Asked: "private"}), info},
		{"gemba_done", answered(coach.Gemba, coach.Answer{Outcome: coach.Done, Note: "private"}), info},
		{"gemba_not_today", answered(coach.Gemba, coach.Answer{Outcome: coach.NotToday}), slackapp.AnsweredInfo{Loc: amsterdam}},
		{"gemba_expired", answered(coach.Gemba, coach.Answer{Outcome: coach.Expired}), slackapp.AnsweredInfo{Loc: amsterdam}},
		{"question_snoozed", answered(coach.Question, coach.Answer{Outcome: coach.Snoozed, SnoozeUntil: time.Date(2026, 12, 8, 7, 30, 0, 0, time.UTC)}), info},
	}
	for _, l := range i18n.Langs() {
		for _, c := range cases {
			name := "answered_" + c.name + "." + string(l)
			t.Run(name, func(t *testing.T) {
				text, blocks := slackapp.RenderOccurrence(l, c.o, c.info)
				checkMessage(t, name, text, blocks)
				raw, _ := json.Marshal(blocks)
				if strings.Contains(string(raw), "private") {
					t.Errorf("%s shows a private note", name)
				}
				noteOnly := c.o.Answer.Outcome == coach.Done && c.o.Habit != coach.Compliment
				if c.o.Answer.Outcome.Final() && !noteOnly && strings.Contains(string(raw), `"actions"`) {
					t.Errorf("%s still has buttons", name)
				}
				if noteOnly && (strings.Count(string(raw), `"action_id"`) != 1 || !strings.Contains(string(raw), `"action_id":"`+slackapp.ActionNote+`"`)) {
					t.Errorf("%s: want only the note button, got %s", name, raw)
				}
			})
		}
	}
}

// A follow-up question shows what the Lean leader came up with last time,
// named by a mention and quoted as typed, escaped so it pings no one; with
// several Lean leaders, "your Lean leader". Other questions, and a
// follow-up without a note, show no such line.
func TestRenderFollowUp(t *testing.T) {
	fu := occ(coach.Question)
	fu.QuestionID = coach.FollowUpQuestion(coach.ThemePDCA).ID
	note := "A five-minute check at the start of the shift.\nAsk <!channel> & the night shift."
	cases := []struct {
		name string
		o    coach.Occurrence
		last coach.LastAnswer
	}{
		{"prompt_question_followup", fu, coach.LastAnswer{QuestionID: "q-pdca-04", CameUpWith: note, Leader: leaderID}},
		{"prompt_question_followup_no_leader", fu, coach.LastAnswer{QuestionID: "q-pdca-04", CameUpWith: note}},
	}
	for _, l := range i18n.Langs() {
		for _, c := range cases {
			name := c.name + "." + string(l)
			t.Run(name, func(t *testing.T) {
				text, blocks := slackapp.RenderPromptInfo(l, c.o, slackapp.PromptInfo{Last: c.last})
				checkMessage(t, name, text, blocks)
				s := plainJSON(blocks)
				if strings.Contains(s, "<!channel>") || !strings.Contains(s, "Ask &lt;!channel&gt; &amp; the night shift.") {
					t.Errorf("%s: the note is not shown escaped: %s", name, s)
				}
				if (c.last.Leader != "") != strings.Contains(s, "<@"+string(leaderID)+">") {
					t.Errorf("%s: leader %q named wrongly: %s", name, c.last.Leader, s)
				}
				if !strings.Contains(s, jsonText(l.T(coach.QuestionKey(c.o.QuestionID)))) {
					t.Errorf("%s: the follow-up question is missing", name)
				}
				// The message after the answer keeps the note above the question.
				a := c.o
				a.Answer = &coach.Answer{Outcome: coach.Done, At: renderAt, By: directorID}
				_, after := slackapp.RenderOccurrence(l, a, slackapp.AnsweredInfo{Streak: 2, PromptInfo: slackapp.PromptInfo{Last: c.last}})
				if !strings.Contains(plainJSON(after), "the night shift") {
					t.Errorf("%s: the answered follow-up lost the note", name)
				}
			})
		}
		for what, o := range map[string]coach.Occurrence{"a library question": occ(coach.Question), "a follow-up without a note": fu} {
			last := coach.LastAnswer{CameUpWith: note, Leader: leaderID}
			if o.QuestionID == fu.QuestionID {
				last.CameUpWith = " "
			}
			_, blocks := slackapp.RenderPromptInfo(l, o, slackapp.PromptInfo{Last: last})
			if raw := plainJSON(blocks); strings.Contains(raw, "night shift") || strings.Contains(raw, jsonText(l.T("prompt.question.last_time.someone"))) ||
				strings.Contains(raw, "<@"+string(leaderID)+">") {
				t.Errorf("%s %s shows what the Lean leader came up with: %s", l, what, raw)
			}
		}
	}
}

// plainJSON is v as JSON without HTML escaping, as the golden files show
// it.
func plainJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return b.String()
}

// jsonText is s as it appears inside a JSON string.
func jsonText(s string) string { return strings.Trim(strings.TrimSpace(plainJSON(s)), `"`) }

// leaders are the director's Lean leaders as the compliment modal offers
// them: one whose name Slack gave, one it did not.
var leaders = []coach.Person{{ID: leaderID, Name: "Lee de Vries"}, {ID: leader2ID}}

// One click records the habit: the prompt becomes its outcome and streak
// with a single "Add a note" button, whose value is the prompt's key. These
// goldens are that message for the three habits whose button used to open
// a form.
func TestRenderOneClick(t *testing.T) {
	cases := map[string]coach.Occurrence{
		"standup":  answered(coach.Standup, coach.Answer{Outcome: coach.Done}),
		"question": answered(coach.Question, coach.Answer{Outcome: coach.Done, QuestionID: coach.Questions()[0].ID}),
		"gemba":    answered(coach.Gemba, coach.Answer{Outcome: coach.Done}),
	}
	for _, l := range i18n.Langs() {
		for h, o := range cases {
			name := "one_click_" + h + "." + string(l)
			t.Run(name, func(t *testing.T) {
				text, blocks := slackapp.RenderOccurrence(l, o, slackapp.AnsweredInfo{Streak: 4, Loc: amsterdam})
				checkMessage(t, name, text, blocks)
				last, ok := blocks[len(blocks)-1].(*slack.ActionBlock)
				if !ok || len(last.Elements.ElementSet) != 1 {
					t.Fatalf("%s ends with %T, want one button", name, blocks[len(blocks)-1])
				}
				b, ok := last.Elements.ElementSet[0].(*slack.ButtonBlockElement)
				if !ok || b.ActionID != slackapp.ActionNote || b.Value != string(o.Key) || b.Text.Text != l.T("prompt.button.add_note") {
					t.Errorf("%s button = %+v, want Add a note for %s", name, last.Elements.ElementSet[0], o.Key)
				}
				raw, _ := json.Marshal(blocks)
				if !strings.Contains(string(raw), l.T("prompt.streak.count", 4)) {
					t.Errorf("%s does not show the streak", name)
				}
			})
		}
	}
}

func TestRenderModals(t *testing.T) {
	cases := []struct {
		name string
		o    coach.Occurrence
		info slackapp.ModalInfo
	}{
		{"standup", occ(coach.Standup), slackapp.ModalInfo{}},
		{"compliment", occ(coach.Compliment), slackapp.ModalInfo{Leaders: leaders, Leader: leaderID, KudosChannel: kudosID}},
		{"compliment_no_leader", occ(coach.Compliment), slackapp.ModalInfo{Leaders: leaders}},
		{"question", occ(coach.Question), slackapp.ModalInfo{}},
		{"done_reflect", occ(coach.Reflect), slackapp.ModalInfo{}},
		{"note_standup_saved", answered(coach.Standup, coach.Answer{Outcome: coach.Done, Observation: "Two stayed silent.", FeedbackGiven: true}), slackapp.ModalInfo{}},
		{"note_question_saved", answered(coach.Question, coach.Answer{Outcome: coach.Done, Asked: "What would you try first?", Note: "A 5-minute check."}), slackapp.ModalInfo{}},
		{"note_gemba_saved", answered(coach.Gemba, coach.Answer{Outcome: coach.Done, Note: "Line 3 waits."}), slackapp.ModalInfo{}},
	}
	for _, l := range i18n.Langs() {
		for _, c := range cases {
			name := "modal_" + c.name + "." + string(l)
			t.Run(name, func(t *testing.T) {
				v := slackapp.RenderAnswerModal(l, c.o, c.info)
				checkView(t, name, v)
				m, err := slackapp.ParseModalMeta(v.PrivateMetadata)
				if err != nil || m.Key != c.o.Key || m.Lang != l {
					t.Errorf("ParseModalMeta(%q) = %+v, %v; want key %s lang %s", v.PrivateMetadata, m, err, c.o.Key, l)
				}
			})
		}
	}
}

func TestRenderKudos(t *testing.T) {
	k := coach.Kudos{From: directorID, To: leaderID, Channel: kudosID, At: renderAt,
		Text: "Great dagstart!\nThe team solved <!channel> <!here> <!everyone> <!subteam^S123|@leads> <@U999|x> <#C999> <https://evil.example|innocent> &amp; \u202eok"}
	for _, l := range i18n.Langs() {
		name := "kudos." + string(l)
		t.Run(name, func(t *testing.T) {
			text, blocks := slackapp.RenderKudos(l, k)
			checkMessage(t, name, text, blocks)
			raw, _ := json.Marshal(message{text, blocks})
			var decoded struct {
				Text   string `json:"text"`
				Blocks []struct {
					Text struct {
						Text     string `json:"text"`
						Verbatim bool   `json:"verbatim"`
					} `json:"text"`
				} `json:"blocks"`
			}
			if err := json.Unmarshal(raw, &decoded); err != nil {
				t.Fatal(err)
			}
			all := decoded.Text + decoded.Blocks[0].Text.Text
			for _, live := range []string{"<!", "<#", "<http", "<@U999", "\u202e"} {
				if strings.Contains(all, live) {
					t.Errorf("kudos contains the live token %q: %s", live, all)
				}
			}
			for _, want := range []string{"<@" + string(leaderID) + ">", "<@" + string(directorID) + ">"} {
				if !strings.Contains(all, want) {
					t.Errorf("kudos does not mention %s: %s", want, all)
				}
			}
			if !decoded.Blocks[0].Text.Verbatim {
				t.Errorf("kudos section is not verbatim, so Slack may auto-link the user's text")
			}
		})
	}
}

func TestRenderCommands(t *testing.T) {
	stats := []coach.HabitStats{
		{Habit: coach.Standup, Current: 4, Best: 9, Strength: 0.734,
			Last: []coach.Mark{coach.MarkDone, coach.MarkNotToday, coach.MarkLeave, coach.MarkDone, coach.MarkDone, coach.MarkMissed, coach.MarkDone, coach.MarkDone, coach.MarkDone, coach.MarkDone, coach.MarkOpen}},
		{Habit: coach.Compliment, Current: 1, Best: 1, Strength: 0.08, Last: []coach.Mark{coach.MarkDone}},
	}
	dirs := []coach.Director{{ID: directorID, Leaders: []coach.UserID{leaderID, leader2ID}}, {ID: "UDIRECT2", Leaders: []coach.UserID{leaderID}}}
	replies := map[string]func(l i18n.Lang) slackio.Reply{
		"director_added": func(l i18n.Lang) slackio.Reply {
			return slackapp.RenderDirectorAdded(l, coach.Director{ID: directorID, Leaders: []coach.UserID{leaderID, leader2ID, "ULEADER3"}})
		},
		"director_removed":    func(l i18n.Lang) slackio.Reply { return slackapp.RenderDirectorRemoved(l, directorID) },
		"director_list":       func(l i18n.Lang) slackio.Reply { return slackapp.RenderDirectorList(l, dirs) },
		"director_list_empty": func(l i18n.Lang) slackio.Reply { return slackapp.RenderDirectorList(l, nil) },
		"channel_joined": func(l i18n.Lang) slackio.Reply {
			return slackapp.RenderChannelSet(l, coach.ChannelResult{Channel: kudosID, Joined: true})
		},
		"channel_invite": func(l i18n.Lang) slackio.Reply {
			return slackapp.RenderChannelSet(l, coach.ChannelResult{Channel: "GPRIVATE1"})
		},
		"sent": func(l i18n.Lang) slackio.Reply { return slackapp.RenderSent(l, occ(coach.Compliment)) },
		"kudos_counted": func(l i18n.Lang) slackio.Reply {
			a := coach.Answered{Occurrence: occ(coach.Compliment)}
			return slackapp.RenderKudosGiven(l, coach.KudosResult{Kudos: coach.Kudos{To: leaderID, Channel: kudosID}, Answered: &a})
		},
		"kudos_posted": func(l i18n.Lang) slackio.Reply {
			return slackapp.RenderKudosGiven(l, coach.KudosResult{Kudos: coach.Kudos{To: leaderID, Channel: kudosID}})
		},
		"streak":       func(l i18n.Lang) slackio.Reply { return slackapp.RenderStreaks(l, stats) },
		"streak_empty": func(l i18n.Lang) slackio.Reply { return slackapp.RenderStreaks(l, nil) },
		"habits":       func(l i18n.Lang) slackio.Reply { return slackapp.RenderHabits(l, coach.RoleAdmin) },
		"habits_director": func(l i18n.Lang) slackio.Reply {
			return slackapp.RenderHabits(l, coach.RoleDirector|coach.RoleLeader)
		},
	}
	for _, l := range i18n.Langs() {
		for n, f := range replies {
			name := "reply_" + n + "." + string(l)
			t.Run(name, func(t *testing.T) {
				r := f(l)
				checkMessage(t, name, r.Text, r.Blocks)
			})
		}
	}
}

func TestParseModalMeta(t *testing.T) {
	tests := []struct {
		in      string
		wantErr bool
		want    slackapp.ModalMeta
	}{
		{`{"k":"s1|UDIRECT1|2026-12-07","l":"nl"}`, false, slackapp.ModalMeta{Key: "s1|UDIRECT1|2026-12-07", Lang: i18n.NL}},
		{`{"k":"send|UDIRECT1|2026-12-07.2","l":"xx"}`, false, slackapp.ModalMeta{Key: "send|UDIRECT1|2026-12-07.2", Lang: i18n.EN}},
		{``, true, slackapp.ModalMeta{}},
		{`not json`, true, slackapp.ModalMeta{}},
		{`{"k":"s1|bob|2026-12-07"}`, true, slackapp.ModalMeta{}},
		{`{"k":"s1|UDIRECT1"}`, true, slackapp.ModalMeta{}},
		{`{"k":"` + strings.Repeat("a", 3001) + `"}`, true, slackapp.ModalMeta{}},
	}
	for _, tt := range tests {
		got, err := slackapp.ParseModalMeta(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseModalMeta(%.40q) = %+v, %v; want %+v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseSnoozeValue(t *testing.T) {
	tests := []struct {
		in     string
		choice coach.SnoozeChoice
		key    coach.OccurrenceKey
		ok     bool
	}{
		{"hour:s1|UDIRECT1|2026-12-07", coach.SnoozeHour, "s1|UDIRECT1|2026-12-07", true},
		{"morning:send|UDIRECT1|2026-12-07.1", coach.SnoozeMorning, "send|UDIRECT1|2026-12-07.1", true},
		{"week:s1|UDIRECT1|2026-12-07", "", "", false},
		{"hour", "", "", false},
		{"hour:nonsense", "", "", false},
	}
	for _, tt := range tests {
		c, k, ok := slackapp.ParseSnoozeValue(tt.in)
		if c != tt.choice || k != tt.key || ok != tt.ok {
			t.Errorf("ParseSnoozeValue(%q) = %q, %q, %v; want %q, %q, %v", tt.in, c, k, ok, tt.choice, tt.key, tt.ok)
		}
	}
}

// Slack marks an optional input "(optional)" itself, in the reader's
// language: a label that says so too reads "(optional) (optional)". No
// label of any answer modal carries the marker, in either language, and
// every input whose label would have needed it is marked optional.
func TestModalLabelsLeaveOptionalToSlack(t *testing.T) {
	markers := []string{"optional", "optioneel", "facultatief"}
	for _, l := range i18n.Langs() {
		for _, h := range coach.Habits() {
			v := slackapp.RenderAnswerModal(l, occ(h), slackapp.ModalInfo{Leaders: leaders, Leader: leaderID, KudosChannel: kudosID})
			inputs := 0
			for _, b := range v.Blocks.BlockSet {
				in, ok := b.(*slack.InputBlock)
				if !ok {
					continue
				}
				inputs++
				label := strings.ToLower(in.Label.Text)
				for _, m := range markers {
					if strings.Contains(label, m) {
						t.Errorf("%s %s modal: label %q of %s says %q; Slack adds that itself (optional=%v)", l, h, in.Label.Text, in.BlockID, m, in.Optional)
					}
				}
			}
			if inputs == 0 {
				t.Errorf("%s %s modal has no inputs", l, h)
			}
		}
	}
}
