package slackapp_test

import (
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
)

// A prompt that points at a Lean leader names them: the stand-up asks an
// observer's question about them; with several Lean leaders the
// compliment, gemba and spotlight say who is next and who had more.
func TestRenderFocus(t *testing.T) {
	ana, bram := coach.UserID("UANA00001"), coach.UserID("UBRAM0001")
	last := time.Date(2026, time.November, 12, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		h    coach.Habit
		f    coach.Focus
		want map[i18n.Lang]string
	}{
		{"prompt_compliment_focus", coach.Compliment, coach.Focus{Leader: ana, Last: last, Weeks: 3, Other: bram, Count: 2, Leaders: 3},
			map[i18n.Lang]string{i18n.EN: "No compliment for <@UANA00001> in 3 weeks; <@UBRAM0001> had 2.",
				i18n.NL: "Al 3 weken geen compliment voor <@UANA00001>; <@UBRAM0001> kreeg er 2."}},
		{"prompt_gemba_focus", coach.Gemba, coach.Focus{Leader: ana, Other: bram, Count: 1, Leaders: 2},
			map[i18n.Lang]string{i18n.EN: "You haven't been on the Gemba with <@UANA00001>'s team yet; <@UBRAM0001>'s team had one visit.",
				i18n.NL: "Je was nog niet op de Gemba bij het team van <@UANA00001>; bij <@UBRAM0001> was je er één keer."}},
		{"prompt_spotlight_focus", coach.Spotlight, coach.Focus{Leader: ana, Last: last, Weeks: 1, Leaders: 2},
			map[i18n.Lang]string{i18n.EN: "<@UANA00001> hasn't been in the spotlight for 1 week.",
				i18n.NL: "<@UANA00001> stond al 1 week niet in de schijnwerpers."}},
		{"prompt_standup_focus", coach.Standup, coach.Focus{Leader: bram, Last: last, Leaders: 3},
			map[i18n.Lang]string{i18n.EN: "*This time, <@UBRAM0001>'s stand-up.* Watch for one thing: is <@UBRAM0001> directing the team, or coaching it?",
				i18n.NL: "*Deze keer de dagstart van <@UBRAM0001>.* Let op één ding: stuurt <@UBRAM0001> het team, of coacht <@UBRAM0001> het?"}},
		{"prompt_standup_focus_one", coach.Standup, coach.Focus{Leader: bram, Leaders: 1},
			map[i18n.Lang]string{i18n.EN: "*Watch for one thing:* is <@UBRAM0001> directing the team, or coaching it?",
				i18n.NL: "*Let op één ding:* stuurt <@UBRAM0001> het team, of coacht <@UBRAM0001> het?"}},
	}
	for _, c := range cases {
		for _, l := range i18n.Langs() {
			name := c.name + "." + string(l)
			text, blocks := slackapp.RenderPromptInfo(l, occ(c.h), slackapp.PromptInfo{Focus: c.f})
			checkMessage(t, name, text, blocks)
			if s := readableJSON(message{text, blocks}); !strings.Contains(s, c.want[l]) {
				t.Errorf("%s lacks %q:\n%s", name, c.want[l], s)
			}
		}
	}
	// Answered, or snoozed, the prompt keeps the line beside its other
	// context (the last note).
	f := coach.Focus{Leader: ana, Last: last, Weeks: 3, Other: bram, Count: 2, Leaders: 3}
	for _, outcome := range []coach.Outcome{coach.Done, coach.NotToday, coach.Snoozed} {
		o := occ(coach.Compliment)
		o.Answer = &coach.Answer{Outcome: outcome, At: last, Leader: ana, SnoozeUntil: last.Add(time.Hour)}
		_, blocks := slackapp.RenderOccurrence(i18n.EN, o, slackapp.AnsweredInfo{PromptInfo: slackapp.PromptInfo{Focus: f, LastNote: "Ask about the board"}})
		s := readableJSON(message{"", blocks})
		if !strings.Contains(s, "No compliment for <@UANA00001> in 3 weeks; <@UBRAM0001> had 2.") || !strings.Contains(s, "Ask about the board") {
			t.Errorf("compliment %s lacks the focus line or the last note:\n%s", outcome, s)
		}
	}
	// One Lean leader: the compliment names no one (there is no one else).
	_, with := slackapp.RenderPromptInfo(i18n.EN, occ(coach.Compliment), slackapp.PromptInfo{Focus: coach.Focus{Leader: ana, Leaders: 1}})
	_, without := slackapp.RenderPromptInfo(i18n.EN, occ(coach.Compliment), slackapp.PromptInfo{})
	if plainJSON(with) != plainJSON(without) {
		t.Errorf("a compliment prompt of a director with one Lean leader shows a focus line:\n%s", plainJSON(with))
	}
}
