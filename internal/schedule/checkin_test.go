package schedule_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/schedule"
)

// checkInPoster posts check-ins into the memPoster, in the Lean leader's
// DM.
type checkInPoster struct{ p *memPoster }

func (c checkInPoster) PostCheckIn(ctx context.Context, ci coach.CheckIn, ref string) (coach.ChannelID, string, error) {
	return c.p.Post(ctx, coach.Occurrence{Director: ci.Leader}, ref)
}

func (c checkInPoster) FindCheckIn(ctx context.Context, ci coach.CheckIn, ref string, since time.Time) (coach.ChannelID, string, bool, error) {
	return c.p.Find(ctx, coach.Occurrence{Director: ci.Leader}, ref, since)
}

// noProfiles is a directory without zones: everyone is in the default.
type noProfiles struct{}

func (noProfiles) Profile(context.Context, coach.UserID) (coach.Profile, error) {
	return coach.Profile{}, errors.New("no profile")
}

// checkInWorld registers directors D1 (Lean leaders L1 and L2) and D2 (L2
// and L3, who turned the check-ins off), and returns the loop sending
// their check-ins and the Lean leaders' service.
func checkInWorld(t *testing.T, e *env, mod ...func(*schedule.Deps)) (*schedule.Loop, *coach.LeaderService) {
	t.Helper()
	ctx := t.Context()
	for _, d := range []coach.Director{{ID: "U0D1", Leaders: []coach.UserID{"U0L1", "U0L2"}}, {ID: "U0D2", Leaders: []coach.UserID{"U0L2", "U0L3"}}} {
		if err := e.db.PutDirector(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.db.PutPrefs(ctx, "U0L3", coach.Prefs{CheckInsOff: true}); err != nil {
		t.Fatal(err)
	}
	leaders, err := coach.NewLeaderService(coach.LeaderServiceConfig{Store: e.db, Directory: noProfiles{}, Clock: coach.ClockFunc(e.now),
		IsAdmin: func(context.Context, coach.UserID) (bool, error) { return true, nil }})
	if err != nil {
		t.Fatal(err)
	}
	mod = append([]func(*schedule.Deps){func(d *schedule.Deps) {
		d.CheckIns, d.CheckInPoster = leaders, checkInPoster{e.poster}
	}}, mod...)
	return e.loop(mod...), leaders
}

// TestLoopSendsMonthlyCheckIns: over three months every pair whose Lean
// leader has the check-ins on gets one check-in a month, on the third
// Wednesday at 10:00 in the Lean leader's zone (one per director for L2,
// who has two), L3 none; and no director has an occurrence of it, so it
// takes nothing from their weekly budget or streak.
func TestLoopSendsMonthlyCheckIns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Date(2026, time.December, 1, 8, 0, 0, 0, time.UTC)
		e := newEnv(t, start)
		l, leaders := checkInWorld(t, e, func(d *schedule.Deps) { d.Tick = 6 * time.Hour }) // the check-ins wake it
		stop := run(t, l)
		advance(92 * 24 * time.Hour)
		stop()
		months := map[coach.Month]time.Time{
			coach.NewMonth(2026, time.December): time.Date(2026, time.December, 16, 10, 0, 0, 0, time.UTC),
			coach.NewMonth(2027, time.January):  time.Date(2027, time.January, 20, 10, 0, 0, 0, time.UTC),
			coach.NewMonth(2027, time.February): time.Date(2027, time.February, 17, 10, 0, 0, 0, time.UTC),
		}
		pairs := []coach.Pair{{Director: "U0D1", Leader: "U0L1"}, {Director: "U0D1", Leader: "U0L2"}, {Director: "U0D2", Leader: "U0L2"}}
		for m, at := range months {
			for _, p := range pairs {
				ref := coach.CheckInRef(p, m)
				if n := e.poster.count(ref); n != 1 {
					t.Errorf("%s posted %d times, want once", ref, n)
				}
				for _, msg := range e.poster.messages() {
					if msg.Ref == ref && (msg.Director != p.Leader || msg.At.Before(at) || msg.At.After(at.Add(time.Minute))) {
						t.Errorf("%s went to %s at %s, want the Lean leader at %s", ref, msg.Director, msg.At, at)
					}
				}
				c, err := e.db.CheckIn(t.Context(), p, m)
				if err != nil || c.Opened.IsZero() {
					t.Errorf("check-in %s not recorded as sent: %+v, %v", ref, c, err)
				}
			}
		}
		if got, want := len(e.poster.messages()), len(months)*len(pairs); got != want {
			t.Errorf("%d messages posted, want %d (none for U0L3, who turned them off)", got, want)
		}
		for _, d := range []coach.UserID{"U0D1", "U0D2"} {
			if hist, err := e.db.History(t.Context(), d, "", start); err != nil || len(hist) != 0 {
				t.Errorf("director %s has %d occurrences (%v), want none: a check-in is no director's habit", d, len(hist), err)
			}
		}
		cs, err := leaders.MyCheckIns(t.Context(), "U0L3")
		if err != nil || len(cs) != 0 {
			t.Errorf("U0L3 has check-ins %v (%v), want none", cs, err)
		}
	})
}

// TestCheckInSentOnceAfterUnclearPost: a post Slack took but answered
// with an error (a timeout) is found in the DM by the next pass and not
// posted again; one Slack never took is posted by the next pass. A check-in
// answered already is not looked up at all.
func TestCheckInSentOnceAfterUnclearPost(t *testing.T) {
	for _, tt := range []struct {
		name  string
		after bool // Slack posted it before failing
	}{{"posted then failed", true}, {"failed unposted", false}} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := newEnv(t, time.Date(2026, time.December, 16, 9, 0, 0, 0, time.UTC))
				e.poster.fail = func(ref string, call int) (error, bool) {
					if call == 1 {
						return errors.New("timeout"), tt.after
					}
					return nil, false
				}
				l, _ := checkInWorld(t, e)
				stop := run(t, l)
				advance(3 * time.Hour)
				stop()
				for _, p := range []coach.Pair{{Director: "U0D1", Leader: "U0L1"}, {Director: "U0D1", Leader: "U0L2"}, {Director: "U0D2", Leader: "U0L2"}} {
					ref := coach.CheckInRef(p, coach.NewMonth(2026, time.December))
					if n := e.poster.count(ref); n != 1 {
						t.Errorf("%s posted %d times, want once", ref, n)
					}
				}
			})
		})
	}
}

// TestSendCheckInNow: /coach send checkin's send goes even after the
// month's check-in went (a make-up), and a Lean leader with the check-ins
// off gets nothing.
func TestSendCheckInNow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, time.Date(2026, time.December, 16, 9, 0, 0, 0, time.UTC))
		l, leaders := checkInWorld(t, e)
		ctx := t.Context()
		pairs, m, err := leaders.CheckInSendTargets(ctx, "U0ADMIN", "U0L2")
		if err != nil || len(pairs) != 2 || m != coach.NewMonth(2026, time.December) {
			t.Fatalf("CheckInSendTargets(U0L2) = %v, %v, %v; want both directors, December", pairs, m, err)
		}
		for range 2 {
			if err := l.SendCheckIn(ctx, pairs[0], m); err != nil {
				t.Fatal(err)
			}
		}
		if n := e.poster.count(coach.CheckInRef(pairs[0], m)); n != 2 {
			t.Errorf("sent now twice: %d messages, want 2", n)
		}
		if _, _, err := leaders.CheckInSendTargets(ctx, "U0ADMIN", "U0L3"); coach.ErrorCode(err) != coach.ECONFLICT {
			t.Errorf("CheckInSendTargets(U0L3, off) = %v, want ECONFLICT", err)
		}
		if err := l.SendCheckIn(ctx, coach.Pair{Director: "U0D2", Leader: "U0L3"}, m); coach.ErrorCode(err) != coach.ECONFLICT {
			t.Errorf("SendCheckIn to U0L3 (off) = %v, want ECONFLICT", err)
		}
		if _, _, err := leaders.CheckInSendTargets(ctx, "U0ADMIN", "U0D1"); coach.ErrorCode(err) != coach.EINVALID {
			t.Errorf("CheckInSendTargets(a director who is nobody's Lean leader) = %v, want EINVALID", err)
		}
	})
}

// TestCheckInSchedule: an admin's check-in schedule replaces the default
// rule and says which directors' check-ins go (here D2's, on the first
// Monday); it plans no director's prompt. Paused, no check-in goes.
func TestCheckInSchedule(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, time.Date(2026, time.November, 30, 12, 0, 0, 0, time.UTC))
		l, _ := checkInWorld(t, e, func(d *schedule.Deps) { d.Tick = 6 * time.Hour })
		id := e.schedule(coach.Schedule{Habit: coach.CheckInHabit, When: "monthly first mon 09:00", Directors: []coach.UserID{"U0D2"}})
		stop := run(t, l)
		advance(8 * 24 * time.Hour)
		dec := coach.NewMonth(2026, time.December)
		if n := e.poster.count(coach.CheckInRef(coach.Pair{Director: "U0D2", Leader: "U0L2"}, dec)); n != 1 {
			t.Errorf("D2's check-in to L2 posted %d times, want once", n)
		}
		for _, m := range e.poster.messages() {
			if m.At != time.Date(2026, time.December, 7, 9, 0, 0, 0, time.UTC) || m.Director != "U0L2" {
				t.Errorf("message %+v, want only L2's about D2 on Monday 7 December 09:00", m)
			}
		}
		if hist, err := e.db.History(t.Context(), "U0D2", "", time.Time{}); err != nil || len(hist) != 0 {
			t.Errorf("D2 has %d occurrences (%v): a check-in schedule planned a director's prompt", len(hist), err)
		}
		sc, err := e.db.Schedule(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		sc.Paused = true
		if _, err := e.db.PutSchedule(t.Context(), sc); err != nil {
			t.Fatal(err)
		}
		l.Poke()
		advance(40 * 24 * time.Hour)
		stop()
		if n := len(e.poster.messages()); n != 1 {
			t.Errorf("%d check-ins after the schedule was paused, want none more", n-1)
		}
	})
}

// TestCheckInPassWarmsLeaders: the pass fills the profile cache of the
// Lean leaders it plans in bulk (Deps.Warm), as it does the directors'.
func TestCheckInPassWarmsLeaders(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, time.Date(2026, time.December, 1, 8, 0, 0, 0, time.UTC))
		var warmed []coach.UserID
		l, _ := checkInWorld(t, e, func(d *schedule.Deps) {
			d.Warm = func(_ context.Context, ids []coach.UserID) error { warmed = append(warmed, ids...); return nil }
		})
		if _, err := l.Pass(t.Context()); err != nil {
			t.Fatal(err)
		}
		for _, u := range []coach.UserID{"U0L1", "U0L2"} {
			if !slices.Contains(warmed, u) {
				t.Errorf("Warm was called with %v, want Lean leader %s among them", warmed, u)
			}
		}
	})
}
