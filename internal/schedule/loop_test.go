package schedule_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/schedule"
)

// TestLoopWeeks runs the loop over three virtual weeks that hold the autumn
// DST changes of Amsterdam (10-25) and New York (11-01), with directors in
// three zones, leave, a director added halfway, and four kinds of rule: every
// owed prompt goes exactly once, on time, and nothing else goes.
func TestLoopWeeks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Date(2026, 10, 19, 0, 0, 0, 0, time.UTC) // a Monday
		end := start.AddDate(0, 0, 21)
		e := newEnv(t, start)
		leave := coach.Period{From: time.Date(2026, 10, 27, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 10, 30, 0, 0, 0, 0, time.UTC)}
		e.director("U1AMS", "Europe/Amsterdam")
		e.director("U2NYC", "America/New_York", leave)
		e.director("U3TYO", "Asia/Tokyo")
		scheds := []coach.Schedule{
			{Habit: coach.Standup, When: "weekdays 08:45", ToAll: true},
			{Habit: coach.Compliment, When: "weekly fri 15:00", Directors: []coach.UserID{"U1AMS", "U3TYO"}},
			{Habit: coach.Question, When: "daily 01:30", Directors: []coach.UserID{"U2NYC"}},
			{Habit: coach.Gemba, When: "monthly last sun 02:30", Directors: []coach.UserID{"U1AMS"}},
			{Habit: coach.Feedback, When: "mon,wed,fri 08:00", Directors: []coach.UserID{"U1AMS"}, Paused: true},
		}
		for i := range scheds {
			scheds[i].ID = e.schedule(scheds[i])
		}
		l := e.loop(func(d *schedule.Deps) { d.Tick = time.Hour })
		stop := run(t, l)

		// Halfway a new director joins: the "to all" schedule picks them up
		// from that moment on.
		joined := start.AddDate(0, 0, 10).Add(9 * time.Hour)
		advance(joined.Sub(e.now()))
		e.director("U4LAX", "America/Los_Angeles")
		l.Poke()
		advance(end.Sub(e.now()))
		stop()

		want := map[string]time.Time{}
		add := func(s coach.Schedule, d coach.UserID, from time.Time, skip func(time.Time) bool) {
			for k, v := range expected(t, s, d, e.zone(d), from, end, skip) {
				want[k] = v
			}
		}
		onLeave := func(at time.Time) bool { return leave.Contains(at) }
		add(scheds[0], "U1AMS", start, nil)
		add(scheds[0], "U2NYC", start, onLeave)
		add(scheds[0], "U3TYO", start, nil)
		add(scheds[0], "U4LAX", joined, nil)
		add(scheds[1], "U1AMS", start, nil)
		add(scheds[1], "U3TYO", start, nil)
		add(scheds[2], "U2NYC", start, onLeave)
		add(scheds[3], "U1AMS", start, nil)

		checkPostedOnce(t, e.poster.messages(), want)
		if len(want) < 40 {
			t.Fatalf("only %d prompts owed; the test is not testing much", len(want))
		}
		// The New York fall-back day has one 01:30 prompt, at the first 01:30.
		nyDST := coach.NewOccurrenceKey(scheds[2].ID, "U2NYC", "2026-11-01")
		if o := e.occurrence(nyDST); o.State != coach.Sent || !o.Due.Equal(time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)) {
			t.Errorf("occurrence %s = %s due %v, want sent, due 05:30Z (01:30 EDT)", nyDST, o.State, o.Due)
		}
		// Unanswered prompts expire when the habit's next one goes.
		first := coach.NewOccurrenceKey(scheds[0].ID, "U1AMS", "2026-10-19")
		if o := e.occurrence(first); o.Answer == nil || o.Answer.Outcome != coach.Expired {
			t.Errorf("occurrence %s answer = %+v, want expired", first, o.Answer)
		}
		if due, sent, missed, failed := e.metrics.snapshot(); due != len(want) || sent != len(want) || missed != 0 || failed != 0 {
			t.Errorf("metrics due/sent/missed/failed = %d/%d/%d/%d, want %d/%d/0/0", due, sent, missed, failed, len(want), len(want))
		}
	})
}

// checkPostedOnce checks that msgs are exactly the owed prompts of want,
// each posted once, within a minute after its due time.
func checkPostedOnce(t *testing.T, msgs []posted, want map[string]time.Time) {
	t.Helper()
	got := map[string]int{}
	for _, m := range msgs {
		got[m.Ref]++
		due, ok := want[m.Ref]
		if !ok {
			t.Errorf("posted %s at %v; no such prompt was owed", m.Ref, m.At)
			continue
		}
		if at := m.At; at.Before(due) || at.After(due.Add(time.Minute)) {
			t.Errorf("posted %s at %v, want within a minute after %v", m.Ref, at.UTC(), due.UTC())
		}
	}
	for k := range want {
		if got[k] != 1 {
			t.Errorf("prompt %s posted %d times, want 1", k, got[k])
		}
	}
}

// TestLoopDowntime stops the bot across a 08:45 prompt: back within the 3 h
// catch-up window, the prompt goes once, late; back after it, nothing goes
// and the occurrence is recorded missed.
func TestLoopDowntime(t *testing.T) {
	tests := []struct {
		name      string
		downUntil time.Duration // after 08:40 local
		want      coach.SendState
	}{
		{"back after 30 minutes", 30 * time.Minute, coach.Sent},
		{"back just inside 3 hours", 3*time.Hour + 4*time.Minute, coach.Sent},
		{"back after 3 hours 10 minutes", 3*time.Hour + 15*time.Minute, coach.Missed},
		{"back the next day", 26 * time.Hour, coach.Missed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Date(2026, 12, 6, 23, 0, 0, 0, time.UTC) // Monday 00:00 in Amsterdam
				e := newEnv(t, start)
				e.director("U1AMS", "Europe/Amsterdam")
				id := e.schedule(coach.Schedule{Habit: coach.Standup, When: "weekdays 08:45", ToAll: true})
				stop := run(t, e.loop())
				advance(time.Date(2026, 12, 7, 7, 40, 0, 0, time.UTC).Sub(e.now()))
				stop() // down at 08:40 local
				advance(tt.downUntil)
				stop = run(t, e.loop())
				advance(time.Minute)
				stop()

				k := coach.NewOccurrenceKey(id, "U1AMS", "2026-12-07")
				o := e.occurrence(k)
				if o.State != tt.want {
					t.Errorf("occurrence %s state = %s, want %s", k, o.State, tt.want)
				}
				wantMsgs := map[coach.SendState]int{coach.Sent: 1, coach.Missed: 0}[tt.want]
				if n := e.poster.count(string(k)); n != wantMsgs {
					t.Errorf("messages for %s = %d, want %d", k, n, wantMsgs)
				}
				if _, _, missed, _ := e.metrics.snapshot(); (missed == 1) != (tt.want == coach.Missed) {
					t.Errorf("missed metric = %d for state %s", missed, tt.want)
				}
				if tt.downUntil > 24*time.Hour {
					// The next day's prompt is planned and goes on time.
					k2 := coach.NewOccurrenceKey(id, "U1AMS", "2026-12-08")
					if n := e.poster.count(string(k2)); n != 1 {
						t.Errorf("messages for %s = %d, want 1", k2, n)
					}
				}
			})
		})
	}
}

// TestLoopEditPolicy: an edit computes the plan from now; an edit made
// before today's prompt went never loses it, and never sends it twice.
func TestLoopEditPolicy(t *testing.T) {
	tests := []struct {
		name     string
		editAt   string // local time of the edit, 2026-12-07 (Amsterdam)
		newWhen  string
		wantSent bool   // today's prompt (key of 12-07) was sent
		wantAt   string // local time it went, if sent
	}{
		{"later today", "08:00", "weekdays 09:05", true, "09:05"},
		{"earlier, already passed", "08:30", "weekdays 08:00", true, "08:30"},
		{"after today's went", "09:02", "weekdays 09:05", true, "09:00"},
		{"to a day without a prompt today", "08:00", "weekly fri 09:00", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ams := mustZone(t, "Europe/Amsterdam")
				at := func(hhmm string) time.Time {
					v, err := time.ParseInLocation("2006-01-02 15:04", "2026-12-07 "+hhmm, ams)
					if err != nil {
						t.Fatal(err)
					}
					return v
				}
				e := newEnv(t, at("07:00"))
				e.director("U1AMS", "Europe/Amsterdam")
				s := coach.Schedule{Habit: coach.Standup, When: "weekdays 09:00", ToAll: true}
				s.ID = e.schedule(s)
				l := e.loop()
				stop := run(t, l)
				advance(at(tt.editAt).Sub(e.now()))
				s.When = schedule.MustParseWhen(tt.newWhen).String()
				e.schedule(s)
				l.Poke()
				advance(at("23:00").Sub(e.now()))
				stop()

				k := string(coach.NewOccurrenceKey(s.ID, "U1AMS", "2026-12-07"))
				msgs := 0
				for _, m := range e.poster.messages() {
					if m.Ref != k {
						continue
					}
					msgs++
					if got := m.At.In(ams).Format("15:04"); got != tt.wantAt {
						t.Errorf("today's prompt went at %s, want %s", got, tt.wantAt)
					}
				}
				if want := map[bool]int{true: 1, false: 0}[tt.wantSent]; msgs != want {
					t.Errorf("today's prompt posted %d times, want %d", msgs, want)
				}
			})
		})
	}
}

// TestLoopRemovedSchedule: nothing goes after a schedule is deleted, and a
// director removed from the list stops getting prompts.
func TestLoopRemoved(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
		e := newEnv(t, start)
		e.director("U1", "UTC")
		e.director("U2", "UTC")
		id := e.schedule(coach.Schedule{Habit: coach.Standup, When: "daily 09:00", ToAll: true})
		l := e.loop()
		stop := run(t, l)
		advance(10 * time.Hour) // day 1 sent to both
		if err := e.db.DeleteDirector(t.Context(), "U2"); err != nil {
			t.Fatal(err)
		}
		l.Poke()
		advance(24 * time.Hour) // day 2 to U1 only
		if err := e.db.DeleteSchedule(t.Context(), id); err != nil {
			t.Fatal(err)
		}
		l.Poke()
		advance(72 * time.Hour) // nothing more
		stop()
		got := map[coach.UserID]int{}
		for _, m := range e.poster.messages() {
			got[m.Director]++
		}
		if got["U1"] != 2 || got["U2"] != 1 {
			t.Errorf("messages per director = %v, want U1:2 U2:1", got)
		}
		dues, err := e.db.Dues(t.Context())
		if err != nil || len(dues) != 0 {
			t.Errorf("Dues() = %v, %v; want none left", dues, err)
		}
	})
}

// TestLoopSnooze: a snoozed prompt comes back once as a reminder when the
// snooze ends (a new message pointing at the same occurrence), and again
// after a second snooze; a closed prompt never does.
func TestLoopSnooze(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
		e := newEnv(t, start)
		e.director("U1", "UTC")
		e.director("U2", "UTC")
		id := e.schedule(coach.Schedule{Habit: coach.Standup, When: "weekly mon 09:00", ToAll: true})
		stop := run(t, e.loop())
		advance(61 * time.Minute) // 09:01: both sent
		k1 := coach.NewOccurrenceKey(id, "U1", "2026-12-07")
		k2 := coach.NewOccurrenceKey(id, "U2", "2026-12-07")
		snooze := func(k coach.OccurrenceKey, until time.Time) {
			t.Helper()
			if _, err := e.db.UpdateOccurrence(t.Context(), k, func(o *coach.Occurrence) error {
				o.Answer = &coach.Answer{Outcome: coach.Snoozed, At: e.now(), By: o.Director, SnoozeUntil: until}
				return nil
			}); err != nil {
				t.Fatalf("snooze %s: %v", k, err)
			}
		}
		snooze(k1, e.now().Add(time.Hour))
		if _, err := e.db.UpdateOccurrence(t.Context(), k2, func(o *coach.Occurrence) error {
			o.Answer = &coach.Answer{Outcome: coach.Done, At: e.now(), By: o.Director}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		advance(2 * time.Hour) // 11:01: the reminder went at 10:01
		if n := e.poster.count(schedule.ReminderRef(k1, 1)); n != 1 {
			t.Errorf("reminders #r1 of %s = %d, want 1", k1, n)
		}
		snooze(k1, e.now().Add(30*time.Minute))
		advance(3 * time.Hour)
		stop()
		if n := e.poster.count(schedule.ReminderRef(k1, 1)); n != 1 {
			t.Errorf("reminders #r1 of %s = %d, want still 1", k1, n)
		}
		if n := e.poster.count(schedule.ReminderRef(k1, 2)); n != 1 {
			t.Errorf("reminders #r2 of %s = %d, want 1", k1, n)
		}
		for _, m := range e.poster.messages() {
			if m.Director == "U2" && m.Ref != string(k2) {
				t.Errorf("U2 got %s after answering; want nothing more", m.Ref)
			}
		}
	})
}

// TestLoopLateSending: a send that died (record Sending) and is found only
// after the catch-up window is never posted again: if Slack has the message
// it counts as sent, if not it is missed.
func TestLoopLateSending(t *testing.T) {
	for _, inSlack := range []bool{true, false} {
		name := map[bool]string{true: "message in slack", false: "message not in slack"}[inSlack]
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
				e := newEnv(t, start)
				e.director("U1", "UTC")
				id := e.schedule(coach.Schedule{Habit: coach.Standup, When: "daily 09:00", ToAll: true})
				if _, err := e.loop().Pass(t.Context()); err != nil { // plan 09:00
					t.Fatal(err)
				}
				// The bot died at 09:00 with the prompt recorded as Sending.
				advance(time.Hour)
				o := coach.Occurrence{Key: coach.NewOccurrenceKey(id, "U1", "2026-12-07"), Schedule: id, Director: "U1",
					Habit: coach.Standup, LocalDate: "2026-12-07", Due: e.now(), State: coach.Sending, StartedAt: e.now(), Attempts: 1}
				if _, _, err := e.db.CreateOccurrence(t.Context(), o); err != nil {
					t.Fatal(err)
				}
				if inSlack {
					if _, _, err := e.poster.Post(t.Context(), o, string(o.Key)); err != nil {
						t.Fatal(err)
					}
				}
				advance(4 * time.Hour) // back at 13:00: outside the window
				if _, err := e.loop().Pass(t.Context()); err != nil {
					t.Fatal(err)
				}
				want := map[bool]coach.SendState{true: coach.Sent, false: coach.Missed}[inSlack]
				if got := e.occurrence(o.Key); got.State != want {
					t.Errorf("occurrence = %s, want %s", got.State, want)
				}
				if n := e.poster.count(string(o.Key)); n != map[bool]int{true: 1, false: 0}[inSlack] {
					t.Errorf("messages = %d, want %d", n, map[bool]int{true: 1, false: 0}[inSlack])
				}
				dues, _ := e.db.Dues(t.Context())
				if len(dues) != 1 || !dues[0].Next.Equal(time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)) {
					t.Errorf("plan = %v, want tomorrow 09:00", dues)
				}
			})
		})
	}
}

// TestLoopZoneChange: a director who moves to a zone behind keeps one
// prompt per local date; the plan follows the new zone from then on.
func TestLoopZoneChange(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
		e := newEnv(t, start)
		e.director("U1", "Europe/Amsterdam")
		id := e.schedule(coach.Schedule{Habit: coach.Standup, When: "daily 09:00", ToAll: true})
		l := e.loop()
		stop := run(t, l)
		advance(9 * time.Hour) // 09:00 UTC: Amsterdam's 09:00 (08:00 UTC) went
		e.director("U1", "America/New_York")
		l.Poke()
		advance(48 * time.Hour)
		stop()
		got := map[string]int{}
		for _, m := range e.poster.messages() {
			got[m.Ref]++
		}
		for _, date := range []string{"2026-12-07", "2026-12-08"} {
			k := string(coach.NewOccurrenceKey(id, "U1", date))
			if got[k] != 1 {
				t.Errorf("%s posted %d times, want 1", k, got[k])
			}
		}
		// 12-08 went at 09:00 New York time.
		o := e.occurrence(coach.NewOccurrenceKey(id, "U1", "2026-12-08"))
		if want := time.Date(2026, 12, 8, 14, 0, 0, 0, time.UTC); !o.Due.Equal(want) {
			t.Errorf("12-08 due %v, want %v (09:00 in New York)", o.Due, want)
		}
	})
}

// TestLoopReminderUnclear: a reminder whose post had an unclear outcome
// after Slack took it is found in Slack on the next pass, not posted again.
func TestLoopReminderUnclear(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
		e := newEnv(t, start)
		e.director("U1", "UTC")
		id := e.schedule(coach.Schedule{Habit: coach.Standup, When: "weekly mon 09:00", ToAll: true})
		k := coach.NewOccurrenceKey(id, "U1", "2026-12-07")
		ref := schedule.ReminderRef(k, 1)
		e.poster.fail = func(r string, call int) (error, bool) {
			if r == ref && call == 1 {
				return &slackErr{code: "timeout"}, true // posted, but the answer was lost
			}
			return nil, false
		}
		stop := run(t, e.loop())
		advance(61 * time.Minute)
		if _, err := e.db.UpdateOccurrence(t.Context(), k, func(o *coach.Occurrence) error {
			o.Answer = &coach.Answer{Outcome: coach.Snoozed, At: e.now(), SnoozeUntil: e.now().Add(time.Hour)}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		advance(3 * time.Hour)
		stop()
		if n := e.poster.count(ref); n != 1 {
			t.Errorf("reminder %s posted %d times, want 1", ref, n)
		}
		rems, _ := e.db.Reminders(t.Context())
		if len(rems) != 1 || rems[0].State != coach.Sent || rems[0].N != 1 {
			t.Errorf("reminder records = %+v, want one, sent, N=1", rems)
		}
	})
}
