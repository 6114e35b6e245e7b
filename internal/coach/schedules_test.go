package coach_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/schedule"
	"github.com/leancoach/leancoach/internal/store"
)

func TestParseScheduleID(t *testing.T) {
	for in, want := range map[string]coach.ScheduleID{"s3": "s3", "S12": "s12", "7": "s7"} {
		if got, ok := coach.ParseScheduleID(in); !ok || got != want {
			t.Errorf("ParseScheduleID(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "s", "x3", "s3a", "s-1", "s12345678901234"} {
		if id, ok := coach.ParseScheduleID(in); ok {
			t.Errorf("ParseScheduleID(%q) = %q, true; want false", in, id)
		}
	}
}

type schedFixture struct {
	s      *coach.Schedules
	db     *store.DB
	pokes  int
	admins map[coach.UserID]bool
}

func newSchedFixture(t *testing.T, now time.Time, mods ...func(*coach.SchedulesConfig)) *schedFixture {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "s.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &schedFixture{db: db, admins: map[coach.UserID]bool{admin: true}}
	clk := coach.ClockFunc(func() time.Time { return now })
	cfg := coach.SchedulesConfig{
		Store:     db,
		IsAdmin:   func(_ context.Context, u coach.UserID) (bool, error) { return f.admins[u], nil },
		Audit:     coach.NewAuditLog(db, clk),
		Directory: directory{director: {ID: director, TZ: "Europe/Amsterdam"}, other: {ID: other, TZ: "America/New_York"}},
		Clock:     clk,
		Rules:     schedule.NewRules(),
		Changed:   func() { f.pokes++ },
	}
	for _, m := range mods {
		m(&cfg)
	}
	s, err := coach.NewSchedules(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.s = s
	for _, d := range []coach.UserID{director, other} {
		if err := db.PutDirector(t.Context(), coach.Director{ID: d, Leaders: []coach.UserID{leader}}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func TestSchedulesLifecycle(t *testing.T) {
	// Friday 4 December 2026, 12:00 UTC.
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	f := newSchedFixture(t, now)
	ctx := t.Context()

	info, err := f.s.Add(ctx, admin, coach.ScheduleRequest{Habit: coach.Standup, When: "Weekdays 8:45", ToAll: true})
	if err != nil {
		t.Fatalf("Add = %v", err)
	}
	if info.Schedule.ID != "s1" || info.Schedule.When != "weekdays 08:45" {
		t.Errorf("Add = %+v, want s1 with the canonical rule", info.Schedule)
	}
	if len(info.Upcoming) != 2 {
		t.Fatalf("Add previews %d directors, want 2", len(info.Upcoming))
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	wantAms := []time.Time{
		time.Date(2026, 12, 7, 8, 45, 0, 0, ams), // Monday
		time.Date(2026, 12, 8, 8, 45, 0, 0, ams),
		time.Date(2026, 12, 9, 8, 45, 0, 0, ams),
	}
	for _, up := range info.Upcoming {
		if up.Director != director {
			continue
		}
		if up.Loc.String() != "Europe/Amsterdam" || len(up.Times) != 3 {
			t.Fatalf("preview for director = %+v", up)
		}
		for i, want := range wantAms {
			if !up.Times[i].Equal(want) {
				t.Errorf("preview[%d] = %v, want %v", i, up.Times[i], want)
			}
		}
	}
	if f.pokes != 1 {
		t.Errorf("Add poked the due-loop %d times, want 1", f.pokes)
	}

	if _, err := f.s.SetPaused(ctx, admin, "s1", true); err != nil {
		t.Fatalf("pause = %v", err)
	}
	if _, err := f.s.SetPaused(ctx, admin, "s1", true); coach.ErrorCode(err) != coach.ECONFLICT {
		t.Errorf("pause twice = %v, want ECONFLICT", err)
	}
	list, err := f.s.List(ctx, admin)
	if err != nil || len(list) != 1 || !list[0].Schedule.Paused {
		t.Errorf("List = %+v, %v; want s1 paused", list, err)
	}
	if _, err := f.s.SetPaused(ctx, admin, "s1", false); err != nil {
		t.Fatalf("resume = %v", err)
	}
	if _, err := f.s.Remove(ctx, admin, "s1"); err != nil {
		t.Fatalf("Remove = %v", err)
	}
	if _, err := f.s.Remove(ctx, admin, "s1"); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("Remove twice = %v, want ENOTFOUND", err)
	}
	log, err := f.db.AuditLog(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	want := []string{"schedule.remove", "schedule.resume", "schedule.pause", "schedule.add"}
	if !slices.Equal(actions, want) {
		t.Errorf("audit actions = %v, want %v", actions, want)
	}
}

// Failed commands change nothing: bad rules, unknown directors, non-admins.
func TestSchedulesRefusals(t *testing.T) {
	f := newSchedFixture(t, time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC))
	ctx := t.Context()
	tests := []struct {
		name  string
		actor coach.UserID
		req   coach.ScheduleRequest
		code  string
	}{
		{"not admin", director, coach.ScheduleRequest{Habit: coach.Standup, When: "daily 08:00", ToAll: true}, coach.EFORBIDDEN},
		{"too often", admin, coach.ScheduleRequest{Habit: coach.Standup, When: `cron "*/5 * * * *"`, ToAll: true}, coach.EINVALID},
		{"cron TZ", admin, coach.ScheduleRequest{Habit: coach.Standup, When: `cron "TZ=UTC 0 9 * * *"`, ToAll: true}, coach.EINVALID},
		{"never", admin, coach.ScheduleRequest{Habit: coach.Standup, When: `cron "0 0 30 2 *"`, ToAll: true}, coach.EINVALID},
		{"bad time", admin, coach.ScheduleRequest{Habit: coach.Standup, When: "daily 25:00", ToAll: true}, coach.EINVALID},
		{"not a director", admin, coach.ScheduleRequest{Habit: coach.Standup, When: "daily 08:00", Directors: []coach.UserID{leader}}, coach.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := f.s.Add(ctx, tt.actor, tt.req); coach.ErrorCode(err) != tt.code {
				t.Errorf("Add = %v, want %s", err, tt.code)
			}
		})
	}
	if _, err := f.s.List(ctx, director); coach.ErrorCode(err) != coach.EFORBIDDEN {
		t.Errorf("List by a director = %v, want EFORBIDDEN", err)
	}
	all, err := f.db.Schedules(ctx)
	if err != nil || len(all) != 0 {
		t.Errorf("schedules after refusals = %v, %v; want none", all, err)
	}
	if f.pokes != 0 {
		t.Errorf("refusals poked the due-loop %d times, want 0", f.pokes)
	}
}

// TestSchedulesWarnOverBudget: /coach schedule add says when a director's
// schedules now owe more prompts in a week than the budget, how many, and
// which habits will wait; /coach schedule list shows every director's load.
func TestSchedulesWarnOverBudget(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC) // a Friday
	f := newSchedFixture(t, now, func(c *coach.SchedulesConfig) { c.Budget = 5 })
	ctx := t.Context()
	for _, req := range []coach.ScheduleRequest{
		{Habit: coach.Standup, When: "weekly tue 08:45", ToAll: true},
		{Habit: coach.Question, When: "weekly wed 10:00", ToAll: true},
		{Habit: coach.Compliment, When: "weekly thu 15:00", ToAll: true},
		{Habit: coach.Feedback, When: "monthly second mon 09:30", ToAll: true},
	} {
		info, err := f.s.Add(ctx, admin, req)
		if err != nil {
			t.Fatal(err)
		}
		if len(info.Over) != 0 {
			t.Errorf("Add(%s %s) warns %+v; four a week at most fit in 5", req.Habit, req.When, info.Over)
		}
	}
	// A check-in schedule, however often, owes the directors no prompt.
	if info, err := f.s.Add(ctx, admin, coach.ScheduleRequest{Habit: coach.CheckInHabit, When: "daily 10:00", ToAll: true}); err != nil || len(info.Over) != 0 {
		t.Errorf("Add(checkin daily) = %+v, %v; want no warning: the check-in is no director's prompt", info.Over, err)
	}
	// Three Gemba prompts a week for one director: six in a week, seven in
	// the week of the feedback prompt.
	info, err := f.s.Add(ctx, admin, coach.ScheduleRequest{Habit: coach.Gemba, When: "mon,wed,fri 13:30", Directors: []coach.UserID{director}})
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Over) != 1 || info.OverMore != 0 {
		t.Fatalf("Add(gemba) Over = %+v (+%d), want the one director it addresses", info.Over, info.OverMore)
	}
	l := info.Over[0]
	// Feedback, first due in its week, goes; the later Gemba prompts wait.
	if l.Director != director || l.Budget != 5 || l.Max != 7 || l.Average != 6.25 || !slices.Equal(l.Wait, []coach.Habit{coach.Gemba}) {
		t.Errorf("load = %+v, want %s: average 6.25, max 7, gemba waiting", l, director)
	}
	loads, err := f.s.Loads(ctx, admin)
	if err != nil || len(loads) != 2 {
		t.Fatalf("Loads = %+v, %v; want both directors", loads, err)
	}
	for _, l := range loads {
		switch l.Director {
		case director:
			if !l.Over() || l.Max != 7 {
				t.Errorf("Loads: %s = %+v, want over with 7", l.Director, l)
			}
		case other:
			if l.Over() || l.Max != 4 || l.Average != 3.25 || len(l.Wait) != 0 {
				t.Errorf("Loads: %s = %+v, want 3.25 a week, at most 4, nothing waiting", l.Director, l)
			}
		}
	}
	if _, err := f.s.Loads(ctx, director); coach.ErrorCode(err) != coach.EFORBIDDEN {
		t.Errorf("Loads by a director = %v, want EFORBIDDEN", err)
	}
	// Without a budget nothing warns, and the list still shows the load.
	f = newSchedFixture(t, now)
	info, err = f.s.Add(ctx, admin, coach.ScheduleRequest{Habit: coach.Gemba, When: "daily 13:30", ToAll: true})
	if err != nil || len(info.Over) != 0 {
		t.Errorf("Add without a budget = %+v, %v; want no warning", info.Over, err)
	}
	if loads, err := f.s.Loads(ctx, admin); err != nil || len(loads) != 2 || loads[0].Max != 7 || loads[0].Over() {
		t.Errorf("Loads without a budget = %+v, %v; want 7 a week, not over", loads, err)
	}
}
