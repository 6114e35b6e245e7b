package store_test

import (
	"slices"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
)

func TestSchedules(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()

	_, err := db.Schedule(ctx, "s1")
	wantCode(t, err, coach.ENOTFOUND)
	wantCode(t, db.DeleteSchedule(ctx, "s1"), coach.ENOTFOUND)

	var ids []coach.ScheduleID
	for i := range 11 {
		s := coach.Schedule{Habit: coach.Standup, When: "weekdays 08:45", ToAll: i%2 == 0,
			Directors: []coach.UserID{"U1"}, CreatedBy: "UADM", CreatedAt: t0}
		id, err := db.PutSchedule(ctx, s)
		must(t, err)
		ids = append(ids, id)
	}
	want := []coach.ScheduleID{"s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11"}
	if !slices.Equal(ids, want) {
		t.Fatalf("PutSchedule IDs = %v, want %v", ids, want)
	}

	// Updating keeps the ID and the place in creation order.
	s2, err := db.Schedule(ctx, "s2")
	must(t, err)
	s2.Paused = true
	if id, err := db.PutSchedule(ctx, s2); err != nil || id != "s2" {
		t.Fatalf("PutSchedule(s2 paused) = %s, %v, want s2", id, err)
	}
	if got, _ := db.Schedule(ctx, "s2"); !got.Paused || got.When != "weekdays 08:45" || !got.CreatedAt.Equal(t0) {
		t.Errorf("Schedule(s2) = %+v, want paused copy", got)
	}

	// IDs are never reused after a delete.
	must(t, db.DeleteSchedule(ctx, "s11"))
	_, err = db.Schedule(ctx, "s11")
	wantCode(t, err, coach.ENOTFOUND)
	id, err := db.PutSchedule(ctx, coach.Schedule{Habit: coach.Gemba, When: "daily 10:00"})
	must(t, err)
	if id != "s12" {
		t.Errorf("PutSchedule after delete = %s, want s12", id)
	}

	all, err := db.Schedules(ctx)
	must(t, err)
	var got []coach.ScheduleID
	for _, s := range all {
		got = append(got, s.ID)
	}
	want = []coach.ScheduleID{"s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s12"}
	if !slices.Equal(got, want) {
		t.Errorf("Schedules() = %v, want %v (creation order)", got, want)
	}
}

func TestPutScheduleSkipsTakenID(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	if _, err := db.PutSchedule(ctx, coach.Schedule{ID: "s2", Habit: coach.Gemba}); err != nil {
		t.Fatal(err)
	}
	a, err := db.PutSchedule(ctx, coach.Schedule{Habit: coach.Standup})
	must(t, err)
	b, err := db.PutSchedule(ctx, coach.Schedule{Habit: coach.Standup})
	must(t, err)
	if a == "s2" || b == "s2" || a == b {
		t.Errorf("PutSchedule after a chosen s2 = %s, %s, want two new IDs other than s2", a, b)
	}
}
