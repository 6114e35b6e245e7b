package slacksim_test

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/slacksim"
)

// limitedSim is a simulator with limits l (nil: the default) on a fake clock.
func limitedSim(t *testing.T, l slacksim.Limits) (*slacksim.Server, *clock) {
	t.Helper()
	s := newSim(t, func(o *slacksim.Options) { o.RateLimits = l })
	c := newClock()
	s.SetRateClock(c.Now)
	return s, c
}

// status calls method with form and returns the HTTP status and the
// Retry-After header.
func status(t *testing.T, s *slacksim.Server, method string, form url.Values) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.APIURL()+method, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	tok := s.BotToken()
	if method == "apps.connections.open" {
		tok = s.AppToken()
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", method, err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Retry-After")
}

// retryAfter is the Retry-After Slack gives for a bucket of perMinute that
// has just run dry: whole seconds until the next token.
func retryAfter(perMinute float64) string {
	return strconv.Itoa(int(math.Ceil(60 / perMinute)))
}

// tierForm names one channel and one user, whatever the method takes.
func tierForm() url.Values {
	return url.Values{"channel": {"C1"}, "user_id": {"U1"}, "user": {"U1"}, "text": {"x"}, "ts": {"1.2"}}
}

// eachLimit runs fn for every limit of TierLimits, on a simulator with only
// that limit.
func eachLimit(t *testing.T, fn func(t *testing.T, s *slacksim.Server, clk *clock, method string, rl slacksim.RateLimit)) {
	for method, rls := range slacksim.TierLimits() {
		for _, rl := range rls {
			t.Run(method+"/"+string(rl.Per), func(t *testing.T) {
				s, clk := limitedSim(t, slacksim.Limits{method: {rl}})
				fn(t, s, clk, method, rl)
			})
		}
	}
}

// burst makes n calls at once and fails on a 429.
func burst(t *testing.T, s *slacksim.Server, method string, n int) {
	t.Helper()
	for i := range n {
		if code, _ := status(t, s, method, tierForm()); code == http.StatusTooManyRequests {
			t.Fatalf("call %d of a burst of %d = 429, want it within the limit", i+1, n)
		}
	}
}

// TestTierBurstIsLimited: for every limit, a burst above it gets 429 with
// the Retry-After of its rate, and waiting that long lets the next call
// through.
func TestTierBurstIsLimited(t *testing.T) {
	eachLimit(t, func(t *testing.T, s *slacksim.Server, clk *clock, method string, rl slacksim.RateLimit) {
		burst(t, s, method, rl.Burst)
		code, after := status(t, s, method, tierForm())
		if code != http.StatusTooManyRequests || after != retryAfter(rl.PerMinute) {
			t.Fatalf("call %d at once = %d with Retry-After %q, want 429 with %q",
				rl.Burst+1, code, after, retryAfter(rl.PerMinute))
		}
		if n := s.RateLimited(method); n != 1 {
			t.Errorf("RateLimited(%s) = %d, want 1", method, n)
		}
		secs, _ := strconv.Atoi(after)
		clk.Advance(time.Duration(secs) * time.Second)
		if code, _ := status(t, s, method, tierForm()); code == http.StatusTooManyRequests {
			t.Errorf("call after waiting Retry-After = 429")
		}
	})
}

// TestTierPaceIsNeverLimited: for every limit, once its burst is spent,
// calls at its rate never get 429.
func TestTierPaceIsNeverLimited(t *testing.T) {
	eachLimit(t, func(t *testing.T, s *slacksim.Server, clk *clock, method string, rl slacksim.RateLimit) {
		burst(t, s, method, rl.Burst)
		// The rate's interval, rounded up to the millisecond.
		interval := (time.Duration(float64(time.Minute)/rl.PerMinute) + time.Millisecond).Truncate(time.Millisecond)
		for i := range 20 {
			clk.Advance(interval)
			if code, _ := status(t, s, method, tierForm()); code == http.StatusTooManyRequests {
				t.Fatalf("call %d after the burst, one every %v = 429", i+1, interval)
			}
		}
	})
}

// TestPostMessagePerChannel: chat.postMessage is limited per channel (a DM
// by its D id and by its user's U id is one channel), one a second with a
// burst of 3; other channels are not held back.
func TestPostMessagePerChannel(t *testing.T) {
	s, clk := limitedSim(t, slacksim.TierLimits())
	post := func(ch string) int {
		code, _ := status(t, s, "chat.postMessage", url.Values{"channel": {ch}, "text": {"x"}})
		return code
	}
	for i := range 3 {
		if code := post("U1"); code != http.StatusOK {
			t.Fatalf("post %d to U1 = %d", i+1, code)
		}
	}
	if code := post(s.DMChannel("U1")); code != http.StatusTooManyRequests {
		t.Errorf("4th post to U1's DM (by its D id) = %d, want 429", code)
	}
	if code := post("U2"); code != http.StatusOK {
		t.Errorf("post to U2 = %d, want 200 (its own channel)", code)
	}
	clk.Advance(time.Second)
	if code := post("U1"); code != http.StatusOK {
		t.Errorf("post to U1 a second later = %d, want 200", code)
	}
}

// TestPostAllowance: a workspace-wide chat.postMessage allowance holds back
// posts to many channels; paced at the allowance they all go out.
func TestPostAllowance(t *testing.T) {
	s, clk := limitedSim(t, slacksim.TierLimits().WithPostAllowance(10, 2))
	post := func(i int) (int, string) {
		return status(t, s, "chat.postMessage", url.Values{"channel": {fmt.Sprintf("C%d", i)}, "text": {"x"}}) // a channel each
	}
	post(-1)
	post(-2)
	if code, after := post(-3); code != http.StatusTooManyRequests || after != "1" {
		t.Errorf("3rd post at once = %d, Retry-After %q; want 429, 1", code, after)
	}
	for i := range 100 {
		clk.Advance(100 * time.Millisecond)
		if code, _ := post(i); code != http.StatusOK {
			t.Fatalf("post %d at 10/s = %d, want 200", i, code)
		}
	}
}

// TestViewsPublishPerUser: views.publish is limited per user as well as per
// workspace: one user's Home refreshed too often is held back, others' not.
func TestViewsPublishPerUser(t *testing.T) {
	s, _ := limitedSim(t, slacksim.TierLimits())
	view := `{"type":"home","blocks":[]}`
	publish := func(user string) int {
		code, _ := status(t, s, "views.publish", url.Values{"user_id": {user}, "view": {view}})
		return code
	}
	for i := range 10 {
		if code := publish("U1"); code != http.StatusOK {
			t.Fatalf("publish %d for U1 = %d", i+1, code)
		}
	}
	if code := publish("U1"); code != http.StatusTooManyRequests {
		t.Errorf("11th publish for U1 at once = %d, want 429", code)
	}
	if code := publish("U2"); code != http.StatusOK {
		t.Errorf("publish for U2 = %d, want 200", code)
	}
}

// TestRateLimitsSwitch: the tiers are on unless a server turns them off.
func TestRateLimitsSwitch(t *testing.T) {
	for _, tt := range []struct {
		name    string
		limits  slacksim.Limits
		limited bool
	}{
		{"default", nil, true},
		{"off", slacksim.Limits{}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := limitedSim(t, tt.limits)
			got := false
			for range 21 { // users.list is Tier 2: 20 a minute
				code, _ := status(t, s, "users.list", nil)
				got = got || code == http.StatusTooManyRequests
			}
			if got != tt.limited {
				t.Errorf("21 users.list at once: limited %v, want %v", got, tt.limited)
			}
		})
	}
}

// TestResponseURLHasNoTier: a response_url is not a Web API method: posting
// to many of them at once is never 429 (each is good for 5 uses).
func TestResponseURLHasNoTier(t *testing.T) {
	s, _ := limitedSim(t, slacksim.TierLimits().WithPostAllowance(1, 1))
	for i := range 20 {
		u := s.MintResponseURL("U1", s.DMChannel("U1"))
		resp, err := http.Post(u, "application/json", strings.NewReader(`{"text":"x"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("post %d to a response_url = %d, want 200", i+1, resp.StatusCode)
		}
	}
}

// TestFaultsAndRateLimits: a fault that preempts the method answers the call
// whatever the rate and spends no token; a fault that strikes after
// processing waits for a call the rate limits let through.
func TestFaultsAndRateLimits(t *testing.T) {
	s, clk := limitedSim(t, slacksim.Limits{"chat.postMessage": {{PerMinute: 60, Burst: 1}}})
	post := func() int {
		code, _ := status(t, s, "chat.postMessage", url.Values{"channel": {"U1"}, "text": {"x"}})
		return code
	}
	s.FailNext("chat.postMessage", 1, slacksim.Fault{Status: 500})
	if code := post(); code != 500 {
		t.Fatalf("post meeting a 500 fault = %d", code)
	}
	if code := post(); code != http.StatusOK {
		t.Fatalf("post after the fault = %d, want 200 (the fault spent no token)", code)
	}
	s.FailNext("chat.postMessage", 1, slacksim.Fault{Status: 503, AfterProcessing: true})
	if code := post(); code != http.StatusTooManyRequests {
		t.Fatalf("post over the rate = %d, want 429", code)
	}
	clk.Advance(time.Second)
	if code := post(); code != 503 {
		t.Errorf("next post within the rate = %d, want the 503 that waited for it", code)
	}
	if n := len(s.Messages(s.DMChannel("U1"))); n != 2 {
		t.Errorf("messages = %d, want 2 (the first post and the one processed before its 503)", n)
	}
}
