package coach

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Leader-aware nudges (docs/product.md "The Lean leader's side"): a
// director with several Lean leaders gets the compliment, gemba and
// spotlight prompts pointed at the Lean leader served least recently, and
// the stand-up prompt rotates across them with an observer's question
// about the one named. The rule is a pure function of the director's
// history of the habit: no record is added, so the pick of any prompt can
// be worked out again, and a prompt keeps its pick whenever it is drawn.
//
// Served means a prompt of the habit answered Done: for a compliment, the
// Lean leader it went to (Answer.Leader); for the other habits, the Lean
// leader that prompt pointed at, found by running the same rule over the
// history before it. A prompt not answered, or answered Not today, served
// no one: its Lean leader stays first in line.

// FocusLookback is how far back the history is read: long enough for a
// quarterly habit to go round a few Lean leaders.
const FocusLookback = 400 * 24 * time.Hour

// Focus is the Lean leader a prompt points at, and what its line says.
type Focus struct {
	Leader UserID
	// Last is when Leader was last served in the habit; zero: not in the
	// history read.
	Last time.Time
	// Weeks is the whole weeks from Last to the prompt's due time; 0 when
	// Last is zero.
	Weeks int
	// Other is the Lean leader served most since Last (since the start of
	// the history when Last is zero), with Count times; "" when no other
	// was served in that time.
	Other UserID
	Count int
	// Leaders is how many Lean leaders the director has.
	Leaders int
}

// Never reports whether Leader was not served in the history read.
func (f Focus) Never() bool { return f.Last.IsZero() }

// Focused reports whether the prompts of h point at a Lean leader.
func Focused(h Habit) bool {
	switch h {
	case Compliment, Gemba, Spotlight, Standup:
		return true
	}
	return false
}

// FocusOf picks the Lean leader among leaders (a director's, in their
// order, which breaks ties) that a prompt of habit h due at due points at,
// from hist, the director's occurrences of h (any order; those due at or
// after due are left out). ok is false for a habit that is not Focused and
// for a director without Lean leaders.
func FocusOf(h Habit, leaders []UserID, hist []Occurrence, due time.Time) (f Focus, ok bool) {
	if !Focused(h) || len(leaders) == 0 {
		return Focus{}, false
	}
	hist = slices.DeleteFunc(slices.Clone(hist), func(o Occurrence) bool { return o.Habit != h || !o.Due.Before(due) })
	slices.SortStableFunc(hist, func(a, b Occurrence) int { return a.Due.Compare(b.Due) })
	last := map[UserID]time.Time{}
	type served struct {
		who UserID
		at  time.Time
	}
	var events []served
	for _, o := range hist {
		target := leastServed(leaders, last)
		if o.Answer == nil || o.Answer.Outcome != Done {
			continue
		}
		who := target
		if h == Compliment && slices.Contains(leaders, o.Answer.Leader) {
			who = o.Answer.Leader
		}
		at := o.Answer.At
		if at.IsZero() {
			at = o.Due
		}
		last[who] = at
		events = append(events, served{who, at})
	}
	f = Focus{Leader: leastServed(leaders, last), Leaders: len(leaders)}
	f.Last = last[f.Leader]
	if !f.Never() {
		f.Weeks = int(due.Sub(f.Last) / (7 * 24 * time.Hour))
	}
	counts := map[UserID]int{}
	for _, e := range events {
		if e.who != f.Leader && e.at.After(f.Last) {
			counts[e.who]++
		}
	}
	for _, l := range leaders {
		if counts[l] > f.Count {
			f.Other, f.Count = l, counts[l]
		}
	}
	return f, true
}

// leastServed is the first of leaders never served, else the one served
// longest ago.
func leastServed(leaders []UserID, last map[UserID]time.Time) UserID {
	pick := leaders[0]
	for _, l := range leaders {
		t, ok := last[l]
		if !ok {
			return l
		}
		if t.Before(last[pick]) {
			pick = l
		}
	}
	return pick
}

// LoadFocus reads what FocusOf needs for prompt o from st: the director's
// Lean leaders and their history of o's habit. ok is false as for
// FocusOf, for a director who is gone, and for an o without a due time.
func LoadFocus(ctx context.Context, st AnswerHistory, o Occurrence) (Focus, bool, error) {
	if !Focused(o.Habit) {
		return Focus{}, false, nil
	}
	d, err := st.Director(ctx, o.Director)
	switch ErrorCode(err) {
	case "":
	case ENOTFOUND:
		return Focus{}, false, nil
	default:
		return Focus{}, false, fmt.Errorf("focus of %s: %w", o.Key, err)
	}
	due := o.Due
	if due.IsZero() {
		return Focus{}, false, nil // not a prompt that was due
	}
	hist, err := st.History(ctx, o.Director, o.Habit, due.Add(-FocusLookback))
	if err != nil {
		return Focus{}, false, fmt.Errorf("focus of %s: %w", o.Key, err)
	}
	f, ok := FocusOf(o.Habit, d.Leaders, hist, due)
	return f, ok, nil
}

// focusIn is LoadFocus within one transaction (the compliment form's, and
// an answered prompt's).
func focusIn(sn Snapshot, o Occurrence, leaders []UserID) (Focus, bool, error) {
	if !Focused(o.Habit) || len(leaders) == 0 || o.Due.IsZero() {
		return Focus{}, false, nil
	}
	from := o.Due.Add(-FocusLookback)
	var hist []Occurrence
	err := sn.HistoryBack(o.Director, o.Habit, o.Due, func(x Occurrence) bool {
		if x.Due.Before(from) {
			return false
		}
		hist = append(hist, x)
		return true
	})
	if err != nil {
		return Focus{}, false, err
	}
	f, ok := FocusOf(o.Habit, leaders, hist, o.Due)
	return f, ok, nil
}

// shownFocusIn is the focus an answered prompt keeps showing: focusIn's
// with several Lean leaders; with one, only who they are (the stand-up's
// line names them, no other habit shows a line), read without the
// habit's history, so that an answer costs no more for it.
func shownFocusIn(sn Snapshot, o Occurrence, leaders []UserID) (Focus, error) {
	if len(leaders) == 1 && Focused(o.Habit) && !o.Due.IsZero() {
		return Focus{Leader: leaders[0], Leaders: 1}, nil
	}
	f, _, err := focusIn(sn, o, leaders)
	return f, err
}
