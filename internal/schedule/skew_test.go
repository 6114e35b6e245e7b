package schedule_test

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/schedule"
)

// TestLoopClockSkew: the bot's clock is off from Slack's (fast until NTP
// steps it back, or slow), and Slack takes the 09:00 prompt but its answer
// is lost. The reconcile reads Slack's history from the bot's StartedAt,
// while Slack stamps the message with its own time: the prompt is found,
// not posted again.
func TestLoopClockSkew(t *testing.T) {
	tests := []struct {
		name string
		skew time.Duration // the bot's clock minus Slack's
	}{
		{"on_time", 0},
		{"slow_2h", -2 * time.Hour},
		{"fast_1h", time.Hour},
		{"fast_14h", 14 * time.Hour}, // a hardware clock kept in local time, UTC+14
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := newEnv(t, time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC))
				e.poster.now = func() time.Time { return e.now().Add(-tt.skew) }
				e.director("U1", "UTC")
				id := e.schedule(coach.Schedule{Habit: coach.Standup, When: "daily 09:00", ToAll: true})
				k := coach.NewOccurrenceKey(id, "U1", "2026-12-07")
				e.poster.fail = func(ref string, call int) (error, bool) {
					if ref == string(k) && call == 1 {
						return errors.New("slack server error: 502 Bad Gateway"), true // posted, answer lost
					}
					return nil, false
				}
				stop := run(t, e.loop())
				advance(2 * time.Hour)
				stop()
				if n := e.poster.count(string(k)); n != 1 {
					t.Errorf("prompt %s posted %d times with the bot's clock %v off Slack's, want 1", k, n, tt.skew)
				}
				if o := e.occurrence(k); o.State != coach.Sent {
					t.Errorf("occurrence %s = %s, want sent", k, o.State)
				}
			})
		})
	}
}

// lockedBuffer is a log sink for the loop's workers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *lockedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestLoopWarnsClockSkew: a bot whose clock is off Slack's (read off the ts
// of each new message) by more than a minute says so, once an hour while it
// lasts, not once per prompt.
func TestLoopWarnsClockSkew(t *testing.T) {
	tests := []struct {
		name  string
		skew  time.Duration // the bot's clock minus Slack's
		warns int           // over two mornings of three prompts each
	}{
		{"on_time", 0, 0},
		{"within_a_minute", 50 * time.Second, 0},
		{"fast_1h", time.Hour, 2},
		{"slow_2h", -2 * time.Hour, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := newEnv(t, time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC))
				e.poster.now = func() time.Time { return e.now().Add(-tt.skew) }
				for _, d := range []coach.UserID{"U1", "U2", "U3"} {
					e.director(d, "UTC")
				}
				e.schedule(coach.Schedule{Habit: coach.Standup, When: "daily 09:00", ToAll: true})
				var logs lockedBuffer
				stop := run(t, e.loop(func(d *schedule.Deps) { d.Logger = zerolog.New(&logs) }))
				advance(26 * time.Hour)
				stop()
				if got := strings.Count(logs.String(), "clock is off"); got != tt.warns {
					t.Errorf("clock skew warnings = %d, want %d; log:\n%s", got, tt.warns, logs.String())
				}
			})
		})
	}
}
