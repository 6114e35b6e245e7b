package sandbox

import (
	"sync"
	"time"
)

// Clock is the sandbox's time: the wall clock plus an offset that only grows,
// so a visitor can jump ahead a day and watch the bot's scheduling code see
// "tomorrow" exactly as it would in production. It implements coach.Clock,
// and bot sandbox gives the same clock to the local Slack, which stamps its
// messages with it.
//
// Invariant: the offset never decreases, so the sandbox time never runs
// backwards.
type Clock struct {
	wall func() time.Time

	mu     sync.Mutex
	offset time.Duration // guarded by mu
}

// NewClock returns a Clock reading wall (nil means time.Now) with no offset.
func NewClock(wall func() time.Time) *Clock {
	if wall == nil {
		wall = time.Now
	}
	return &Clock{wall: wall}
}

// Now is the sandbox time.
func (c *Clock) Now() time.Time {
	w := c.wall()
	c.mu.Lock()
	defer c.mu.Unlock()
	return w.Add(c.offset)
}

// Offset is how far the sandbox time is ahead of the wall clock.
func (c *Clock) Offset() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offset
}

// Advance moves the sandbox time forward by d; a negative d is ignored.
func (c *Clock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// JumpTo moves the sandbox time forward to t. It reports false, and changes
// nothing, when t is not in the sandbox's future.
func (c *Clock) JumpTo(t time.Time) bool {
	w := c.wall()
	c.mu.Lock()
	defer c.mu.Unlock()
	d := t.Sub(w.Add(c.offset))
	if d <= 0 {
		return false
	}
	c.offset += d
	return true
}

// NextMorning is the first hour:00 strictly after now's local day in loc:
// tomorrow at that hour, in that zone's wall time.
func NextMorning(now time.Time, loc *time.Location, hour int) time.Time {
	l := now.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day()+1, hour, 0, 0, 0, loc)
}
