package schedule

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

// The weekly prompt budget in the due-loop (the rule itself is
// coach.Budget): at its due time a prompt is weighed; one over the budget is
// recorded Deferred, with its plan pointing at it (coach.Due.Held) in the
// same transaction, and weighed again a week later at the same local
// weekday and time (its held time). Then it goes, waits another week, or is
// superseded by a later prompt of its habit. Leave, a paused schedule, or
// downtime past the catch-up window at its held time make it wait a week;
// it is never recorded missed.
//
// Exactly once: a held prompt is released by moving its one record from
// Deferred to Sending, and sent like any other (two phases, reconciled with
// Slack after a crash). Its plan lets go of it only once the record is
// settled, so a crash at any point weighs or reconciles it again, under the
// same key.

// planned is one of a director's plans as a pass read it, for the budget's
// view of the week ahead.
type planned struct {
	due   coach.Due
	sched coach.Schedule
	rule  Rule
}

// book holds a pass's plans by director.
type book map[coach.UserID][]planned

// ahead lists the prompts d's plans still owe in [start, end): each
// schedule's dates from its plan on and the held prompts' held times
// (paused schedules owe none).
func (b book) ahead(d coach.UserID, start, end time.Time, loc *time.Location) []coach.BudgetPrompt {
	var out []coach.BudgetPrompt
	for _, p := range b[d] {
		if p.sched.Paused {
			continue // owes nothing, and its held prompt waits
		}
		if p.due.Held != "" {
			out = append(out, coach.BudgetPrompt{Key: p.due.Held, Habit: p.sched.Habit, At: p.due.HeldAt, Since: p.due.HeldDue})
		}
		out = append(out, coach.Owed(p.sched, d, p.rule, later(p.due.Next, start), end, loc)...)
	}
	return out
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// week gathers what the budget weighs for the item's director in the week that
// holds at: their prompts recorded since its start and what their plans
// still owe.
func (l *Loop) week(ctx context.Context, it item, at time.Time) (coach.BudgetWeek, error) {
	start := coach.WeekStart(at, it.loc)
	rec, err := l.deps.Store.History(ctx, it.dir.ID, "", start)
	if err != nil {
		return coach.BudgetWeek{}, fmt.Errorf("weigh %s's week: %w", it.dir.ID, err)
	}
	return coach.BudgetWeek{Loc: it.loc, Recorded: rec, Leave: it.dir.Leave,
		Ahead: it.plans.ahead(it.dir.ID, start, start.AddDate(0, 0, 7), it.loc)}, nil
}

// overBudget weighs the prompt o of the plan's current due date. When the
// week's budget has no place for it, it is recorded Deferred and next (the
// advanced plan) holds it, in one transaction, and overBudget reports true:
// nothing is sent. A prompt already recorded (a replayed pass) is left to
// deliver, or held again when it was held.
func (l *Loop) overBudget(ctx context.Context, it item, o coach.Occurrence, next *coach.Due) (bool, error) {
	if l.deps.Budget <= 0 {
		return false, nil
	}
	w, err := l.week(ctx, it, o.Due)
	if err != nil {
		return false, err
	}
	for _, r := range w.Recorded {
		if r.Key == o.Key {
			if r.State != coach.Deferred {
				return false, nil // under way or settled: deliver sees to it
			}
			return true, l.hold(ctx, it, r, next)
		}
	}
	if l.deps.Budget.Allows(coach.BudgetPrompt{Key: o.Key, Habit: o.Habit, At: o.Due, Since: o.Due}, w) {
		return false, nil
	}
	return true, l.hold(ctx, it, o, next)
}

// hold records o as Deferred and lets next hold it, in one transaction; a
// prompt next held before is superseded first (a crash in between leaves
// the plan pointing at a superseded record, which the next weighing lets
// go).
func (l *Loop) hold(ctx context.Context, it item, o coach.Occurrence, next *coach.Due) error {
	if next.Held != "" && next.Held != o.Key {
		if err := l.supersede(ctx, next.Held); err != nil {
			return err
		}
	}
	o.State = coach.Deferred
	next.Held, next.HeldAt, next.HeldDue = o.Key, l.heldTime(o.Due, it), o.Due
	if _, created, err := l.deps.Store.MissDue(ctx, o, *next); err != nil {
		return fmt.Errorf("hold %s: %w", o.Key, err)
	} else if created {
		l.log.Info().Str("occ", string(o.Key)).Time("held_at", next.HeldAt).Int("budget", int(l.deps.Budget)).
			Msg("prompt held for next week: the director's weekly budget is used")
	}
	return nil
}

// heldTime is when a prompt weighed at t is weighed again: a week later,
// at the same local weekday and at the time of day of its rule, and never
// longer ago than the catch-up window (after downtime it moves on by whole
// weeks).
func (l *Loop) heldTime(t time.Time, it item) time.Time {
	now := l.now()
	for {
		lt := t.In(it.loc)
		day := time.Date(lt.Year(), lt.Month(), lt.Day()+7, 0, 0, 0, 0, time.UTC)
		t = wallTime(day, it.rule.hour, it.rule.minute, it.loc).UTC()
		if now.Sub(t) <= l.deps.CatchUp {
			return t
		}
	}
}

var errNotDeferred = errors.New("not deferred")

// supersede marks a held prompt as replaced for good.
func (l *Loop) supersede(ctx context.Context, k coach.OccurrenceKey) error {
	_, err := l.deps.Store.UpdateOccurrence(ctx, k, func(x *coach.Occurrence) error {
		if x.State != coach.Deferred {
			return errNotDeferred
		}
		x.State = coach.Superseded
		return nil
	})
	switch {
	case err == nil:
		l.log.Info().Str("occ", string(k)).Msg("held prompt superseded by a later prompt of its habit")
	case errors.Is(err, errNotDeferred), coach.ErrorCode(err) == coach.ENOTFOUND:
	default:
		return fmt.Errorf("supersede %s: %w", k, err)
	}
	return nil
}

// settleHeld is settle's last step: it weighs the plan's held prompt
// (weighHeld) and adds what that changed to r. It reports false, with r.next
// set to retry, when the prompt could not be weighed.
func (l *Loop) settleHeld(ctx context.Context, it *item, r *settled) bool {
	if it.due.Held == "" || ctx.Err() != nil || l.isHalted() {
		return true
	}
	held := it.due
	watch, err := l.weighHeld(ctx, it)
	if err != nil {
		l.log.Error().Err(err).Str("occ", string(held.Held)).Msg("held prompt not weighed; retrying")
		r.next = l.now().Add(maxSleep)
		return false
	}
	if watch != nil {
		r.watches = append(r.watches, *watch)
	}
	if it.due != held {
		changed := it.due
		r.plan = &changed
	}
	return true
}

// weighHeld weighs the plan's held prompt again once its held time has
// come, and updates it.due: it lets go of the prompt once it went or was
// superseded, or moves its held time on by a week when it waits again. It
// returns the sent prompt to watch for a snooze, if one was sent. On an
// error it.due is unchanged and the next pass weighs it again.
func (l *Loop) weighHeld(ctx context.Context, it *item) (*coach.Reminder, error) {
	d := it.due
	if d.Held == "" || d.HeldAt.After(l.now()) {
		return nil, nil
	}
	letGo := func() { it.due.Held, it.due.HeldAt, it.due.HeldDue = "", time.Time{}, time.Time{} }
	o, err := l.deps.Store.Occurrence(ctx, d.Held)
	switch {
	case coach.ErrorCode(err) == coach.ENOTFOUND:
		letGo() // erased (forget)
		return nil, nil
	case err != nil:
		return nil, err
	case o.State == coach.Sending:
		// Its release died half way: the message may be in Slack.
		got, err := l.resend(ctx, o)
		if err != nil && got.State != coach.Failed {
			return nil, err
		}
		letGo()
		return watchOf(got), nil
	case o.State != coach.Deferred:
		letGo()
		return nil, nil
	}
	later, err := l.deps.Store.History(ctx, o.Director, o.Habit, o.Due)
	if err != nil {
		return nil, err
	}
	if coach.HeldSuperseded(o, later) {
		if err := l.supersede(ctx, o.Key); err != nil {
			return nil, err
		}
		letGo()
		return nil, nil
	}
	goes, err := l.mayRelease(ctx, *it, o)
	if err != nil {
		return nil, err
	}
	if !goes {
		it.due.HeldAt = l.heldTime(d.HeldAt, *it)
		return nil, nil
	}
	got, err := l.sendHeld(ctx, o, d.HeldAt)
	if errors.Is(err, errNotDeferred) {
		return nil, nil // changed under us; weighed again next pass
	}
	if err != nil && got.State != coach.Failed {
		return nil, err
	}
	letGo()
	return watchOf(got), nil
}

// mayRelease reports whether the held prompt o goes now: its held time is
// within the catch-up window, its schedule and director still want it, and
// the week's budget has a place for it.
func (l *Loop) mayRelease(ctx context.Context, it item, o coach.Occurrence) (bool, error) {
	at := it.due.HeldAt
	if l.now().Sub(at) > l.deps.CatchUp || it.dir.OnLeave(at) || it.sched.Paused {
		return false, nil
	}
	if wanted, err := l.stillWanted(ctx, it, at); err != nil || !wanted {
		return false, err
	}
	w, err := l.week(ctx, it, at)
	if err != nil {
		return false, err
	}
	return l.deps.Budget.Allows(coach.BudgetPrompt{Key: o.Key, Habit: o.Habit, At: at, Since: it.due.HeldDue}, w), nil
}

// sendHeld sends the held prompt o now: its record moves from Deferred to
// Sending (due at its held time at), then it is posted and marked Sent as
// any prompt is.
func (l *Loop) sendHeld(ctx context.Context, o coach.Occurrence, at time.Time) (coach.Occurrence, error) {
	if !l.claim(o.Key) {
		return o, errBusy
	}
	defer l.release(o.Key)
	question := ""
	if o.Habit == coach.Question && o.QuestionID == "" && l.deps.Questions != nil {
		q, err := l.deps.Questions(ctx, o.Director)
		if err != nil {
			l.log.Warn().Err(err).Str("occ", string(o.Key)).Msg("pick question failed; the renderer picks one")
		}
		question = q
	}
	l.crash(PhaseDue)
	now := l.now()
	o, err := l.deps.Store.UpdateOccurrence(ctx, o.Key, func(x *coach.Occurrence) error {
		if x.State != coach.Deferred {
			return errNotDeferred
		}
		x.State, x.Attempts, x.StartedAt, x.Due = coach.Sending, 1, now, at
		if x.QuestionID == "" {
			x.QuestionID = question
		}
		return nil
	})
	if err != nil {
		return o, fmt.Errorf("release %s: %w", o.Key, err)
	}
	l.metrics.PromptDue()
	l.log.Info().Str("occ", string(o.Key)).Msg("held prompt released: the week's budget has a place for it")
	l.crash(PhaseRecorded)
	return l.send(ctx, o, false)
}

// resend reconciles a released prompt left Sending by a crash, as deliver
// does for any other.
func (l *Loop) resend(ctx context.Context, o coach.Occurrence) (coach.Occurrence, error) {
	if !l.claim(o.Key) {
		return o, errBusy
	}
	defer l.release(o.Key)
	return l.send(ctx, o, true)
}

// watchOf is the snooze watch of a sent prompt; nil for any other.
func watchOf(o coach.Occurrence) *coach.Reminder {
	if o.State != coach.Sent {
		return nil
	}
	return &coach.Reminder{Occ: o.Key, Director: o.Director}
}

// wake is when a plan next needs the loop: its next due date, or its held
// prompt's held time when that comes first.
func wake(d coach.Due) time.Time {
	if d.Held != "" && d.HeldAt.Before(d.Next) {
		return d.HeldAt
	}
	return d.Next
}
