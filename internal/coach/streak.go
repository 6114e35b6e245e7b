package coach

import (
	"slices"
	"time"
)

// Mark is how one occurrence shows in a director's history (the row of marks
// on the App Home), and what it does to streaks and strength.
type Mark string

const (
	MarkDone     Mark = "done"      // answered done, on time or late: counts
	MarkNotToday Mark = "not_today" // answered not today: breaks
	MarkMissed   Mark = "missed"    // expired unanswered, or never sent (bot down): breaks
	MarkOpen     Mark = "open"      // being sent, sent and unanswered, or snoozed: not decided yet
	MarkLeave    Mark = "leave"     // due during the director's leave: neither counts nor breaks
	MarkSkipped  Mark = "skipped"   // the send failed, the director never saw it: neither
)

// Counts reports whether m adds to a streak.
func (m Mark) Counts() bool { return m == MarkDone }

// Breaks reports whether m ends a streak.
func (m Mark) Breaks() bool { return m == MarkNotToday || m == MarkMissed }

// MarkOf classifies o for a director with the given leave periods. The rules,
// in order:
//   - Due in a leave period: MarkLeave, whatever happened (streaks are frozen
//     during leave, so a prompt sent anyway neither counts nor breaks).
//   - answered Done: MarkDone, even when answered after its day, as long as
//     it was before expiry (after expiry the outcome is Expired, not Done).
//   - send Failed, or held back by the weekly budget (Deferred,
//     Superseded): MarkSkipped (the director was never asked).
//   - never sent (Missed), answered Expired: MarkMissed; NotToday: MarkNotToday.
//   - anything else (Sending, Sent without a final answer, Snoozed): MarkOpen.
func MarkOf(o Occurrence, leave []Period) Mark { return markOf(&o, leave) }

// markOf is MarkOf without copying the occurrence.
func markOf(o *Occurrence, leave []Period) Mark {
	for _, p := range leave {
		if p.Contains(o.Due) {
			return MarkLeave
		}
	}
	if o.Answer != nil && o.Answer.Outcome == Done {
		return MarkDone
	}
	switch {
	case o.State == Failed, o.State.Held():
		return MarkSkipped
	case o.State == Missed:
		return MarkMissed
	}
	if o.Answer != nil {
		switch o.Answer.Outcome {
		case NotToday:
			return MarkNotToday
		case Expired:
			return MarkMissed
		}
	}
	return MarkOpen
}

// marks returns the marks of the occurrences of habit h in occs ("" for all
// of them) that were due by now, oldest first (by Due; ties keep their input
// order). Occurrences due after now are left out: they have not happened yet;
// so are prompts the weekly budget held back, which the director never saw,
// like a day without a prompt.
func marks(occs []Occurrence, leave []Period, now time.Time, h Habit) []Mark {
	type dueMark struct {
		due  time.Time
		mark Mark
	}
	dm := make([]dueMark, 0, len(occs))
	for i := range occs {
		o := &occs[i]
		if (h == "" || o.Habit == h) && !o.Due.After(now) && !o.State.Held() {
			dm = append(dm, dueMark{o.Due, markOf(o, leave)})
		}
	}
	slices.SortStableFunc(dm, func(a, b dueMark) int { return a.due.Compare(b.due) })
	out := make([]Mark, len(dm))
	for i, x := range dm {
		out[i] = x.mark
	}
	return out
}

// Streak returns the current and the best streak over occs, one director's
// occurrences of one habit (in any order; they are taken by Due). A streak is
// a run of occurrences answered Done; NotToday, Expired and Missed end it;
// leave, failed sends and still open occurrences are passed over (see
// MarkOf). Days without a prompt have no occurrence, so weekends and
// holidays without a schedule never break a streak. The current streak is
// the run that reaches the most recent decided occurrence.
func Streak(occs []Occurrence, leave []Period, now time.Time) (current, best int) {
	return streakOf(marks(occs, leave, now, ""))
}

func streakOf(ms []Mark) (current, best int) {
	for _, m := range ms {
		switch {
		case m.Counts():
			current++
			best = max(best, current)
		case m.Breaks():
			current = 0
		}
	}
	return current, best
}
