package slacksim

import (
	"slices"
	"time"
)

// RateLimit is a token bucket: PerMinute tokens refill evenly over a minute,
// up to Burst. Per says what one bucket covers.
type RateLimit struct {
	PerMinute float64
	Burst     int
	Per       Scope
}

// Scope is what one bucket of a RateLimit covers. Every bucket is also per
// app token, which in slacksim is per app per workspace, as Slack counts.
type Scope string

const (
	PerWorkspace Scope = ""        // one bucket for the method (Slack's tiers)
	PerChannel   Scope = "channel" // one per channel argument; a DM by D or U id is one channel
	PerUser      Scope = "user"    // one per user_id argument
)

// Limits maps a Web API method to its rate limits; a call must fit in every
// one of them, and spends a token of each only when it fits in all. Methods
// not in the map are not limited; response_url posts never are (Slack limits
// them to 5 uses per URL instead, which slacksim always enforces).
type Limits map[string][]RateLimit

// Tier returns the limit of Slack's Web API tier n (1 to 4): "1+, 20+, 50+
// and 100+ per minute" with bursts tolerated (slack-protocol.md 2.3,
// docs.slack.dev "Rate limits"). A bucket of N a minute that holds N allows
// a burst of N, then one call every 60/N s. Any other n gets Tier 1.
func Tier(n int) RateLimit {
	perMinute := map[int]float64{2: 20, 3: 50, 4: 100}[n]
	if perMinute == 0 {
		perMinute = 1
	}
	return RateLimit{PerMinute: perMinute, Burst: int(perMinute)}
}

// TierLimits returns Slack's published limits for the methods slacksim
// serves, per method per workspace:
//   - Tier 1: apps.connections.open, 1 a minute with a burst of 10: Slack
//     "tolerates a small amount of burst" and lets an app hold 10 Socket
//     Mode connections, which it must be able to open;
//   - Tier 2: users.list;
//   - Tier 3: chat.update, chat.delete, conversations.open, .info, .join and
//     .history (the Tier 1 that Slack gave new non-Marketplace apps'
//     conversations.history in 2025 does not apply to an app built by the
//     workspace for itself, which is what a leancoach install is),
//     users.lookupByEmail;
//   - Tier 4: chat.postEphemeral, conversations.members, users.info, views.*,
//     files.*;
//   - special: auth.test (600 a minute); chat.postMessage, one a second per
//     channel with a burst of 3. Its workspace-wide limit is not published:
//     add one with WithPostAllowance;
//   - views.publish is also limited per user: 10 a minute. Slack does not
//     publish that figure; it stands for "publish a user's Home when it
//     changes, not on every event", and can be changed like any other.
//
// A Server uses it unless Options.RateLimits says otherwise.
func TierLimits() Limits {
	l := Limits{
		"auth.test":             {{PerMinute: 600, Burst: 600}},
		"apps.connections.open": {{PerMinute: 1, Burst: 10}},
		"chat.postMessage":      {{PerMinute: 60, Burst: 3, Per: PerChannel}},
		"views.publish":         {Tier(4), {PerMinute: 10, Burst: 10, Per: PerUser}},
	}
	for tier, methods := range map[int][]string{
		2: {"users.list"},
		3: {"chat.update", "chat.delete", "conversations.open", "conversations.info",
			"conversations.join", "conversations.history", "users.lookupByEmail"},
		4: {"chat.postEphemeral", "conversations.members", "users.info", "views.open",
			"views.update", "views.push", "files.getUploadURLExternal", "files.completeUploadExternal"},
	} {
		for _, m := range methods {
			l[m] = []RateLimit{Tier(tier)}
		}
	}
	return l
}

// WithPostAllowance adds a workspace-wide chat.postMessage limit of perSecond
// with the given burst to l (Slack has one but does not say how large; a
// load test chooses it) and returns l.
func (l Limits) WithPostAllowance(perSecond float64, burst int) Limits {
	l["chat.postMessage"] = append(l["chat.postMessage"], RateLimit{PerMinute: perSecond * 60, Burst: burst})
	return l
}

// Without returns a copy of l without the limits of methods: for a test
// that goes faster than Slack allows on purpose (say why beside the call).
func (l Limits) Without(methods ...string) Limits {
	out := make(Limits, len(l))
	for m, rls := range l {
		if !slices.Contains(methods, m) {
			out[m] = slices.Clone(rls)
		}
	}
	return out
}

type bucket struct {
	tokens float64
	last   time.Time
}

// limiter holds one bucket per (method, limit, token[, channel or user]).
// Guarded by Server.mu.
type limiter struct {
	limits  Limits
	buckets map[string]*bucket
}

func newLimiter(l Limits) *limiter {
	return &limiter{limits: l, buckets: map[string]*bucket{}}
}

// refill brings the bucket at key up to now and returns it.
func (l *limiter) refill(key string, rl RateLimit, now time.Time) *bucket {
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(max(rl.Burst, 1)), last: now}
		l.buckets[key] = b
	}
	b.tokens = min(float64(max(rl.Burst, 1)), b.tokens+now.Sub(b.last).Seconds()*rl.PerMinute/60)
	b.last = now
	return b
}

// wait is how long until b holds a token again (0 when it holds one).
func wait(b *bucket, rl RateLimit) time.Duration {
	if b.tokens >= 1 {
		return 0
	}
	if rl.PerMinute <= 0 {
		return time.Minute
	}
	return time.Duration((1 - b.tokens) / (rl.PerMinute / 60) * float64(time.Second))
}

// rateLimit applies Options.RateLimits: it spends a token of each of the
// call's buckets, or none and returns how long until all of them allow it.
// Caller holds mu.
func (s *Server) rateLimit(r *apiReq) time.Duration {
	if s.st.limiter == nil {
		return 0
	}
	rls := s.st.limiter.limits[r.method]
	now := s.st.rateNow()
	buckets := make([]*bucket, len(rls))
	var longest time.Duration
	for i, rl := range rls {
		buckets[i] = s.st.limiter.refill(s.st.bucketKey(r, i, rl.Per), rl, now)
		longest = max(longest, wait(buckets[i], rl))
	}
	if longest > 0 {
		s.st.limited[r.method]++
		s.st.emit(Event{Kind: EventRateLimited, Method: r.method})
		return longest
	}
	for _, b := range buckets {
		b.tokens--
	}
	return 0
}

// bucketKey names the bucket of the call's i-th limit. Caller holds mu.
func (st *state) bucketKey(r *apiReq, i int, per Scope) string {
	k := r.method + "|" + itoa(i) + "|" + r.token
	switch per {
	case PerChannel:
		k += "|" + st.channelKey(r.str("channel"))
	case PerUser:
		k += "|" + r.str("user_id")
	}
	return k
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
