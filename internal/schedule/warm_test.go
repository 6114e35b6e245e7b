package schedule_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/schedule"
)

// Every pass hands Warm all its directors in one call before it asks
// Zones about any of them, so the zone cache fills in bulk; a Warm that
// fails leaves the zones to Zones, and the prompts still go.
func TestLoopWarmsZonesInBulk(t *testing.T) {
	for _, failing := range []bool{false, true} {
		synctest.Test(t, func(t *testing.T) {
			e := newEnv(t, time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC))
			dirs := []coach.UserID{"U1", "U2", "U3"}
			for _, d := range dirs {
				e.director(d, "UTC")
			}
			id := e.schedule(coach.Schedule{Habit: coach.Gemba, When: "daily 09:00", ToAll: true})
			var mu sync.Mutex
			var warmed [][]coach.UserID
			zonesBeforeWarm := 0
			l := e.loop(func(d *schedule.Deps) {
				zones := d.Zones
				d.Zones = func(ctx context.Context, u coach.UserID) (*time.Location, error) {
					mu.Lock()
					if len(warmed) == 0 {
						zonesBeforeWarm++
					}
					mu.Unlock()
					return zones(ctx, u)
				}
				d.Warm = func(_ context.Context, ds []coach.UserID) error {
					mu.Lock()
					defer mu.Unlock()
					warmed = append(warmed, slices.Clone(ds))
					if failing {
						return errors.New("slack is down")
					}
					return nil
				}
			})
			stop := run(t, l)
			advance(2 * time.Hour)
			stop()
			mu.Lock()
			defer mu.Unlock()
			if len(warmed) == 0 || !slices.Equal(warmed[0], dirs) {
				t.Fatalf("Warm calls = %v, want every pass to warm %v", warmed, dirs)
			}
			if zonesBeforeWarm != 0 {
				t.Errorf("Zones asked %d times before the first Warm", zonesBeforeWarm)
			}
			for _, d := range dirs {
				if n := e.poster.count(string(coach.NewOccurrenceKey(id, d, "2026-12-07"))); n != 1 {
					t.Errorf("%s's prompt posted %d times, want 1 (warm failing: %v)", d, n, failing)
				}
			}
		})
	}
}
