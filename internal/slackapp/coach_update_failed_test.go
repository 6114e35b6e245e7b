package slackapp_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// A recorded answer whose chat.update fails for a reason other than a rate
// limit: the director is told ephemerally that the answer is recorded (never
// that it failed), the stale prompt keeps its buttons, and a later click on
// them gets "already recorded".
func TestE2EUpdateFailsAfterAnswerRecorded(t *testing.T) {
	tests := []struct {
		name     string
		director string
		fault    slacksim.Fault
		done     bool // answer with the one-click Done button, else Not today
		want     string
	}{
		{"500 after not today", eDirector, slacksim.Fault{Status: http.StatusInternalServerError}, false, "recorded all the same"},
		{"message_not_found after not today", eDirector, slacksim.Fault{Error: "message_not_found"}, false, "recorded all the same"},
		{"502 after done", eDirector, slacksim.Fault{Status: http.StatusBadGateway}, true, "recorded all the same"},
		{"cant_update_message after done, in Dutch", eDirectorN, slacksim.Fault{Error: "cant_update_message"}, true, "toch vastgelegd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.setUp()
			prompt := w.send("gemba", tt.director)
			want := coach.NotToday
			var r *slacksim.Result
			if tt.done {
				w.sim.FailNext("chat.update", 1, tt.fault)
				r = w.click(tt.director, prompt, slackapp.ActionAnswer)
				want = coach.Done
			} else {
				w.sim.FailNext("chat.update", 1, tt.fault)
				r = w.click(tt.director, prompt, slackapp.ActionNotToday)
			}
			told, err := r.WaitEphemeral(w.ctx())
			if err != nil {
				t.Fatalf("director told nothing after a recorded answer whose update failed: %v", err)
			}
			if !strings.Contains(told.Text, tt.want) {
				t.Errorf("director told %q, want it to say the answer is recorded (%q)", told.Text, tt.want)
			}
			if o := w.stored(prompt); o.Answer == nil || o.Answer.Outcome != want {
				t.Fatalf("stored answer = %+v, want %s", o.Answer, want)
			}
			if cur := w.message(prompt); cur.Edited != 0 || !hasButtons(cur) {
				t.Errorf("prompt edited %d times, buttons %v; want it stale (the update failed)", cur.Edited, hasButtons(cur))
			}

			// The stale buttons record nothing more.
			again := w.click(tt.director, prompt, slackapp.ActionAnswer)
			reply, err := again.WaitEphemeral(w.ctx())
			if err != nil {
				t.Fatalf("second click: no reply: %v", err)
			}
			lang := i18n.EN
			if tt.director == eDirectorN {
				lang = i18n.NL
			}
			if already := lang.T("svc.err.already_recorded"); reply.Text != already {
				t.Errorf("second click told %q, want %q", reply.Text, already)
			}
			if o := w.stored(prompt); o.Answer == nil || o.Answer.Outcome != want {
				t.Errorf("stored answer after the second click = %+v, want still %s", o.Answer, want)
			}
			failed := lang.T("error.internal")
			for _, m := range w.sim.Ephemerals(tt.director) {
				if m.Text == failed {
					t.Errorf("director told %q after a recorded answer", m.Text)
				}
			}
		})
	}
}
