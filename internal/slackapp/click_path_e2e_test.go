package slackapp_test

import (
	"strings"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// What one click costs, end to end through the bot and slacksim (Slack's
// rate tiers on): exactly one response_url post and no Web API call (no
// chat.update, users.info or views.publish, each of which Slack limits),
// one write transaction and at most one read.
func TestE2EClickCostsOneReplyNoWebAPI(t *testing.T) {
	type click struct {
		name   string
		habit  string
		action string
		choose string // the snooze's choice
		writes int64  // the most write transactions allowed
		reads  int64  // the most read transactions allowed
	}
	clicks := []click{
		{"done", "gemba", slackapp.ActionAnswer, "", 1, 1},
		{"not today", "gemba", slackapp.ActionNotToday, "", 1, 1},
		{"snooze an hour", "gemba", slackapp.ActionSnooze, "hour", 1, 1},
		{"snooze until tomorrow", "gemba", slackapp.ActionSnooze, "morning", 1, 1},
		// Another question reads the question history to pick the next one,
		// and records it as asked.
		{"another question", "question", slackapp.ActionAnother, "", 2, 4},
	}
	for _, c := range clicks {
		t.Run(c.name, func(t *testing.T) {
			w := newWorldLoop(t, false)
			w.setUp()
			prompt := w.send(c.habit, eDirector)
			calls := len(w.sim.Calls())
			before, err := w.bot.db.Stats()
			if err != nil {
				t.Fatal(err)
			}
			seq := w.sim.Seq()
			var opts []slacksim.ClickOption
			if c.choose != "" {
				opts = append(opts, slacksim.Choose(c.choose+":"+string(promptKey(t, prompt))))
			}
			w.click(eDirector, prompt, c.action, opts...)
			shown := w.waitEdited(prompt, 1)
			after, err := w.bot.db.Stats()
			if err != nil {
				t.Fatal(err)
			}
			if answered := c.action == slackapp.ActionAnswer || c.action == slackapp.ActionNotToday; answered && hasAction(shown, slackapp.ActionNotToday) {
				t.Errorf("prompt after %s still has its buttons: %s", c.name, visible(shown))
			}
			replies := 0
			for _, ev := range w.sim.Events() {
				if ev.Seq > seq && ev.Kind == slacksim.EventResponse && ev.Source == "response_url" {
					replies++
				}
			}
			if replies != 1 {
				t.Errorf("%d response_url posts, want exactly 1", replies)
			}
			for _, call := range w.sim.Calls()[calls:] {
				t.Errorf("the click called the Web API: %s", call.Method)
			}
			writes, reads := after.WriteTxns-before.WriteTxns, after.ReadTxns-before.ReadTxns
			if writes < 1 || writes > c.writes {
				t.Errorf("the click cost %d write transactions, want 1 to %d", writes, c.writes)
			}
			t.Logf("%s: %d writes, %d reads", c.name, writes, reads)
			if reads > c.reads {
				t.Errorf("the click cost %d read transactions, want at most %d", reads, c.reads)
			}
		})
	}
}

func hasAction(m slacksim.Message, actionID string) bool {
	return strings.Contains(string(m.Blocks), `"action_id":"`+actionID+`"`)
}

// A form's submission has no response_url: the prompt is replaced through
// the response_url of the click that opened the form, without chat.update;
// when the bot restarted in between (the URL is only in memory), with
// chat.update.
func TestE2EFormSubmissionReplacesThroughItsClick(t *testing.T) {
	for _, restart := range []bool{false, true} {
		name := "same process"
		if restart {
			name = "restarted in between"
		}
		t.Run(name, func(t *testing.T) {
			w := newWorld(t)
			w.setUp()
			prompt := w.send("gemba", eDirector)
			w.click(eDirector, prompt, slackapp.ActionAnswer)
			done := w.waitEdited(prompt, 1)
			v := w.noteModal(eDirector, done)
			if restart {
				w.restart()
			}
			updates := len(w.sim.CallsTo("chat.update"))
			w.submit(eDirector, v, slacksim.Values{slackapp.BlockNote: "Line 3 waits for parts."})
			noted := w.waitEdited(prompt, 2)
			if !strings.Contains(visible(noted), "Edit your note") {
				t.Errorf("prompt after the note = %s, want it to offer editing the note", visible(noted))
			}
			if o := w.stored(prompt); o.Answer == nil || o.Answer.Note != "Line 3 waits for parts." {
				t.Errorf("answer = %+v, want the note saved", o.Answer)
			}
			got := len(w.sim.CallsTo("chat.update")) - updates
			if want := map[bool]int{false: 0, true: 1}[restart]; got != want {
				t.Errorf("chat.update called %d times, want %d", got, want)
			}
		})
	}
}

// A refused form submission is told in the prompt's DM, through the
// response_url of the click that opened the form.
func TestE2EFormRefusalToldThroughItsClick(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	prompt := w.send("compliment", eDirector)
	v := w.openModal(eDirector, prompt)
	// Answered meanwhile (another tab): the form's submission is refused.
	w.click(eDirector, prompt, slackapp.ActionNotToday)
	w.waitEdited(prompt, 1)
	ephemerals := len(w.sim.CallsTo("chat.postEphemeral"))
	r := w.submit(eDirector, v, slacksim.Values{"text": "Thanks for the calm dagstart."})
	told, err := r.WaitEphemeral(w.ctx())
	if err == nil && !strings.Contains(told.Text, "Already recorded") {
		t.Errorf("told %q, want already recorded", told.Text)
	}
	if err != nil {
		// The form's submission result has no reply of its own: look in
		// the DM for the ephemeral.
		found := false
		for _, m := range w.sim.Ephemerals(eDirector) {
			found = found || strings.Contains(m.Text, "Already recorded")
		}
		if !found {
			t.Errorf("director not told the compliment was refused")
		}
	}
	if n := len(w.sim.CallsTo("chat.postEphemeral")) - ephemerals; n != 0 {
		t.Errorf("chat.postEphemeral called %d times, want 0 (the response_url tells)", n)
	}
	if o := w.stored(prompt); o.Answer == nil || o.Answer.Outcome != coach.NotToday {
		t.Errorf("answer = %+v, want the first one (not today) kept", o.Answer)
	}
}
