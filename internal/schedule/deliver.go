package schedule

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/wait"
)

// Tuning of the two-phase send.
const (
	unclearTries   = 3                // posts per Deliver call after unclear outcomes; then the loop retries later
	firstBackoff   = 2 * time.Second  // wait after the first unclear outcome, doubling
	maxRateWait    = 10 * time.Minute // never sleep longer than this on one Retry-After
	expireLookback = 100 * 24 * time.Hour

	// findSlack is how far before StartedAt Find looks. StartedAt is read on
	// the bot's clock, a message's ts on Slack's: a bot clock that runs fast
	// (until NTP steps it back; a hardware clock kept in local time is up to
	// 14 h off) would otherwise make Find look past the message it posted,
	// and post the prompt again. A DM gets a few messages a day, so a day
	// more of its history costs one page; a clock over a day fast is beyond
	// this.
	findSlack = 24 * time.Hour
)

// Crash points: Deps.CrashPoint is called with these names, so that a test
// can kill the process between the phases of a send.
const (
	PhaseDue      = "due"      // about to record the occurrence; nothing stored or posted
	PhaseRecorded = "recorded" // the occurrence is stored as Sending; nothing posted yet
	PhasePosted   = "posted"   // Slack accepted the message; not yet marked Sent
	PhaseMarked   = "marked"   // marked Sent
)

// Deliver sends one prompt exactly once (coach.Prompter):
//  1. record o under its key as Sending (nothing is posted without its record:
//     a store error fails closed);
//  2. post it with the key in the message metadata;
//  3. mark it Sent with the channel and ts.
//
// A Sending record left by an earlier attempt (a crash, an unclear outcome)
// is reconciled with Slack (Poster.Find) before anything is posted again. On a
// rate limit it waits Retry-After and retries; a permanent Slack error marks
// it Failed and returns the error. An occurrence already Sent, Failed or
// Missed, or being sent right now, gives ECONFLICT with the stored
// occurrence.
func (l *Loop) Deliver(ctx context.Context, o coach.Occurrence) (coach.Occurrence, error) {
	if o.Key == "" || o.Director == "" {
		return o, fmt.Errorf("deliver: occurrence without key or director")
	}
	if !l.claim(o.Key) {
		return o, errBusy
	}
	got, err := l.deliver(ctx, o)
	l.release(o.Key)
	if err == nil && got.State == coach.Sent {
		if werr := l.deps.Store.Watch(ctx, coach.Reminder{Occ: got.Key, Director: got.Director}); werr != nil {
			l.log.Error().Err(werr).Str("occ", string(got.Key)).Msg("watch prompt for snooze failed")
		}
	}
	return got, err
}

// deliver is Deliver for a claimed key, without the snooze watch (the loop
// stores those in batches).
func (l *Loop) deliver(ctx context.Context, o coach.Occurrence) (coach.Occurrence, error) {
	if o.Due.IsZero() {
		o.Due = l.now()
	}
	if o.Habit == coach.Question && o.QuestionID == "" && l.deps.Questions != nil {
		// Pick only for a new occurrence: picking may record the question as
		// shown, and a replay must not.
		if _, err := l.deps.Store.Occurrence(ctx, o.Key); coach.ErrorCode(err) == coach.ENOTFOUND {
			q, err := l.deps.Questions(ctx, o.Director)
			if err != nil {
				l.log.Warn().Err(err).Str("occ", string(o.Key)).Msg("pick question failed; the renderer picks one")
			}
			o.QuestionID = q
		}
	}
	l.crash(PhaseDue)
	o.State, o.Attempts, o.StartedAt = coach.Sending, 1, l.now()
	o.SentAt, o.Channel, o.TS, o.FailReason, o.Answer = time.Time{}, "", "", "", nil
	stored, created, err := l.deps.Store.CreateOccurrence(ctx, o)
	if err != nil {
		return o, fmt.Errorf("deliver %s: record: %w", o.Key, err)
	}
	if !created {
		if stored.State != coach.Sending {
			return stored, errNotSending
		}
		// Not in flight here (claim), and bbolt's lock keeps out any other
		// process: an earlier attempt died. Slack may have the message.
		return l.send(ctx, stored, true)
	}
	l.metrics.PromptDue()
	l.crash(PhaseRecorded)
	return l.send(ctx, stored, false)
}

// send runs the post/reconcile cycle for an occurrence recorded as Sending.
// It returns with the occurrence Sent, Failed, or (on an error) still Sending
// for a later call to reconcile.
func (l *Loop) send(ctx context.Context, o coach.Occurrence, reconcile bool) (coach.Occurrence, error) {
	backoff := firstBackoff
	for tries := 0; ; {
		if reconcile {
			ch, ts, found, err := l.deps.Poster.Find(ctx, o, string(o.Key), o.StartedAt.Add(-findSlack))
			if err != nil {
				if wait, ok := errRetryAfter(err); ok {
					if err := l.sleep(ctx, wait); err != nil {
						return o, fmt.Errorf("deliver %s: %w", o.Key, err)
					}
					continue
				}
				return o, fmt.Errorf("deliver %s: reconcile: %w", o.Key, err)
			}
			if found {
				l.log.Info().Str("occ", string(o.Key)).Msg("prompt found in slack after an unclear send")
				return l.markSent(ctx, o, ch, ts)
			}
			if o, err = l.deps.Store.UpdateOccurrence(ctx, o.Key, func(x *coach.Occurrence) error {
				if x.State != coach.Sending {
					return errNotSending
				}
				x.Attempts++
				return nil
			}); err != nil {
				return o, fmt.Errorf("deliver %s: record attempt: %w", o.Key, err)
			}
			reconcile = false
		}
		ch, ts, err := l.deps.Poster.Post(ctx, o, string(o.Key))
		if err == nil {
			l.crash(PhasePosted)
			l.noteSkew(l.now(), ts)
			return l.markSent(ctx, o, ch, ts)
		}
		if tokenRefused(err) {
			// Nothing was posted and nothing can be until a restart: no
			// pause, no reconcile; the record stays Sending for the next
			// process (halt.go).
			return o, fmt.Errorf("deliver %s: post: %w", o.Key, err)
		}
		if wait, ok := errRetryAfter(err); ok {
			l.log.Info().Str("occ", string(o.Key)).Dur("retry_after", wait).Msg("rate limited; waiting")
			if err := l.sleep(ctx, wait); err != nil {
				return o, fmt.Errorf("deliver %s: %w", o.Key, err)
			}
			continue
		}
		if reason, ok := errPermanent(err); ok {
			return l.markFailed(ctx, o, reason, err)
		}
		tries++
		l.log.Warn().Err(err).Str("occ", string(o.Key)).Int("try", tries).Msg("unclear outcome of post; will reconcile")
		if tries >= unclearTries || ctx.Err() != nil {
			return o, fmt.Errorf("deliver %s: post: %w", o.Key, err)
		}
		if err := l.sleep(ctx, backoff); err != nil {
			return o, fmt.Errorf("deliver %s: %w", o.Key, err)
		}
		backoff *= 2
		reconcile = true
	}
}

// Sentinel errors; both are ECONFLICT with a message for the user of /coach send.
var (
	errNotSending = coach.Errorf(coach.ECONFLICT, "schedule.prompt.already_sent")
	errBusy       = coach.Errorf(coach.ECONFLICT, "schedule.prompt.busy")
)

func (l *Loop) markSent(ctx context.Context, o coach.Occurrence, ch coach.ChannelID, ts string) (coach.Occurrence, error) {
	now := l.now()
	sent, err := l.deps.Store.UpdateOccurrence(ctx, o.Key, func(x *coach.Occurrence) error {
		if x.State == coach.Sent {
			return errNotSending
		}
		x.State, x.Channel, x.TS, x.SentAt, x.FailReason = coach.Sent, ch, ts, now, ""
		return nil
	})
	if err != nil {
		// Posted but not marked: the record stays Sending and the next
		// attempt finds the message in Slack instead of posting it again.
		return o, fmt.Errorf("deliver %s: mark sent: %w", o.Key, err)
	}
	l.crash(PhaseMarked)
	l.metrics.PromptSent(now.Sub(sent.Due))
	l.log.Info().Str("occ", string(o.Key)).Str("channel", string(ch)).Dur("delay", now.Sub(sent.Due)).Msg("prompt sent")
	if err := l.expireEarlier(ctx, sent); err != nil {
		l.log.Error().Err(err).Str("occ", string(o.Key)).Msg("expire earlier prompts failed")
	}
	return sent, nil
}

func (l *Loop) markFailed(ctx context.Context, o coach.Occurrence, reason string, cause error) (coach.Occurrence, error) {
	failed, err := l.deps.Store.UpdateOccurrence(ctx, o.Key, func(x *coach.Occurrence) error {
		if x.State != coach.Sending {
			return errNotSending
		}
		x.State, x.FailReason = coach.Failed, reason
		return nil
	})
	if err != nil {
		return o, fmt.Errorf("deliver %s: mark failed: %w", o.Key, err)
	}
	l.metrics.PromptFailed(reason)
	l.log.Error().Str("occ", string(o.Key)).Str("reason", reason).Msg("prompt failed for good; not retrying")
	return failed, fmt.Errorf("deliver %s: %w", o.Key, cause)
}

// expireEarlier closes the director's earlier prompts of o's habit that are
// still open: "a prompt can be answered until its habit's next prompt is due".
func (l *Loop) expireEarlier(ctx context.Context, o coach.Occurrence) error {
	hist, err := l.deps.Store.History(ctx, o.Director, o.Habit, o.Due.Add(-expireLookback))
	if err != nil {
		return err
	}
	now := l.now()
	for _, x := range hist {
		if x.Key == o.Key || !x.Due.Before(o.Due) || !x.Open() {
			continue
		}
		_, err := l.deps.Store.UpdateOccurrence(ctx, x.Key, func(y *coach.Occurrence) error {
			if !y.Open() {
				return errNotSending // answered meanwhile: leave it
			}
			y.Answer = &coach.Answer{Outcome: coach.Expired, At: now}
			return nil
		})
		if err != nil && !errors.Is(err, errNotSending) {
			return err
		}
	}
	return nil
}

// sleep waits d, or until ctx is done or a refused token halts the loop
// (then there is nothing to wait for).
func (l *Loop) sleep(ctx context.Context, d time.Duration) error {
	halted, err := wait.ForOr(ctx, min(d, maxRateWait), l.halted)
	if halted {
		return l.haltErr
	}
	return err
}

func (l *Loop) crash(phase string) {
	if l.deps.CrashPoint != nil {
		l.deps.CrashPoint(phase)
	}
}
