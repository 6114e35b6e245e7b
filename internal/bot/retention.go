package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

// Retention is how long users' free text (the private notes of answers,
// the question as asked, compliments' text) is kept: Days plus Months. The
// zero value keeps it forever.
type Retention struct {
	Days, Months int
}

// DefaultNoteRetention is LEANCOACH_NOTE_RETENTION's default.
var DefaultNoteRetention = Retention{Days: 365}

// Bounds of a retention: shorter would clear notes the weekly digest and
// open answers still use; longer is what "off" is for.
const (
	minRetentionDays   = 30
	maxRetentionDays   = 3650
	minRetentionMonths = 1
	maxRetentionMonths = 120
)

// Off reports whether text is kept forever.
func (r Retention) Off() bool { return r.Days == 0 && r.Months == 0 }

// Cutoff is the time before which text is removed at now. Months are
// calendar months (time.AddDate).
func (r Retention) Cutoff(now time.Time) time.Time { return now.AddDate(0, -r.Months, -r.Days) }

// String is the setting's text: "365d", "18mo" or "off".
func (r Retention) String() string {
	switch {
	case r.Off():
		return "off"
	case r.Months == 0:
		return strconv.Itoa(r.Days) + "d"
	case r.Days == 0:
		return strconv.Itoa(r.Months) + "mo"
	}
	return fmt.Sprintf("%dmo%dd", r.Months, r.Days)
}

// ParseRetention reads a retention: a whole number of days ("365d") or of
// calendar months ("18mo"), or "off" or "0" to keep text forever. Case and
// surrounding spaces do not matter.
func ParseRetention(s string) (Retention, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "off" || s == "0" {
		return Retention{}, nil
	}
	num, unit := s, ""
	if i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		num, unit = s[:i], s[i:]
	}
	n, err := strconv.Atoi(num)
	if num == "" || err != nil {
		return Retention{}, fmt.Errorf("%q is not a retention: write days or months, like 365d or 18mo, or off to keep notes forever", s)
	}
	switch unit {
	case "d":
		if n == 0 {
			return Retention{}, nil
		}
		if n < minRetentionDays || n > maxRetentionDays {
			return Retention{}, fmt.Errorf("%q is out of range: between %dd and %dd (or off)", s, minRetentionDays, maxRetentionDays)
		}
		return Retention{Days: n}, nil
	case "mo":
		if n == 0 {
			return Retention{}, nil
		}
		if n < minRetentionMonths || n > maxRetentionMonths {
			return Retention{}, fmt.Errorf("%q is out of range: between %dmo and %dmo (or off)", s, minRetentionMonths, maxRetentionMonths)
		}
		return Retention{Months: n}, nil
	case "":
		return Retention{}, fmt.Errorf("%q has no unit: write %sd for days or %smo for months", s, num, num)
	case "m", "month", "months":
		return Retention{}, fmt.Errorf("%q: write months as %smo (m could be minutes)", s, num)
	case "y", "year", "years":
		return Retention{}, fmt.Errorf("%q: write years as months (%dmo) or days (%dd)", s, 12*n, 365*n)
	}
	return Retention{}, fmt.Errorf("%q has an unknown unit %q: write days or months, like 365d or 18mo", s, unit)
}

// Note retention schedule.
const (
	// RetentionHour is the local hour (LEANCOACH_TZ) at which the job runs:
	// prompts are not due at night, and the compaction makes every store
	// call wait while it copies the file.
	RetentionHour = 3
	// RetentionGrace is how long after a leancoach with a retention first
	// starts on a database the first removal waits: an upgrade does not
	// delete anyone's notes overnight, and people have time to /coach export
	// them. The log says when the first removal will be.
	RetentionGrace = 30 * 24 * time.Hour
	// retentionRetry is how long the job waits after a failed run.
	retentionRetry = time.Hour
	// retentionTick is the longest the job sleeps without reading the clock
	// again (the injected clock may jump, as the campaign's does).
	retentionTick = 5 * time.Minute
)

// Settings the job keeps in the store (RFC 3339 UTC times).
const (
	// SettingRetentionStarted is when a retention first applied to this
	// database; the grace counts from it.
	SettingRetentionStarted = "note_retention.started"
	// SettingRetentionLastRun is when the job last completed a run.
	SettingRetentionLastRun = "note_retention.last_run"
)

// retentionStore is what the job needs of the store.
type retentionStore interface {
	PruneNotes(ctx context.Context, cutoff time.Time, batch int) (store.Pruned, error)
	Setting(ctx context.Context, key string) (string, error)
	PutSetting(ctx context.Context, key, value string) error
}

// RetentionJob removes users' free text older than the retention once a
// day at RetentionHour (store.DB.PruneNotes: batched, compacted, audited).
// A run missed while the bot was down, or interrupted by a crash, happens
// as soon as the bot runs again: the next run is due at the first
// RetentionHour after the last completed one.
type RetentionJob struct {
	store retentionStore
	clock coach.Clock
	log   zerolog.Logger
	bound Retention
	loc   *time.Location
	batch int
	tick  time.Duration
}

// RetentionConfig configures NewRetentionJob.
type RetentionConfig struct {
	Store  retentionStore // required
	Clock  coach.Clock    // required
	Logger zerolog.Logger
	Bound  Retention      // zero: off, Run returns at once
	TZ     *time.Location // where RetentionHour is; nil = UTC
	Batch  int            // answers per transaction; 0 = store.DefaultPruneBatch
}

// NewRetentionJob returns the job; call Run to start it.
func NewRetentionJob(c RetentionConfig) *RetentionJob {
	if c.TZ == nil {
		c.TZ = time.UTC
	}
	return &RetentionJob{store: c.Store, clock: c.Clock, log: c.Logger, bound: c.Bound,
		loc: c.TZ, batch: c.Batch, tick: retentionTick}
}

// Run runs the job until ctx is done, then returns nil. With the retention
// off it returns nil at once. Failed runs are logged and retried an hour
// later; only an unreadable setting stops it, with the error (logged too).
func (j *RetentionJob) Run(ctx context.Context) error {
	if j.bound.Off() {
		j.log.Info().Msg("note retention off: private notes are kept until their author erases them")
		return nil
	}
	started, err := j.started(ctx)
	var last time.Time
	if err == nil {
		last, err = j.timeSetting(ctx, SettingRetentionLastRun)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		j.log.Error().Err(err).Msg("note retention stopped: its state in the database cannot be read")
		return err
	}
	j.log.Info().Str("retention", j.bound.String()).Time("first_removal_after", started.Add(RetentionGrace)).
		Msg("note retention on: notes older than the retention are removed nightly")
	if last.IsZero() {
		// Never ran: the first run is at the first RetentionHour from now
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
		if wait := due.Sub(now); wait > 0 {
			if err := j.sleep(ctx, min(wait, j.tick)); err != nil {
				return nil
			}
			continue
		}
		if err := j.runOnce(ctx, started); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			j.log.Error().Err(err).Msg("note retention run failed; retrying in an hour")
			retryAt = now.Add(retentionRetry)
			continue
		}
		last = now
	}
}

// runOnce removes the text older than the retention at the clock's now,
// unless now is within the grace after started, and records the run.
func (j *RetentionJob) runOnce(ctx context.Context, started time.Time) error {
	now := j.now()
	if now.Before(started.Add(RetentionGrace)) {
		j.log.Info().Time("first_removal_after", started.Add(RetentionGrace)).
			Msg("note retention: in its first 30 days, nothing removed yet")
		return j.putTime(ctx, SettingRetentionLastRun, now)
	}
	cutoff := j.bound.Cutoff(now)
	res, err := j.store.PruneNotes(ctx, cutoff, j.batch)
	if err != nil {
		return fmt.Errorf("note retention: %w", err)
	}
	ev := j.log.Debug()
	if res.Answers > 0 || res.Kudos > 0 || res.Compacted {
		ev = j.log.Info()
	}
	ev.Int("answers", res.Answers).Int("kudos", res.Kudos).Int("batches", res.Batches).
		Bool("compacted", res.Compacted).Str("cutoff", cutoff.Format(time.DateOnly)).
		Dur("took", j.now().Sub(now)).Msg("note retention run")
	return j.putTime(ctx, SettingRetentionLastRun, now)
}

// nextRun is when the next run is due: the first RetentionHour after the
// last completed run.
func (j *RetentionJob) nextRun(last time.Time) time.Time {
	l := last.In(j.loc)
	at := time.Date(l.Year(), l.Month(), l.Day(), RetentionHour, 0, 0, 0, j.loc)
	for !at.After(last) {
		l = l.AddDate(0, 0, 1)
		at = time.Date(l.Year(), l.Month(), l.Day(), RetentionHour, 0, 0, 0, j.loc)
	}
	return at.UTC()
}

// started reads when the retention first applied, recording now if never.
func (j *RetentionJob) started(ctx context.Context) (time.Time, error) {
	t, err := j.timeSetting(ctx, SettingRetentionStarted)
	if err != nil || !t.IsZero() {
		return t, err
	}
	t = j.now()
	return t, j.putTime(ctx, SettingRetentionStarted, t)
}

func (j *RetentionJob) timeSetting(ctx context.Context, k string) (time.Time, error) {
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

func (j *RetentionJob) putTime(ctx context.Context, k string, t time.Time) error {
	if err := j.store.PutSetting(ctx, k, t.UTC().Format(time.RFC3339Nano)); err != nil {
		return fmt.Errorf("note retention: %w", err)
	}
	return nil
}

func (j *RetentionJob) now() time.Time { return j.clock.Now().UTC() }

// sleep waits d or until ctx is done (then it returns ctx's error).
func (j *RetentionJob) sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
