package coach

import (
	"time"

	"github.com/leancoach/leancoach/internal/i18n"
)

// The rules of the delegation path. All are pure and work on the
// director's calendar: today is the director's local date (see
// PathService), and every date of a path is one of theirs.

// PhaseFrame is the seed's realistic expectation for a span of phases (docs/domain.md): phases 1 and 2 together
// take about a year; the basis of phase 3 is laid in 2 to 4 years; phase 4
// goes on for a lifetime. It is an expectation to show, never a verdict.
type PhaseFrame struct {
	// First is the first phase of the span the frame measures: the time
	// counts from the start of the earliest phase of the span in the
	// leader's current, unbroken run of the span's phases.
	First, Last Phase
	// From and To are the usual time, in months, for the span: less than
	// From is within it, From to To around it, more than To beyond.
	// Zero for an ongoing frame (phase 4).
	From, To int
}

// Ongoing reports whether the frame has no usual end (phase 4).
func (f PhaseFrame) Ongoing() bool { return f.To == 0 }

// Key is the catalog key of the frame's one-line description.
func (f PhaseFrame) Key() string {
	switch {
	case f.Ongoing():
		return "path.frame.usual.ongoing"
	case f.First == f.Last:
		return "path.frame.usual.phase3"
	}
	return "path.frame.usual.phase12"
}

// PhaseFrameOf returns the frame phase p belongs to.
func PhaseFrameOf(p Phase) PhaseFrame {
	switch p {
	case SelfAcceptance, SelfKnowledge:
		// "About a year" for both: a couple of months either side of
		// twelve is around it.
		return PhaseFrame{First: SelfAcceptance, Last: SelfKnowledge, From: 10, To: 14}
	case Development:
		return PhaseFrame{First: Development, Last: Development, From: 24, To: 48}
	}
	return PhaseFrame{First: Spreading, Last: Spreading}
}

// FrameStatus is where the time in a phase stands against its frame. The
// words are neutral on purpose: people grow at their own pace.
type FrameStatus string

const (
	FrameWithin  FrameStatus = "within"  // less than the usual time so far
	FrameAround  FrameStatus = "around"  // about the usual time
	FrameBeyond  FrameStatus = "beyond"  // longer than usual
	FrameOngoing FrameStatus = "ongoing" // phase 4: no usual end
)

// PhaseProgress is how long the Lean leader's team has been in the current
// span of phases, against its frame.
type PhaseProgress struct {
	Phase  Phase
	Frame  PhaseFrame
	Since  Date // the start of the span's run (see PhaseFrame.First)
	Months int  // whole calendar months from Since to today
	Days   int  // days from Since to today
	Status FrameStatus
}

// PhaseProgress measures p's current phase on day today; the zero value
// for a path not set yet. Time in phases 1 and 2 counts together from the
// start of the run of those phases the team is in now (a step back from 2
// to 1 does not restart the clock; a step back from 3 does).
func (p Path) PhaseProgress(today Date) PhaseProgress {
	if len(p.Phases) == 0 {
		return PhaseProgress{}
	}
	ph := p.Phase()
	f := PhaseFrameOf(ph)
	since := p.PhaseSince()
	for i := len(p.Phases) - 1; i >= 0 && p.Phases[i].Value >= f.First && p.Phases[i].Value <= f.Last; i-- {
		since = p.Phases[i].Since
	}
	if since.After(today) { // a clock set back: count nothing rather than less than nothing
		since = today
	}
	pp := PhaseProgress{Phase: ph, Frame: f, Since: since, Months: since.MonthsUntil(today), Days: since.DaysUntil(today)}
	switch {
	case f.Ongoing():
		pp.Status = FrameOngoing
	case pp.Months < f.From:
		pp.Status = FrameWithin
	case pp.Months <= f.To:
		pp.Status = FrameAround
	default:
		pp.Status = FrameBeyond
	}
	return pp
}

// Msg is the neutral line that shows the time in the phase against its
// frame, e.g. "7 months in phases 1 and 2. About a year for both is
// realistic."
func (pp PhaseProgress) Msg() i18n.Msg {
	if pp.Phase == 0 {
		return i18n.M("path.frame.none")
	}
	return i18n.M("path.frame."+string(pp.Status), monthsMsg(pp.Months), i18n.M(pp.Frame.Key()))
}

// monthsMsg is "3 months" or "less than a month".
func monthsMsg(n int) i18n.Msg {
	switch {
	case n < 1:
		return i18n.M("path.months.none")
	case n == 1:
		return i18n.M("path.months.one", n)
	}
	return i18n.M("path.months.other", n)
}

// DueReason says why a review is due.
type DueReason string

const (
	DueMonthly DueReason = "monthly" // a month since the last review (or since the path was set)
	DueTarget  DueReason = "target"  // the target date passed since the last review
)

// ReviewDue is when p's next review is due.
type ReviewDue struct {
	// Last is the day of the last review, or the day the path was set
	// when it has had none.
	Last Date
	// Reviewed is false while the path has had no review.
	Reviewed bool
	// Next is the day the monthly review is due: a calendar month after
	// Last.
	Next Date
	// Due is set from the day a review is due; Reason says why.
	Due    bool
	Reason DueReason
	// DaysSince is the number of days from Last to today.
	DaysSince int
}

// ReviewDue tells whether p is due for a review on day today (the
// director's): a calendar month after the last review, or after the day
// the path was set while it has had none (edits with the path form do not
// move it); and from the day after the target date when no review was
// recorded on or after that date. A review on or after the target date,
// even one that kept the date, answers the target; from then on only the
// month counts, so an overdue step is not asked about every day. loc is
// the director's zone, in which the path's creation day is read.
func (p Path) ReviewDue(today Date, loc *time.Location) ReviewDue {
	if p.Rev == 0 {
		return ReviewDue{}
	}
	rd := ReviewDue{Last: DateOf(p.Created.In(loc))}
	if r, ok := p.LastReview(); ok {
		rd.Last, rd.Reviewed = r.On, true
	}
	rd.Next = rd.Last.AddMonths(1)
	rd.DaysSince = rd.Last.DaysUntil(today)
	switch {
	case !today.Before(rd.Next):
		rd.Due, rd.Reason = true, DueMonthly
	case !p.Next.Target.IsZero() && p.Next.Target.Before(today) && (!rd.Reviewed || rd.Last.Before(p.Next.Target)):
		rd.Due, rd.Reason = true, DueTarget
	}
	return rd
}

// DaysOverdue is how many days the target date of p's next step lies
// before today; 0 when it has not passed (or there is none).
func (p Path) DaysOverdue(today Date) int {
	if p.Next.Target.IsZero() || !p.Next.Target.Before(today) {
		return 0
	}
	return p.Next.Target.DaysUntil(today)
}

// YearProgress is what changed on a path over the last year: what the
// director can see of the way travelled.
type YearProgress struct {
	From         Date // a year before today: the window is From to today
	HandedOver   int  // responsibilities handed over in the window
	Reviews      int  // reviews in the window
	Partly       int  // of which partly
	NotYet       int  // of which not yet
	StyleChanges int  // times the style changed in the window
	PhaseChanges int  // times the phase changed in the window
	Phase        PhaseProgress
}

// YearProgress counts p's changes from a year before today to today. The
// first style and phase of a path are where it started, not changes.
func (p Path) YearProgress(today Date) YearProgress {
	y := YearProgress{From: today.AddMonths(-12), Phase: p.PhaseProgress(today)}
	in := func(d Date) bool { return !d.Before(y.From) && !d.After(today) }
	for _, h := range p.HandedOver {
		if in(h.On) {
			y.HandedOver++
		}
	}
	for _, r := range p.Reviews {
		if !in(r.On) {
			continue
		}
		y.Reviews++
		switch r.Outcome {
		case Partly:
			y.Partly++
		case NotYet:
			y.NotYet++
		}
	}
	y.StyleChanges = changesIn(p.Styles, in)
	y.PhaseChanges = changesIn(p.Phases, in)
	return y
}

// changesIn counts the spells after the first that began in the window.
func changesIn[T comparable](spells []Spell[T], in func(Date) bool) int {
	n := 0
	for i, s := range spells {
		if i > 0 && in(s.Since) {
			n++
		}
	}
	return n
}

// ReviewedWindow is how recent a review must be for the admins' count of
// pairs reviewed lately (docs/product.md: the last 45 days).
const ReviewedWindow = 45 * 24 * time.Hour

// PathCounts is what admins see of the paths: counts only, never a text,
// a style, or who is in which phase.
type PathCounts struct {
	Pairs    int           // director and Lean leader pairs registered now
	WithPath int           // of those, pairs with a path
	Reviewed int           // of those, pairs reviewed in the last ReviewedWindow
	PerPhase map[Phase]int // pairs with a path per phase (a Lean leader with two directors counts per path)
}

// CountPaths counts paths ps of the pairs of directors ds at now.
func CountPaths(ds []Director, ps []Path, now time.Time) PathCounts {
	current := map[Pair]bool{}
	for _, d := range ds {
		for _, l := range d.Leaders {
			current[Pair{Director: d.ID, Leader: l}] = true
		}
	}
	c := PathCounts{Pairs: len(current), PerPhase: map[Phase]int{}}
	for _, p := range ps {
		if !current[p.Pair] || p.Rev == 0 {
			continue
		}
		c.WithPath++
		c.PerPhase[p.Phase()]++
		if r, ok := p.LastReview(); ok && !r.At.Before(now.Add(-ReviewedWindow)) {
			c.Reviewed++
		}
	}
	return c
}
