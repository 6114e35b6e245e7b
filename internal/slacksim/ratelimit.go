package slacksim

import (
	"time"
)

// RateLimit is a token bucket: PerMinute tokens refill evenly over a minute, up to Burst.
type RateLimit struct {
	PerMinute float64
	Burst     int
}

// TierLimits returns Slack's documented rates for the methods slacksim serves
// (slack-protocol.md 2.2/2.3); chat.postMessage is 1/s per channel with a small burst.
// Pass it (or a modified copy) as Options.RateLimits.
func TierLimits() map[string]RateLimit {
	t2, t3, t4 := RateLimit{20, 20}, RateLimit{50, 50}, RateLimit{100, 100}
	return map[string]RateLimit{
		"auth.test": {600, 600}, "apps.connections.open": {1, 1},
		"chat.postMessage": {60, 3}, "chat.update": t3, "chat.postEphemeral": t4, "chat.delete": t3,
		"conversations.open": t3, "conversations.info": t3, "conversations.join": t3,
		"conversations.history": t3, "conversations.members": t4,
		"users.info": t4, "users.list": t2, "users.lookupByEmail": t3,
		"views.open": t4, "views.publish": t4, "views.update": t4, "views.push": t4,
		"files.getUploadURLExternal": t4, "files.completeUploadExternal": t4,
	}
}

type bucket struct {
	tokens float64
	last   time.Time
}

// limiter holds one bucket per (method, token[, channel]). Guarded by Server.mu.
type limiter struct {
	limits  map[string]RateLimit
	buckets map[string]*bucket
}

func newLimiter(l map[string]RateLimit) *limiter {
	return &limiter{limits: l, buckets: map[string]*bucket{}}
}

// take spends a token; when empty it returns how long until one is back.
func (l *limiter) take(key string, rl RateLimit, now time.Time) (time.Duration, bool) {
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(max(rl.Burst, 1)), last: now}
		l.buckets[key] = b
	}
	perSec := rl.PerMinute / 60
	b.tokens = min(float64(max(rl.Burst, 1)), b.tokens+now.Sub(b.last).Seconds()*perSec)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return 0, false
	}
	if perSec <= 0 {
		return time.Minute, true
	}
	return time.Duration((1 - b.tokens) / perSec * float64(time.Second)), true
}

// rateLimit applies Options.RateLimits; chat.postMessage is keyed per channel.
func (s *Server) rateLimit(r *apiReq) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.limiter == nil {
		return 0, false
	}
	rl, ok := s.st.limiter.limits[r.method]
	if !ok {
		return 0, false
	}
	key := r.method + "|" + r.token
	if r.method == "chat.postMessage" {
		key += "|" + s.st.channelKey(r.str("channel"))
	}
	wait, limited := s.st.limiter.take(key, rl, time.Now())
	if limited {
		s.st.limited[r.method]++
		s.st.emit(Event{Kind: EventRateLimited, Method: r.method})
	}
	return wait, limited
}

// RateLimited returns how many calls of method the rate limiter answered with 429
// (injected faults not included).
func (s *Server) RateLimited(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.limited[method]
}

// channelKey names a channel for per-channel limits: a DM is the same bucket whether
// addressed by its D id or by the user's U id. Caller holds mu.
func (st *state) channelKey(id string) string {
	if c, ok := st.channels[id]; ok && c.IsIM {
		return "im:" + c.User
	}
	if _, ok := st.users[id]; ok {
		return "im:" + id
	}
	return id
}
