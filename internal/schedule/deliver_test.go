package schedule_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/schedule"
	"github.com/leancoach/leancoach/internal/store"
)

var deliverStart = time.Date(2026, 12, 7, 8, 45, 0, 0, time.UTC)

func prompt(k string) coach.Occurrence {
	return coach.Occurrence{Key: coach.OccurrenceKey("s1|U1|" + k), Schedule: "s1", Director: "U1",
		Habit: coach.Standup, LocalDate: k, Due: deliverStart}
}

// failStore is the real store with chosen calls failing, for the store-error
// paths (disk full, closed file).
type failStore struct {
	*store.DB
	failCreate atomic.Bool
	failUpdate atomic.Int32 // fail this many UpdateOccurrence calls
}

var errDiskFull = errors.New("write: no space left on device")

func (s *failStore) CreateOccurrence(ctx context.Context, o coach.Occurrence) (coach.Occurrence, bool, error) {
	if s.failCreate.Load() {
		return coach.Occurrence{}, false, errDiskFull
	}
	return s.DB.CreateOccurrence(ctx, o)
}

func (s *failStore) UpdateOccurrence(ctx context.Context, k coach.OccurrenceKey, fn func(*coach.Occurrence) error) (coach.Occurrence, error) {
	if s.failUpdate.Add(-1) >= 0 {
		return coach.Occurrence{}, errDiskFull
	}
	return s.DB.UpdateOccurrence(ctx, k, fn)
}

func TestDeliver(t *testing.T) {
	unclear := errors.New("Post \"http://slack/chat.postMessage\": read: connection reset by peer")
	tests := []struct {
		name      string
		fail      func(ref string, call int) (error, bool)
		wantState coach.SendState
		wantErr   bool
		wantMsgs  int
		wantTries int // posts
		check     func(t *testing.T, e *env, o coach.Occurrence, took time.Duration)
	}{
		{name: "sent", wantState: coach.Sent, wantMsgs: 1, wantTries: 1},
		{name: "unclear after slack posted it", wantState: coach.Sent, wantMsgs: 1, wantTries: 1,
			fail: func(_ string, call int) (error, bool) {
				if call == 1 {
					return unclear, true
				}
				return nil, false
			}},
		{name: "unclear twice before posting", wantState: coach.Sent, wantMsgs: 1, wantTries: 3,
			fail: func(_ string, call int) (error, bool) {
				if call <= 2 {
					return unclear, false
				}
				return nil, false
			},
			check: func(t *testing.T, _ *env, o coach.Occurrence, _ time.Duration) {
				if o.Attempts != 3 {
					t.Errorf("Attempts = %d, want 3", o.Attempts)
				}
			}},
		{name: "unclear every time", wantState: coach.Sending, wantErr: true, wantMsgs: 0, wantTries: 3,
			fail: func(string, int) (error, bool) { return unclear, false }},
		{name: "permanent", wantState: coach.Failed, wantErr: true, wantMsgs: 0, wantTries: 1,
			fail: func(string, int) (error, bool) { return &slackErr{code: "user_not_found", permanent: true}, false },
			check: func(t *testing.T, e *env, o coach.Occurrence, _ time.Duration) {
				if o.FailReason != "user_not_found" {
					t.Errorf("FailReason = %q, want user_not_found", o.FailReason)
				}
				if _, _, _, failed := e.metrics.snapshot(); failed != 1 {
					t.Errorf("failed metric = %d, want 1", failed)
				}
			}},
		{name: "rate limited twice", wantState: coach.Sent, wantMsgs: 1, wantTries: 3,
			fail: func(_ string, call int) (error, bool) {
				if call <= 2 {
					return &rateErr{wait: 7 * time.Second}, false
				}
				return nil, false
			},
			check: func(t *testing.T, _ *env, _ coach.Occurrence, took time.Duration) {
				if took < 14*time.Second {
					t.Errorf("Deliver took %v of fake time, want at least 2 x Retry-After (14s)", took)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := newEnv(t, deliverStart)
				e.poster.fail = tt.fail
				l := e.loop()
				began := time.Now()
				got, err := l.Deliver(t.Context(), prompt("2026-12-07"))
				took := time.Since(began)
				if (err != nil) != tt.wantErr {
					t.Errorf("Deliver error = %v, want error %v", err, tt.wantErr)
				}
				stored := e.occurrence(got.Key)
				if stored.State != tt.wantState || got.State != tt.wantState {
					t.Errorf("Deliver state = %s (stored %s), want %s", got.State, stored.State, tt.wantState)
				}
				if tt.wantState == coach.Sent && (stored.Channel != "D1" || stored.TS == "" || stored.SentAt.IsZero()) {
					t.Errorf("sent occurrence = %+v, want channel D1, ts and SentAt", stored)
				}
				if n := e.poster.count(string(got.Key)); n != tt.wantMsgs {
					t.Errorf("messages = %d, want %d", n, tt.wantMsgs)
				}
				if n := e.poster.calls[string(got.Key)]; n != tt.wantTries {
					t.Errorf("posts = %d, want %d", n, tt.wantTries)
				}
				if tt.check != nil {
					tt.check(t, e, stored, took)
				}
				// Delivering again never posts twice: ECONFLICT for a settled
				// prompt; a Sending one is reconciled and then sent once.
				e.poster.fail = nil
				again, err := l.Deliver(t.Context(), prompt("2026-12-07"))
				switch tt.wantState {
				case coach.Sending:
					if err != nil || again.State != coach.Sent || e.poster.count(string(got.Key)) != 1 {
						t.Errorf("Deliver after recovery = %s, %v with %d messages; want sent, 1 message",
							again.State, err, e.poster.count(string(got.Key)))
					}
				default:
					if coach.ErrorCode(err) != coach.ECONFLICT || again.State != tt.wantState {
						t.Errorf("second Deliver = %s, %v; want %s, ECONFLICT", again.State, err, tt.wantState)
					}
					if n := e.poster.count(string(got.Key)); n != tt.wantMsgs {
						t.Errorf("messages after a second Deliver = %d, want %d", n, tt.wantMsgs)
					}
				}
			})
		})
	}
}

// TestDeliverFailsClosed: when the record cannot be written nothing is
// posted; when the Sent mark cannot be written the next attempt finds the
// message in Slack instead of posting again.
func TestDeliverFailsClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, deliverStart)
		fs := &failStore{DB: e.db}
		l := e.loop(func(d *schedule.Deps) { d.Store = fs })

		fs.failCreate.Store(true)
		if _, err := l.Deliver(t.Context(), prompt("2026-12-07")); !errors.Is(err, errDiskFull) {
			t.Errorf("Deliver with a full disk = %v, want %v", err, errDiskFull)
		}
		if n := len(e.poster.messages()); n != 0 {
			t.Errorf("messages posted without a record = %d, want 0", n)
		}

		fs.failCreate.Store(false)
		fs.failUpdate.Store(1) // the Sent mark fails
		o, err := l.Deliver(t.Context(), prompt("2026-12-07"))
		if err == nil || o.State != coach.Sending {
			t.Errorf("Deliver with a failing mark = %s, %v; want sending and an error", o.State, err)
		}
		o, err = l.Deliver(t.Context(), prompt("2026-12-07"))
		if err != nil || o.State != coach.Sent {
			t.Errorf("Deliver after the disk recovered = %s, %v; want sent", o.State, err)
		}
		if n := e.poster.count(string(o.Key)); n != 1 {
			t.Errorf("messages = %d, want 1", n)
		}
	})
}

// TestDeliverRecovers picks up Sending records a crashed process left: found
// in Slack -> marked sent without posting; not found -> posted once.
func TestDeliverRecovers(t *testing.T) {
	for _, postedBefore := range []bool{true, false} {
		name := map[bool]string{true: "crashed after posting", false: "crashed before posting"}[postedBefore]
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := newEnv(t, deliverStart)
				o := prompt("2026-12-07")
				o.State, o.StartedAt, o.Attempts = coach.Sending, e.now(), 1
				if _, _, err := e.db.CreateOccurrence(t.Context(), o); err != nil {
					t.Fatal(err)
				}
				if postedBefore {
					if _, _, err := e.poster.Post(t.Context(), o, string(o.Key)); err != nil {
						t.Fatal(err)
					}
				}
				advance(5 * time.Minute)
				got, err := e.loop().Deliver(t.Context(), prompt("2026-12-07"))
				if err != nil || got.State != coach.Sent {
					t.Errorf("Deliver = %s, %v; want sent", got.State, err)
				}
				if n := e.poster.count(string(o.Key)); n != 1 {
					t.Errorf("messages = %d, want 1", n)
				}
				if e.poster.finds == 0 {
					t.Error("Deliver posted without looking in Slack first")
				}
			})
		})
	}
}

// TestDeliverConcurrent: many callers, one key, one message.
func TestDeliverConcurrent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, deliverStart)
		l := e.loop()
		var wg sync.WaitGroup
		var ok, conflict atomic.Int32
		for range 20 {
			wg.Go(func() {
				_, err := l.Deliver(t.Context(), prompt("2026-12-07"))
				switch coach.ErrorCode(err) {
				case "":
					ok.Add(1)
				case coach.ECONFLICT:
					conflict.Add(1)
				default:
					t.Errorf("Deliver = %v", err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 1 || conflict.Load() != 19 || len(e.poster.messages()) != 1 {
			t.Errorf("ok/conflict/messages = %d/%d/%d, want 1/19/1", ok.Load(), conflict.Load(), len(e.poster.messages()))
		}
	})
}

// TestDeliverExpiresEarlier: delivering a habit's prompt closes the
// director's earlier open prompts of that habit, and nothing else.
func TestDeliverExpiresEarlier(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, deliverStart)
		l := e.loop()
		mk := func(k string, h coach.Habit, due time.Time, a *coach.Answer) coach.OccurrenceKey {
			o := coach.Occurrence{Key: coach.OccurrenceKey(k), Schedule: "s1", Director: "U1", Habit: h,
				LocalDate: due.Format(time.DateOnly), Due: due, State: coach.Sent, SentAt: due, Answer: a}
			if _, _, err := e.db.CreateOccurrence(t.Context(), o); err != nil {
				t.Fatal(err)
			}
			return o.Key
		}
		day := 24 * time.Hour
		open := mk("s1|U1|2026-12-04", coach.Standup, deliverStart.Add(-3*day), nil)
		snoozed := mk("s1|U1|2026-12-05", coach.Standup, deliverStart.Add(-2*day), &coach.Answer{Outcome: coach.Snoozed, SnoozeUntil: deliverStart})
		done := mk("s1|U1|2026-12-06", coach.Standup, deliverStart.Add(-day), &coach.Answer{Outcome: coach.Done})
		other := mk("s2|U1|2026-12-06", coach.Gemba, deliverStart.Add(-day), nil)
		if _, err := l.Deliver(t.Context(), prompt("2026-12-07")); err != nil {
			t.Fatal(err)
		}
		for k, want := range map[coach.OccurrenceKey]coach.Outcome{open: coach.Expired, snoozed: coach.Expired, done: coach.Done, other: ""} {
			got := e.occurrence(k)
			outcome := coach.Outcome("")
			if got.Answer != nil {
				outcome = got.Answer.Outcome
			}
			if outcome != want {
				t.Errorf("after the next prompt, %s outcome = %q, want %q", k, outcome, want)
			}
		}
	})
}

// TestDeliverQuestion: the question of a question prompt is picked once,
// for a new occurrence only, and stored with it.
func TestDeliverQuestion(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, deliverStart)
		picks := 0
		l := e.loop(func(d *schedule.Deps) {
			d.Questions = func(context.Context, coach.UserID) (string, error) {
				picks++
				return "q-self-01", nil
			}
		})
		o := prompt("2026-12-07")
		o.Habit = coach.Question
		got, err := l.Deliver(t.Context(), o)
		if err != nil || got.QuestionID != "q-self-01" || e.occurrence(o.Key).QuestionID != "q-self-01" {
			t.Errorf("Deliver = %q, %v; want question q-self-01 stored", got.QuestionID, err)
		}
		if _, err := l.Deliver(t.Context(), o); coach.ErrorCode(err) != coach.ECONFLICT {
			t.Errorf("second Deliver = %v, want ECONFLICT", err)
		}
		if picks != 1 {
			t.Errorf("questions picked = %d, want 1", picks)
		}
	})
}

// TestRunRecoversAdHocSends: a /coach send cut short by a crash has no plan
// pointing at it; the loop finishes it when it starts. Inside the catch-up
// window it reconciles and posts what Slack does not have; later ones are
// only looked for.
func TestRunRecoversAdHocSends(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, deliverStart)
		ctx := t.Context()
		adhoc := func(n string, age time.Duration, posted bool) coach.Occurrence {
			o := coach.Occurrence{Key: coach.NewOccurrenceKey(coach.AdHoc, "U1", "2026-12-07."+n), Schedule: coach.AdHoc,
				Director: "U1", Habit: coach.Gemba, LocalDate: "2026-12-07", Due: e.now().Add(-age),
				State: coach.Sending, StartedAt: e.now().Add(-age), Attempts: 1}
			if _, _, err := e.db.CreateOccurrence(ctx, o); err != nil {
				t.Fatal(err)
			}
			if posted {
				if _, _, err := e.poster.Post(ctx, o, string(o.Key)); err != nil {
					t.Fatal(err)
				}
			}
			return o
		}
		cases := []struct {
			o        coach.Occurrence
			state    coach.SendState
			messages int
		}{
			{adhoc("1", time.Minute, true), coach.Sent, 1},
			{adhoc("2", time.Minute, false), coach.Sent, 1},
			{adhoc("3", 4*time.Hour, false), coach.Missed, 0},
			{adhoc("4", 4*time.Hour, true), coach.Sent, 1},
		}
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- e.loop().Run(runCtx) }()
		synctest.Wait() // the loop is asleep: its start-up work is done
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
		for _, c := range cases {
			if got := e.occurrence(c.o.Key); got.State != c.state {
				t.Errorf("%s: state %s, want %s", c.o.Key, got.State, c.state)
			}
			if n := e.poster.count(string(c.o.Key)); n != c.messages {
				t.Errorf("%s: %d messages, want %d", c.o.Key, n, c.messages)
			}
		}
	})
}
