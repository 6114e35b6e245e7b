package coach_test

import (
	"slices"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

var pathT0 = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

// newPath is a path set on 2026-12-07: coaching, phase 2 since 2026-06-01,
// "runs the stand-up" by 2027-01-15.
func newPath(t testing.TB) coach.Path {
	t.Helper()
	return coach.Path{Pair: coach.Pair{Director: director, Leader: leader}}.Set(coach.PathInput{
		Style: coach.Coaching, Phase: coach.SelfKnowledge, PhaseSince: date(t, "2026-06-01"),
		Next: coach.Step{Responsibility: "runs the stand-up", DoneLooksLike: "I only watch", Target: date(t, "2027-01-15")},
	}, pathT0, date(t, "2026-12-07"))
}

func TestPathSet(t *testing.T) {
	p := newPath(t)
	if p.Rev != 1 || !p.Created.Equal(pathT0) || !p.Updated.Equal(pathT0) {
		t.Errorf("new path Rev %d, Created %v, Updated %v; want 1 and t0 twice", p.Rev, p.Created, p.Updated)
	}
	if p.Style() != coach.Coaching || p.StyleSince() != date(t, "2026-12-07") ||
		p.Phase() != coach.SelfKnowledge || p.PhaseSince() != date(t, "2026-06-01") {
		t.Errorf("new path style %s since %s, phase %d since %s; want coaching since today, 2 since 2026-06-01",
			p.Style(), p.StyleSince(), p.Phase(), p.PhaseSince())
	}
	later, today := pathT0.AddDate(0, 1, 0), date(t, "2027-01-07")
	next := coach.Step{Responsibility: "plans the week", Target: date(t, "2027-02-01")}
	tests := []struct {
		name       string
		in         coach.PathInput
		wantStyles []coach.Spell[coach.Style]
		wantPhases []coach.Spell[coach.Phase]
	}{
		{"nothing but the step", coach.PathInput{Style: coach.Coaching, Phase: coach.SelfKnowledge, Next: next},
			p.Styles, p.Phases},
		{"a new style starts today", coach.PathInput{Style: coach.Facilitating, Phase: coach.SelfKnowledge, Next: next},
			append(slices.Clone(p.Styles), coach.Spell[coach.Style]{Value: coach.Facilitating, Since: today}), p.Phases},
		{"a new phase starts today", coach.PathInput{Style: coach.Coaching, Phase: coach.Development, Next: next},
			p.Styles, append(slices.Clone(p.Phases), coach.Spell[coach.Phase]{Value: coach.Development, Since: today})},
		{"a new phase since a given day", coach.PathInput{Style: coach.Coaching, Phase: coach.Development,
			PhaseSince: date(t, "2027-01-01"), Next: next},
			p.Styles, append(slices.Clone(p.Phases), coach.Spell[coach.Phase]{Value: coach.Development, Since: date(t, "2027-01-01")})},
		{"the same phase since another day moves its start", coach.PathInput{Style: coach.Coaching, Phase: coach.SelfKnowledge,
			PhaseSince: date(t, "2026-05-01"), Next: next},
			p.Styles, []coach.Spell[coach.Phase]{{Value: coach.SelfKnowledge, Since: date(t, "2026-05-01")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := newPath(t)
			got := before.Set(tt.in, later, today)
			if got.Rev != 2 || !got.Created.Equal(pathT0) || !got.Updated.Equal(later) || got.Next != next {
				t.Errorf("Set: Rev %d, Created %v, Updated %v, Next %+v; want 2, t0, a month later, %+v",
					got.Rev, got.Created, got.Updated, got.Next, next)
			}
			if !slices.Equal(got.Styles, tt.wantStyles) || !slices.Equal(got.Phases, tt.wantPhases) {
				t.Errorf("Set: styles %v phases %v; want %v %v", got.Styles, got.Phases, tt.wantStyles, tt.wantPhases)
			}
			if len(got.Reviews) != 0 || len(got.HandedOver) != 0 {
				t.Errorf("Set recorded a review or hand-over: %+v", got)
			}
			if !slices.Equal(before.Phases, newPath(t).Phases) {
				t.Errorf("Set changed the path it was called on: %v", before.Phases)
			}
		})
	}
}

func TestPathApply(t *testing.T) {
	at, today := pathT0.AddDate(0, 1, 0), date(t, "2027-01-07")
	planned := coach.Step{Responsibility: "runs the stand-up", DoneLooksLike: "I only watch", Target: date(t, "2027-01-15")}
	newStep := coach.Step{Responsibility: "plans the week", DoneLooksLike: "plan up by Monday", Target: date(t, "2027-02-15")}
	later := coach.Step{Responsibility: "runs the stand-up", DoneLooksLike: "I only watch", Target: date(t, "2027-02-01")}
	tests := []struct {
		name       string
		in         coach.ReviewInput
		wantNext   coach.Step
		wantHanded []coach.Handover
		wantStyle  coach.Style
		wantPhase  coach.Phase
		review     coach.Review // At, On and Planned are checked apart
	}{
		{"handed over moves the step to the list and takes the next",
			coach.ReviewInput{Rev: 1, Outcome: coach.Handed, Saw: "ran it alone", Next: newStep},
			newStep, []coach.Handover{{What: "runs the stand-up", On: today, At: at}}, coach.Coaching, coach.SelfKnowledge,
			coach.Review{Outcome: coach.Handed, Saw: "ran it alone", Next: newStep}},
		{"partly keeps the step",
			coach.ReviewInput{Rev: 1, Outcome: coach.Partly, Saw: "half the days"},
			planned, nil, coach.Coaching, coach.SelfKnowledge,
			coach.Review{Outcome: coach.Partly, Saw: "half the days", Next: planned}},
		{"partly with a later date updates the step",
			coach.ReviewInput{Rev: 1, Outcome: coach.Partly, Next: later},
			later, nil, coach.Coaching, coach.SelfKnowledge,
			coach.Review{Outcome: coach.Partly, Next: later}},
		{"not yet with a new style and phase",
			coach.ReviewInput{Rev: 1, Outcome: coach.NotYet, Style: coach.Directing, Phase: coach.SelfAcceptance},
			planned, nil, coach.Directing, coach.SelfAcceptance,
			coach.Review{Outcome: coach.NotYet, Next: planned, Style: coach.Directing, Phase: coach.SelfAcceptance}},
		{"the same style and phase are no change",
			coach.ReviewInput{Rev: 1, Outcome: coach.NotYet, Style: coach.Coaching, Phase: coach.SelfKnowledge},
			planned, nil, coach.Coaching, coach.SelfKnowledge,
			coach.Review{Outcome: coach.NotYet, Next: planned}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := newPath(t)
			got := before.Apply(tt.in, at, today)
			if got.Rev != 2 || !got.Updated.Equal(at) || got.Next != tt.wantNext {
				t.Errorf("Apply: Rev %d, Updated %v, Next %+v; want 2, %v, %+v", got.Rev, got.Updated, got.Next, at, tt.wantNext)
			}
			if !slices.Equal(got.HandedOver, tt.wantHanded) {
				t.Errorf("Apply: handed over %+v, want %+v", got.HandedOver, tt.wantHanded)
			}
			if got.Style() != tt.wantStyle || got.Phase() != tt.wantPhase {
				t.Errorf("Apply: style %s phase %d, want %s %d", got.Style(), got.Phase(), tt.wantStyle, tt.wantPhase)
			}
			if tt.wantStyle != coach.Coaching && got.StyleSince() != today {
				t.Errorf("Apply: new style since %s, want %s", got.StyleSince(), today)
			}
			if tt.wantPhase != coach.SelfKnowledge && got.PhaseSince() != today {
				t.Errorf("Apply: new phase since %s, want %s", got.PhaseSince(), today)
			}
			want := tt.review
			want.At, want.On, want.Planned = at, today, planned
			if len(got.Reviews) != 1 || got.Reviews[0] != want {
				t.Errorf("Apply: reviews %+v, want [%+v]", got.Reviews, want)
			}
			if len(before.Reviews) != 0 || len(before.HandedOver) != 0 || before.Rev != 1 {
				t.Errorf("Apply changed the path it was called on: %+v", before)
			}
		})
	}
}

// A history longer than the bound keeps its newest entries.
func TestPathHistoryIsBounded(t *testing.T) {
	p := newPath(t)
	today := date(t, "2026-12-07")
	for i := range coach.MaxReviews + 5 {
		in := coach.ReviewInput{Outcome: coach.Handed, Next: coach.Step{Responsibility: "step", Target: today.AddDays(i + 1)}}
		p = p.Apply(in, pathT0.Add(time.Duration(i)*time.Hour), today)
	}
	if len(p.Reviews) != coach.MaxReviews || len(p.HandedOver) != coach.MaxHandovers {
		t.Fatalf("after %d reviews: %d reviews, %d hand-overs; want %d and %d", coach.MaxReviews+5,
			len(p.Reviews), len(p.HandedOver), coach.MaxReviews, coach.MaxHandovers)
	}
	if last := p.Reviews[len(p.Reviews)-1]; last.Next.Target != today.AddDays(coach.MaxReviews+5) {
		t.Errorf("the newest review was dropped: last is %+v", last)
	}
	if first := p.Reviews[0]; !first.At.Equal(pathT0.Add(5 * time.Hour)) {
		t.Errorf("first kept review at %v, want the sixth (%v)", first.At, pathT0.Add(5*time.Hour))
	}
}
