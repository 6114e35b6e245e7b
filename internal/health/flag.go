package health

import (
	"errors"
	"sync/atomic"
)

// Flag is a readiness condition its owner sets, such as "the Socket Mode
// connection is up". The zero Flag is down. Safe for concurrent use.
type Flag struct {
	up   atomic.Bool
	down error
}

// NewFlag returns a Flag that is down, reporting reason while down.
func NewFlag(reason string) *Flag { return &Flag{down: errors.New(reason)} }

// Set marks the condition up or down.
func (f *Flag) Set(up bool) { f.up.Store(up) }

// Up reports whether the condition holds.
func (f *Flag) Up() bool { return f.up.Load() }

// Err returns nil while up and the reason while down; use it as Check.Err.
func (f *Flag) Err() error {
	if f.up.Load() {
		return nil
	}
	if f.down == nil {
		return errors.New("down")
	}
	return f.down
}
