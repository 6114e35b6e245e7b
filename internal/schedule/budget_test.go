package schedule_test

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/schedule"
)

// withBudget sets the loop's weekly budget.
func withBudget(n int) func(*schedule.Deps) {
	return func(d *schedule.Deps) { d.Budget = coach.Budget(n); d.Tick = time.Hour }
}

// local is a wall time in Amsterdam.
func local(t *testing.T, y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, mustZone(t, "Europe/Amsterdam"))
}

// TestLoopBudgetHoldsAcrossARestart: with a budget of 2, the monthly output
// prompt of a week that also has the stand-up and the compliment is held,
// recorded Deferred and not sent. The bot restarts. A week later, at the same
// time, the director was on leave on Tuesday, so the week has room: the held
// prompt goes, once, and the week after holds nothing.
func TestLoopBudgetHoldsAcrossARestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := local(t, 2026, 11, 30, 0, 0) // a Monday; Wednesday 2 December is the month's first
		e := newEnv(t, start)
		leave := coach.Period{From: local(t, 2026, 12, 8, 0, 0), Until: local(t, 2026, 12, 9, 0, 0)}
		e.director("U1AMS", "Europe/Amsterdam", leave)
		standup := e.schedule(coach.Schedule{Habit: coach.Standup, When: "weekly tue 08:45", ToAll: true})
		compliment := e.schedule(coach.Schedule{Habit: coach.Compliment, When: "weekly thu 15:00", ToAll: true})
		output := e.schedule(coach.Schedule{Habit: coach.Output, When: "monthly first wed 10:00", ToAll: true})

		stop := run(t, e.loop(withBudget(2)))
		advance(local(t, 2026, 12, 5, 12, 0).Sub(e.now()))
		stop()
		held := coach.NewOccurrenceKey(output, "U1AMS", "2026-12-02")
		if o := e.occurrence(held); o.State != coach.Deferred || e.poster.count(string(held)) != 0 {
			t.Fatalf("output prompt of 2 December = %s with %d messages, want deferred and not sent", o.State, e.poster.count(string(held)))
		}
		dues, err := e.db.Dues(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range dues {
			if d.Schedule == output && (d.Held != held || !d.HeldAt.Equal(local(t, 2026, 12, 9, 10, 0))) {
				t.Errorf("output plan holds %q at %v, want %s at Wednesday 9 December 10:00", d.Held, d.HeldAt, held)
			}
		}

		// A new process on the same file.
		stop = run(t, e.loop(withBudget(2)))
		end := local(t, 2026, 12, 21, 0, 0)
		advance(end.Sub(e.now()))
		stop()

		o := e.occurrence(held)
		if o.State != coach.Sent || !o.Due.Equal(local(t, 2026, 12, 9, 10, 0)) {
			t.Errorf("held prompt = %s due %v, want sent, due at its held time (9 December 10:00)", o.State, o.Due.In(start.Location()))
		}
		want := map[string]time.Time{string(held): local(t, 2026, 12, 9, 10, 0)}
		for _, k := range []struct {
			s    coach.ScheduleID
			date string
			at   time.Time
		}{
			{standup, "2026-12-01", local(t, 2026, 12, 1, 8, 45)},
			{compliment, "2026-12-03", local(t, 2026, 12, 3, 15, 0)},
			{compliment, "2026-12-10", local(t, 2026, 12, 10, 15, 0)},
			{standup, "2026-12-15", local(t, 2026, 12, 15, 8, 45)},
			{compliment, "2026-12-17", local(t, 2026, 12, 17, 15, 0)},
		} {
			want[string(coach.NewOccurrenceKey(k.s, "U1AMS", k.date))] = k.at
		}
		checkPostedOnce(t, e.poster.messages(), want)
		// Never more than the budget in a week.
		perWeek := map[time.Time]int{}
		for _, m := range e.poster.messages() {
			perWeek[coach.WeekStart(m.At, start.Location())]++
		}
		for w, n := range perWeek {
			if n > 2 {
				t.Errorf("week of %s: %d prompts, want at most the budget 2", w.Format(time.DateOnly), n)
			}
		}
	})
}

// TestLoopBudgetWaitsOutLeave: a held prompt whose held time falls on
// leave is not sent and not missed: it waits another week, and goes then if
// the week has room.
func TestLoopBudgetWaitsOutLeave(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := local(t, 2026, 11, 30, 0, 0)
		e := newEnv(t, start)
		e.director("U1AMS", "Europe/Amsterdam",
			// The week of the held time would have room (no stand-up), but
			// the held time itself is on leave.
			coach.Period{From: local(t, 2026, 12, 8, 0, 0), Until: local(t, 2026, 12, 10, 0, 0)},
			coach.Period{From: local(t, 2026, 12, 15, 0, 0), Until: local(t, 2026, 12, 16, 0, 0)}) // the next stand-up
		e.schedule(coach.Schedule{Habit: coach.Standup, When: "weekly tue 08:45", ToAll: true})
		e.schedule(coach.Schedule{Habit: coach.Compliment, When: "weekly thu 15:00", ToAll: true})
		output := e.schedule(coach.Schedule{Habit: coach.Output, When: "monthly first wed 10:00", ToAll: true})
		stop := run(t, e.loop(withBudget(2)))
		advance(local(t, 2026, 12, 21, 0, 0).Sub(e.now()))
		stop()
		held := coach.NewOccurrenceKey(output, "U1AMS", "2026-12-02")
		o := e.occurrence(held)
		if o.State != coach.Sent || !o.Due.Equal(local(t, 2026, 12, 16, 10, 0)) {
			t.Errorf("held prompt = %s due %v, want sent on Wednesday 16 December at 10:00", o.State, o.Due.In(start.Location()))
		}
		for _, m := range e.poster.messages() {
			if m.Ref == string(held) && !m.At.After(local(t, 2026, 12, 16, 10, 0).Add(-time.Second)) {
				t.Errorf("held prompt posted at %v, before its week with room", m.At)
			}
		}
		if n := e.poster.count(string(held)); n != 1 {
			t.Errorf("held prompt posted %d times, want once", n)
		}
		if _, _, missed, _ := e.metrics.snapshot(); missed != 0 {
			t.Errorf("%d prompts recorded missed, want none", missed)
		}
	})
}

// TestLoopBudgetSupersedes: with a budget of 1 and the stand-up each
// Tuesday, Monday's gemba prompt waits every week; the next Monday's own
// gemba prompt replaces the held one, which is superseded and never sent,
// and neither counts nor breaks the gemba streak.
func TestLoopBudgetSupersedes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := local(t, 2026, 11, 30, 0, 0)
		e := newEnv(t, start)
		e.director("U1AMS", "Europe/Amsterdam")
		e.schedule(coach.Schedule{Habit: coach.Standup, When: "weekly tue 08:45", ToAll: true})
		gemba := e.schedule(coach.Schedule{Habit: coach.Gemba, When: "weekly mon 13:30", ToAll: true})
		stop := run(t, e.loop(withBudget(1)))
		advance(local(t, 2026, 12, 15, 0, 0).Sub(e.now()))
		stop()
		for date, want := range map[string]coach.SendState{
			"2026-11-30": coach.Superseded, "2026-12-07": coach.Superseded, "2026-12-14": coach.Deferred,
		} {
			k := coach.NewOccurrenceKey(gemba, "U1AMS", date)
			if o := e.occurrence(k); o.State != want {
				t.Errorf("gemba prompt of %s = %s, want %s", date, o.State, want)
			}
			if n := e.poster.count(string(k)); n != 0 {
				t.Errorf("gemba prompt of %s posted %d times, want never", date, n)
			}
		}
		if n := len(e.poster.messages()); n != 2 {
			t.Errorf("%d prompts posted, want the 2 stand-ups", n)
		}
		hist, err := e.db.History(t.Context(), "U1AMS", coach.Gemba, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if st := coach.Stats(coach.Gemba, hist, nil, e.now()); len(st.Last) != 0 || st.Current != 0 {
			t.Errorf("gemba stats = %+v, want no marks: held prompts neither count nor break", st)
		}
	})
}

// TestLoopBudgetReleaseReconciles: the release of a held prompt meets
// unclear outcomes until its Deliver gives up, leaving it Sending; a new
// process finds it so, asks Slack, and posts it once. Then nothing goes
// twice.
func TestLoopBudgetReleaseReconciles(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := local(t, 2026, 11, 30, 0, 0)
		e := newEnv(t, start)
		leave := coach.Period{From: local(t, 2026, 12, 8, 0, 0), Until: local(t, 2026, 12, 9, 0, 0)}
		e.director("U1AMS", "Europe/Amsterdam", leave)
		e.schedule(coach.Schedule{Habit: coach.Standup, When: "weekly tue 08:45", ToAll: true})
		output := e.schedule(coach.Schedule{Habit: coach.Output, When: "monthly first wed 10:00", ToAll: true})
		held := coach.NewOccurrenceKey(output, "U1AMS", "2026-12-02")
		e.poster.fail = func(ref string, _ int) (error, bool) {
			if ref == string(held) {
				return errors.New("connection reset"), false // unclear, and not posted
			}
			return nil, false
		}
		stop := run(t, e.loop(withBudget(1)))
		advance(local(t, 2026, 12, 9, 10, 5).Sub(e.now()))
		stop()
		if o := e.occurrence(held); o.State != coach.Sending || e.poster.count(string(held)) != 0 {
			t.Fatalf("held prompt after failed posts = %s, %d messages; want sending, none", o.State, e.poster.count(string(held)))
		}
		e.poster.mu.Lock()
		e.poster.fail = nil
		e.poster.mu.Unlock()
		stop = run(t, e.loop(withBudget(1)))
		advance(local(t, 2026, 12, 21, 0, 0).Sub(e.now()))
		stop()
		if o := e.occurrence(held); o.State != coach.Sent || e.poster.count(string(held)) != 1 {
			t.Errorf("held prompt after the restart = %s, %d messages; want sent once", o.State, e.poster.count(string(held)))
		}
		for _, m := range e.poster.messages() {
			if n := e.poster.count(m.Ref); n != 1 {
				t.Errorf("%s posted %d times", m.Ref, n)
			}
		}
	})
}
