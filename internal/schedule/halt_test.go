package schedule_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/schedule"
)

// refusedErr is Slack refusing the bot token, as slackio.AuthError reports it.
type refusedErr struct{}

func (refusedErr) Error() string {
	return "chat.postMessage: slack refused the bot token: token_revoked"
}
func (refusedErr) TokenRefused() bool { return true }

// errUnclear is an unclear outcome (a timeout): retried after a pause.
var errUnclear = errors.New("chat.postMessage: context deadline exceeded")

func (p *memPoster) postCalls() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, c := range p.calls {
		n += c
	}
	return n
}

// A refused token ends Deliver at once: one post, no retry pause, no
// reconcile, and the prompt left Sending for the next process.
func TestDeliverStopsAtOnceOnARefusedToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, deliverStart)
		e.poster.fail = func(string, int) (error, bool) { return refusedErr{}, false }
		l := e.loop()
		start := time.Now()
		o, err := l.Deliver(t.Context(), prompt("2026-12-07"))
		if waited := time.Since(start); waited != 0 {
			t.Errorf("Deliver with a refused token waited %v (bubble time), want no pause", waited)
		}
		var r interface{ TokenRefused() bool }
		if !errors.As(err, &r) {
			t.Errorf("Deliver with a refused token = %v, want the refusal", err)
		}
		if got := e.occurrence(o.Key); got.State != coach.Sending || got.Attempts != 1 {
			t.Errorf("occurrence = %s after %d attempt(s), want sending after 1", got.State, got.Attempts)
		}
		if n, finds := e.poster.postCalls(), e.poster.finds; n != 1 || finds != 0 {
			t.Errorf("posts, finds = %d, %d; want 1, 0", n, finds)
		}
		select {
		case <-l.Halted():
		default:
			t.Error("Halted() not closed after a refused token")
		}
		if _, _, _, failed := e.metrics.snapshot(); failed != 0 {
			t.Errorf("failed metric = %d, want 0 (the token is not the director's fault)", failed)
		}
	})
}

// A send pausing after an unclear outcome stops at once, without its second
// post, when another send meets a refused token.
func TestDeliverPauseEndsOnARefusedToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, deliverStart)
		e.poster.fail = func(ref string, _ int) (error, bool) {
			if ref == string(prompt("2026-12-07").Key) {
				return errUnclear, false
			}
			return refusedErr{}, false
		}
		l := e.loop()
		start := time.Now()
		done := make(chan error, 1)
		go func() {
			_, err := l.Deliver(t.Context(), prompt("2026-12-07"))
			done <- err
		}()
		synctest.Wait() // the first send is in its pause after the unclear post
		if _, err := l.Deliver(t.Context(), prompt("2026-12-08")); err == nil {
			t.Fatal("Deliver with a refused token = nil error")
		}
		err := <-done
		if waited := time.Since(start); waited != 0 {
			t.Errorf("the pausing send returned after %v (bubble time), want at once", waited)
		}
		if err == nil {
			t.Error("the pausing send = nil error, want the refusal")
		}
		if n := e.poster.postCalls(); n != 2 {
			t.Errorf("posts = %d, want 2 (one per prompt, no retry)", n)
		}
		for _, k := range []string{"2026-12-07", "2026-12-08"} {
			if got := e.occurrence(prompt(k).Key); got.State != coach.Sending {
				t.Errorf("occurrence %s = %s, want sending", k, got.State)
			}
		}
	})
}

// The due-loop halts on a refused token: the pass stops handing out plans,
// the loop posts nothing more however long it runs, and Run returns nil only
// when stopped. Restarted with a good token, every prompt owed goes once,
// the refused one after a reconcile.
func TestRunHaltsOnARefusedToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
		e := newEnv(t, start)
		dirs := []coach.UserID{"U1A", "U1B", "U1C", "U1D"}
		for _, d := range dirs {
			e.director(d, "UTC")
		}
		id := e.schedule(coach.Schedule{Habit: coach.Standup, When: "daily 09:00", ToAll: true})
		e.poster.fail = func(string, int) (error, bool) { return refusedErr{}, false }
		l := e.loop(func(d *schedule.Deps) { d.Workers = 1 })
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- l.Run(ctx) }()
		advance(time.Hour) // 09:00: all four are due
		synctest.Wait()
		select {
		case <-l.Halted():
		default:
			t.Fatal("the loop did not halt on a refused token")
		}
		advance(2 * time.Hour) // many ticks later
		if n := e.poster.postCalls(); n != 1 {
			t.Errorf("posts with the token refused = %d, want 1", n)
		}
		select {
		case err := <-done:
			t.Fatalf("Run returned %v before it was stopped", err)
		default:
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v after cancel, want nil", err)
		}
		var sending []coach.OccurrenceKey
		for _, d := range dirs {
			k := coach.NewOccurrenceKey(id, d, "2026-12-07")
			if o, err := e.db.Occurrence(t.Context(), k); err == nil && o.State == coach.Sending {
				sending = append(sending, k)
			}
		}
		if len(sending) != 1 {
			t.Fatalf("occurrences left sending = %v, want the one refused", sending)
		}

		// The token fixed, a new process (inside the 3 h catch-up window).
		e.poster.fail = nil
		stop := run(t, e.loop())
		advance(time.Minute)
		stop()
		for _, d := range dirs {
			k := coach.NewOccurrenceKey(id, d, "2026-12-07")
			if o := e.occurrence(k); o.State != coach.Sent {
				t.Errorf("%s after the restart = %s, want sent", k, o.State)
			}
			if n := e.poster.count(string(k)); n != 1 {
				t.Errorf("messages for %s = %d, want 1", k, n)
			}
		}
		if e.poster.finds == 0 {
			t.Error("the refused prompt was posted again without a reconcile")
		}
	})
}
