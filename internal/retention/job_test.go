package retention_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/retention"
	"github.com/leancoach/leancoach/internal/store"
)

const (
	oldCanary = "RETENTIONOLDNOTE"
	newCanary = "RETENTIONNEWNOTE"
)

// answered stores an answered stand-up of UR due at due with note.
func answered(t *testing.T, db *store.DB, due time.Time, note string) {
	t.Helper()
	date := due.Format(time.DateOnly)
	o := coach.Occurrence{Key: coach.NewOccurrenceKey("s1", "UR", date), Schedule: "s1", Director: "UR",
		Habit: coach.Standup, LocalDate: date, Due: due, State: coach.Sent, SentAt: due}
	if _, _, err := db.CreateOccurrence(t.Context(), o); err != nil {
		t.Fatal(err)
	}
	_, err := db.UpdateOccurrence(t.Context(), o.Key, func(o *coach.Occurrence) error {
		o.Answer = &coach.Answer{Outcome: coach.Done, At: due.Add(time.Minute), By: "UR", Note: note, FeedbackGiven: true}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// inFile reports whether word is in the raw file at path.
func inFile(t *testing.T, path, word string) bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Contains(b, []byte(word))
}

// TestJobTiming runs the job in a synctest bubble, whose clock
// starts on Saturday 1 January 2000, 00:00 UTC (01:00 in Amsterdam): it runs
// at 03:00 Amsterdam time, removes nothing during the 30-day grace, removes
// old notes from the file at the first 03:00 after it, and after downtime
// over 03:00 runs as soon as it starts again.
func TestJobTiming(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		path := filepath.Join(t.TempDir(), "leancoach.db")
		clock := coach.ClockFunc(time.Now)
		db, err := store.Open(path, store.Options{Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ctx := t.Context()
		answered(t, db, start.AddDate(0, 0, -400), oldCanary)
		answered(t, db, start.AddDate(0, 0, -10), newCanary)

		setting := func(k string) string {
			t.Helper()
			v, err := db.Setting(ctx, k)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		at := func(d time.Time) string { return d.UTC().Format(time.RFC3339Nano) }
		// sleepUntil advances the bubble's clock to d (the bubble's fake
		// time moves as soon as every goroutine in it is blocked, here on
		// the timer's channel) and lets the job settle.
		sleepUntil := func(d time.Time) {
			<-time.After(time.Until(d))
			synctest.Wait()
		}
		run := func() (stop func()) {
			job := retention.New(retention.Config{Store: db, Clock: clock, Logger: zerolog.New(zerolog.NewTestWriter(t)),
				Bound: retention.Period{Days: 365}, TZ: ams})
			jobCtx, cancel := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- job.Run(jobCtx) }()
			synctest.Wait()
			return func() {
				cancel()
				if err := <-done; err != nil {
					t.Errorf("Run = %v, want nil after cancel", err)
				}
			}
		}

		stop := run()
		if got := setting(retention.SettingStarted); got != at(start) {
			t.Errorf("%s = %q, want %q", retention.SettingStarted, got, at(start))
		}
		first := time.Date(2000, 1, 1, 3, 0, 0, 0, ams)
		sleepUntil(first.Add(-time.Second))
		if got := setting(retention.SettingLastRun); got != "" {
			t.Errorf("%s before 03:00 = %q, want no run yet", retention.SettingLastRun, got)
		}
		sleepUntil(first.Add(time.Second))
		if got := setting(retention.SettingLastRun); got != at(first) {
			t.Errorf("%s = %q, want a run at %s", retention.SettingLastRun, got, at(first))
		}

		// The grace ends on 31 January, 00:00 UTC; the first removal is
		// at 03:00 Amsterdam time that night.
		removal := time.Date(2000, 1, 31, 3, 0, 0, 0, ams)
		sleepUntil(removal.Add(-time.Second))
		if !inFile(t, path, oldCanary) {
			t.Fatalf("%s left the file during the grace", oldCanary)
		}
		if log, _ := db.AuditLog(ctx, 0); len(log) != 0 {
			t.Errorf("audit log during the grace = %+v, want empty", log)
		}
		sleepUntil(removal.Add(time.Second))
		if inFile(t, path, oldCanary) {
			t.Errorf("%s is in the file after the run at %s", oldCanary, removal)
		}
		if !inFile(t, path, newCanary) {
			t.Errorf("%s, 40 days old, left the file", newCanary)
		}
		log, err := db.AuditLog(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 1 || !log[0].At.Equal(removal) || log[0].Action != store.ActionNotesExpired {
			t.Errorf("audit log after the removal = %+v, want one %s at %s", log, store.ActionNotesExpired, removal)
		}
		h, err := db.History(ctx, "UR", coach.Standup, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 2 || h[0].Answer.Outcome != coach.Done || !h[0].Answer.FeedbackGiven || h[0].Answer.Note != "" || h[1].Answer.Note != newCanary {
			t.Errorf("history after the removal = %+v, want the old answer done without its note, the new one intact", h)
		}

		// Down from 04:00 to two days later at noon: it runs at start.
		sleepUntil(removal.Add(time.Hour))
		stop()
		restart := time.Date(2000, 2, 2, 12, 0, 0, 0, ams)
		sleepUntil(restart)
		stop = run()
		if got := setting(retention.SettingLastRun); got != at(restart) {
			t.Errorf("%s after a restart past 03:00 = %q, want %q", retention.SettingLastRun, got, at(restart))
		}
		// And then at 03:00 again.
		next := time.Date(2000, 2, 3, 3, 0, 0, 0, ams)
		sleepUntil(next.Add(time.Second))
		if got := setting(retention.SettingLastRun); got != at(next) {
			t.Errorf("%s the night after = %q, want %q", retention.SettingLastRun, got, at(next))
		}
		stop()
		if got := setting(retention.SettingStarted); got != at(start) {
			t.Errorf("%s after a restart = %q, want it kept at %q", retention.SettingStarted, got, at(start))
		}
	})
}

func TestJobOff(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "leancoach.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	job := retention.New(retention.Config{Store: db, Clock: coach.ClockFunc(time.Now), Logger: zerolog.Nop()})
	if err := job.Run(t.Context()); err != nil {
		t.Errorf("Run with the retention off = %v, want nil at once", err)
	}
	if v, _ := db.Setting(t.Context(), retention.SettingStarted); v != "" {
		t.Errorf("%s with the retention off = %q, want unset", retention.SettingStarted, v)
	}
}
