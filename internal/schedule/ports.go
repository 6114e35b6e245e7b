package schedule

import (
	"context"
	"errors"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

// Plans is what the loop reads to know who gets which prompt.
type Plans interface {
	Schedules(ctx context.Context) ([]coach.Schedule, error)
	Directors(ctx context.Context) ([]coach.Director, error)
	// Schedule and Director read one record (coach.ENOTFOUND when gone),
	// to re-check a plan right before its prompt is recorded.
	Schedule(ctx context.Context, id coach.ScheduleID) (coach.Schedule, error)
	Director(ctx context.Context, id coach.UserID) (coach.Director, error)
}

// DueStore keeps each (schedule, director) pair's next due time.
type DueStore interface {
	Dues(ctx context.Context) ([]coach.Due, error)
	PutDue(ctx context.Context, ds ...coach.Due) error                       // one transaction
	DeleteDue(ctx context.Context, s coach.ScheduleID, d coach.UserID) error // no error when missing
	// MissDue records o unless its key exists and stores next, in one
	// transaction; it returns the stored occurrence and whether it was created.
	MissDue(ctx context.Context, o coach.Occurrence, next coach.Due) (coach.Occurrence, bool, error)
}

// ReminderStore keeps the snooze reminders of sent prompts.
type ReminderStore interface {
	// Watch stores a fresh record for each prompt not yet watched, in one
	// transaction; records that exist are left as they are.
	Watch(ctx context.Context, rs ...coach.Reminder) error
	Reminders(ctx context.Context) ([]coach.Reminder, error)
	PutReminder(ctx context.Context, r coach.Reminder) error
	DeleteReminder(ctx context.Context, k coach.OccurrenceKey) error // no error when missing
}

// Store is everything the loop keeps; *store.DB implements it.
type Store interface {
	coach.OccurrenceStore
	Plans
	DueStore
	ReminderStore
	// Sending returns schedule s's occurrences still recorded Sending.
	Sending(ctx context.Context, s coach.ScheduleID) ([]coach.Occurrence, error)
}

// Poster sends prompts to Slack; *slackapp.Poster implements it. ref is the
// message's reference, carried in its metadata: the occurrence key for the
// prompt, key+"#rN" for its Nth reminder.
//
// Errors say what happened through methods on the error, found with
// errors.As, as net.Error does (so neither package imports the other):
//   - Permanent() bool: true when Slack refused for good (user_not_found,
//     channel_not_found, is_archived…): the prompt is recorded Failed with
//     ErrorCode() string as its reason, and never retried;
//   - RetryAfter() time.Duration: rate limited; nothing was posted, try again
//     after that long;
//   - TokenRefused() bool: true when Slack refused the bot token: nothing was
//     posted and nothing can be until a restart; the loop halts (halt.go);
//   - anything else is an unclear outcome (timeout, 5xx, connection reset):
//     the message may have been posted, so Find must look before any resend.
type Poster interface {
	Post(ctx context.Context, o coach.Occurrence, ref string) (channel coach.ChannelID, ts string, err error)
	// Find looks for the message with ref in o's DM, posted after since.
	Find(ctx context.Context, o coach.Occurrence, ref string, since time.Time) (channel coach.ChannelID, ts string, found bool, err error)
}

// Metrics counts what the loop does; nil means no metrics.
type Metrics interface {
	PromptDue()
	PromptSent(delay time.Duration) // delay after the nominal due time
	PromptMissed()
	PromptFailed(reason string)
}

type noMetrics struct{}

func (noMetrics) PromptDue()                 {}
func (noMetrics) PromptSent(time.Duration)   {}
func (noMetrics) PromptMissed()              {}
func (noMetrics) PromptFailed(reason string) {}

// errPermanent reports whether err says Slack refused for good, and its code.
func errPermanent(err error) (string, bool) {
	var p interface{ Permanent() bool }
	if !errors.As(err, &p) || !p.Permanent() {
		return "", false
	}
	var c interface{ ErrorCode() string }
	if errors.As(err, &c) && c.ErrorCode() != "" {
		return c.ErrorCode(), true
	}
	return "permanent_error", true
}

// errRetryAfter reports whether err is a rate limit, and how long to wait.
func errRetryAfter(err error) (time.Duration, bool) {
	var r interface{ RetryAfter() time.Duration }
	if !errors.As(err, &r) {
		return 0, false
	}
	return max(r.RetryAfter(), time.Second), true
}
