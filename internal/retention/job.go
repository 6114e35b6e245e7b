package retention

import (
	"context"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
	"github.com/leancoach/leancoach/internal/wait"
)

// Note retention schedule.
const (
	// Hour is the local hour (LEANCOACH_TZ) at which the job runs:
	// prompts are not due at night, and the compaction makes every store
	// call wait while it copies the file.
	Hour = 3
	// Grace is how long after a leancoach with a retention first
	// starts on a database the first removal waits: an upgrade does not
	// delete anyone's notes overnight, and people have time to /coach export
	// them. The log says when the first removal will be.
	Grace = 30 * 24 * time.Hour
	// retryAfter is how long the job waits after a failed run.
	retryAfter = time.Hour
	// maxSleep is the longest the job sleeps without reading the clock
	// again (the injected clock may jump, as the campaign's does).
	maxSleep = 5 * time.Minute
)

// Settings the job keeps in the store (RFC 3339 UTC times).
const (
	// SettingStarted is when a retention first applied to this
	// database; the grace counts from it.
	SettingStarted = "note_retention.started"
	// SettingLastRun is when the job last completed a run.
	SettingLastRun = "note_retention.last_run"
)

// Store is what the job needs of the store.
type Store interface {
	PruneNotes(ctx context.Context, cutoff time.Time, batch int) (store.Pruned, error)
	Setting(ctx context.Context, key string) (string, error)
	PutSetting(ctx context.Context, key, value string) error
}

// Job removes users' free text older than the retention once a
// day at Hour (store.DB.PruneNotes: batched, compacted, audited).
// A run missed while the bot was down, or interrupted by a crash, happens
// as soon as the bot runs again: the next run is due at the first
// Hour after the last completed one.
type Job struct {
	store Store
	clock coach.Clock
	log   zerolog.Logger
	bound Period
	loc   *time.Location
	batch int
	tick  time.Duration
}

// Config configures New.
type Config struct {
	Store  Store       // required
	Clock  coach.Clock // required
	Logger zerolog.Logger
	Bound  Period         // zero: off, Run returns at once
	TZ     *time.Location // where Hour is; nil = UTC
	Batch  int            // answers per transaction; 0 = store.DefaultPruneBatch
}

// New returns the job; call Run to start it.
func New(c Config) *Job {
	if c.TZ == nil {
		c.TZ = time.UTC
	}
	return &Job{store: c.Store, clock: c.Clock, log: c.Logger, bound: c.Bound,
		loc: c.TZ, batch: c.Batch, tick: maxSleep}
}

// Run runs the job until ctx is done, then returns nil. With the retention
// off it returns nil at once. Failed runs are logged and retried an hour
// later; only an unreadable setting stops it, with the error (logged too).
func (j *Job) Run(ctx context.Context) error {
	if j.bound.Off() {
		j.log.Info().Msg("note retention off: private notes are kept until their author erases them")
		return nil
	}
	started, err := j.started(ctx)
	var last time.Time
	if err == nil {
		last, err = j.timeSetting(ctx, SettingLastRun)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		j.log.Error().Err(err).Msg("note retention stopped: its state in the database cannot be read")
		return err
	}
	j.log.Info().Str("retention", j.bound.String()).Time("first_removal_after", started.Add(Grace)).
		Msg("note retention on: notes older than the retention are removed nightly")
	if last.IsZero() {
		// Never ran: the first run is at the first Hour from now
		// (counted from this start, so that it does not move as time passes).
		last = j.now()
	}
	var retryAt time.Time
	for {
		now := j.now()
		due := j.nextRun(last)
		if due.Before(retryAt) {
			due = retryAt
		}
		if d := due.Sub(now); d > 0 {
			if err := wait.For(ctx, min(d, j.tick)); err != nil {
				return nil
			}
			continue
		}
		if err := j.runOnce(ctx, started); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			j.log.Error().Err(err).Msg("note retention run failed; retrying in an hour")
			retryAt = now.Add(retryAfter)
			continue
		}
		last = now
	}
}

// runOnce removes the text older than the retention at the clock's now,
// unless now is within the grace after started, and records the run.
func (j *Job) runOnce(ctx context.Context, started time.Time) error {
	now := j.now()
	if now.Before(started.Add(Grace)) {
		j.log.Info().Time("first_removal_after", started.Add(Grace)).
			Msg("note retention: in its first 30 days, nothing removed yet")
		return j.putTime(ctx, SettingLastRun, now)
	}
	cutoff := j.bound.Cutoff(now)
	res, err := j.store.PruneNotes(ctx, cutoff, j.batch)
	if err != nil {
		return fmt.Errorf("note retention: %w", err)
	}
	ev := j.log.Debug()
	if res.Answers > 0 || res.Kudos > 0 || res.Paths > 0 || res.Leader > 0 || res.Compacted {
		ev = j.log.Info()
	}
	ev.Int("answers", res.Answers).Int("kudos", res.Kudos).Int("paths", res.Paths).Int("leader_texts", res.Leader).Int("batches", res.Batches).
		Bool("compacted", res.Compacted).Str("cutoff", cutoff.Format(time.DateOnly)).
		Dur("took", j.now().Sub(now)).Msg("note retention run")
	return j.putTime(ctx, SettingLastRun, now)
}

// nextRun is when the next run is due: the first Hour after the
// last completed run.
func (j *Job) nextRun(last time.Time) time.Time {
	l := last.In(j.loc)
	at := time.Date(l.Year(), l.Month(), l.Day(), Hour, 0, 0, 0, j.loc)
	for !at.After(last) {
		l = l.AddDate(0, 0, 1)
		at = time.Date(l.Year(), l.Month(), l.Day(), Hour, 0, 0, 0, j.loc)
	}
	return at.UTC()
}

// started reads when the retention first applied, recording now if never.
func (j *Job) started(ctx context.Context) (time.Time, error) {
	t, err := j.timeSetting(ctx, SettingStarted)
	if err != nil || !t.IsZero() {
		return t, err
	}
	t = j.now()
	return t, j.putTime(ctx, SettingStarted, t)
}

func (j *Job) timeSetting(ctx context.Context, k string) (time.Time, error) {
	v, err := j.store.Setting(ctx, k)
	if err != nil || v == "" {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("note retention: setting %s: %w", k, err)
	}
	return t, nil
}

func (j *Job) putTime(ctx context.Context, k string, t time.Time) error {
	if err := j.store.PutSetting(ctx, k, t.UTC().Format(time.RFC3339Nano)); err != nil {
		return fmt.Errorf("note retention: %w", err)
	}
	return nil
}

func (j *Job) now() time.Time { return j.clock.Now().UTC() }
