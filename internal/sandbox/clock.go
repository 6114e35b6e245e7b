package sandbox

import (
	"sync"
	"time"
)

// Clock is the sandbox's time: the wall clock plus an offset that only grows,
// so a visitor can jump ahead a day and watch the bot's scheduling code see
// "tomorrow" exactly as it would in production. It implements coach.Clock.
//
// Invariant: steps is ordered by wall time and offsets never decrease, so the
// sandbox time never runs backwards.
type Clock struct {
	wall func() time.Time

	mu    sync.Mutex
	steps []step // guarded by mu
}

// step says that from wall time at on, the offset is off.
type step struct {
	at  time.Time
	off time.Duration
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
	return w.Add(c.offsetLocked())
}

// Offset is how far the sandbox time is ahead of the wall clock.
func (c *Clock) Offset() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offsetLocked()
}

func (c *Clock) offsetLocked() time.Duration {
	if len(c.steps) == 0 {
		return 0
	}
	return c.steps[len(c.steps)-1].off
}

// Advance moves the sandbox time forward by d; a negative d is ignored.
func (c *Clock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	w := c.wall()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.steps = append(c.steps, step{at: w, off: c.offsetLocked() + d})
}

// JumpTo moves the sandbox time forward to t. It reports false, and changes
// nothing, when t is not in the sandbox's future.
func (c *Clock) JumpTo(t time.Time) bool {
	w := c.wall()
	c.mu.Lock()
	defer c.mu.Unlock()
	d := t.Sub(w.Add(c.offsetLocked()))
	if d <= 0 {
		return false
	}
	c.steps = append(c.steps, step{at: w, off: c.offsetLocked() + d})
	return true
}

// At converts a wall time (a Slack ts, stamped by the local Slack with the
// wall clock) to the sandbox time that was current then, so messages show
// the day the bot thought it was.
func (c *Clock) At(wall time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	var off time.Duration
	for _, s := range c.steps {
		if s.at.After(wall) {
			break
		}
		off = s.off
	}
	return wall.Add(off)
}

// NextMorning is the first hour:00 strictly after now's local day in loc:
// tomorrow at that hour, in that zone's wall time.
func NextMorning(now time.Time, loc *time.Location, hour int) time.Time {
	l := now.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day()+1, hour, 0, 0, 0, loc)
}
