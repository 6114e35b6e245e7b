package campaign

import (
	"sync"
	"time"
)

// Clock is the bot's clock in the in-process scenarios: it runs at real
// speed (or Speed times faster) from a start the scenario chooses, and the
// scenario may jump it forward (downtime, a DST night) with Set, or step it
// either way (an NTP correction, a paused VM's clock catching up) with Step.
type Clock struct {
	mu    sync.Mutex
	base  time.Time // the fake time at realT
	realT time.Time
	speed float64
}

// NewClock returns a clock that reads start now and runs speed times as fast
// as the wall clock (1 = real time).
func NewClock(start time.Time, speed float64) *Clock {
	if speed <= 0 {
		speed = 1
	}
	return &Clock{base: start, realT: time.Now(), speed: speed}
}

// Now is the fake time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *Clock) nowLocked() time.Time {
	el := time.Since(c.realT)
	return c.base.Add(time.Duration(float64(el) * c.speed))
}

// Set jumps the clock to t if t is later than now.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.nowLocked()) {
		c.base, c.realT = t, time.Now()
	}
}

// Offset is how far the fake time is ahead of the wall clock; it never
// shrinks while the clock only moves forward at speed ≥ 1 (Set, or Step
// with d ≥ 0).
func (c *Clock) Offset() time.Duration { return time.Until(c.Now()) }

// Step moves the clock by d, back when d < 0, as a wall-clock step does
// (an NTP correction, a hypervisor setting a resumed guest's clock). It
// wakes nobody: a sleeper notices only when its own timer fires, as a Go
// timer on the monotonic clock would after a real step or a VM pause. Two
// clocks made together with the same speed stay about d apart after one
// Steps (their starts differ by the moment between the two NewClock calls).
func (c *Clock) Step(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base = c.base.Add(d)
}
