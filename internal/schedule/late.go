package schedule

import (
	"context"
	"errors"
	"fmt"

	"github.com/leancoach/leancoach/internal/coach"
)

// miss records a prompt that fell due too long ago to send (the bot was
// down) and advances its plan, in one transaction. A Sending record left by a
// send that died is settled with Slack first: if the message is there it
// counts as sent, if not it is missed; the plan advances (with the pass's
// batch) only after that.
func (l *Loop) miss(ctx context.Context, o coach.Occurrence, next coach.Due) error {
	existing, err := l.deps.Store.Occurrence(ctx, o.Key)
	switch {
	case coach.ErrorCode(err) == coach.ENOTFOUND:
		o.State = coach.Missed
		_, created, err := l.deps.Store.MissDue(ctx, o, next)
		if err == nil && created {
			l.metrics.PromptDue()
			l.metrics.PromptMissed()
			l.log.Warn().Str("occ", string(o.Key)).Time("due", o.Due).Msg("prompt missed: due before the catch-up window")
		}
		return err
	case err != nil:
		return err
	case existing.State == coach.Sending:
		return l.settleLate(ctx, existing)
	}
	return nil
}

// settleLate settles a Sending record found outside the catch-up window: it
// is never posted again, only looked for.
func (l *Loop) settleLate(ctx context.Context, o coach.Occurrence) error {
	if !l.claim(o.Key) {
		return errBusy
	}
	defer l.release(o.Key)
	ch, ts, found, err := l.deps.Poster.Find(ctx, o, string(o.Key), o.StartedAt.Add(-findSlack))
	if err != nil {
		return fmt.Errorf("reconcile %s: %w", o.Key, err)
	}
	if found {
		sent, err := l.markSent(ctx, o, ch, ts)
		if err == nil {
			err = l.deps.Store.Watch(ctx, coach.Reminder{Occ: sent.Key, Director: sent.Director})
		}
		return err
	}
	_, err = l.deps.Store.UpdateOccurrence(ctx, o.Key, func(x *coach.Occurrence) error {
		if x.State != coach.Sending {
			return errNotSending
		}
		x.State = coach.Missed
		return nil
	})
	if errors.Is(err, errNotSending) {
		return nil
	}
	if err == nil {
		l.metrics.PromptMissed()
		l.log.Warn().Str("occ", string(o.Key)).Msg("prompt missed: its send died and it is now too late")
	}
	return err
}

// recoverAdHoc finishes the prompts sent by hand (/coach send) that a crash
// left recorded as Sending: no plan points at them, so no pass would. Inside
// the catch-up window they are reconciled with Slack and posted if Slack does
// not have them; later ones are only looked for, and recorded missed if
// absent.
func (l *Loop) recoverAdHoc(ctx context.Context) {
	occs, err := l.deps.Store.Sending(ctx, coach.AdHoc)
	if err != nil {
		l.log.Error().Err(err).Msg("list unfinished ad-hoc prompts")
		return
	}
	for _, o := range occs {
		if l.isHalted() {
			return // a refused token: they stay Sending for the next process
		}
		if l.now().Sub(o.Due) > l.deps.CatchUp {
			err = l.settleLate(ctx, o)
		} else {
			_, err = l.Deliver(ctx, o)
		}
		if err != nil && coach.ErrorCode(err) != coach.ECONFLICT && ctx.Err() == nil && !l.isHalted() {
			l.log.Error().Err(err).Str("occ", string(o.Key)).Msg("recover ad-hoc prompt")
		}
	}
}

func (l *Loop) claim(k coach.OccurrenceKey) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inFlight[k] {
		return false
	}
	l.inFlight[k] = true
	return true
}

func (l *Loop) release(k coach.OccurrenceKey) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.inFlight, k)
}
