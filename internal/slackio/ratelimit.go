package slackio

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

// Limit keys of the Poster's Limiter: a Web API method name is its
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

// Limiter paces Web API calls ahead of time, per key, and holds a key back
// after Slack answered 429 for it. It never blocks a caller beyond its ctx,
// and it is only used from the goroutines of senders (the due-loop, /coach
// send handlers, bulk sends), never from the Socket Mode reader.
//
// A call takes its tokens only when they are there: no caller books a slot
// ahead. A limiter that booked slots (going into debt) would, after a stall
// (a slow disk, a pause of the process), let every booked caller go at once
// and then the bucket's refill too, a burst above Slack's, which answers it
// with 429s that hold every post back for a whole second each.
type Limiter struct {
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

// NewLimiter paces calls at rates by limit key, on the clock now.
func NewLimiter(rates map[string]Rate, now func() time.Time) *Limiter {
	return &Limiter{rates: rates, now: now, buckets: map[string]*tokenBucket{}, blocked: map[string]time.Time{}}
}

// Wait takes one token from each of the given buckets (a limit key, with an
// optional sub-key such as the channel) once all of them hold one, sleeping
// meanwhile, or returns ctx's error. Keys without a configured rate are
// free.
func (l *Limiter) Wait(ctx context.Context, keys ...[2]string) error {
	for {
		d := l.take(keys)
		if d == 0 {
			return nil
		}
		if err := wait.For(ctx, d); err != nil {
			return err
		}
	}
}

// take takes a token from each bucket of keys if every one holds one (and
// none is blocked after a 429), and returns 0; otherwise it takes nothing
// and returns how long until they may: the longest refill or block.
func (l *Limiter) take(keys [][2]string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	wait, bs := l.ready(keys, now, 1)
	if wait > 0 {
		return wait
	}
	for _, b := range bs {
		b.tokens--
	}
	l.forgetIdle(now)
	return 0
}

// reserve takes the tokens now, going into debt if need be, and returns how
// long the caller must wait before using them: the debt repaid at the rate,
// or a 429 block, whichever is later. Only the reconnect brake books ahead
// like this (one socket reconnects at a time, so no booked slots pile up);
// senders use wait.
func (l *Limiter) reserve(keys [][2]string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range keys {
		if r, ok := l.rates[k[0]]; ok && r.PerSecond > 0 {
			l.refilled(k, r, now).tokens--
		}
	}
	wait, _ := l.ready(keys, now, 0)
	l.forgetIdle(now)
	return wait
}

// ready returns the buckets of keys, refilled up to now, and how long
// until each holds at least need tokens and no key is blocked. Caller holds
// mu.
func (l *Limiter) ready(keys [][2]string, now time.Time, need float64) (time.Duration, []*tokenBucket) {
	var wait time.Duration
	bs := make([]*tokenBucket, 0, len(keys))
	for _, k := range keys {
		if until, ok := l.blocked[k[0]]; ok && until.After(now) {
			wait = max(wait, until.Sub(now))
		}
		r, ok := l.rates[k[0]]
		if !ok || r.PerSecond <= 0 {
			continue
		}
		b := l.refilled(k, r, now)
		if b.tokens < need {
			wait = max(wait, time.Duration((need-b.tokens)/r.PerSecond*float64(time.Second)))
		}
		bs = append(bs, b)
	}
	return wait, bs
}

// refilled returns the bucket of key k brought up to now. Caller holds mu.
func (l *Limiter) refilled(k [2]string, r Rate, now time.Time) *tokenBucket {
	id := k[0] + "|" + k[1]
	b, ok := l.buckets[id]
	if !ok {
		b = &tokenBucket{tokens: float64(max(r.Burst, 1)), last: now}
		l.buckets[id] = b
	}
	b.tokens = min(float64(max(r.Burst, 1)), b.tokens+now.Sub(b.last).Seconds()*r.PerSecond)
	b.last = now
	return b
}

// forgetIdle drops full per-channel buckets so that the map stays as small
// as the set of recently used channels. Caller holds mu.
func (l *Limiter) forgetIdle(now time.Time) {
	if len(l.buckets) < 4096 {
		return
	}
	for id, b := range l.buckets {
		if now.Sub(b.last) > time.Minute {
			delete(l.buckets, id)
		}
	}
}

// Block holds every call of key back for d: Slack answered 429 with
// Retry-After d, and "continuing to send after being rate limited risks the
// app being disabled".
func (l *Limiter) Block(key string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	until := l.now().Add(d)
	if until.After(l.blocked[key]) {
		l.blocked[key] = until
	}
}
