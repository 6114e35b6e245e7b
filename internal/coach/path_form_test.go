package coach_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// formToday is the director's day in the form tests.
const formToday = "2026-12-07"

// wantInvalid fails unless err is EINVALID about field with message key.
func wantInvalid(t *testing.T, err error, field coach.FormField, key string) {
	t.Helper()
	if coach.ErrorCode(err) != coach.EINVALID {
		t.Fatalf("error %v has code %q, want invalid", err, coach.ErrorCode(err))
	}
	if f, ok := coach.FieldOf(err); !ok || f != field {
		t.Errorf("error %v is about field %q (%v), want %q", err, f, ok, field)
	}
	if k := coach.ErrorMessage(err).Key; k != key {
		t.Errorf("error %v has message %q, want %q", err, k, key)
	}
}

// validPath runs the path form through Input and ValidatePath.
func validPath(t testing.TB, f coach.PathForm, cur coach.Path) (coach.PathInput, error) {
	in, err := f.Input()
	if err != nil {
		return coach.PathInput{}, err
	}
	return coach.ValidatePath(in, cur, date(t, formToday))
}

func TestPathFormValidation(t *testing.T) {
	ok := coach.PathForm{Style: "coaching", Phase: "2", Responsibility: "runs the stand-up", Target: "2027-01-15"}
	with := func(edit func(*coach.PathForm)) coach.PathForm { f := ok; edit(&f); return f }
	long := strings.Repeat("é", coach.MaxTextLen+1)
	// existing is a path set on 2026-10-01 in phase 1, moved to phase 2 on
	// 2026-11-01, with a target that has passed.
	existing := coach.Path{Pair: coach.Pair{Director: director, Leader: leader}}.Set(coach.PathInput{Style: coach.Coaching,
		Phase: coach.SelfAcceptance, Next: coach.Step{Responsibility: "x", Target: date(t, "2026-11-15")}}, pathT0, date(t, "2026-10-01"))
	existing = existing.Set(coach.PathInput{Style: coach.Coaching, Phase: coach.SelfKnowledge,
		Next: coach.Step{Responsibility: "x", Target: date(t, "2026-11-15")}}, pathT0, date(t, "2026-11-01"))

	tests := []struct {
		name  string
		form  coach.PathForm
		cur   coach.Path
		field coach.FormField // "" = valid
		key   string
	}{
		{"valid", ok, coach.Path{}, "", ""},
		{"a style by its Dutch name", with(func(f *coach.PathForm) { f.Style = "Faciliteren" }), coach.Path{}, "", ""},
		{"target today", with(func(f *coach.PathForm) { f.Target = formToday }), coach.Path{}, "", ""},
		{"target two years ahead", with(func(f *coach.PathForm) { f.Target = "2028-12-07" }), coach.Path{}, "", ""},
		{"phase since a day in the past", with(func(f *coach.PathForm) { f.PhaseSince = "2026-03-01" }), coach.Path{}, "", ""},
		{"the current target passes even when past", with(func(f *coach.PathForm) { f.Target = "2026-11-15" }), existing, "", ""},
		{"no style", with(func(f *coach.PathForm) { f.Style = "" }), coach.Path{}, coach.FieldStyle, "path.err.bad_style"},
		{"an unknown style", with(func(f *coach.PathForm) { f.Style = "managing" }), coach.Path{}, coach.FieldStyle, "path.err.bad_style"},
		{"no phase", with(func(f *coach.PathForm) { f.Phase = "" }), coach.Path{}, coach.FieldPhase, "path.err.bad_phase"},
		{"phase 5", with(func(f *coach.PathForm) { f.Phase = "5" }), coach.Path{}, coach.FieldPhase, "path.err.bad_phase"},
		{"phase since not a date", with(func(f *coach.PathForm) { f.PhaseSince = "2026-02-30" }), coach.Path{}, coach.FieldPhaseSince, "path.err.bad_date"},
		{"phase since tomorrow", with(func(f *coach.PathForm) { f.PhaseSince = "2026-12-08" }), coach.Path{}, coach.FieldPhaseSince, "path.err.since_future"},
		{"phase since 31 years ago", with(func(f *coach.PathForm) { f.PhaseSince = "1995-12-06" }), coach.Path{}, coach.FieldPhaseSince, "path.err.since_far"},
		{"the same phase since before the one before", with(func(f *coach.PathForm) { f.PhaseSince = "2026-09-30" }), existing, coach.FieldPhaseSince, "path.err.since_order"},
		{"a new phase since before the current one", with(func(f *coach.PathForm) { f.Phase = "3"; f.PhaseSince = "2026-10-31" }), existing, coach.FieldPhaseSince, "path.err.since_order"},
		{"empty responsibility", with(func(f *coach.PathForm) { f.Responsibility = "" }), coach.Path{}, coach.FieldResponsibility, "path.err.next_missing"},
		{"a responsibility of spaces and invisibles", with(func(f *coach.PathForm) { f.Responsibility = " \u200b\t\u202e " }), coach.Path{}, coach.FieldResponsibility, "path.err.next_missing"},
		{"a responsibility too long", with(func(f *coach.PathForm) { f.Responsibility = long }), coach.Path{}, coach.FieldResponsibility, "svc.err.text_too_long"},
		{"done-looks-like too long", with(func(f *coach.PathForm) { f.DoneLooksLike = long }), coach.Path{}, coach.FieldDoneLooksLike, "svc.err.text_too_long"},
		{"no target", with(func(f *coach.PathForm) { f.Target = " " }), coach.Path{}, coach.FieldTarget, "path.err.target_missing"},
		{"a target in the past", with(func(f *coach.PathForm) { f.Target = "2026-12-06" }), coach.Path{}, coach.FieldTarget, "path.err.target_past"},
		{"a new past target on an existing path", with(func(f *coach.PathForm) { f.Target = "2026-11-16" }), existing, coach.FieldTarget, "path.err.target_past"},
		{"a target over two years ahead", with(func(f *coach.PathForm) { f.Target = "2028-12-08" }), coach.Path{}, coach.FieldTarget, "path.err.target_far"},
		{"a target not in ISO form", with(func(f *coach.PathForm) { f.Target = "15/01/2027" }), coach.Path{}, coach.FieldTarget, "path.err.bad_date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := validPath(t, tt.form, tt.cur)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("%+v: %v, want valid", tt.form, err)
				}
				if in.Next.Responsibility == "" || in.Next.Target.IsZero() || !in.Style.Valid() || !in.Phase.Valid() {
					t.Errorf("valid input %+v lacks a field", in)
				}
				return
			}
			wantInvalid(t, err, tt.field, tt.key)
		})
	}
	// The texts are cleaned.
	in, err := validPath(t, with(func(f *coach.PathForm) { f.Responsibility = "  runs\u200b the\r\n stand-up \x00" }), coach.Path{})
	if err != nil || in.Next.Responsibility != "runs the\n stand-up" {
		t.Errorf("cleaned responsibility = %q, %v; want \"runs the\\n stand-up\"", in.Next.Responsibility, err)
	}
}

func TestReviewFormValidation(t *testing.T) {
	// cur's step ("runs the stand-up" by 2026-11-15) is overdue on formToday.
	cur := coach.Path{Pair: coach.Pair{Director: director, Leader: leader}}.Set(coach.PathInput{Style: coach.Coaching,
		Phase: coach.SelfKnowledge, Next: coach.Step{Responsibility: "runs the stand-up", Target: date(t, "2026-11-15")}}, pathT0, date(t, "2026-10-01"))
	next := func(f *coach.ReviewForm) { f.Responsibility, f.Target = "plans the week", "2027-01-31" }
	form := func(outcome string, edits ...func(*coach.ReviewForm)) coach.ReviewForm {
		f := coach.ReviewForm{Outcome: outcome}
		for _, e := range edits {
			e(&f)
		}
		return f
	}
	tests := []struct {
		name  string
		form  coach.ReviewForm
		field coach.FormField
		key   string
	}{
		{"handed over with a next step", form("handed_over", next), "", ""},
		{"partly keeps the step", form("partly"), "", ""},
		{"not yet with a new style and phase", form("not_yet", func(f *coach.ReviewForm) { f.Style, f.Phase = "sturen", "1" }), "", ""},
		{"partly keeps the overdue date", form("partly", func(f *coach.ReviewForm) { f.Responsibility, f.Target = "runs the stand-up", "2026-11-15" }), "", ""},
		{"no outcome", form(""), coach.FieldOutcome, "path.err.bad_outcome"},
		{"an unknown outcome", form("done"), coach.FieldOutcome, "path.err.bad_outcome"},
		{"handed over without a next step", form("handed_over"), coach.FieldResponsibility, "path.err.next_after_handover"},
		{"handed over with the old, past date", form("handed_over", next, func(f *coach.ReviewForm) { f.Target = "2026-11-15" }), coach.FieldTarget, "path.err.target_past"},
		{"a next step without a responsibility", form("partly", func(f *coach.ReviewForm) { f.Target = "2027-01-31" }), coach.FieldResponsibility, "path.err.next_missing"},
		{"a next step without a date", form("partly", func(f *coach.ReviewForm) { f.Responsibility = "plans the week" }), coach.FieldTarget, "path.err.target_missing"},
		{"a new date in the past", form("partly", func(f *coach.ReviewForm) { f.Responsibility, f.Target = "runs the stand-up", "2026-11-16" }), coach.FieldTarget, "path.err.target_past"},
		{"an unknown style", form("partly", func(f *coach.ReviewForm) { f.Style = "bossing" }), coach.FieldStyle, "path.err.bad_style"},
		{"phase 0", form("partly", func(f *coach.ReviewForm) { f.Phase = "0" }), coach.FieldPhase, "path.err.bad_phase"},
		{"what you saw too long", form("partly", func(f *coach.ReviewForm) { f.Saw = strings.Repeat("x", coach.MaxTextLen+1) }), coach.FieldSaw, "svc.err.text_too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := tt.form.Input()
			if err == nil {
				in, err = coach.ValidateReview(in, cur, date(t, formToday))
			}
			if tt.field == "" {
				if err != nil {
					t.Fatalf("%+v: %v, want valid", tt.form, err)
				}
				if string(in.Outcome) != tt.form.Outcome || in.Next.IsZero() != (tt.form.Responsibility == "") {
					t.Errorf("%+v reads as %+v", tt.form, in)
				}
				return
			}
			wantInvalid(t, err, tt.field, tt.key)
		})
	}
	// Invalid values that bypass the form are refused too.
	for _, in := range []coach.ReviewInput{{Outcome: "done"}, {Outcome: coach.Partly, Style: "sturen"}, {Outcome: coach.Partly, Phase: 7}} {
		if _, err := coach.ValidateReview(in, cur, date(t, formToday)); coach.ErrorCode(err) != coach.EINVALID {
			t.Errorf("ValidateReview(%+v) = %v, want invalid", in, err)
		}
	}
}

// Every message of the forms exists in both languages with its arguments.
func TestPathFormMessages(t *testing.T) {
	for _, f := range []coach.PathForm{{}, {Style: "x"}, {Style: "coaching"}, {Style: "coaching", Phase: "2", Target: "2029-01-01"},
		{Style: "coaching", Phase: "2", Target: "2029-01-01", Responsibility: "x"}, {Style: "coaching", Phase: "2", PhaseSince: "1900-01-01", Target: "2027-01-01"},
		{Style: "coaching", Phase: "2", Responsibility: strings.Repeat("x", 3000), Target: "2027-01-01"}} {
		_, err := validPath(t, f, coach.Path{})
		if err == nil {
			t.Fatalf("%+v is valid; the test wants an error", f)
		}
		for _, l := range i18n.Langs() {
			if s := l.Render(coach.ErrorMessage(err)); strings.Contains(s, "path.") || strings.Contains(s, "%!") {
				t.Errorf("%s: %q", l, s)
			}
		}
	}
}

// FuzzPathForm: no form input panics; every refusal is EINVALID about a
// field; accepted input is clean and within bounds, and it round-trips:
// the input as a form again, and the path it sets as its prefilled form,
// validate to the same input.
func FuzzPathForm(f *testing.F) {
	f.Add("coaching", "2", "", "runs the stand-up", "I only watch", "2027-01-15", 0)
	f.Add("sturen", "1", "2026-06-01", "opens the weekly review", "", "2026-12-07", 0)
	f.Add("delegating", "4", "2000-01-01", " \u200b ", "x", "2028-12-07", 3)
	f.Add("Faciliteren", " 3 ", "2026-12-08", "a\x00b\r\nc", "\u202eevil", "2028-12-08", -1)
	f.Add("", "0", "bad", strings.Repeat("ab", coach.MaxTextLen), "", "2027-02-30", 400)
	f.Fuzz(func(t *testing.T, style, phase, since, resp, done, target string, offset int) {
		today := date(t, formToday).AddDays(offset % 4000)
		form := coach.PathForm{Style: style, Phase: phase, PhaseSince: since, Responsibility: resp, DoneLooksLike: done, Target: target}
		in, err := form.Input()
		if err == nil {
			in, err = coach.ValidatePath(in, coach.Path{}, today)
		}
		if err != nil {
			if _, ok := coach.FieldOf(err); !ok || coach.ErrorCode(err) != coach.EINVALID {
				t.Fatalf("%+v: %v is not an invalid-field error", form, err)
			}
			return
		}
		checkStep(t, in.Next, today)
		again, err := in.Form().Input()
		if err == nil {
			again, err = coach.ValidatePath(again, coach.Path{}, today)
		}
		if err != nil || again != in {
			t.Fatalf("accepted %+v does not round-trip: %+v, %v", in, again, err)
		}
		p := coach.Path{Pair: coach.Pair{Director: director, Leader: leader}}.Set(in, pathT0, today)
		pre, err := p.Form().Input()
		if err == nil {
			pre, err = coach.ValidatePath(pre, p, today)
		}
		if err != nil || pre.Style != in.Style || pre.Phase != in.Phase || pre.Next != in.Next || pre.PhaseSince != p.PhaseSince() {
			t.Fatalf("the prefilled form of %+v reads back as %+v, %v", p, pre, err)
		}
	})
}

// FuzzReviewForm: as FuzzPathForm, for the review form on a path whose
// step is overdue.
func FuzzReviewForm(f *testing.F) {
	f.Add("handed_over", "ran it alone", "", "", "plans the week", "plan up", "2027-01-31", 0)
	f.Add("partly", "", "coachen", "3", "", "", "", 0)
	f.Add("not_yet", "\u200b", "x", "9", "runs the stand-up", "", "2026-11-15", 2)
	f.Add("handed_over", "", "", "", "", "", "", 0)
	f.Add("done", strings.Repeat("z", coach.MaxTextLen+1), "", "", "", "", "2026-13-01", -5)
	f.Fuzz(func(t *testing.T, outcome, saw, style, phase, resp, done, target string, offset int) {
		today := date(t, formToday).AddDays(offset % 4000)
		cur := coach.Path{Pair: coach.Pair{Director: director, Leader: leader}}.Set(coach.PathInput{Style: coach.Coaching,
			Phase: coach.SelfKnowledge, Next: coach.Step{Responsibility: "runs the stand-up", Target: date(t, "2026-11-15")}},
			pathT0, date(t, "2026-10-01"))
		form := coach.ReviewForm{Outcome: outcome, Saw: saw, Style: style, Phase: phase, Responsibility: resp, DoneLooksLike: done, Target: target}
		in, err := form.Input()
		if err == nil {
			in, err = coach.ValidateReview(in, cur, today)
		}
		if err != nil {
			if _, ok := coach.FieldOf(err); !ok || coach.ErrorCode(err) != coach.EINVALID {
				t.Fatalf("%+v: %v is not an invalid-field error", form, err)
			}
			return
		}
		if !in.Outcome.Valid() || (in.Style != "" && !in.Style.Valid()) || (in.Phase != 0 && !in.Phase.Valid()) ||
			in.Saw != coach.Clean(in.Saw, coach.MaxTextLen) {
			t.Fatalf("accepted %+v has an invalid field", in)
		}
		if in.Next.IsZero() == (in.Outcome == coach.Handed) {
			t.Fatalf("accepted %+v: a next step is required exactly after handed over", in)
		}
		if !in.Next.IsZero() && in.Next.Target != cur.Next.Target {
			checkStep(t, in.Next, today)
		}
		again, err := in.Form().Input()
		if err == nil {
			again, err = coach.ValidateReview(again, cur, today)
		}
		if err != nil || again != in {
			t.Fatalf("accepted %+v does not round-trip: %+v, %v", in, again, err)
		}
		p := cur.Apply(in, pathT0.AddDate(0, 1, 0), today)
		if r, _ := p.LastReview(); r.Outcome != in.Outcome || r.Planned != cur.Next || p.Rev != cur.Rev+1 {
			t.Fatalf("Apply(%+v) recorded %+v", in, r)
		}
	})
}

// checkStep fails unless s is a valid new step on day today.
func checkStep(t *testing.T, s coach.Step, today coach.Date) {
	t.Helper()
	for _, txt := range []string{s.Responsibility, s.DoneLooksLike} {
		if txt != coach.Clean(txt, coach.MaxTextLen) || utf8.RuneCountInString(txt) > coach.MaxTextLen {
			t.Fatalf("accepted text %q is not clean or too long", txt)
		}
	}
	if s.Responsibility == "" || s.Target.Before(today) || s.Target.After(today.AddMonths(coach.MaxTargetMonths)) {
		t.Fatalf("accepted step %+v on %s is out of bounds", s, today)
	}
}
