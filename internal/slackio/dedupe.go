package slackio

import (
	"sync"
	"time"
)

// dedupe remembers keys for a while. It is a speed-up against redeliveries,
// not the source of correctness: answers are idempotent by their business
// key (the occurrence) in the store.
type dedupe struct {
	mu    sync.Mutex
	now   func() time.Time
	ttl   time.Duration
	max   int
	at    map[string]time.Time
	order []stamp // insertion order, oldest first, for eviction
}

type stamp struct {
	key string
	at  time.Time
}

// newDedupe remembers keys for ttl on the clock now, at most max of them.
func newDedupe(ttl time.Duration, max int, now func() time.Time) *dedupe {
	return &dedupe{now: now, ttl: ttl, max: max, at: map[string]time.Time{}}
}

// seen records key and reports whether it was already recorded within the TTL.
func (d *dedupe) seen(key string) bool {
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if t, ok := d.at[key]; ok && now.Sub(t) < d.ttl {
		return true
	}
	d.at[key] = now
	d.order = append(d.order, stamp{key, now})
	for len(d.order) > 0 && (len(d.at) > d.max || now.Sub(d.order[0].at) >= d.ttl) {
		old := d.order[0]
		d.order = d.order[1:]
		if d.at[old.key].Equal(old.at) { // not re-recorded since
			delete(d.at, old.key)
		}
	}
	return false
}
