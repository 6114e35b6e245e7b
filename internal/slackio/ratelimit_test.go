package slackio

import (
	"context"
	"testing"
	"time"
)

// fakeNow is a clock the test moves by hand.
type fakeNow struct{ t time.Time }

func (f *fakeNow) now() time.Time { return f.t }

func TestLimiterTake(t *testing.T) {
	clk := &fakeNow{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	l := NewLimiter(map[string]Rate{
		LimitPost:       {PerSecond: 10, Burst: 2},
		LimitPerChannel: {PerSecond: 1, Burst: 1},
	}, clk.now)
	post := func(ch string) time.Duration {
		return l.take([][2]string{{LimitPost}, {LimitPerChannel, ch}})
	}
	steps := []struct {
		name    string
		advance time.Duration
		channel string
		want    time.Duration
	}{
		{"burst 1", 0, "D1", 0},
		{"burst 2, another channel", 0, "D2", 0},
		{"workspace bucket empty", 0, "D3", 100 * time.Millisecond},
		{"still empty: nothing was booked", 0, "D3", 100 * time.Millisecond},
		{"one refilled", 100 * time.Millisecond, "D3", 0},
		{"same channel within a second", 200 * time.Millisecond, "D1", 700 * time.Millisecond},
		{"refilled", 2 * time.Second, "D4", 0},
		{"channel refilled", 0, "D1", 0},
	}
	for _, s := range steps {
		clk.t = clk.t.Add(s.advance)
		if got := post(s.channel); got != s.want {
			t.Errorf("%s: reserve(%s) = %v, want %v", s.name, s.channel, got, s.want)
		}
	}
	if got := l.take([][2]string{{"unknown.method"}}); got != 0 {
		t.Errorf("take(unknown method) = %v, want 0", got)
	}
}

// After a stall (nobody could call for a while, say a slow disk held every
// sender), no more than the burst goes at once: nothing was booked ahead,
// so nothing is owed.
func TestLimiterStallIsNoBurst(t *testing.T) {
	clk := &fakeNow{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	l := NewLimiter(map[string]Rate{LimitPost: {PerSecond: 100, Burst: 3}}, clk.now)
	for range 50 { // steady: one every 10 ms
		for l.take([][2]string{{LimitPost}}) != 0 {
			clk.t = clk.t.Add(time.Millisecond)
		}
	}
	clk.t = clk.t.Add(2 * time.Second) // the stall
	now := 0
	for l.take([][2]string{{LimitPost}}) == 0 {
		now++
	}
	if now != 3 {
		t.Errorf("after a stall %d calls went at once, want the burst of 3", now)
	}
}

func TestLimiterBlockAfter429(t *testing.T) {
	clk := &fakeNow{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	l := NewLimiter(DefaultLimits(), clk.now)
	l.Block(LimitPost, 30*time.Second)
	l.Block(LimitPost, 5*time.Second) // a shorter block never shortens a longer one
	if got := l.take([][2]string{{LimitPost}, {LimitPerChannel, "D1"}}); got != 30*time.Second {
		t.Errorf("take after a 429 = %v, want 30s", got)
	}
	if got := l.take([][2]string{{LimitHistory}}); got != 0 {
		t.Errorf("take of another method = %v, want 0", got)
	}
	clk.t = clk.t.Add(31 * time.Second)
	if got := l.take([][2]string{{LimitPost}, {LimitPerChannel, "D2"}}); got != 0 {
		t.Errorf("take after the block = %v, want 0", got)
	}
}

func TestLimiterWaitHonoursContext(t *testing.T) {
	clk := &fakeNow{t: time.Now()}
	l := NewLimiter(map[string]Rate{LimitPost: {PerSecond: 0.001, Burst: 1}}, clk.now)
	if err := l.Wait(t.Context(), [2]string{LimitPost}); err != nil {
		t.Fatalf("first wait = %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := l.Wait(ctx, [2]string{LimitPost}); err == nil {
		t.Error("wait with a cancelled ctx and an empty bucket = nil, want ctx.Err()")
	}
}
