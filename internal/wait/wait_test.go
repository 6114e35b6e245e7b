package wait_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/leancoach/leancoach/internal/wait"
)

func TestForWaitsTheWholeDuration(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		if err := wait.For(t.Context(), time.Minute); err != nil {
			t.Fatalf("For(1m) = %v, want nil", err)
		}
		if got := time.Since(start); got != time.Minute {
			t.Errorf("For(1m) returned after %v, want 1m", got)
		}
	})
}

func TestForEndsWithItsContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		start := time.Now()
		if err := wait.For(ctx, time.Hour); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("For(1h) with a 1s context = %v, want DeadlineExceeded", err)
		}
		if got := time.Since(start); got != time.Second {
			t.Errorf("For(1h) with a 1s context returned after %v, want 1s", got)
		}
	})
}

func TestForNonPositiveDoesNotWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		for _, d := range []time.Duration{0, -time.Second} {
			if err := wait.For(t.Context(), d); err != nil {
				t.Errorf("For(%v) = %v, want nil", d, err)
			}
		}
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := wait.For(ctx, 0); !errors.Is(err, context.Canceled) {
			t.Errorf("For(0) on a cancelled context = %v, want Canceled", err)
		}
		if got := time.Since(start); got != 0 {
			t.Errorf("non-positive waits took %v, want 0", got)
		}
	})
}

func TestForOrWakes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		wake := make(chan struct{}, 1)
		time.AfterFunc(time.Second, func() { wake <- struct{}{} })
		start := time.Now()
		woken, err := wait.ForOr(t.Context(), time.Hour, wake)
		if !woken || err != nil {
			t.Fatalf("ForOr woken after 1s = %v, %v; want true, nil", woken, err)
		}
		if got := time.Since(start); got != time.Second {
			t.Errorf("ForOr returned after %v, want 1s", got)
		}
		if len(wake) != 0 {
			t.Error("ForOr left the wake-up in the channel, want it taken")
		}

		closed := make(chan struct{})
		close(closed)
		if woken, err := wait.ForOr(t.Context(), time.Hour, closed); !woken || err != nil {
			t.Errorf("ForOr on a closed channel = %v, %v; want true, nil", woken, err)
		}
		if woken, err := wait.ForOr(t.Context(), time.Minute, nil); woken || err != nil {
			t.Errorf("ForOr with no wake channel = %v, %v; want false, nil", woken, err)
		}
	})
}

func TestForOrEndsWithItsContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(time.Second, cancel)
		woken, err := wait.ForOr(ctx, time.Hour, make(chan struct{}))
		if woken || !errors.Is(err, context.Canceled) {
			t.Errorf("ForOr cancelled after 1s = %v, %v; want false, Canceled", woken, err)
		}
	})
}
