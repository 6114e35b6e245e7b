package store_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

// TestBackupDuringWrites takes a backup while a writer commits without
// pause: the copy must pass Check and hold every record committed before
// the backup began.
func TestBackupDuringWrites(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	var committed atomic.Int64 // records 0..committed-1 are durable
	started := make(chan struct{})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, _, err := db.CreateOccurrence(ctx, occ("s1", "U1", coach.Standup, i)); err != nil {
				t.Errorf("CreateOccurrence(%d) = %v", i, err)
				return
			}
			committed.Store(int64(i + 1))
			if i == 50 {
				close(started)
			}
		}
	})
	select {
	case <-started:
	case <-time.After(30 * time.Second):
		t.Fatal("writer did not commit 50 records in 30 s")
	}
	before := committed.Load()
	path := filepath.Join(t.TempDir(), "backups", "leancoach.bak")
	err := db.BackupFile(path, false)
	close(stop)
	wg.Wait()
	must(t, err)

	fi, err := os.Stat(path)
	must(t, err)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode = %#o, want 0600", fi.Mode().Perm())
	}
	must(t, store.Check(path))
	bak := openAt(t, path)
	h, err := bak.History(ctx, "U1", coach.Standup, time.Time{})
	must(t, err)
	if int64(len(h)) < before {
		t.Fatalf("backup holds %d records, want at least the %d committed before it began", len(h), before)
	}
	for i := range before {
		if want := occ("s1", "U1", coach.Standup, int(i)).Key; h[i].Key != want {
			t.Fatalf("backup record %d = %s, want %s", i, h[i].Key, want)
		}
	}
}

func TestBackupFileRefusesOverwrite(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "leancoach.bak")
	must(t, os.WriteFile(path, []byte("precious"), 0o600))
	if err := db.BackupFile(path, false); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("BackupFile(existing, no force) = %v, want fs.ErrExist", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "precious" {
		t.Fatal("BackupFile without force changed the existing file")
	}
	must(t, db.PutSetting(ctx, "k", "v"))
	must(t, db.BackupFile(path, true))
	must(t, store.Check(path))
	if v, _ := openAt(t, path).Setting(ctx, "k"); v != "v" {
		t.Errorf("Setting(k) in forced backup = %q, want v", v)
	}
	// No temporary files are left behind.
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("backup directory holds %d entries, want 1", len(entries))
	}
}

func TestBackupToWriter(t *testing.T) {
	db := openTest(t)
	must(t, db.PutSetting(t.Context(), "k", "v"))
	var buf bytes.Buffer
	n, err := db.Backup(&buf)
	must(t, err)
	if n != int64(buf.Len()) || n == 0 {
		t.Errorf("Backup() = %d bytes, wrote %d", n, buf.Len())
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	must(t, os.WriteFile(path, buf.Bytes(), 0o600))
	must(t, store.Check(path))
}

func TestCompactKeepsData(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	for i := range 300 {
		_, _, err := db.CreateOccurrence(ctx, occ("s1", "U1", coach.Standup, i))
		must(t, err)
	}
	before, err := db.Stats()
	must(t, err)
	must(t, db.Compact(ctx))
	after, err := db.Stats()
	must(t, err)
	if after.FileSize > before.FileSize {
		t.Errorf("file size after Compact = %d, want <= %d", after.FileSize, before.FileSize)
	}
	h, err := db.History(ctx, "U1", "", time.Time{})
	must(t, err)
	if len(h) != 300 {
		t.Errorf("History after Compact has %d records, want 300", len(h))
	}
	// Sequences survive: the next schedule ID continues.
	id1, _ := db.PutSchedule(ctx, coach.Schedule{Habit: coach.Gemba})
	must(t, db.Compact(ctx))
	id2, _ := db.PutSchedule(ctx, coach.Schedule{Habit: coach.Gemba})
	if id1 != "s1" || id2 != "s2" {
		t.Errorf("schedule IDs around Compact = %s, %s, want s1, s2", id1, id2)
	}
}
