package coach_test

import (
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// phases builds phase spells from pairs of phase and since date.
func phases(t testing.TB, spec ...any) []coach.Spell[coach.Phase] {
	t.Helper()
	var out []coach.Spell[coach.Phase]
	for i := 0; i < len(spec); i += 2 {
		out = append(out, coach.Spell[coach.Phase]{Value: coach.Phase(spec[i].(int)), Since: date(t, spec[i+1].(string))})
	}
	return out
}

func TestPhaseProgress(t *testing.T) {
	tests := []struct {
		name   string
		phases []coach.Spell[coach.Phase]
		today  string
		since  string
		months int
		status coach.FrameStatus
	}{
		{"phase 1, just begun", phases(t, 1, "2026-12-07"), "2026-12-07", "2026-12-07", 0, coach.FrameWithin},
		{"phase 1, almost 9 months", phases(t, 1, "2026-01-10"), "2026-10-09", "2026-01-10", 8, coach.FrameWithin},
		{"phase 1, 10 months", phases(t, 1, "2026-01-10"), "2026-11-10", "2026-01-10", 10, coach.FrameAround},
		{"phases 1 and 2 count together", phases(t, 1, "2026-01-10", 2, "2026-07-01"), "2027-01-10", "2026-01-10", 12, coach.FrameAround},
		{"phases 1-2 at 14 months is around", phases(t, 1, "2026-01-10", 2, "2026-07-01"), "2027-03-10", "2026-01-10", 14, coach.FrameAround},
		{"phase 2 alone counts from its start", phases(t, 2, "2026-01-10"), "2027-03-10", "2026-01-10", 14, coach.FrameAround},
		{"phases 1-2 at 15 months", phases(t, 2, "2026-01-10"), "2027-04-10", "2026-01-10", 15, coach.FrameBeyond},
		{"a step back from 2 to 1 keeps the clock", phases(t, 1, "2026-01-10", 2, "2026-05-01", 1, "2026-09-01"), "2026-12-10", "2026-01-10", 11, coach.FrameAround},
		{"phase 3 counts on its own", phases(t, 1, "2024-01-10", 2, "2024-06-01", 3, "2025-01-10"), "2026-01-10", "2025-01-10", 12, coach.FrameWithin},
		{"phase 3 at 2 years", phases(t, 3, "2024-01-10"), "2026-01-10", "2024-01-10", 24, coach.FrameAround},
		{"phase 3 at 4 years", phases(t, 3, "2022-01-10"), "2026-01-10", "2022-01-10", 48, coach.FrameAround},
		{"phase 3 past 4 years", phases(t, 3, "2021-12-10"), "2026-01-10", "2021-12-10", 49, coach.FrameBeyond},
		{"a step back from 3 to 2 restarts the clock", phases(t, 2, "2024-01-10", 3, "2025-01-10", 2, "2025-06-01"), "2026-01-10", "2025-06-01", 7, coach.FrameWithin},
		{"phase 4 goes on", phases(t, 4, "2016-01-10"), "2026-01-10", "2016-01-10", 120, coach.FrameOngoing},
		{"a clock set back counts nothing", phases(t, 2, "2026-05-01"), "2026-04-01", "2026-04-01", 0, coach.FrameWithin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := coach.Path{Rev: 1, Phases: tt.phases}
			got := p.PhaseProgress(date(t, tt.today))
			if got.Phase != p.Phase() || got.Since != date(t, tt.since) || got.Months != tt.months || got.Status != tt.status {
				t.Errorf("PhaseProgress(%s) = phase %d since %s, %d months, %s; want since %s, %d months, %s",
					tt.today, got.Phase, got.Since, got.Months, got.Status, tt.since, tt.months, tt.status)
			}
			if want := got.Since.DaysUntil(date(t, tt.today)); got.Days != want {
				t.Errorf("Days = %d, want %d", got.Days, want)
			}
		})
	}
	if got := (coach.Path{}).PhaseProgress(date(t, "2026-12-07")); got != (coach.PhaseProgress{}) {
		t.Errorf("PhaseProgress of no path = %+v, want zero", got)
	}
}

// The frame line reads as an expectation in both languages, never as a
// verdict, and names the time so far.
func TestPhaseProgressMsg(t *testing.T) {
	p := coach.Path{Rev: 1, Phases: phases(t, 2, "2026-01-10")}
	for _, tt := range []struct {
		today  string
		en, nl string
	}{
		{"2026-01-20", "less than a month so far. About a year", "minder dan een maand tot nu toe. Fase 1 en 2 samen"},
		{"2026-02-10", "1 month so far.", "1 maand tot nu toe."},
		{"2027-04-10", "15 months so far, longer than usual.", "15 maanden tot nu toe, langer dan gebruikelijk."},
	} {
		m := p.PhaseProgress(date(t, tt.today)).Msg()
		if en := i18n.EN.Render(m); !strings.HasPrefix(en, tt.en) {
			t.Errorf("EN %s = %q, want it to start %q", tt.today, en, tt.en)
		}
		if nl := i18n.NL.Render(m); !strings.HasPrefix(nl, tt.nl) {
			t.Errorf("NL %s = %q, want it to start %q", tt.today, nl, tt.nl)
		}
	}
	for _, ph := range coach.Phases() {
		for _, st := range []string{"2026-01-10", "2027-01-10", "2031-01-10"} {
			p := coach.Path{Rev: 1, Phases: []coach.Spell[coach.Phase]{{Value: ph, Since: date(t, "2026-01-10")}}}
			for _, l := range i18n.Langs() {
				s := l.Render(p.PhaseProgress(date(t, st)).Msg())
				if strings.Contains(s, "path.") || strings.Contains(s, "%!") {
					t.Errorf("%s phase %d on %s: %q has a missing key or argument", l, ph, st, s)
				}
			}
		}
	}
}

func TestReviewDue(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2026, 12, 6, 23, 30, 0, 0, time.UTC) // 7 December in Amsterdam
	review := func(on, target string) coach.Review {
		return coach.Review{On: date(t, on), Outcome: coach.Partly, Next: coach.Step{Responsibility: "x", Target: date(t, target)}}
	}
	tests := []struct {
		name     string
		reviews  []coach.Review
		target   string
		today    string
		due      bool
		reason   coach.DueReason
		last     string
		next     string
		daysSinc int
	}{
		{"new path, a day later", nil, "2027-02-01", "2026-12-08", false, "", "2026-12-07", "2027-01-07", 1},
		{"new path, a day short of a month", nil, "2027-02-01", "2027-01-06", false, "", "2026-12-07", "2027-01-07", 30},
		{"new path, a month after it was set", nil, "2027-02-01", "2027-01-07", true, coach.DueMonthly, "2026-12-07", "2027-01-07", 31},
		{"new path, the target passed before the month", nil, "2026-12-20", "2026-12-21", true, coach.DueTarget, "2026-12-07", "2027-01-07", 14},
		{"new path, on the target day it is not due yet", nil, "2026-12-20", "2026-12-20", false, "", "2026-12-07", "2027-01-07", 13},
		{"reviewed: the month counts from the review", []coach.Review{review("2027-01-10", "2027-03-01")}, "2027-03-01", "2027-02-09", false, "", "2027-01-10", "2027-02-10", 30},
		{"reviewed a month ago", []coach.Review{review("2027-01-10", "2027-03-01")}, "2027-03-01", "2027-02-10", true, coach.DueMonthly, "2027-01-10", "2027-02-10", 31},
		{"reviewed, then the target passed", []coach.Review{review("2027-01-10", "2027-01-20")}, "2027-01-20", "2027-01-21", true, coach.DueTarget, "2027-01-10", "2027-02-10", 11},
		{"a review after the target answers it", []coach.Review{review("2027-01-25", "2027-01-20")}, "2027-01-20", "2027-02-01", false, "", "2027-01-25", "2027-02-25", 7},
		{"a review on the target day answers it", []coach.Review{review("2027-01-20", "2027-01-20")}, "2027-01-20", "2027-01-22", false, "", "2027-01-20", "2027-02-20", 2},
		{"31 January reviewed: due 28 February", []coach.Review{review("2027-01-31", "2027-06-01")}, "2027-06-01", "2027-02-28", true, coach.DueMonthly, "2027-01-31", "2027-02-28", 28},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := coach.Path{Rev: 1, Created: created, Reviews: tt.reviews,
				Next: coach.Step{Responsibility: "x", Target: date(t, tt.target)}}
			got := p.ReviewDue(date(t, tt.today), ams)
			if got.Due != tt.due || got.Reason != tt.reason || got.Last != date(t, tt.last) || got.Next != date(t, tt.next) ||
				got.DaysSince != tt.daysSinc || got.Reviewed != (len(tt.reviews) > 0) {
				t.Errorf("ReviewDue(%s) = %+v; want due %v (%s), last %s, next %s, %d days since", tt.today, got,
					tt.due, tt.reason, tt.last, tt.next, tt.daysSinc)
			}
		})
	}
	if got := (coach.Path{}).ReviewDue(date(t, "2027-01-01"), ams); got.Due {
		t.Errorf("ReviewDue of no path = %+v, want not due", got)
	}
}

func TestDaysOverdue(t *testing.T) {
	p := coach.Path{Rev: 1, Next: coach.Step{Responsibility: "x", Target: date(t, "2027-01-15")}}
	for today, want := range map[string]int{"2027-01-01": 0, "2027-01-15": 0, "2027-01-16": 1, "2027-02-15": 31} {
		if got := p.DaysOverdue(date(t, today)); got != want {
			t.Errorf("DaysOverdue(%s) = %d, want %d", today, got, want)
		}
	}
	if got := (coach.Path{}).DaysOverdue(date(t, "2027-01-01")); got != 0 {
		t.Errorf("DaysOverdue without a target = %d, want 0", got)
	}
}

func TestYearProgress(t *testing.T) {
	handed := func(on string) coach.Handover { return coach.Handover{What: "x", On: date(t, on)} }
	rev := func(on string, o coach.ReviewOutcome) coach.Review { return coach.Review{On: date(t, on), Outcome: o} }
	p := coach.Path{Rev: 9,
		Styles: []coach.Spell[coach.Style]{{Value: coach.Directing, Since: date(t, "2025-06-01")},
			{Value: coach.Coaching, Since: date(t, "2026-03-01")}, {Value: coach.Facilitating, Since: date(t, "2026-11-01")}},
		Phases:     phases(t, 1, "2025-06-01", 2, "2025-12-01"),
		HandedOver: []coach.Handover{handed("2025-11-01"), handed("2025-12-07"), handed("2026-05-01"), handed("2026-12-07")},
		Reviews: []coach.Review{rev("2025-11-01", coach.Handed), rev("2025-12-07", coach.Handed), rev("2026-04-01", coach.NotYet),
			rev("2026-05-01", coach.Handed), rev("2026-10-01", coach.Partly), rev("2026-12-07", coach.Handed)},
	}
	got := p.YearProgress(date(t, "2026-12-07"))
	want := coach.YearProgress{From: date(t, "2025-12-07"), HandedOver: 3, Reviews: 5, Partly: 1, NotYet: 1,
		StyleChanges: 2, PhaseChanges: 0, Phase: p.PhaseProgress(date(t, "2026-12-07"))}
	if got != want {
		t.Errorf("YearProgress = %+v\nwant %+v", got, want)
	}
	// The first spells are where the path started, not changes.
	fresh := newPath(t)
	if y := fresh.YearProgress(date(t, "2026-12-07")); y.StyleChanges != 0 || y.PhaseChanges != 0 || y.HandedOver != 0 {
		t.Errorf("YearProgress of a new path = %+v, want no changes", y)
	}
}

func TestCountPaths(t *testing.T) {
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	ds := []coach.Director{{ID: "UD1", Leaders: []coach.UserID{"UL1", "UL2"}}, {ID: "UD2", Leaders: []coach.UserID{"UL1", "UL3"}}}
	path := func(d, l coach.UserID, ph coach.Phase, reviewed time.Time) coach.Path {
		p := coach.Path{Pair: coach.Pair{Director: d, Leader: l}, Rev: 1, Phases: []coach.Spell[coach.Phase]{{Value: ph}}}
		if !reviewed.IsZero() {
			p.Reviews = []coach.Review{{At: reviewed, Outcome: coach.Partly}}
		}
		return p
	}
	ps := []coach.Path{
		path("UD1", "UL1", coach.SelfKnowledge, now.Add(-coach.ReviewedWindow)),           // reviewed just in the window
		path("UD1", "UL2", coach.Development, now.Add(-coach.ReviewedWindow-time.Second)), // just outside it
		path("UD2", "UL1", coach.SelfKnowledge, time.Time{}),                              // never reviewed
		path("UD1", "UL9", coach.Spreading, now),                                          // a pair removed: not counted
		path("UD9", "UL1", coach.Spreading, now),                                          // a director removed: not counted
	}
	got := coach.CountPaths(ds, ps, now)
	if got.Pairs != 4 || got.WithPath != 3 || got.Reviewed != 1 || got.PerPhase[coach.SelfKnowledge] != 2 ||
		got.PerPhase[coach.Development] != 1 || got.PerPhase[coach.Spreading] != 0 {
		t.Errorf("CountPaths = %+v; want 4 pairs, 3 with a path, 1 reviewed, phase 2: 2, phase 3: 1", got)
	}
}
