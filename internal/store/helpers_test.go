package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

// t0 is the fixed time the tests build their data around.
var t0 = time.Date(2026, 12, 7, 8, 45, 0, 0, time.UTC)

// openTest opens a new store in a temporary directory, closed at cleanup.
func openTest(t testing.TB) *store.DB {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "data", "leancoach.db"))
}

// openAt opens the store at path, closed at cleanup.
func openAt(t testing.TB, path string) *store.DB {
	t.Helper()
	db, err := store.Open(path, store.Options{
		LockTimeout: 100 * time.Millisecond,
		Clock:       coach.ClockFunc(func() time.Time { return t0 }),
	})
	if err != nil {
		t.Fatalf("Open(%s) = %v", path, err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close() = %v", err)
		}
	})
	return db
}

// wantCode fails unless err carries the coach error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := coach.ErrorCode(err); got != code {
		t.Fatalf("error %v has code %q, want %q", err, got, code)
	}
}

// occ builds an occurrence of director d for habit h on day (0 = t0's day).
func occ(s coach.ScheduleID, d coach.UserID, h coach.Habit, day int) coach.Occurrence {
	due := t0.AddDate(0, 0, day)
	date := due.Format(time.DateOnly)
	return coach.Occurrence{
		Key: coach.NewOccurrenceKey(s, d, date), Schedule: s, Director: d, Habit: h,
		LocalDate: date, Due: due, State: coach.Sending,
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
