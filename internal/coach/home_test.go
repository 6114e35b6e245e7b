package coach_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

func TestBuildHomeDirector(t *testing.T) {
	ams := mustLoc(t, "Europe/Amsterdam")
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, ams) // Wednesday noon
	d := coach.Director{ID: pMember, Leaders: []coach.UserID{"ULEAD0001"}}
	hist := []coach.Occurrence{
		pOcc(pMember, coach.Standup, now.AddDate(0, 0, -2).Add(-3*time.Hour), coach.Done, ""),
		pOcc(pMember, coach.Standup, now.AddDate(0, 0, -1).Add(-3*time.Hour), coach.Done, ""),
		pOcc(pMember, coach.Question, now.AddDate(0, 0, -1).Add(-2*time.Hour), coach.NotToday, ""),
	}
	scheds := []coach.Schedule{
		{ID: "s1", Habit: coach.Standup, When: "weekdays 08:45", ToAll: true},
		{ID: "s2", Habit: coach.Compliment, When: "weekly thu 15:00", Directors: []coach.UserID{pMember}},
		{ID: "s3", Habit: coach.Gemba, When: "daily 10:00", ToAll: true, Paused: true},
		{ID: "s4", Habit: coach.Feedback, When: "daily 10:00", Directors: []coach.UserID{pOwner}},
	}
	h := coach.BuildHome(coach.HomeInput{User: pMember, Now: now, Loc: ams, Director: &d, History: hist,
		Schedules: scheds, Rules: rules()})
	if !h.IsDirector || h.Leave != nil || h.IsAdmin {
		t.Errorf("BuildHome director/leave/admin = %v/%v/%v, want true/nil/false", h.IsDirector, h.Leave, h.IsAdmin)
	}
	var habits []coach.Habit
	for _, st := range h.Habits {
		habits = append(habits, st.Habit)
	}
	want := []coach.Habit{coach.Standup, coach.Compliment, coach.Question}
	if len(habits) != len(want) {
		t.Fatalf("BuildHome habits = %v, want %v", habits, want)
	}
	for i := range want {
		if habits[i] != want[i] {
			t.Fatalf("BuildHome habits = %v, want %v", habits, want)
		}
	}
	if st := h.Habits[0]; st.Current != 2 || st.Best != 2 || len(st.Last) != 2 {
		t.Errorf("standup stats = %+v, want current 2, best 2, 2 marks", st)
	}
	if len(h.Next) != 2 {
		t.Fatalf("BuildHome next = %+v, want 2 (paused and others' schedules left out)", h.Next)
	}
	wantNext := []struct {
		h  coach.Habit
		at time.Time
	}{
		{coach.Standup, time.Date(2026, 12, 3, 8, 45, 0, 0, ams)},
		{coach.Compliment, time.Date(2026, 12, 3, 15, 0, 0, 0, ams)},
	}
	for i, w := range wantNext {
		if h.Next[i].Habit != w.h || !h.Next[i].At.Equal(w.at) || h.Next[i].At.Location() != ams {
			t.Errorf("Next[%d] = %s at %v, want %s at %v in Amsterdam", i, h.Next[i].Habit, h.Next[i].At, w.h, w.at)
		}
	}
}

func TestBuildHomeOnLeaveSkipsLeaveDays(t *testing.T) {
	ams := mustLoc(t, "Europe/Amsterdam")
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, ams)
	back := time.Date(2026, 12, 7, 0, 0, 0, 0, ams) // Monday
	d := coach.Director{ID: pMember, Leave: []coach.Period{{From: now.Add(-time.Hour), Until: back}}}
	h := coach.BuildHome(coach.HomeInput{User: pMember, Now: now, Loc: ams, Director: &d, Rules: rules(),
		Schedules: []coach.Schedule{{ID: "s1", Habit: coach.Standup, When: "weekdays 08:45", ToAll: true}}})
	if h.Leave == nil || !h.Leave.Until.Equal(back) {
		t.Fatalf("BuildHome leave = %v, want until %v", h.Leave, back)
	}
	if len(h.Next) != 1 || !h.Next[0].At.Equal(time.Date(2026, 12, 7, 8, 45, 0, 0, ams)) {
		t.Errorf("BuildHome next on leave = %+v, want Monday 7 December 08:45", h.Next)
	}
}

func TestBuildHomeStranger(t *testing.T) {
	h := coach.BuildHome(coach.HomeInput{User: pMember, Now: pStart, Rules: rules(),
		Schedules: []coach.Schedule{{ID: "s1", Habit: coach.Standup, When: "weekdays 08:45", ToAll: true}},
		Admins:    coach.AdminList{Listed: []coach.UserID{pListed}}})
	if h.IsDirector || len(h.Habits) != 0 || len(h.Next) != 0 {
		t.Errorf("BuildHome stranger = %+v, want no habits, no next prompts", h)
	}
	if len(h.Admins.Listed) != 1 {
		t.Errorf("BuildHome stranger admins = %+v, want the listed one", h.Admins)
	}
}

func TestBuildParticipation(t *testing.T) {
	ams := mustLoc(t, "Europe/Amsterdam")
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, ams) // Friday
	start := coach.WeekStart(now, ams)
	if want := time.Date(2026, 11, 30, 0, 0, 0, 0, ams); !start.Equal(want) {
		t.Fatalf("WeekStart = %v, want %v", start, want)
	}
	a, b := coach.UserID("UDIRA0001"), coach.UserID("UDIRB0001")
	missed := pOcc(b, coach.Standup, start.Add(33*time.Hour), "", "")
	missed.State = coach.Missed
	hist := map[coach.UserID][]coach.Occurrence{
		a: {
			pOcc(a, coach.Standup, start.Add(-15*time.Hour), coach.Done, ""), // last week
			pOcc(a, coach.Standup, start.Add(9*time.Hour), coach.Done, ""),
			pOcc(a, coach.Standup, start.Add(33*time.Hour), coach.NotToday, ""),
			pOcc(a, coach.Standup, start.Add(57*time.Hour), coach.Snoozed, ""),
			pOcc(a, coach.Standup, now.Add(time.Hour), "", ""), // not due yet
		},
		b: {missed, pOcc(b, coach.Standup, start.Add(57*time.Hour), "", "")},
	}
	p := coach.BuildParticipation([]coach.Director{{ID: a}, {ID: b}}, hist, start, now)
	if p.Directors != 2 || p.Active != 1 || p.Sent != 4 || p.Answered != 2 {
		t.Errorf("BuildParticipation = %d dirs, %d active, %d/%d answered/sent; want 2, 1, 2/4", p.Directors, p.Active, p.Answered, p.Sent)
	}
	if p.Rows[1].Sent != 1 || p.Rows[1].Answered != 0 {
		t.Errorf("row B = %+v, want 1 sent, 0 answered", p.Rows[1])
	}
	if got := coach.ISOWeek(now, ams); got != "2026-W49" {
		t.Errorf("ISOWeek = %q, want 2026-W49", got)
	}
}

// setTestPath stores a path of pair set on the clock's day, with text in
// its next step.
func setTestPath(t *testing.T, f *portalFix, pair coach.Pair, phase coach.Phase, text string) {
	t.Helper()
	today := coach.DateOf(f.clock.Now())
	in := coach.PathInput{Style: coach.Coaching, Phase: phase, Next: coach.Step{Responsibility: text, Target: today.AddDays(20)}}
	if _, err := f.db.UpdatePath(t.Context(), pair, func(p *coach.Path) error {
		*p = p.Set(in, f.clock.Now(), today)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestPortalHome(t *testing.T) {
	f := newPortalFix(t)
	ctx := t.Context()
	if err := f.db.PutDirector(ctx, coach.Director{ID: pMember, Leaders: []coach.UserID{"ULEAD0002", "ULEAD0001"}}); err != nil {
		t.Fatal(err)
	}
	setTestPath(t, f, coach.Pair{Director: pMember, Leader: "ULEAD0001"}, coach.SelfKnowledge, "runs the review")
	setTestPath(t, f, coach.Pair{Director: pAdded, Leader: "ULEAD0001"}, coach.Development, "not a pair now")
	if _, err := f.db.PutSchedule(ctx, coach.Schedule{Habit: coach.Standup, When: "weekdays 08:45", ToAll: true}); err != nil {
		t.Fatal(err)
	}
	h, err := f.portal.Home(ctx, pMember)
	if err != nil {
		t.Fatalf("Home(director) = %v", err)
	}
	if !h.IsDirector || h.IsAdmin || h.Week != nil || len(h.Next) != 1 || len(h.Habits) != 1 {
		t.Errorf("Home(director) = %+v, want a director with one habit and one next prompt", h)
	}
	if h.Now.Location().String() != "Europe/Amsterdam" {
		t.Errorf("Home(director) zone = %v, want the profile's Europe/Amsterdam", h.Now.Location())
	}
	if len(h.Paths) != 2 || h.Paths[0].Leader != "ULEAD0002" || h.Paths[0].Path != nil ||
		h.Paths[1].Leader != "ULEAD0001" || h.Paths[1].Path == nil || h.Paths[1].Path.Next.Responsibility != "runs the review" {
		t.Errorf("Home(director) paths = %+v, want none with ULEAD0002, then the path with ULEAD0001", h.Paths)
	}
	if h.PathCounts != nil {
		t.Errorf("Home(director) path counts = %+v, want none for a director who is no admin", h.PathCounts)
	}
	h, err = f.portal.Home(ctx, pOwner)
	if err != nil {
		t.Fatalf("Home(owner) = %v", err)
	}
	if h.IsDirector || !h.IsAdmin || h.Week == nil || h.Week.Directors != 1 {
		t.Errorf("Home(owner) = %+v, want an admin seeing one director", h)
	}
	// The path kept for a pair that is no longer registered is not counted.
	if c := h.PathCounts; c == nil || c.Pairs != 2 || c.WithPath != 1 || c.PerPhase[coach.SelfKnowledge] != 1 || len(h.Paths) != 0 {
		t.Errorf("Home(owner) path counts = %+v, paths %d; want 1 of 2 pairs, in phase 2, and no path", c, len(h.Paths))
	}
	if len(h.Admins.Listed) == 0 {
		t.Errorf("Home(owner, no director) admins = %+v, want the listed admins", h.Admins)
	}
	h, err = f.portal.Home(ctx, pUnknowable)
	if err != nil {
		t.Fatalf("Home(users.info failing) = %v", err)
	}
	if h.IsAdmin || h.Week != nil {
		t.Errorf("Home(users.info failing) shows the admin part: fail closed expected")
	}
}

// BenchmarkBuildHome measures one director's App Home with a year of history
// and three schedules.
func BenchmarkBuildHome(b *testing.B) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 16, 0, 0, 0, ams)
	d := coach.Director{ID: pMember}
	in := coach.HomeInput{User: pMember, Now: now, Loc: ams, Director: &d, History: yearOf(pMember, now), Rules: rules(),
		Schedules: []coach.Schedule{
			{ID: "s1", Habit: coach.Standup, When: "weekdays 08:45", ToAll: true},
			{ID: "s2", Habit: coach.Compliment, When: "weekly thu 15:00", ToAll: true},
			{ID: "s3", Habit: coach.Question, When: "tue,thu 10:00", ToAll: true},
		}}
	for b.Loop() {
		coach.BuildHome(in)
	}
}

// BenchmarkBuildHomeOnLeave measures the App Home of a director on leave
// for two months with a cron schedule among three: each next prompt walks
// the rule past the leave, dozens of questions per schedule.
func BenchmarkBuildHomeOnLeave(b *testing.B) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 16, 0, 0, 0, ams)
	d := coach.Director{ID: pMember, Leave: []coach.Period{{From: now.Add(-time.Hour), Until: now.AddDate(0, 2, 0)}}}
	in := coach.HomeInput{User: pMember, Now: now, Loc: ams, Director: &d, History: yearOf(pMember, now), Rules: rules(),
		Schedules: []coach.Schedule{
			{ID: "s1", Habit: coach.Standup, When: "weekdays 08:45", ToAll: true},
			{ID: "s2", Habit: coach.Compliment, When: "weekly thu 15:00", ToAll: true},
			{ID: "s3", Habit: coach.Question, When: `cron "0 10 * * 2,4"`, ToAll: true},
		}}
	if h := coach.BuildHome(in); len(h.Next) != 3 {
		b.Fatalf("BuildHome on leave: %d next prompts, want 3", len(h.Next))
	}
	for b.Loop() {
		coach.BuildHome(in)
	}
}

// BenchmarkAccessCached measures an admin check answered from the profile
// cache (the common case: within five minutes of the last check).
func BenchmarkAccessCached(b *testing.B) {
	clock := &fakeClock{now: pStart}
	db, err := store.Open(filepath.Join(b.TempDir(), "leancoach.db"), store.Options{Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	a, err := coach.NewAccess(coach.AccessConfig{Team: ourTeam, Listed: listedAdmins, Store: db, Directory: newFakeDirectory(), Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	for b.Loop() {
		if ok, _ := a.IsAdmin(ctx, pWSAdmin); !ok {
			b.Fatal("not admin")
		}
	}
}
