package coach

import (
	"slices"
	"time"
)

// Budget is the weekly prompt budget (docs/product.md, "Prompt volume"): the
// most scheduled prompts one director gets in one week. 0 means no budget.
//
// The rules, which the due-loop asks at each prompt's due time:
//
//   - Week: Monday 00:00 to the next Monday 00:00 in the director's own zone
//     (WeekStart), so a week is 167 or 169 hours long across a
//     daylight-saving change.
//   - Counted: prompts of a schedule that went out, or are going (Sending,
//     Sent), in the week of their Due (Counted). Not counted, and never held
//     back: prompts sent by hand with /coach send (an admin's deliberate
//     choice, a demo or a make-up), snooze reminders (the same prompt
//     again) and the weekly digest (a summary, not a prompt). Failed and
//     missed prompts never reached the director and do not count either.
//   - Order: PathReview, Standup, Compliment, Question, then the other
//     habits on one shared rank (BudgetRank). Between prompts of the same
//     rank, the one first due goes first (so a held prompt before a fresh
//     one: what is left of the budget goes round the other habits), then
//     the lower occurrence key.
//   - Decision (Allows): a prompt goes when the prompts counted this week
//     plus the prompts still expected this week that outrank it are fewer
//     than the budget. So the week's budget goes to its highest-ranked
//     prompts whatever day they fall on, and a Monday prompt of low rank
//     never takes the place of Thursday's compliment.
//   - Held: a prompt over the budget is recorded Deferred (not sent, never
//     missed, no mark: it neither counts nor breaks a streak) and is
//     weighed again a week later, at the same local weekday and time, in
//     the director's next week; it goes then if the budget allows, and
//     waits another week if not. It is Superseded, and never sent, once a
//     later prompt of its habit reached the director first (HeldSuperseded).
//     Leave, a paused schedule or downtime at its time make it wait a week
//     too.
type Budget int

// The weekly budget's default and its bounds (LEANCOACH_WEEKLY_BUDGET).
const (
	DefaultWeeklyBudget Budget = 5
	MinWeeklyBudget     Budget = 1
	MaxWeeklyBudget     Budget = 20
)

// budgetFirst are the habits that get the budget first, in this order: the
// path (monthly, the heart of the coaching) and the core three.
var budgetFirst = []Habit{PathReview, Standup, Compliment, Question}

// BudgetRank is h's place in the budget's order, 0 first: the path and the
// core three in that order, then every other habit on one shared rank, where
// the prompt first due goes first (see BudgetPrompt.Outranks), so that the
// place left over goes round the other habits instead of always to the same
// ones.
func BudgetRank(h Habit) int {
	if i := slices.Index(budgetFirst, h); i >= 0 {
		return i
	}
	return len(budgetFirst)
}

// BudgetFirst reports whether h is one of the habits that come first: the
// core three and the path.
func BudgetFirst(h Habit) bool { return slices.Contains(budgetFirst, h) }

// BudgetPrompt is one prompt the budget weighs.
type BudgetPrompt struct {
	Key   OccurrenceKey
	Habit Habit
	At    time.Time // when it goes: its due time, or a held prompt's new time
	Since time.Time // when it was first due: At for a fresh prompt, earlier for a held one
}

// Outranks reports whether p gets the budget before q: a lower BudgetRank,
// then the earlier Since, then the lower key.
func (p BudgetPrompt) Outranks(q BudgetPrompt) bool {
	if rp, rq := BudgetRank(p.Habit), BudgetRank(q.Habit); rp != rq {
		return rp < rq
	}
	if !p.Since.Equal(q.Since) {
		return p.Since.Before(q.Since)
	}
	return p.Key < q.Key
}

// BudgetWeek is what the budget knows of a director's week.
type BudgetWeek struct {
	Loc *time.Location // the director's zone; nil is UTC
	// Recorded are the director's recorded occurrences, at least those
	// due since the week's start.
	Recorded []Occurrence
	// Ahead are the prompts the director's schedules and held prompts
	// still owe this week, in any order. Duplicates, prompts of other weeks
	// or on leave, and prompts already settled (recorded at that time, or
	// sent) are passed over, so a snapshot of the plans taken a little
	// earlier gives the same answer.
	Ahead []BudgetPrompt
	Leave []Period
}

// Counted reports whether o counts against the budget: a scheduled prompt
// that went out or is going.
func Counted(o Occurrence) bool {
	return o.Schedule != AdHoc && (o.State == Sending || o.State == Sent)
}

// Allows reports whether p may go now: the prompts counted in p's week
// plus those still ahead in it that outrank p are fewer than b. A budget of
// 0 (or less) allows everything.
func (b Budget) Allows(p BudgetPrompt, w BudgetWeek) bool {
	if b <= 0 {
		return true
	}
	_, used := b.load(p, w)
	return used < int(b)
}

// load returns the start of p's week and the number of prompts that take
// budget before p does: counted ones of the week and those ahead that
// outrank p.
func (b Budget) load(p BudgetPrompt, w BudgetWeek) (time.Time, int) {
	loc := w.Loc
	if loc == nil {
		loc = time.UTC
	}
	start := WeekStart(p.At, loc)
	end := start.AddDate(0, 0, 7)
	in := func(t time.Time) bool { return !t.Before(start) && t.Before(end) }
	settled := make(map[OccurrenceKey]Occurrence, len(w.Recorded))
	n := 0
	for _, o := range w.Recorded {
		settled[o.Key] = o
		if o.Key != p.Key && Counted(o) && in(o.Due) {
			n++
		}
	}
	seen := map[OccurrenceKey]bool{p.Key: true}
	for _, q := range w.Ahead {
		if seen[q.Key] || !in(q.At) || onLeave(q.At, w.Leave) {
			continue
		}
		if o, ok := settled[q.Key]; ok && (o.State != Deferred || o.Due.Equal(q.At)) {
			continue // recorded at that time, or no longer waiting
		}
		seen[q.Key] = true
		if q.Outranks(p) {
			n++
		}
	}
	return start, n
}

func onLeave(t time.Time, leave []Period) bool {
	for _, p := range leave {
		if p.Contains(t) {
			return true
		}
	}
	return false
}

// HeldSuperseded reports whether held, a prompt the budget held back, is
// replaced: a later prompt of its habit reached the director (went out or
// is going, by a schedule or by hand) after held was last weighed.
func HeldSuperseded(held Occurrence, recorded []Occurrence) bool {
	for _, o := range recorded {
		if o.Key != held.Key && o.Habit == held.Habit && o.Director == held.Director &&
			(o.State == Sending || o.State == Sent) && o.Due.After(held.Due) {
			return true
		}
	}
	return false
}

// WeekPlan is how a week's expected prompts fare under a budget.
type WeekPlan struct {
	Start time.Time      // Monday 00:00 of the week, in the zone
	Go    []BudgetPrompt // the prompts that go, by At
	Wait  []BudgetPrompt // the prompts held for a later week, by At
}

// PlanWeek weighs the prompts a director's schedules owe in one week
// (prompts on leave left out) as the due-loop would, one by one in time
// order with none of them sent yet, for a preview of the load: /coach
// schedule add warns with it. Prompts outside the week of the first one are
// ignored.
func (b Budget) PlanWeek(prompts []BudgetPrompt, leave []Period, loc *time.Location) WeekPlan {
	ps := slices.Clone(prompts)
	slices.SortStableFunc(ps, func(x, y BudgetPrompt) int { return x.At.Compare(y.At) })
	var plan WeekPlan
	if len(ps) == 0 {
		return plan
	}
	if loc == nil {
		loc = time.UTC
	}
	plan.Start = WeekStart(ps[0].At, loc)
	var sent []Occurrence
	for i, p := range ps {
		if !WeekStart(p.At, loc).Equal(plan.Start) || onLeave(p.At, leave) {
			continue
		}
		if b.Allows(p, BudgetWeek{Loc: loc, Recorded: sent, Ahead: ps[i+1:], Leave: leave}) {
			plan.Go = append(plan.Go, p)
			sent = append(sent, Occurrence{Key: p.Key, Habit: p.Habit, Due: p.At, State: Sent})
		} else {
			plan.Wait = append(plan.Wait, p)
		}
	}
	return plan
}

// Owed lists the prompts schedule sc owes director d at the times in
// [from, end), read in loc: their keys, habit and due times. A paused
// schedule owes none.
func Owed(sc Schedule, d UserID, r Rule, from, end time.Time, loc *time.Location) []BudgetPrompt {
	if sc.Paused || r == nil {
		return nil
	}
	var out []BudgetPrompt
	for t := r.Next(from.Add(-time.Nanosecond), loc); !t.IsZero() && t.Before(end); t = r.Next(t, loc) {
		out = append(out, BudgetPrompt{Key: NewOccurrenceKey(sc.ID, d, t.In(loc).Format(time.DateOnly)),
			Habit: sc.Habit, At: t, Since: t})
	}
	return out
}

// LoadWeeks is how many weeks a load preview looks at: four, so that a
// monthly schedule shows in it.
const LoadWeeks = 4

// Load is a director's expected scheduled prompts a week over LoadWeeks
// weeks, and what the budget would hold back (/coach schedule add warns
// with it, /coach schedule list shows it).
type Load struct {
	Director UserID
	Budget   Budget  // 0 = none
	Average  float64 // prompts a week the schedules owe, before the budget
	Max      int     // in the busiest week
	Wait     []Habit // habits with a prompt the budget would hold back, in Habits order
}

// Over reports whether some week has more prompts than the budget.
func (l Load) Over() bool { return l.Budget > 0 && l.Max > int(l.Budget) }

// Load weighs the prompts owed in the weeks weeks from start (a Monday
// 00:00 in loc) week by week with PlanWeek, prompts on leave left out. It
// does not carry held prompts over: a preview of where the budget bites,
// not a simulation.
func (b Budget) Load(prompts []BudgetPrompt, leave []Period, loc *time.Location, start time.Time, weeks int) Load {
	if loc == nil {
		loc = time.UTC
	}
	byWeek := make([][]BudgetPrompt, weeks)
	for _, p := range prompts {
		for w := range weeks {
			if WeekStart(p.At, loc).Equal(start.AddDate(0, 0, 7*w)) {
				byWeek[w] = append(byWeek[w], p)
			}
		}
	}
	l := Load{Budget: b}
	wait := map[Habit]bool{}
	total := 0
	for _, ps := range byWeek {
		plan := b.PlanWeek(ps, leave, loc)
		n := len(plan.Go) + len(plan.Wait)
		total += n
		l.Max = max(l.Max, n)
		for _, p := range plan.Wait {
			wait[p.Habit] = true
		}
	}
	if weeks > 0 {
		l.Average = float64(total) / float64(weeks)
	}
	for _, h := range Habits() {
		if wait[h] {
			l.Wait = append(l.Wait, h)
		}
	}
	return l
}
