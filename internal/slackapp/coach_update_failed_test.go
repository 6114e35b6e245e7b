package slackapp_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// A recorded answer whose prompt can be replaced neither through the
// click's response_url nor with chat.update: the director is told
// ephemerally that the answer is recorded (never that it failed), the stale
// prompt keeps its buttons, and a later click on them gets "already
// recorded".
func TestE2EUpdateFailsAfterAnswerRecorded(t *testing.T) {
	tests := []struct {
		name     string
		director string
		reply    slacksim.Fault // on the response_url post
		update   slacksim.Fault // on the chat.update after it
		done     bool           // answer with the one-click Done button, else Not today
		want     string
	}{
		{"500 and is_archived after not today", eDirector, slacksim.Fault{Status: http.StatusInternalServerError}, slacksim.Fault{Error: "is_archived"}, false, "recorded all the same"},
		{"expired url and message_not_found after not today", eDirector, slacksim.Fault{Error: "expired_url"}, slacksim.Fault{Error: "message_not_found"}, false, "recorded all the same"},
		{"502 and cant_update_message after done", eDirector, slacksim.Fault{Status: http.StatusBadGateway}, slacksim.Fault{Error: "cant_update_message"}, true, "recorded all the same"},
		{"used url and cant_update_message after done, in Dutch", eDirectorN, slacksim.Fault{Error: "used_url"}, slacksim.Fault{Error: "cant_update_message"}, true, "toch vastgelegd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.setUp()
			prompt := w.send("gemba", tt.director)
			want, action := coach.NotToday, slackapp.ActionNotToday
			if tt.done {
				want, action = coach.Done, slackapp.ActionAnswer
			}
			w.sim.FailNext(slacksim.ResponseURLMethod, 1, tt.reply)
			w.sim.FailNext("chat.update", 1, tt.update)
			r := w.click(tt.director, prompt, action)
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

// A response_url that fails leaves the prompt to chat.update, which waits
// out a rate limit's Retry-After: the prompt is shown answered, and the
// director is told nothing more.
func TestE2EResponseURLFailsThenChatUpdate(t *testing.T) {
	for _, tt := range []struct {
		name   string
		update []slacksim.Fault
	}{
		{"updated at once", nil},
		{"rate limited, then updated", []slacksim.Fault{{Status: http.StatusTooManyRequests, RetryAfter: time.Second}}},
		{"a 500, then updated", []slacksim.Fault{{Status: http.StatusInternalServerError}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.setUp()
			prompt := w.send("gemba", eDirector)
			w.sim.FailNext(slacksim.ResponseURLMethod, 1, slacksim.Fault{Status: http.StatusBadGateway})
			for _, f := range tt.update {
				w.sim.FailNext("chat.update", 1, f)
			}
			seq := w.sim.Seq()
			w.click(eDirector, prompt, slackapp.ActionNotToday)
			updated := w.waitEdited(prompt, 1)
			if hasButtons(updated) {
				t.Errorf("prompt after its update = %s, want it shown answered, without buttons", visible(updated))
			}
			// slacksim logs a call once it has answered it.
			want := len(tt.update) + 1
			if err := w.sim.WaitFor(w.ctx(), func() bool { return len(w.sim.CallsTo("chat.update")) >= want }); err != nil ||
				len(w.sim.CallsTo("chat.update")) != want {
				t.Errorf("chat.update called %d times, want %d", len(w.sim.CallsTo("chat.update")), want)
			}
			for _, ev := range w.sim.Events() {
				if ev.Seq > seq && ev.Kind == slacksim.EventEphemeral && ev.User == eDirector {
					m, _ := w.sim.Message(ev.Channel, ev.TS)
					t.Errorf("director told %q after a recorded answer shown answered", m.Text)
				}
			}
		})
	}
}
