package schedule_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/schedule"
	"github.com/leancoach/leancoach/internal/store"
)

// stepClock is a clock the test moves by hand.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *stepClock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// yearStats are the figures of a simulated year, per habit.
type yearStats struct {
	sent, onTime, released, superseded, waiting int
	weeksLate                                   int // of the released ones, in all
}

// TestSimulatedYear runs the real due-loop (real store, real rules, an
// in-memory Slack) for 52 weeks of one director in Amsterdam, spring and
// autumn daylight-saving changes included, on every habit's default
// schedule with the default weekly budget of 5. It asserts:
//   - no week (Monday to Sunday, Amsterdam) has more prompts than the budget;
//   - the core three and the path are never starved: every prompt their
//     schedules owe goes out, on time (within a minute of its due time), in
//     its own week, and none is ever held;
//   - no prompt goes twice, and every held prompt went later, was
//     superseded by its habit's next prompt, or still waits at the end.
//
// It logs prompts per week (median, max; with and without the budget) and
// the deferrals per habit (BENCHMARKS.md):
//
//	go test -run TestSimulatedYear -v ./internal/schedule/
func TestSimulatedYear(t *testing.T) {
	loc := mustZone(t, "Europe/Amsterdam")
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, loc) // a Monday
	const weeks = 52
	end := start.AddDate(0, 0, 7*weeks)
	budget := coach.DefaultWeeklyBudget

	db, err := store.Open(filepath.Join(t.TempDir(), "year.db"), store.Options{SkipCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := t.Context()
	clock := &stepClock{t: start.UTC()}
	poster := newMemPoster(clock.Now)
	const d = coach.UserID("U1AMS")
	if err := db.PutDirector(ctx, coach.Director{ID: d, Leaders: []coach.UserID{"U0LEADER"}}); err != nil {
		t.Fatal(err)
	}
	var scheds []coach.Schedule
	for _, h := range coach.Habits() {
		s := coach.Schedule{Habit: h, When: h.DefaultWhen(), ToAll: true}
		if s.ID, err = db.PutSchedule(ctx, s); err != nil {
			t.Fatal(err)
		}
		scheds = append(scheds, s)
	}
	l := schedule.New(schedule.Deps{
		Store:  db,
		Poster: poster,
		Zones:  func(context.Context, coach.UserID) (*time.Location, error) { return loc, nil },
		Clock:  clock,
		Logger: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel),
		Budget: budget,
	})
	for passes := 0; clock.Now().Before(end); passes++ {
		next, err := l.Pass(ctx)
		if err != nil {
			t.Fatalf("pass at %v: %v", clock.Now(), err)
		}
		if passes > 10000 {
			t.Fatalf("more than 10000 passes by %v: the loop does not move on", clock.Now())
		}
		now := clock.Now()
		if !next.After(now) {
			next = now.Add(time.Second)
		}
		clock.set(next)
	}

	// What the schedules owe without a budget, and when.
	owed := map[coach.OccurrenceKey]time.Time{}
	habitOf := map[coach.OccurrenceKey]coach.Habit{}
	demand := make([]int, weeks)
	for _, s := range scheds {
		for k, at := range expected(t, s, d, loc, start, end, nil) {
			owed[coach.OccurrenceKey(k)] = at
			habitOf[coach.OccurrenceKey(k)] = s.Habit
			demand[weekIndex(start, at, loc)]++
		}
	}

	// Prompts per week, and no prompt twice.
	perWeek := make([]int, weeks)
	posts := map[string]int{}
	for _, m := range poster.messages() {
		posts[m.Ref]++
		if posts[m.Ref] == 2 {
			t.Errorf("%s posted twice", m.Ref)
		}
		perWeek[weekIndex(start, m.At, loc)]++
	}
	for w, n := range perWeek {
		if n > int(budget) {
			t.Errorf("week of %s: %d prompts, over the budget of %d", start.AddDate(0, 0, 7*w).Format(time.DateOnly), n, budget)
		}
	}

	// Per habit: on time, released after a wait, superseded, still waiting.
	hist, err := db.History(ctx, d, "", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	stats := map[coach.Habit]*yearStats{}
	for _, h := range coach.Habits() {
		stats[h] = &yearStats{}
	}
	recorded := map[coach.OccurrenceKey]coach.Occurrence{}
	for _, o := range hist {
		recorded[o.Key] = o
		st := stats[o.Habit]
		due, ok := owed[o.Key]
		switch {
		case !ok:
			t.Errorf("occurrence %s (%s) was not owed", o.Key, o.State)
		case o.State == coach.Sent && o.Due.Equal(due):
			st.sent++
			st.onTime++
		case o.State == coach.Sent:
			st.sent++
			st.released++
			st.weeksLate += int((o.Due.Sub(due) + 12*time.Hour) / (7 * 24 * time.Hour))
		case o.State == coach.Superseded:
			st.superseded++
		case o.State == coach.Deferred:
			st.waiting++
		default:
			t.Errorf("occurrence %s is %s, want sent, deferred or superseded", o.Key, o.State)
		}
		if o.State == coach.Sent && posts[string(o.Key)] != 1 {
			t.Errorf("%s is sent but posted %d times", o.Key, posts[string(o.Key)])
		}
	}
	// The core three and the path are never starved.
	for k, at := range owed {
		h := habitOf[k]
		if !coach.BudgetFirst(h) {
			continue
		}
		o, ok := recorded[k]
		if !ok || o.State != coach.Sent || !o.Due.Equal(at) {
			t.Errorf("%s prompt %s (due %v) = %+v, want sent on time", h, k, at.In(loc), o.State)
		}
	}
	for _, h := range coach.Habits() {
		if st := stats[h]; coach.BudgetFirst(h) && (st.released+st.superseded+st.waiting) > 0 {
			t.Errorf("%s: %+v, want none held", h, *st)
		}
	}
	if len(owed) < 200 {
		t.Fatalf("only %d prompts owed in the year; the test is not testing much", len(owed))
	}

	// The figures.
	var b strings.Builder
	fmt.Fprintf(&b, "one director, Europe/Amsterdam, %s to %s, every default schedule, budget %d\n",
		start.Format(time.DateOnly), end.AddDate(0, 0, -1).Format(time.DateOnly), budget)
	fmt.Fprintf(&b, "prompts per week: median %s, max %d, total %d (without the budget: median %s, max %d, total %d)\n",
		median(perWeek), slices.Max(perWeek), sum(perWeek), median(demand), slices.Max(demand), sum(demand))
	fmt.Fprintf(&b, "%-13s %5s %6s %8s %9s %11s %10s %7s\n", "habit", "owed", "sent", "on time", "released", "weeks late", "superseded", "waiting")
	owedBy := map[coach.Habit]int{}
	for k := range owed {
		owedBy[habitOf[k]]++
	}
	for _, h := range coach.Habits() {
		st := stats[h]
		fmt.Fprintf(&b, "%-13s %5d %6d %8d %9d %11d %10d %7d\n", h, owedBy[h], st.sent, st.onTime, st.released, st.weeksLate, st.superseded, st.waiting)
	}
	t.Log("\n" + b.String())
}

// weekIndex is the number of the week (Monday to Sunday in loc) of t,
// counted from the week that starts at start.
func weekIndex(start, t time.Time, loc *time.Location) int {
	w := coach.WeekStart(t, loc)
	return int((w.Sub(start) + 12*time.Hour) / (7 * 24 * time.Hour))
}

func median(xs []int) string {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return fmt.Sprint(s[n/2])
	}
	return fmt.Sprint(float64(s[n/2-1]+s[n/2]) / 2)
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
