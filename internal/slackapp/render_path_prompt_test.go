package slackapp_test

import (
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
)

// sfPathPromptViews are the three Lean leaders' paths as the path prompt
// shows them: with what Lars shared, in review order.
func sfPathPromptViews() []coach.PathView {
	vs := coach.WithVoices(sfPathViews(), sfCheckIns(), sfComments())
	coach.ReviewOrder(vs)
	return vs
}

// The monthly path prompt: a block per Lean leader, least recently
// reviewed first, each with the path as the Home card shows it and one
// click per outcome; the Lean leader without a path gets Set a path; no
// Done button, Not today and snooze stay. Snoozed it keeps the buttons;
// answered it has none.
func TestRenderPathPrompt(t *testing.T) {
	o := sfOcc(sfDir, coach.PathReview, sfNow.Add(-7*time.Hour), "")
	o.Channel, o.TS = "D0DIRANNA", "1764835200.000100"
	views := sfPathPromptViews()
	if got := []coach.UserID{views[0].Leader, views[1].Leader, views[2].Leader}; got[0] != pathOverdue || got[1] != pathHistory || got[2] != pathNone {
		t.Fatalf("review order = %v, want Lieke (set in October, never reviewed), Lars (reviewed in November), Lotte (no path)", got)
	}
	for _, l := range i18n.Langs() {
		name := "prompt_path_review." + string(l)
		t.Run(name, func(t *testing.T) {
			text, blocks := slackapp.RenderPromptInfo(l, o, slackapp.PromptInfo{Paths: views})
			checkMessage(t, name, text, blocks)
			raw := readableJSON(blocks)
			checkPathText(t, name, raw)
			checkNoSecret(t, name, raw)
		})
	}

	text, blocks := slackapp.RenderPromptInfo(i18n.EN, o, slackapp.PromptInfo{Paths: views})
	s := readableJSON(blocks)
	for _, want := range []string{
		"Leads the quarterly planning, by Friday 20 November · ⚠️ 14 days past the target date",
		"Decides on small improvements &lt;without&gt; asking me",
		"Two improvements a month, and I hear of them afterwards", // what handed over looks like
		"needed *facilitating* · got *directing*",                 // Lars's November check-in
		"Style: *facilitating*", // the style now, as the card says it
		`"action_id":"lc_path_prompt.set","value":"ULOTTE001:` + string(o.Key) + `"`,
		`"action_id":"lc_path_prompt.partly","value":"ULARS0001:` + string(o.Key) + `"`,
		`"action_id":"lc_path_prompt.not_yet","value":"ULIEKE001:` + string(o.Key) + `"`,
		`"action_id":"lc_prompt_not_today"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("path prompt lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, `"action_id":"lc_prompt_answer"`) {
		t.Errorf("path prompt with paths has a Done button:\n%s", s)
	}
	if strings.Index(s, "ULIEKE001:") > strings.Index(s, "ULARS0001:") {
		t.Errorf("path prompt shows Lars before Lieke, who was reviewed less recently")
	}
	for _, o := range coach.ReviewOutcomes() {
		if n := strings.Count(s, `"action_id":"`+slackapp.PathPromptAction(o)+`"`); n != 2 {
			t.Errorf("path prompt has %d %s buttons, want one per path (2)", n, o)
		}
	}
	if text == "" {
		t.Error("path prompt has no fallback text")
	}

	// Snoozed: the buttons stay. Done: none, and the outcome points to the Home.
	snoozed := o
	snoozed.Answer = &coach.Answer{Outcome: coach.Snoozed, At: sfNow, SnoozeUntil: sfNow.Add(time.Hour)}
	_, blocks = slackapp.RenderOccurrence(i18n.EN, snoozed, slackapp.AnsweredInfo{Loc: sfNow.Location(), PromptInfo: slackapp.PromptInfo{Paths: views}})
	if s := readableJSON(blocks); strings.Count(s, `"action_id":"lc_path_prompt.handed_over"`) != 2 {
		t.Errorf("snoozed path prompt lost its review buttons:\n%s", s)
	}
	done := o
	done.Answer = &coach.Answer{Outcome: coach.Done, At: sfNow}
	for _, l := range i18n.Langs() {
		name := "answered_path_done." + string(l)
		text, blocks := slackapp.RenderOccurrence(l, done, slackapp.AnsweredInfo{Streak: 1, Loc: sfNow.Location()})
		checkMessage(t, name, text, blocks)
		if s := readableJSON(blocks); strings.Contains(s, "lc_path_prompt.") {
			t.Errorf("%s keeps review buttons:\n%s", name, s)
		}
	}

	// Without a Lean leader (no paths to show) the prompt keeps its Done.
	_, blocks = slackapp.RenderPromptInfo(i18n.EN, o, slackapp.PromptInfo{})
	if s := readableJSON(blocks); !strings.Contains(s, `"action_id":"lc_prompt_answer"`) {
		t.Errorf("path prompt without paths has no Done button:\n%s", s)
	}
}

// A path prompt for more Lean leaders than it shows stays within Slack's
// 50 blocks and says where the rest are.
func TestRenderPathPromptManyLeaders(t *testing.T) {
	o := sfOcc(sfDir, coach.PathReview, sfNow, "")
	var vs []coach.PathView
	for i := range 30 {
		l := coach.UserID("ULEAD" + string(rune('A'+i/26)) + string(rune('A'+i%26)) + "0")
		p := sfHistoryPath()
		p.Leader = l
		vs = append(vs, coach.ViewPath(coach.Pair{Director: sfDir, Leader: l}, &p, coach.DateOf(sfNow), sfNow.Location()))
	}
	_, blocks := slackapp.RenderPromptInfo(i18n.NL, o, slackapp.PromptInfo{Paths: vs})
	if len(blocks) > 50 {
		t.Errorf("path prompt with 30 Lean leaders has %d blocks, over Slack's 50", len(blocks))
	}
	s := readableJSON(blocks)
	if !strings.Contains(s, i18n.NL.T("path.prompt.more", 20)) {
		t.Errorf("path prompt with 30 Lean leaders does not say where the other 20 are:\n%s", s)
	}
	var sections int
	for _, b := range blocks {
		if _, ok := b.(*slack.ActionBlock); ok {
			sections++
		}
	}
	if sections != 11 { // ten Lean leaders and the prompt's own buttons
		t.Errorf("path prompt with 30 Lean leaders has %d action blocks, want 11", sections)
	}
}

func TestParsePathPromptValue(t *testing.T) {
	key := coach.NewOccurrenceKey("s1", sfDir, "2026-12-01")
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"ULARS0001:" + string(key), true},
		{"ULARS0001", false},
		{"nobody:" + string(key), false},
		{"ULARS0001:s1|nobody|2026-12-01", false},
		{":" + string(key), false},
		{"ULARS0001:", false},
	} {
		l, k, ok := slackapp.ParsePathPromptValue(tt.in)
		if ok != tt.ok || (ok && (l != pathHistory || k != key)) {
			t.Errorf("ParsePathPromptValue(%q) = %q, %q, %v; want ok %v", tt.in, l, k, ok, tt.ok)
		}
	}
}
