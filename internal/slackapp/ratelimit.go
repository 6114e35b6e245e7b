package slackapp

import (
	"context"
	"sync"
	"time"

	"github.com/leancoach/leancoach/internal/wait"
)

// Rate is a token bucket: PerSecond tokens refill evenly, up to Burst.
type Rate struct {
	PerSecond float64
	Burst     int
}

// Limit keys of the Poster's limiter: a Web API method name is its
// workspace-wide rate; PerChannel is chat.postMessage's rate in one channel.
const (
	LimitPost       = "chat.postMessage"
	LimitPerChannel = "chat.postMessage/channel"
	LimitOpen       = "conversations.open"
	LimitHistory    = "conversations.history"
)

// DefaultLimits are Slack's published rates for the methods the Poster
// calls (slack-protocol.md 2.3), kept just below them so that steady state
// never sees a 429. chat.postMessage is "one message per second per channel"
// plus an unpublished workspace-wide limit, for which 1/s is the
// conservative figure of reliability.md 3.4; raise it when the workspace
// allows more.
func DefaultLimits() map[string]Rate {
	return map[string]Rate{
		LimitPost:       {PerSecond: 1, Burst: 3},
		LimitPerChannel: {PerSecond: 1, Burst: 1},
		LimitOpen:       {PerSecond: 45.0 / 60, Burst: 5},
		LimitHistory:    {PerSecond: 45.0 / 60, Burst: 5},
	}
}

// limiter paces Web API calls ahead of time, per key, and holds a key back
// after Slack answered 429 for it. It never blocks a caller beyond its ctx,
// and it is only used from the goroutines of the sender (the due-loop and
// /coach send handlers), never from the Socket Mode reader.
type limiter struct {
	rates map[string]Rate
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*tokenBucket // keyed by limit key, or "key|channel"
	blocked map[string]time.Time    // limit key -> no calls before this
}

type tokenBucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rates map[string]Rate, now func() time.Time) *limiter {
	return &limiter{rates: rates, now: now, buckets: map[string]*tokenBucket{}, blocked: map[string]time.Time{}}
}

// wait takes one token from each of the given buckets (a limit key, with an
// optional sub-key such as the channel) and sleeps until all of them allow
// the call, or ctx is done. Keys without a configured rate are free.
func (l *limiter) wait(ctx context.Context, keys ...[2]string) error {
	return wait.For(ctx, l.reserve(keys))
}

// reserve takes the tokens now (going into debt if need be) and returns how
// long the caller must wait before using them: the debt repaid at the rate,
// or a 429 block, whichever is later.
func (l *limiter) reserve(keys [][2]string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	for _, k := range keys {
		if until, ok := l.blocked[k[0]]; ok && until.After(now) {
			wait = max(wait, until.Sub(now))
		}
		r, ok := l.rates[k[0]]
		if !ok || r.PerSecond <= 0 {
			continue
		}
		id := k[0] + "|" + k[1]
		b, ok := l.buckets[id]
		if !ok {
			b = &tokenBucket{tokens: float64(max(r.Burst, 1)), last: now}
			l.buckets[id] = b
		}
		b.tokens = min(float64(max(r.Burst, 1)), b.tokens+now.Sub(b.last).Seconds()*r.PerSecond)
		b.last = now
		b.tokens--
		if b.tokens < 0 {
			wait = max(wait, time.Duration(-b.tokens/r.PerSecond*float64(time.Second)))
		}
	}
	l.forgetIdle(now)
	return wait
}

// forgetIdle drops full per-channel buckets so that the map stays as small
// as the set of recently used channels. Caller holds mu.
func (l *limiter) forgetIdle(now time.Time) {
	if len(l.buckets) < 4096 {
		return
	}
	for id, b := range l.buckets {
		if now.Sub(b.last) > time.Minute {
			delete(l.buckets, id)
		}
	}
}

// block holds every call of key back for d: Slack answered 429 with
// Retry-After d, and "continuing to send after being rate limited risks the
// app being disabled".
func (l *limiter) block(key string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	until := l.now().Add(d)
	if until.After(l.blocked[key]) {
		l.blocked[key] = until
	}
}
