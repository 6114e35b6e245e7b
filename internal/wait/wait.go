// Package wait is the one way this program pauses: for a while, unless it
// is told to stop first. Every loop that backs off, paces itself or waits
// out a Retry-After uses it, so a shutdown never waits on a sleeper.
package wait

import (
	"context"
	"time"
)

// For waits d, or until ctx is done, whichever comes first. It returns nil
// when d has passed and ctx's error when ctx ended first. A d of zero or less
// does not wait (it still returns ctx's error, if any).
func For(ctx context.Context, d time.Duration) error {
	_, err := ForOr(ctx, d, nil)
	return err
}

// ForOr is For that also ends when wake is ready: a value is received from it
// or it is closed (a nil wake never is). It reports woken when wake ended the
// wait; then err is nil. A d of zero or less does not wait.
func ForOr(ctx context.Context, d time.Duration, wake <-chan struct{}) (woken bool, err error) {
	if d <= 0 {
		return false, ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false, ctx.Err()
	case <-wake:
		return true, nil
	case <-t.C:
		return false, nil
	}
}
