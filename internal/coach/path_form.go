package coach

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The path form and the review form: what Slack sends (PathForm,
// ReviewForm: every field as text), parsed (Input) and then validated
// against the path and the director's today (ValidatePath, ValidateReview).
// Every failure is an EINVALID *Error with a message key, wrapped in a
// FieldError that names the field, so a form can show it beside the field.

// Bounds of the dates a form accepts.
const (
	// MaxTargetMonths is how far ahead a target date may lie: a step
	// further away than two years is not a next step.
	MaxTargetMonths = 24
	// MaxPhaseSinceYears is how far back the start of a phase may lie.
	MaxPhaseSinceYears = 30
)

// FormField names a field of the path or review form.
type FormField string

// The fields of the two forms.
const (
	FieldStyle          FormField = "style"
	FieldPhase          FormField = "phase"
	FieldPhaseSince     FormField = "phase_since"
	FieldResponsibility FormField = "responsibility"
	FieldDoneLooksLike  FormField = "done_looks_like"
	FieldTarget         FormField = "target"
	FieldOutcome        FormField = "outcome"
	FieldSaw            FormField = "saw"
)

// FieldError is an invalid form field: Err (code EINVALID) says what is
// wrong, Field where. ErrorCode and ErrorMessage see Err through it.
type FieldError struct {
	Field FormField
	Err   *Error
}

func (e *FieldError) Error() string { return "form field " + string(e.Field) + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

// FieldOf returns the form field an error is about, ok false when it is not
// about one field.
func FieldOf(err error) (FormField, bool) {
	if fe, ok := errors.AsType[*FieldError](err); ok {
		return fe.Field, true
	}
	return "", false
}

func invalidField(f FormField, key string, args ...any) error {
	return &FieldError{Field: f, Err: Errorf(EINVALID, key, args...)}
}

// PathForm is the path form as submitted: style and phase as the selects'
// values (a style's key, a phase's number), dates as YYYY-MM-DD, "" for an
// empty field.
type PathForm struct {
	Style          string
	Phase          string
	PhaseSince     string // optional
	Responsibility string
	DoneLooksLike  string // optional
	Target         string
}

// ReviewForm is the review form as submitted. Style and Phase are optional
// ("" keeps them); so are the three fields of the next step after Partly or
// NotYet, which keep the current step when all are empty.
type ReviewForm struct {
	Outcome        string
	Saw            string
	Style          string
	Phase          string
	Responsibility string
	DoneLooksLike  string
	Target         string
}

// Form is p as the path form shows it, prefilled; the zero form for a path
// not set yet.
func (p Path) Form() PathForm {
	if p.Rev == 0 {
		return PathForm{}
	}
	return PathForm{Style: string(p.Style()), Phase: phaseText(p.Phase()), PhaseSince: p.PhaseSince().String(),
		Responsibility: p.Next.Responsibility, DoneLooksLike: p.Next.DoneLooksLike, Target: p.Next.Target.String()}
}

// Form is in as the path form would submit it.
func (in PathInput) Form() PathForm {
	return PathForm{Style: string(in.Style), Phase: phaseText(in.Phase), PhaseSince: in.PhaseSince.String(),
		Responsibility: in.Next.Responsibility, DoneLooksLike: in.Next.DoneLooksLike, Target: in.Next.Target.String()}
}

// Form is in as the review form would submit it.
func (in ReviewInput) Form() ReviewForm {
	return ReviewForm{Outcome: string(in.Outcome), Saw: in.Saw, Style: string(in.Style), Phase: phaseText(in.Phase),
		Responsibility: in.Next.Responsibility, DoneLooksLike: in.Next.DoneLooksLike, Target: in.Next.Target.String()}
}

func phaseText(p Phase) string {
	if p == 0 {
		return ""
	}
	return strconv.Itoa(int(p))
}

// Input parses the form's selects and dates. The texts are passed on as
// typed: ValidatePath cleans and checks them.
func (f PathForm) Input() (PathInput, error) {
	var in PathInput
	var ok bool
	if in.Style, ok = ParseStyle(f.Style); !ok {
		return PathInput{}, invalidField(FieldStyle, "path.err.bad_style")
	}
	if in.Phase, ok = ParsePhase(f.Phase); !ok {
		return PathInput{}, invalidField(FieldPhase, "path.err.bad_phase")
	}
	if s := strings.TrimSpace(f.PhaseSince); s != "" {
		if in.PhaseSince, ok = ParseDate(s); !ok {
			return PathInput{}, invalidField(FieldPhaseSince, "path.err.bad_date")
		}
	}
	next, err := parseStep(f.Responsibility, f.DoneLooksLike, f.Target)
	in.Next = next
	return in, err
}

// Input parses the review form's choices and dates; the texts are passed on
// as typed (ValidateReview checks them).
func (f ReviewForm) Input() (ReviewInput, error) {
	in := ReviewInput{Outcome: ReviewOutcome(strings.TrimSpace(f.Outcome)), Saw: f.Saw}
	if !in.Outcome.Valid() {
		return ReviewInput{}, invalidField(FieldOutcome, "path.err.bad_outcome")
	}
	var ok bool
	if s := strings.TrimSpace(f.Style); s != "" {
		if in.Style, ok = ParseStyle(s); !ok {
			return ReviewInput{}, invalidField(FieldStyle, "path.err.bad_style")
		}
	}
	if s := strings.TrimSpace(f.Phase); s != "" {
		if in.Phase, ok = ParsePhase(s); !ok {
			return ReviewInput{}, invalidField(FieldPhase, "path.err.bad_phase")
		}
	}
	if strings.TrimSpace(f.Responsibility+f.DoneLooksLike+f.Target) == "" {
		return in, nil // keep the step (ValidateReview: not after Handed)
	}
	next, err := parseStep(f.Responsibility, f.DoneLooksLike, f.Target)
	in.Next = next
	return in, err
}

// parseStep reads a step's date; its texts are passed on as typed.
func parseStep(resp, done, target string) (Step, error) {
	s := Step{Responsibility: resp, DoneLooksLike: done}
	t := strings.TrimSpace(target)
	if t == "" {
		return s, invalidField(FieldTarget, "path.err.target_missing")
	}
	d, ok := ParseDate(t)
	if !ok {
		return s, invalidField(FieldTarget, "path.err.bad_date")
	}
	s.Target = d
	return s, nil
}

// ValidatePath checks the path form's input for path cur (the zero Path
// when there is none yet) on the director's day today, and returns it with
// its texts cleaned (Clean). A target date that is the current step's
// passes as it is, even when it has passed: editing other fields of an
// overdue path must not force a new date. A new target lies between today
// and MaxTargetMonths ahead.
func ValidatePath(in PathInput, cur Path, today Date) (PathInput, error) {
	if !in.Style.Valid() {
		return PathInput{}, invalidField(FieldStyle, "path.err.bad_style")
	}
	if !in.Phase.Valid() {
		return PathInput{}, invalidField(FieldPhase, "path.err.bad_phase")
	}
	if err := validPhaseSince(in, cur, today); err != nil {
		return PathInput{}, err
	}
	next, err := validStep(in.Next, cur.Next.Target, today)
	if err != nil {
		return PathInput{}, err
	}
	in.Next = next
	return in, nil
}

// validPhaseSince checks the optional start of the phase: not after today,
// not before MaxPhaseSinceYears ago, and not before the start of the spell
// it follows (the current one for a new phase, the one before for the
// same phase).
func validPhaseSince(in PathInput, cur Path, today Date) error {
	since := in.PhaseSince
	if since.IsZero() {
		return nil
	}
	if since.After(today) {
		return invalidField(FieldPhaseSince, "path.err.since_future")
	}
	if since.Before(today.AddMonths(-12 * MaxPhaseSinceYears)) {
		return invalidField(FieldPhaseSince, "path.err.since_far", MaxPhaseSinceYears)
	}
	prev := cur.Phases
	if len(prev) > 0 && last(prev).Value == in.Phase {
		prev = prev[:len(prev)-1]
	}
	if len(prev) > 0 && since.Before(last(prev).Since) {
		return invalidField(FieldPhaseSince, "path.err.since_order", last(prev).Since.String())
	}
	return nil
}

// validStep cleans and checks a step; keep is the target that passes
// without the range check (the current one).
func validStep(s Step, keep, today Date) (Step, error) {
	var err error
	if s.Responsibility, err = validText(FieldResponsibility, s.Responsibility); err != nil {
		return Step{}, err
	}
	if s.Responsibility == "" {
		return Step{}, invalidField(FieldResponsibility, "path.err.next_missing")
	}
	if s.DoneLooksLike, err = validText(FieldDoneLooksLike, s.DoneLooksLike); err != nil {
		return Step{}, err
	}
	switch {
	case s.Target.IsZero():
		return Step{}, invalidField(FieldTarget, "path.err.target_missing")
	case !keep.IsZero() && s.Target == keep:
	case s.Target.Before(today):
		return Step{}, invalidField(FieldTarget, "path.err.target_past", today.String())
	case s.Target.After(today.AddMonths(MaxTargetMonths)):
		return Step{}, invalidField(FieldTarget, "path.err.target_far", MaxTargetMonths)
	}
	return s, nil
}

// validText checks a text's length as typed and returns it cleaned.
func validText(f FormField, s string) (string, error) {
	if utf8.RuneCountInString(s) > MaxTextLen {
		return "", invalidField(f, "svc.err.text_too_long", MaxTextLen)
	}
	return Clean(s, MaxTextLen), nil
}

// ValidateReview checks the review form's input for path cur on the
// director's day today and returns it with its texts cleaned. After Handed
// a next step is required (the responsibility just handed over leaves the
// plan); after Partly or NotYet a zero step keeps the current one.
func ValidateReview(in ReviewInput, cur Path, today Date) (ReviewInput, error) {
	if !in.Outcome.Valid() {
		return ReviewInput{}, invalidField(FieldOutcome, "path.err.bad_outcome")
	}
	if in.Style != "" && !in.Style.Valid() {
		return ReviewInput{}, invalidField(FieldStyle, "path.err.bad_style")
	}
	if in.Phase != 0 && !in.Phase.Valid() {
		return ReviewInput{}, invalidField(FieldPhase, "path.err.bad_phase")
	}
	var err error
	if in.Saw, err = validText(FieldSaw, in.Saw); err != nil {
		return ReviewInput{}, err
	}
	if in.Next.IsZero() {
		if in.Outcome == Handed {
			return ReviewInput{}, invalidField(FieldResponsibility, "path.err.next_after_handover")
		}
		return in, nil
	}
	keep := cur.Next.Target
	if in.Outcome == Handed {
		keep = Date{} // a new step needs a new date
	}
	if in.Next, err = validStep(in.Next, keep, today); err != nil {
		return ReviewInput{}, err
	}
	return in, nil
}
