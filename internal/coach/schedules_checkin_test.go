package coach_test

import (
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

// A check-in schedule previews its send times per Lean leader of the
// directors it names, once each, in the Lean leader's zone (where the
// check-ins go), leaving out a Lean leader who turned them off; a second
// check-in schedule has none and names the one the check-ins go on, until
// that one is paused.
func TestSchedulesCheckInPreview(t *testing.T) {
	// Friday 4 December 2026, 12:00 UTC.
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	f := newSchedFixture(t, now, func(c *coach.SchedulesConfig) {
		c.Directory = directory{director: {ID: director, TZ: "Europe/Amsterdam"}, other: {ID: other, TZ: "America/New_York"},
			leader: {ID: leader, TZ: "Asia/Tokyo"}}
	})
	ctx := t.Context()
	if err := f.db.PutDirector(ctx, coach.Director{ID: other, Leaders: []coach.UserID{leader, leader2}}); err != nil {
		t.Fatal(err)
	}
	if err := f.db.PutPrefs(ctx, leader2, coach.Prefs{CheckInsOff: true}); err != nil {
		t.Fatal(err)
	}
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}

	info, err := f.s.Add(ctx, admin, coach.ScheduleRequest{Habit: coach.CheckInHabit, When: "monthly third wed 10:00", ToAll: true})
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 12, 16, 10, 0, 0, 0, tokyo)
	if len(info.Upcoming) != 1 || info.More != 0 || info.CheckInBy != "" {
		t.Fatalf("check-in preview = %+v, want lee alone (led by both directors; lotte turned them off)", info)
	}
	up := info.Upcoming[0]
	if up.Leader != leader || up.Director != "" || up.Loc.String() != "Asia/Tokyo" || len(up.Times) != coach.PreviewTimes || !up.Times[0].Equal(want) {
		t.Errorf("check-in preview = %+v, want lee's in Tokyo from %s", up, want)
	}

	second, err := f.s.Add(ctx, admin, coach.ScheduleRequest{Habit: coach.CheckInHabit, When: "monthly last fri 15:00", Directors: []coach.UserID{director}})
	if err != nil {
		t.Fatal(err)
	}
	if second.CheckInBy != info.Schedule.ID || len(second.Upcoming) != 0 {
		t.Errorf("second check-in schedule's preview = %+v, want none, naming %s", second, info.Schedule.ID)
	}

	if _, err := f.s.SetPaused(ctx, admin, info.Schedule.ID, true); err != nil {
		t.Fatal(err)
	}
	all, err := f.s.List(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range all {
		if i.Schedule.ID != second.Schedule.ID {
			continue
		}
		if i.CheckInBy != "" || len(i.Upcoming) != 1 || i.Upcoming[0].Leader != leader || !i.Upcoming[0].Times[0].Equal(time.Date(2026, 12, 25, 15, 0, 0, 0, tokyo)) {
			t.Errorf("with the first paused, the second's preview = %+v, want lee's in Tokyo", i)
		}
	}
}
