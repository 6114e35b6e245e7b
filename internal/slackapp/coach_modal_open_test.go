package slackapp_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// A click on "Add a note" whose views.open fails: a transient failure (a
// 429 with a short Retry-After, a 5xx, a hang) is retried within the
// trigger's 3 s life and the modal opens; otherwise the director is told
// ephemerally that the form did not open, that the answer is recorded all
// the same, and to click again. No attempt is ever made with an expired
// trigger.
func TestE2EAnswerModalOpenFails(t *testing.T) {
	tests := []struct {
		name     string
		director string
		faults   []slacksim.Fault
		opens    bool // the modal opens from this click
		calls    int  // views.open calls, exactly; 0 = at least 2
	}{
		{"429 retry after 1s", eDirector, []slacksim.Fault{{Status: http.StatusTooManyRequests, RetryAfter: time.Second}}, true, 2},
		{"500 once", eDirector, []slacksim.Fault{{Status: http.StatusInternalServerError}}, true, 2},
		{"503 twice", eDirector, []slacksim.Fault{{Status: http.StatusServiceUnavailable}, {Status: http.StatusServiceUnavailable}}, true, 3},
		{"internal_error", eDirector, []slacksim.Fault{{Error: "internal_error"}}, true, 2},
		// Slack opened it but the answer was lost: the retry's
		// exchanged_trigger_id means it is open; nobody is told otherwise.
		{"502 after opening", eDirector, []slacksim.Fault{{Status: http.StatusBadGateway, AfterProcessing: true}}, true, 2},
		{"hang", eDirector, []slacksim.Fault{{Hang: true}}, true, 2},
		{"429 retry after 30s", eDirector, []slacksim.Fault{{Status: http.StatusTooManyRequests, RetryAfter: 30 * time.Second}}, false, 1},
		{"expired_trigger_id", eDirector, []slacksim.Fault{{Error: "expired_trigger_id"}}, false, 1},
		{"invalid_arguments", eDirector, []slacksim.Fault{{Error: "invalid_arguments"}}, false, 1},
		{"500 for longer than the trigger lives", eDirector, repeat(slacksim.Fault{Status: http.StatusInternalServerError}, 5), false, 0},
		{"hang for longer than the trigger lives, in Dutch", eDirectorN, repeat(slacksim.Fault{Hang: true}, 2), false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.setUp()
			prompt := w.send("gemba", tt.director)
			w.click(tt.director, prompt, slackapp.ActionAnswer)
			done := w.waitEdited(prompt, 1)
			for _, f := range tt.faults {
				w.sim.FailNext("views.open", 1, f)
			}
			lang := i18n.EN
			if tt.director == eDirectorN {
				lang = i18n.NL
			}
			r := w.click(tt.director, done, slackapp.ActionNote)
			if tt.opens {
				v, err := waitModal(w.ctx(), r)
				if err != nil || v.CallbackID != slackapp.ViewDone {
					t.Fatalf("modal after a transient views.open failure = %q, %v; want the done modal", v.CallbackID, err)
				}
			} else {
				told, err := r.WaitEphemeral(w.ctx())
				if err != nil {
					t.Fatalf("director told nothing when the form did not open: %v", err)
				}
				if want := lang.T("prompt.err.note_form_not_opened"); told.Text != want {
					t.Errorf("director told %q, want %q", told.Text, want)
				}
				if v, open := w.sim.TopView(tt.director); open {
					t.Errorf("modal %s open, want none", v.CallbackID)
				}
			}
			// The local Slack logs a call once its answer is written.
			var calls []slacksim.Call
			_ = w.sim.WaitFor(w.ctx(), func() bool {
				calls = w.sim.CallsTo("views.open")
				return len(calls) >= max(tt.calls, 2) || (tt.calls == 1 && len(calls) == 1)
			})
			if tt.calls > 0 && len(calls) != tt.calls {
				t.Errorf("views.open called %d times, want %d", len(calls), tt.calls)
			}
			if tt.calls == 0 && len(calls) < 2 {
				t.Errorf("views.open called %d times, want a retry", len(calls))
			}
			for _, c := range calls {
				if c.Error == "expired_trigger_id" && tt.faults[0].Error != "expired_trigger_id" {
					t.Errorf("views.open tried with an expired trigger (%d calls)", len(calls))
				}
			}
			if o := w.stored(prompt); o.Answer == nil || o.Answer.Outcome != coach.Done || o.Answer.HasNote() {
				t.Errorf("stored answer = %+v, want done by the click, without a note", o.Answer)
			}
			if tt.opens {
				for _, m := range r.Ephemerals() {
					t.Errorf("director told %q although the modal opened", m.Text)
				}
				return
			}
			// Clicking again (a fresh trigger) opens the form.
			if v := w.noteModal(tt.director, done); v.CallbackID != slackapp.ViewDone {
				t.Errorf("modal on the second click = %q, want the done modal", v.CallbackID)
			}
		})
	}
}

func repeat(f slacksim.Fault, n int) []slacksim.Fault {
	out := make([]slacksim.Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}
