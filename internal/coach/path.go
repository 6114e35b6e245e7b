package coach

import (
	"slices"
	"time"
)

// The delegation path (docs/product.md "The delegation path"): the way a
// director and one Lean leader plot together toward delegating leadership.
// There is one path per pair. It holds where the pair stands now (the style
// the Lean leader needs from the director, the phase of self-reliance), the
// next responsibility to hand over with what "handed over" will look like
// and a target date, the responsibilities handed over so far, and every
// review as one PDCA record.
//
// The path is the director's record about the pair: the director writes it,
// the Lean leader may read it, admins see counts only. The Lean leader's own
// words about the pair (comments, monthly check-ins) are the leader's data
// and are kept beside the path, not in it, so that each person's export and
// forget reach exactly their own records (see internal/store doc.go).

// Pair is a director and one of their Lean leaders.
type Pair struct {
	Director UserID
	Leader   UserID
}

// Step is one responsibility to hand over: what the Lean leader takes over
// next, what it will look like once it is handed over, and by when.
type Step struct {
	Responsibility string // never empty in a stored path
	DoneLooksLike  string // may be empty
	Target         Date   // in the director's calendar; never zero in a stored path
}

// IsZero reports whether s is the zero Step (nothing planned).
func (s Step) IsZero() bool { return s == Step{} }

// Handover is one responsibility handed over to the Lean leader.
type Handover struct {
	What string    // the responsibility; "" once the retention removed the text
	On   Date      // the review that recorded it, in the director's calendar
	At   time.Time // when that review was recorded, UTC
}

// ReviewOutcome is whether the planned responsibility was handed over. The
// value is stored: never rename.
type ReviewOutcome string

// The three outcomes of a review, in the order users see them.
const (
	Handed ReviewOutcome = "handed_over"
	Partly ReviewOutcome = "partly"
	NotYet ReviewOutcome = "not_yet"
)

// ReviewOutcomes lists the outcomes in the order users see them.
func ReviewOutcomes() []ReviewOutcome { return []ReviewOutcome{Handed, Partly, NotYet} }

// Valid reports whether o is one of the three outcomes.
func (o ReviewOutcome) Valid() bool { return slices.Contains(ReviewOutcomes(), o) }

// NameKey is the catalog key of the outcome's name ("handed over", "deels").
func (o ReviewOutcome) NameKey() string { return "path.outcome." + string(o) }

// Review is one PDCA record of a path: what was planned (the step as it
// stood before the review), whether it happened, what the director saw, and
// the next step, possibly with a new style or phase.
type Review struct {
	At      time.Time // when it was recorded, UTC
	On      Date      // the day, in the director's calendar
	Planned Step      // plan: the step under review
	Outcome ReviewOutcome
	Saw     string // check: what the director saw; may be empty
	Next    Step   // act: the step after the review (Planned again when kept)
	Style   Style  // the style set by this review; "" when it stayed
	Phase   Phase  // the phase set by this review; 0 when it stayed
}

// Spell is one value held from Since (in the director's calendar) until the
// next spell's Since.
type Spell[T comparable] struct {
	Value T
	Since Date
}

// Limits that keep a path's record bounded: a monthly review for forty
// years fits, and a history longer than that drops its oldest entries.
const (
	MaxReviews   = 480
	MaxHandovers = 480
	MaxSpells    = 480
)

// Path is the delegation path of one pair. A stored path always has at
// least one style and one phase spell and a next step.
type Path struct {
	Pair
	// Rev counts the changes, from 1 for a new path. A form carries the
	// Rev it showed back (PathInput.Rev, ReviewInput.Rev), so a change
	// made in between is not overwritten unseen.
	Rev        int
	Styles     []Spell[Style] // oldest first; the last is the style now
	Phases     []Spell[Phase] // oldest first; the last is the phase now
	Next       Step           // the next responsibility to hand over
	HandedOver []Handover     // oldest first
	Reviews    []Review       // oldest first
	Created    time.Time      // UTC
	Updated    time.Time      // UTC: the last change, a review or an edit
}

// Style is the style the Lean leader needs now; "" for a path not set yet.
func (p Path) Style() Style { return last(p.Styles).Value }

// StyleSince is the day the current style was set.
func (p Path) StyleSince() Date { return last(p.Styles).Since }

// Phase is the phase the Lean leader's team is in now; 0 for a path not set
// yet.
func (p Path) Phase() Phase { return last(p.Phases).Value }

// PhaseSince is the day the current phase began.
func (p Path) PhaseSince() Date { return last(p.Phases).Since }

// LastReview returns the latest review, ok false when there is none.
func (p Path) LastReview() (Review, bool) {
	if len(p.Reviews) == 0 {
		return Review{}, false
	}
	return p.Reviews[len(p.Reviews)-1], true
}

func last[T comparable](s []Spell[T]) Spell[T] {
	if len(s) == 0 {
		return Spell[T]{}
	}
	return s[len(s)-1]
}

// PathInput is the path form, validated (see PathForm.Input and
// ValidatePath): the four fields a director sets.
type PathInput struct {
	Rev        int // the path's Rev the form showed; 0 for a new path
	Style      Style
	Phase      Phase
	PhaseSince Date // optional: when the phase began; zero means today for a new phase
	Next       Step
}

// ReviewInput is the review form, validated (see ReviewForm.Input and
// ValidateReview).
type ReviewInput struct {
	Rev     int // the path's Rev the form showed
	Outcome ReviewOutcome
	Saw     string
	// Next is the step after the review: required after Handed; after
	// Partly or NotYet the zero Step keeps the current one.
	Next  Step
	Style Style // "" keeps the style
	Phase Phase // 0 keeps the phase
}

// Set returns p with the path form's input applied on day today, at the
// moment at: a new path when p has none (Rev 0), else the edited one. A
// style or phase that changes starts a new spell (since today, or since
// in.PhaseSince for the phase); a PhaseSince for the same phase moves the
// start of the current spell. It does not check in.Rev (see SetPath); the
// input must be valid for p (ValidatePath).
func (p Path) Set(in PathInput, at time.Time, today Date) Path {
	p = p.clone()
	if p.Rev == 0 {
		p.Created = at
	}
	p.Styles = setSpell(p.Styles, in.Style, today, Date{})
	p.Phases = setSpell(p.Phases, in.Phase, today, in.PhaseSince)
	p.Next = in.Next
	p.Rev++
	p.Updated = at
	return p
}

// setSpell starts a new spell of v (since since, or today when since is
// zero) when v differs from the current value, or moves the current
// spell's start to since when it is the same value and since is set.
func setSpell[T comparable](spells []Spell[T], v T, today, since Date) []Spell[T] {
	if len(spells) > 0 && last(spells).Value == v {
		if !since.IsZero() {
			spells[len(spells)-1].Since = since
		}
		return spells
	}
	if since.IsZero() {
		since = today
	}
	spells = append(spells, Spell[T]{Value: v, Since: since})
	return keepLast(spells, MaxSpells)
}

// Apply returns p with the review applied on day today, at the moment at:
// the review is appended as a PDCA record (planned = the step before);
// after Handed the step moves to the responsibilities handed over and the
// review's next step becomes the path's; after Partly or NotYet the path
// keeps its step unless the review gives a new one. A new style or phase
// starts a spell since today. It does not check in.Rev (see ReviewPath);
// the input must be valid for p (ValidateReview).
func (p Path) Apply(in ReviewInput, at time.Time, today Date) Path {
	p = p.clone()
	r := Review{At: at, On: today, Planned: p.Next, Outcome: in.Outcome, Saw: in.Saw, Next: p.Next}
	if in.Outcome == Handed {
		p.HandedOver = keepLast(append(p.HandedOver, Handover{What: p.Next.Responsibility, On: today, At: at}), MaxHandovers)
	}
	if !in.Next.IsZero() {
		r.Next = in.Next
	}
	if in.Style != "" && in.Style != p.Style() {
		r.Style = in.Style
		p.Styles = setSpell(p.Styles, in.Style, today, Date{})
	}
	if in.Phase != 0 && in.Phase != p.Phase() {
		r.Phase = in.Phase
		p.Phases = setSpell(p.Phases, in.Phase, today, Date{})
	}
	p.Next = r.Next
	p.Reviews = keepLast(append(p.Reviews, r), MaxReviews)
	p.Rev++
	p.Updated = at
	return p
}

// keepLast returns the last n elements of s.
func keepLast[T any](s []T, n int) []T {
	if len(s) <= n {
		return s
	}
	return slices.Clone(s[len(s)-n:])
}

// clone returns p with its own copies of the lists, so that a change to the
// result never shows in p.
func (p Path) clone() Path {
	p.Styles = slices.Clone(p.Styles)
	p.Phases = slices.Clone(p.Phases)
	p.HandedOver = slices.Clone(p.HandedOver)
	p.Reviews = slices.Clone(p.Reviews)
	return p
}

// sameAsSet reports whether setting in would change nothing in p: a
// repeated submission of the same form.
func (p Path) sameAsSet(in PathInput) bool {
	return p.Rev > 0 && p.Style() == in.Style && p.Phase() == in.Phase && p.Next == in.Next &&
		(in.PhaseSince.IsZero() || in.PhaseSince == p.PhaseSince())
}

// sameAsLastReview reports whether in is the review p's last change
// recorded: a repeated submission of the same review form.
func (p Path) sameAsLastReview(in ReviewInput) bool {
	r, ok := p.LastReview()
	if !ok || in.Rev != p.Rev-1 || !r.At.Equal(p.Updated) {
		return false
	}
	next := in.Next
	if next.IsZero() {
		next = r.Planned
	}
	return r.Outcome == in.Outcome && r.Saw == in.Saw && r.Next == next &&
		(in.Style == "" || in.Style == p.Style()) && (in.Phase == 0 || in.Phase == p.Phase())
}
