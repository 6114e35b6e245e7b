package campaign_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// oneMorning starts the in-process bot for one director with a daily 09:00
// prompt, the clock at 08:59:58 in Amsterdam, and returns the key due.
func oneMorning(t *testing.T, opts slacksim.Options) (*inproc, *campaign.Clock, coach.OccurrenceKey) {
	t.Helper()
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	due := time.Date(2026, 12, 1, 9, 0, 0, 0, ams)
	clock := campaign.NewClock(due.Add(-2*time.Second), 1)
	sched := coach.Schedule{ID: "s1", Habit: coach.Gemba, When: "daily 09:00", ToAll: true}
	p := newInProc(t, opts, 1, []coach.Schedule{sched}, withClock(clock))
	p.waitPlanned(t, 1) // planned before the clock reaches 09:00
	return p, clock, coach.NewOccurrenceKey("s1", p.ws.Directors[0], "2026-12-01")
}

// waitState waits until the occurrence reaches a final send state.
func (p *inproc) waitState(t *testing.T, k coach.OccurrenceKey, d time.Duration) coach.Occurrence {
	t.Helper()
	var o coach.Occurrence
	deadline := waitCtx(t, d)
	tick := time.NewTicker(20 * time.Millisecond) // the store has no change feed: poll it
	defer tick.Stop()
	for {
		var err error
		o, err = p.bot.DB.Occurrence(context.Background(), k)
		if err == nil && (o.State == coach.Sent || o.State == coach.Failed || o.State == coach.Missed) {
			return o
		}
		select {
		case <-tick.C:
		case <-deadline.Done():
			t.Fatalf("%s still %q after %v", k, o.State, d)
		}
	}
}

// webAPIFault is one Web API failure case on chat.postMessage.
type webAPIFault struct {
	name    string
	faults  []slacksim.Fault
	want    coach.SendState
	posts   int           // chat.postMessage calls, exactly
	minWait time.Duration // between the first and the last post
}

// ratelimitedBody: ok:false "ratelimited" carries no Retry-After, so the
// Poster waits its 30 s fallback (run among the waiting scenarios).
var ratelimitedBody = webAPIFault{"ratelimited_200_body", []slacksim.Fault{{Error: "ratelimited"}}, coach.Sent, 2, 30 * time.Second}

// C1–C4: each kind of Web API failure on chat.postMessage. Permanent errors
// give a Failed record after exactly one call (no hot loop); rate limits
// wait at least Retry-After; an unclear outcome (5xx after processing, a
// hang past the deadline) is reconciled before any resend, so the prompt
// arrives exactly once.
func TestWebAPIFaults(t *testing.T) {
	tests := []webAPIFault{
		{"429_retry_after_2s", []slacksim.Fault{{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second}}, coach.Sent, 2, 2 * time.Second},
		{"502_after_processing", []slacksim.Fault{{Status: http.StatusBadGateway, AfterProcessing: true}}, coach.Sent, 1, 0},
		{"500_before_processing", []slacksim.Fault{{Status: http.StatusInternalServerError}}, coach.Sent, 2, 0},
		{"hang", []slacksim.Fault{{Hang: true}}, coach.Sent, 2, 0},
		{"channel_not_found", []slacksim.Fault{{Error: "channel_not_found"}}, coach.Failed, 1, 0},
		{"user_not_found", []slacksim.Fault{{Error: "user_not_found"}}, coach.Failed, 1, 0},
		{"account_inactive", []slacksim.Fault{{Error: "account_inactive"}}, coach.Failed, 1, 0},
		{"is_archived", []slacksim.Fault{{Error: "is_archived"}}, coach.Failed, 1, 0},
		{"not_in_channel", []slacksim.Fault{{Error: "not_in_channel"}}, coach.Failed, 1, 0},
		{"invalid_blocks", []slacksim.Fault{{Error: "invalid_blocks"}}, coach.Failed, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t)
		})
	}
}

func (tt webAPIFault) run(t *testing.T) {
	p, clock, k := oneMorning(t, slacksim.Options{})
	for _, f := range tt.faults {
		p.sim.FailNext("chat.postMessage", 1, f)
	}
	clock.Set(clock.Now().Add(3 * time.Second))
	p.bot.Loop.Poke()
	o := p.waitState(t, k, tt.minWait+30*time.Second)
	if o.State != tt.want {
		t.Errorf("%s: state %s (reason %q), want %s", k, o.State, o.FailReason, tt.want)
	}
	posts := p.sim.CallsTo("chat.postMessage")
	if len(posts) != tt.posts {
		t.Errorf("chat.postMessage called %d times, want %d", len(posts), tt.posts)
	}
	if len(posts) >= 2 {
		if gap := posts[len(posts)-1].Time.Sub(posts[0].Time); gap < tt.minWait-50*time.Millisecond {
			t.Errorf("retried after %v, want ≥ %v (Retry-After)", gap, tt.minWait)
		}
	}
	want := campaign.WantSent
	if tt.want == coach.Failed {
		want = campaign.WantFailed
	}
	rep := p.check(t, campaign.Expect{Due: []campaign.Due{{Key: k, Want: want}}, StrictPrompts: true})
	t.Logf("FIGURE C %s: %s after %d post(s), %d history call(s); %s", tt.name, o.State, len(posts),
		len(p.sim.CallsTo("conversations.history")), rep)
}

// C4: a revoked token fails every call. The bot must not hammer Slack: as
// the binary (TestWebAPIBotTokenRefused), it stops within ten seconds with
// Slack's refusal, having made few calls. (In TestWaitingScenarios.)
func webAPITokenRevoked(t *testing.T, code string) {
	p, clock, k := oneMorning(t, slacksim.Options{})
	for _, m := range []string{"chat.postMessage", "conversations.history", "conversations.open"} {
		p.sim.FailNext(m, 10_000, slacksim.Fault{Error: code})
	}
	clock.Set(clock.Now().Add(3 * time.Second))
	p.bot.Loop.Poke()
	start := time.Now()
	select {
	case <-p.bot.Done():
	case <-waitCtx(t, 10*time.Second).Done():
		t.Errorf("bot still running 10 s after Slack refused its token (%s)", code)
	}
	took := time.Since(start)
	calls := len(p.sim.Calls())
	if calls > 30 {
		t.Errorf("%d Web API calls with a revoked token, want a bounded retry (≤ 30)", calls)
	}
	o, _ := p.bot.DB.Occurrence(context.Background(), k)
	err := p.bot.Stop()
	p.bot = nil
	if auth, ok := errors.AsType[*bot.AuthError](err); !ok || auth.Code != code {
		t.Errorf("Stop() = %v, want the *bot.AuthError %s", err, code)
	}
	p.check(t, campaign.Expect{})
	t.Logf("FIGURE C4 %s: stopped after %v, %d calls; occurrence %s", code, took.Round(time.Millisecond), calls, o.State)
}

// pauseT waits d on a timer: a scenario letting the bot run, not a sync.
func pauseT(t *testing.T, d time.Duration) {
	t.Helper()
	<-waitCtx(t, d).Done()
}
