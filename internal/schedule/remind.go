package schedule

import (
	"context"
	"fmt"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

// ReminderRef is the message reference of the nth reminder of a prompt: a new
// message in the DM whose buttons act on the same occurrence.
func ReminderRef(k coach.OccurrenceKey, n int) string { return fmt.Sprintf("%s#r%d", k, n) }

// remind sends the snooze reminders that are due, each exactly once per
// snooze, and returns the earliest snooze still ahead (zero when none).
//
// Every sent prompt is watched (afterSent puts a Reminder with N == 0) until
// it is closed. The Nth reminder answers one SnoozeUntil: it is recorded as
// Sending before it is posted, and a Sending reminder is looked for in Slack
// before it is posted again, as for prompts.
func (l *Loop) remind(ctx context.Context, dirs map[coach.UserID]coach.Director) (time.Time, error) {
	rems, err := l.deps.Store.Reminders(ctx)
	if err != nil {
		return time.Time{}, err
	}
	var next time.Time
	for _, r := range rems {
		if ctx.Err() != nil {
			return next, ctx.Err()
		}
		if l.isHalted() {
			return next, l.haltErr
		}
		t, err := l.remindOne(ctx, r, dirs)
		if err != nil && !l.isHalted() {
			l.log.Error().Err(err).Str("occ", string(r.Occ)).Msg("snooze reminder not settled; retrying")
			t = l.now().Add(maxSleep)
		}
		next = earliest(next, t)
	}
	return next, nil
}

func (l *Loop) remindOne(ctx context.Context, r coach.Reminder, dirs map[coach.UserID]coach.Director) (time.Time, error) {
	st := l.deps.Store
	now := l.now()
	o, err := st.Occurrence(ctx, r.Occ)
	switch {
	case coach.ErrorCode(err) == coach.ENOTFOUND:
		return time.Time{}, st.DeleteReminder(ctx, r.Occ)
	case err != nil:
		return time.Time{}, err
	case !o.Open() || now.Sub(o.SentAt) > expireLookback:
		return time.Time{}, st.DeleteReminder(ctx, r.Occ) // closed: nothing more to remind
	}
	a := o.Answer
	if a == nil || a.Outcome != coach.Snoozed {
		return time.Time{}, nil
	}
	if a.SnoozeUntil.After(now) {
		return a.SnoozeUntil, nil
	}
	resume := r.N > 0 && r.For.Equal(a.SnoozeUntil)
	if resume && r.State != coach.Sending {
		return time.Time{}, nil // this snooze has had its reminder
	}
	ref := ReminderRef(o.Key, r.N)
	if !resume {
		r.N++
		ref = ReminderRef(o.Key, r.N)
		r.For, r.StartedAt, r.SentAt, r.Channel, r.TS = a.SnoozeUntil, now, time.Time{}, "", ""
		r.State = coach.Sending
		if d, ok := dirs[o.Director]; now.Sub(a.SnoozeUntil) > l.deps.CatchUp || (ok && d.OnLeave(now)) {
			r.State = coach.Missed // too late (the bot was down) or on leave: skip this one
		}
		if err := st.PutReminder(ctx, r); err != nil { // recorded before it is posted
			return time.Time{}, err
		}
		if r.State == coach.Missed {
			return time.Time{}, nil
		}
	}
	if !l.claim(coach.OccurrenceKey(ref)) {
		return time.Time{}, nil
	}
	defer l.release(coach.OccurrenceKey(ref))
	if resume {
		ch, ts, found, err := l.deps.Poster.Find(ctx, o, ref, r.StartedAt.Add(-findSlack))
		if err != nil {
			return time.Time{}, fmt.Errorf("reconcile reminder %s: %w", ref, err)
		}
		if found {
			return time.Time{}, l.reminderSent(ctx, r, ch, ts)
		}
	}
	ch, ts, err := l.deps.Poster.Post(ctx, o, ref)
	if err == nil {
		return time.Time{}, l.reminderSent(ctx, r, ch, ts)
	}
	if reason, ok := errPermanent(err); ok {
		r.State = coach.Failed
		l.metrics.PromptFailed(reason)
		return time.Time{}, st.PutReminder(ctx, r)
	}
	return time.Time{}, fmt.Errorf("post reminder %s: %w", ref, err) // Sending: reconciled next pass
}

func (l *Loop) reminderSent(ctx context.Context, r coach.Reminder, ch coach.ChannelID, ts string) error {
	r.State, r.Channel, r.TS, r.SentAt = coach.Sent, ch, ts, l.now()
	if err := l.deps.Store.PutReminder(ctx, r); err != nil {
		return err
	}
	l.log.Info().Str("occ", string(r.Occ)).Int("n", r.N).Msg("snooze reminder sent")
	return nil
}
