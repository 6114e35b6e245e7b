package coach

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leancoach/leancoach/internal/i18n"
)

// The Lean leader's side (docs/product.md "The Lean leader's side"): once a
// month each Lean leader says, per director, which style they needed most
// from that director and which they got, and optionally what the director
// could let go of. The director sees the contrast between the two, never
// judged; a text the Lean leader marked "only for me" stays theirs. Lean
// leaders can also comment on a path; the director reads the comments on
// the path card.
//
// What each reader may see is carried by the types: a CheckIn is the Lean
// leader's own record, private text included; a SharedCheckIn is what the
// director sees of it (CheckIn.Shared drops the private text); admins get
// CheckInCounts, numbers without a person.

// Limits of what a Lean leader writes.
const (
	// MaxCheckInNote is the longest "what could <director> let go of?",
	// in runes.
	MaxCheckInNote = 1000
	// MaxCommentLen is the longest comment on a path, in runes.
	MaxCommentLen = 1000
	// MaxComments is how many comments a Lean leader may keep on one path:
	// a path card is not a chat.
	MaxComments = 100
)

// The fields of a check-in's answer, for errors that name one (FieldOf).
const (
	FieldNeeded  FormField = "needed"
	FieldGot     FormField = "got"
	FieldNote    FormField = "note"
	FieldComment FormField = "comment"
)

// CheckIn is one Lean leader's monthly check-in about one director: the
// Lean leader's own record. Month is in the Lean leader's calendar.
type CheckIn struct {
	Pair
	Month Month
	// Opened is when the check-in was sent, or first answered when it was
	// answered without being sent; never zero in a stored check-in.
	Opened time.Time
	Needed Style // the style the Lean leader needed most; "" until answered
	Got    Style // the style they got; "" until answered
	// Note answers "what could <director> let go of?"; "" when none.
	Note string
	// Private marks Note as only for the Lean leader: the director never
	// sees it, nor do admins.
	Private  bool
	Answered time.Time // when Needed and Got were both first set; zero until then
	Updated  time.Time // the last change
}

// IsAnswered reports whether both styles are answered.
func (c CheckIn) IsAnswered() bool { return c.Needed != "" && c.Got != "" }

// Differs reports whether the check-in is answered with a style got other
// than the style needed.
func (c CheckIn) Differs() bool { return c.IsAnswered() && c.Needed != c.Got }

// SharedNote is the note as the director may read it: "" when there is
// none or when it is only for the Lean leader.
func (c CheckIn) SharedNote() string {
	if c.Private {
		return ""
	}
	return c.Note
}

// SharedCheckIn is what a director sees of a check-in about them: the
// styles and the note unless it is only for the Lean leader. A director
// sees a check-in once both styles are answered.
type SharedCheckIn struct {
	Pair
	Month    Month
	Needed   Style
	Got      Style
	Note     string // "" when none or only for the Lean leader
	Answered time.Time
}

// Differs reports whether the style got is not the style needed.
func (s SharedCheckIn) Differs() bool { return s.Needed != s.Got }

// Shared is c as its director sees it; ok is false while c is not
// answered (the director sees nothing of it yet).
func (c CheckIn) Shared() (SharedCheckIn, bool) {
	if !c.IsAnswered() {
		return SharedCheckIn{}, false
	}
	return SharedCheckIn{Pair: c.Pair, Month: c.Month, Needed: c.Needed, Got: c.Got, Note: c.SharedNote(),
		Answered: c.Answered}, true
}

// SharedCheckIns is what a director sees of cs: the answered ones, with
// no private text.
func SharedCheckIns(cs []CheckIn) []SharedCheckIn {
	var out []SharedCheckIn
	for _, c := range cs {
		if s, ok := c.Shared(); ok {
			out = append(out, s)
		}
	}
	return out
}

// CheckInNote is the free text of a check-in as the Lean leader sets it.
type CheckInNote struct {
	Text    string
	Private bool // only for the Lean leader
}

// CheckInAnswer is a Lean leader's answer to a check-in, in parts: a
// one-click answer sets one style, a form the note. A part left zero
// keeps what was answered before.
type CheckInAnswer struct {
	Needed Style        // "" keeps it
	Got    Style        // "" keeps it
	Note   *CheckInNote // nil keeps it; a Text of "" clears it
}

// ValidateCheckInAnswer checks a and returns it cleaned (the note's text
// through Clean). Each failure is EINVALID naming its field (FieldOf): a
// style that is not one of the four, a note longer than MaxCheckInNote
// runes, or an answer that sets nothing.
func ValidateCheckInAnswer(a CheckInAnswer) (CheckInAnswer, error) {
	for _, f := range []struct {
		field FormField
		s     Style
	}{{FieldNeeded, a.Needed}, {FieldGot, a.Got}} {
		if f.s != "" && !f.s.Valid() {
			return CheckInAnswer{}, invalidField(f.field, "checkin.err.bad_style")
		}
	}
	if a.Note != nil {
		text := Clean(a.Note.Text, 0)
		if utf8.RuneCountInString(text) > MaxCheckInNote {
			return CheckInAnswer{}, invalidField(FieldNote, "checkin.err.note_long", MaxCheckInNote)
		}
		a.Note = &CheckInNote{Text: text, Private: a.Note.Private && text != ""}
	}
	if a.Needed == "" && a.Got == "" && a.Note == nil {
		return CheckInAnswer{}, Errorf(EINVALID, "checkin.err.nothing")
	}
	return a, nil
}

// Apply returns c with the validated answer a applied at the moment at.
func (c CheckIn) Apply(a CheckInAnswer, at time.Time) CheckIn {
	if a.Needed != "" {
		c.Needed = a.Needed
	}
	if a.Got != "" {
		c.Got = a.Got
	}
	if a.Note != nil {
		c.Note, c.Private = a.Note.Text, a.Note.Private
	}
	if c.Opened.IsZero() {
		c.Opened = at
	}
	if c.Answered.IsZero() && c.IsAnswered() {
		c.Answered = at
	}
	c.Updated = at
	return c
}

// CheckMonth says whether a check-in of month m can be answered in month
// now (both in the Lean leader's calendar): from its month until the end
// of the month after, so that one sent late in the month can be answered
// in the first days of the next. A month still to come is EINVALID; one
// longer ago is ECONFLICT: it is closed, its answers stay as they are.
func CheckMonth(m, now Month) error {
	switch {
	case m.IsZero():
		return Errorf(EINVALID, "checkin.err.no_month")
	case m.After(now):
		return Errorf(EINVALID, "checkin.err.future")
	case m.Before(now.Add(-1)):
		return Errorf(ECONFLICT, "checkin.err.closed")
	}
	return nil
}

// ContrastWindow is how many months the contrast looks back, this month
// included.
const ContrastWindow = 12

// Contrast is the gap between the style a Lean leader needed and the style
// they got from one director, from the check-ins shared with that
// director: shown, never judged.
type Contrast struct {
	// Latest is the latest answered check-in; its Month is zero when there
	// is none.
	Latest SharedCheckIn
	// Gaps are the months whose check-in had needed ≠ got, oldest first.
	Gaps []Month
	// Run is how many of the latest answered check-ins in a row had
	// needed ≠ got; 0 when the latest matched. Months without an answer
	// neither count nor break the run.
	Run int
	// Answered counts the answered check-ins looked at.
	Answered int
}

// ContrastOf reads the contrast of one pair's shared check-ins cs (any
// order) of the months from from on.
func ContrastOf(cs []SharedCheckIn, from Month) Contrast {
	cs = slices.DeleteFunc(slices.Clone(cs), func(s SharedCheckIn) bool { return s.Month.Before(from) })
	slices.SortFunc(cs, func(a, b SharedCheckIn) int { return a.Month.Compare(b.Month) })
	var c Contrast
	for _, s := range cs {
		c.Answered++
		if s.Differs() {
			c.Gaps = append(c.Gaps, s.Month)
			c.Run++
		} else {
			c.Run = 0
		}
		c.Latest = s
	}
	return c
}

// Any reports whether there is an answered check-in to show.
func (c Contrast) Any() bool { return c.Answered > 0 }

// Line is the neutral line that goes with the contrast, from the seed:
// match the style to what the Lean leader needs now. It names no verdict,
// whether the styles differ or not.
func (c Contrast) Line() i18n.Msg {
	switch {
	case !c.Any():
		return i18n.M("checkin.contrast.none")
	case c.Run > 1:
		return i18n.M("checkin.contrast.run", c.Run)
	case c.Run == 1:
		return i18n.M("checkin.contrast.differs")
	}
	return i18n.M("checkin.contrast.same")
}

// Comment is a Lean leader's comment on their path with a director: the
// director sees it on the path card. It is the Lean leader's: only they
// may delete it.
type Comment struct {
	Pair
	ID   string // unique in the file, "c1", "c2"…
	At   time.Time
	Text string // "" once the note retention removed it
}

// ValidateComment cleans a comment's text (Clean) and checks it: empty, or
// longer than MaxCommentLen runes, is EINVALID naming FieldComment.
func ValidateComment(text string) (string, error) {
	text = Clean(text, 0)
	switch {
	case strings.TrimSpace(text) == "":
		return "", invalidField(FieldComment, "comment.err.empty")
	case utf8.RuneCountInString(text) > MaxCommentLen:
		return "", invalidField(FieldComment, "comment.err.too_long", MaxCommentLen)
	}
	return text, nil
}

// CheckInCountMonths is how many months the admins' counts show, this
// month included.
const CheckInCountMonths = 3

// CheckInMonthCount is one month of check-ins, counted.
type CheckInMonthCount struct {
	Month    Month
	Sent     int // check-ins sent (or answered without being sent)
	Answered int // of which both styles were answered
	Differs  int // of which needed ≠ got: one per pair
}

// CheckInCounts is what admins see of the check-ins: counts per month,
// never who answered what.
type CheckInCounts struct {
	Months []CheckInMonthCount // the last CheckInCountMonths months, newest first
}

// CountCheckIns counts check-ins cs per month, for the CheckInCountMonths
// months up to now.
func CountCheckIns(cs []CheckIn, now Month) CheckInCounts {
	var out CheckInCounts
	for i := range CheckInCountMonths {
		mc := CheckInMonthCount{Month: now.Add(-i)}
		for _, c := range cs {
			if c.Month != mc.Month {
				continue
			}
			mc.Sent++
			if c.IsAnswered() {
				mc.Answered++
			}
			if c.Differs() {
				mc.Differs++
			}
		}
		out.Months = append(out.Months, mc)
	}
	return out
}

// NameKey is the catalog key of the month's name ("November").
func (m Month) NameKey() string {
	return "format.month." + strings.ToLower(m.Month().String())
}
