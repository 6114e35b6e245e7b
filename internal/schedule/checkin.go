package schedule

import (
	"context"
	"fmt"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

// The monthly check-in (docs/product.md "The Lean leader's side"): once a
// month each Lean leader gets a DM per director who leads them, asking
// which style they needed most and which they got. It goes on one rule
// (Deps.CheckInWhen, by default coach.CheckInDefaultWhen, the third week
// of the month, or an admin's check-in schedule: checkInRule) read in the
// Lean leader's own zone, with one plan per Lean
// leader in the due store under the schedule ID CheckInPlan.
//
// It is no director's habit: no occurrence is recorded, so it takes no
// place in a director's weekly budget and counts in no streak. The check-in
// record (coach.LeaderService.OpenCheckIn) is its send record instead:
// opening it is the first phase; a check-in opened before (a crash, an
// unclear outcome) is looked up in the Lean leader's DM by its ref
// (coach.CheckInRef) before it is posted again, so it goes once. A Lean
// leader with the check-ins off, or one answered already, gets nothing.

// CheckInPlan is the due store's schedule ID of the check-in plans (one
// per Lean leader); a real schedule's ID is "s<n>", never this.
const CheckInPlan coach.ScheduleID = "checkin"

// checkInCatchUp is how late a check-in still goes after downtime: it can
// be answered for weeks, so a day or two down loses none.
const checkInCatchUp = 7 * 24 * time.Hour

// CheckIns is what the loop reads and records of the check-ins;
// *coach.LeaderService implements it.
type CheckIns interface {
	// CheckInPairs lists the pairs a check-in goes to now.
	CheckInPairs(ctx context.Context) ([]coach.Pair, error)
	// OpenCheckIn records pair's check-in of month m as sent; created is
	// false when it was opened before. A Lean leader who turned them off
	// is ECONFLICT, a pair gone EINVALID.
	OpenCheckIn(ctx context.Context, pair coach.Pair, m coach.Month) (coach.CheckIn, bool, error)
}

// CheckInPoster posts a check-in into the Lean leader's DM with ref in its
// metadata, and finds it there again; its errors say what happened as
// Poster's do. *slackapp.CheckInPoster implements it.
type CheckInPoster interface {
	PostCheckIn(ctx context.Context, c coach.CheckIn, ref string) (coach.ChannelID, string, error)
	FindCheckIn(ctx context.Context, c coach.CheckIn, ref string, since time.Time) (coach.ChannelID, string, bool, error)
}

// checkInsOn reports whether the loop sends check-ins.
func (l *Loop) checkInsOn() bool { return l.deps.CheckIns != nil && l.deps.CheckInPoster != nil }

// checkInPass sends the check-ins that are due: every Lean leader's plan
// whose time has come sends one check-in per director, then advances. A
// plan whose sends failed stays due and is tried again after maxSleep. It
// returns the earliest next due time.
func (l *Loop) checkInPass(ctx context.Context, now time.Time, scheds []coach.Schedule, dues []coach.Due) (time.Time, error) {
	if !l.checkInsOn() {
		return time.Time{}, nil
	}
	rule, about, on, err := l.checkInRule(scheds)
	if err != nil {
		return time.Time{}, fmt.Errorf("check-ins: %w", err)
	}
	var pairs []coach.Pair
	if on {
		all, err := l.deps.CheckIns.CheckInPairs(ctx)
		if err != nil {
			return time.Time{}, fmt.Errorf("check-ins: %w", err)
		}
		for _, p := range all {
			if about(p.Director) {
				pairs = append(pairs, p)
			}
		}
	}
	stored := map[coach.UserID]coach.Due{}
	for _, d := range dues {
		if d.Schedule == CheckInPlan {
			stored[d.Director] = d
		}
	}
	var leaders []coach.UserID
	byLeader := map[coach.UserID][]coach.Pair{}
	for _, p := range pairs {
		if byLeader[p.Leader] == nil {
			leaders = append(leaders, p.Leader)
		}
		byLeader[p.Leader] = append(byLeader[p.Leader], p)
	}
	if l.deps.Warm != nil && len(leaders) > 0 {
		// As for the directors (plan): their zones from users.list pages,
		// not a users.info each when the cache is cold.
		if err := l.deps.Warm(ctx, leaders); err != nil && ctx.Err() == nil {
			l.log.Warn().Err(err).Msg("lean leaders' profiles not warmed; asking for zones one by one")
		}
	}
	var next time.Time
	var changed []coach.Due
	for _, u := range leaders {
		old, had := stored[u]
		delete(stored, u)
		loc, err := l.deps.Zones(ctx, u)
		if err != nil || loc == nil {
			l.log.Warn().Err(err).Str("leader", string(u)).Msg("no time zone for lean leader; trying again later")
			continue
		}
		due := old
		if !had || old.When != rule.String() || old.Zone != loc.String() {
			due = coach.Due{Schedule: CheckInPlan, Director: u, When: rule.String(), Zone: loc.String(), Next: rule.Next(now, loc)}
			changed = append(changed, due)
		}
		if due.Next.After(now) {
			next = earliest(next, due.Next)
			continue
		}
		if now.Sub(due.Next) <= checkInCatchUp {
			m := coach.MonthOf(coach.DateOf(due.Next.In(loc)))
			if err := l.sendCheckIns(ctx, byLeader[u], m); err != nil {
				if ctx.Err() == nil && !l.isHalted() {
					l.log.Error().Err(err).Str("leader", string(u)).Msg("check-in not sent; retrying")
				}
				next = earliest(next, now.Add(maxSleep))
				continue
			}
		} else {
			l.log.Warn().Str("leader", string(u)).Time("due", due.Next).Msg("check-in due too long ago; skipped")
		}
		for !due.Next.After(now) && !due.Next.IsZero() {
			due.Next = rule.Next(due.Next, loc)
		}
		changed = append(changed, due)
		next = earliest(next, due.Next)
	}
	if err := l.deps.Store.PutDue(context.WithoutCancel(ctx), changed...); err != nil {
		return time.Time{}, fmt.Errorf("check-ins: %w", err)
	}
	for u := range stored { // no longer anyone's Lean leader, or turned off
		if err := l.deps.Store.DeleteDue(ctx, CheckInPlan, u); err != nil {
			return time.Time{}, fmt.Errorf("check-ins: %w", err)
		}
	}
	return next, nil
}

// checkInRule is the rule the check-ins go on, and which directors they
// are about: those of the first check-in schedule an admin added
// (`/coach schedule add checkin <when> [to @director…]`) that is not
// paused, or else, when there is none, Deps.CheckInWhen about every
// director. on is false when every check-in schedule is paused: no
// check-in goes (their plans are dropped, and planned anew from the moment
// one is resumed).
func (l *Loop) checkInRule(scheds []coach.Schedule) (rule Rule, about func(coach.UserID) bool, on bool, err error) {
	paused := false
	for _, s := range scheds {
		if s.Habit != coach.CheckInHabit {
			continue
		}
		if s.Paused {
			paused = true
			continue
		}
		rule, err := l.deps.Rules.Rule(s.When)
		if err != nil {
			l.log.Error().Str("schedule", string(s.ID)).Msg("check-in schedule has an unreadable rule; skipping it")
			continue
		}
		return rule, s.Targets, true, nil
	}
	if paused {
		return Rule{}, nil, false, nil
	}
	rule, err = l.deps.Rules.Rule(l.deps.CheckInWhen)
	return rule, func(coach.UserID) bool { return true }, err == nil, err
}

// sendCheckIns sends the check-ins of month m to pairs, one Lean leader's.
func (l *Loop) sendCheckIns(ctx context.Context, pairs []coach.Pair, m coach.Month) error {
	for _, p := range pairs {
		err := l.sendCheckIn(ctx, p, m, false)
		switch coach.ErrorCode(err) {
		case "":
		case coach.ECONFLICT, coach.EINVALID:
			// Turned off, or the pair is gone since the pass read it:
			// nothing to send.
		default:
			return err
		}
	}
	return nil
}

// SendCheckIn sends pair's check-in of month m now (`/coach send checkin`,
// after its admin check), even when one went before: a make-up. Errors
// are OpenCheckIn's (a Lean leader who turned them off is ECONFLICT) or
// Slack's.
func (l *Loop) SendCheckIn(ctx context.Context, pair coach.Pair, m coach.Month) error {
	if !l.checkInsOn() {
		return fmt.Errorf("send check-in: check-ins are not wired")
	}
	return l.sendCheckIn(ctx, pair, m, true)
}

// sendCheckIn opens pair's check-in of month m and posts it, unless (when
// not forced) it was answered already or is found in the DM.
func (l *Loop) sendCheckIn(ctx context.Context, pair coach.Pair, m coach.Month, force bool) error {
	if l.isHalted() {
		return l.haltErr
	}
	ref := coach.CheckInRef(pair, m)
	key := coach.OccurrenceKey(ref)
	if !l.claim(key) {
		return errBusy
	}
	defer l.release(key)
	c, created, err := l.deps.CheckIns.OpenCheckIn(ctx, pair, m)
	if err != nil {
		return fmt.Errorf("send check-in %s: %w", ref, err)
	}
	if !force && !created {
		if c.IsAnswered() {
			return nil
		}
		_, _, found, err := l.deps.CheckInPoster.FindCheckIn(ctx, c, ref, c.Opened.Add(-findSlack))
		l.halt(err)
		if err != nil {
			return fmt.Errorf("send check-in %s: find: %w", ref, err)
		}
		if found {
			return nil
		}
	}
	for {
		_, _, err := l.deps.CheckInPoster.PostCheckIn(ctx, c, ref)
		l.halt(err)
		if err == nil {
			l.log.Info().Str("checkin", ref).Msg("check-in sent")
			return nil
		}
		if wait, ok := errRetryAfter(err); ok && !tokenRefused(err) {
			if err := l.sleep(ctx, wait); err != nil {
				return fmt.Errorf("send check-in %s: %w", ref, err)
			}
			continue
		}
		if reason, ok := errPermanent(err); ok && !force {
			// Slack refused for good (the user is gone): not retried.
			l.log.Error().Str("checkin", ref).Str("reason", reason).Msg("check-in refused by slack; not retrying")
			return nil
		}
		return fmt.Errorf("send check-in %s: post: %w", ref, err)
	}
}
