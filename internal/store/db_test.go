package store_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

func TestOpenCreatesPrivateFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new")
	path := filepath.Join(dir, "leancoach.db")
	db := openAt(t, path)
	if db.Path() != path {
		t.Errorf("Path() = %s, want %s", db.Path(), path)
	}
	for _, c := range []struct {
		path string
		want os.FileMode
	}{{dir, 0o700}, {path, 0o600}} {
		fi, err := os.Stat(c.path)
		must(t, err)
		if got := fi.Mode().Perm(); got != c.want {
			t.Errorf("mode of %s = %#o, want %#o", c.path, got, c.want)
		}
	}
	size, err := db.Size()
	if err != nil || size <= 0 {
		t.Errorf("Size() = %d, %v, want > 0", size, err)
	}
}

func TestOpenRefusesSecondOpener(t *testing.T) {
	path := filepath.Join(t.TempDir(), "leancoach.db")
	openAt(t, path)
	_, err := store.Open(path, store.Options{LockTimeout: 50 * time.Millisecond})
	if !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
	if !errors.Is(err, berrors.ErrTimeout) {
		t.Errorf("second Open = %v, want it to wrap berrors.ErrTimeout", err)
	}
	if !strings.Contains(err.Error(), "in use by another leancoach process") {
		t.Errorf("second Open = %q, want it to say the file is in use", err)
	}
}

// TestOpenLockedByOtherProcess re-runs this test binary as a child that
// tries to open a file the parent holds.
func TestOpenLockedByOtherProcess(t *testing.T) {
	if path := os.Getenv("LEANCOACH_STORE_LOCK_CHILD"); path != "" {
		_, err := store.Open(path, store.Options{LockTimeout: 50 * time.Millisecond})
		if errors.Is(err, store.ErrLocked) {
			os.Exit(3)
		}
		t.Fatalf("child Open = %v, want ErrLocked", err)
	}
	path := filepath.Join(t.TempDir(), "leancoach.db")
	openAt(t, path)
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestOpenLockedByOtherProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "LEANCOACH_STORE_LOCK_CHILD="+path)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("child process = %v, want exit 3 (ErrLocked); output:\n%s", err, out)
	}
}

func TestOpenRefusesOpenPermissions(t *testing.T) {
	for _, mode := range []os.FileMode{0o644, 0o640, 0o660, 0o606} {
		t.Run(mode.String(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "leancoach.db")
			db := openAt(t, path)
			must(t, db.Close())
			must(t, os.Chmod(path, mode))
			_, err := store.Open(path, store.Options{})
			if !errors.Is(err, store.ErrPermissions) {
				t.Fatalf("Open(%#o file) = %v, want ErrPermissions", mode, err)
			}
			if want := "chmod 600 " + path; !strings.Contains(err.Error(), want) {
				t.Errorf("Open(%#o file) = %q, want it to say %q", mode, err, want)
			}
		})
	}
}

func TestOpenRefusesDamagedFile(t *testing.T) {
	tests := []struct {
		name string
		make func(t *testing.T, path string)
		want string // in the message
	}{
		{"garbage", func(t *testing.T, path string) {
			must(t, os.WriteFile(path, []byte(strings.Repeat("not a database ", 2000)), 0o600))
		}, "damaged"},
		{"truncated", func(t *testing.T, path string) {
			fill(t, path)
			must(t, os.Truncate(path, 4096*3))
		}, "damaged"},
		{"foreign bbolt file", func(t *testing.T, path string) {
			bdb, err := bolt.Open(path, 0o600, nil)
			must(t, err)
			must(t, bdb.Update(func(tx *bolt.Tx) error {
				_, err := tx.CreateBucket([]byte("someone else's"))
				return err
			}))
			must(t, bdb.Close())
		}, "not a leancoach one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "leancoach.db")
			tt.make(t, path)
			db, err := store.Open(path, store.Options{})
			if err == nil {
				db.Close()
				t.Fatalf("Open(%s file) = nil error, want refusal", tt.name)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open(%s file) = %q, want it to say %q", tt.name, err, tt.want)
			}
		})
	}
}

type countingObserver struct{ n atomic.Int64 }

func (o *countingObserver) Commit(time.Duration) { o.n.Add(1) }

func TestObserverSeesCommits(t *testing.T) {
	obs := &countingObserver{}
	db, err := store.Open(filepath.Join(t.TempDir(), "x.db"), store.Options{Observer: obs})
	must(t, err)
	defer db.Close()
	must(t, db.PutSetting(t.Context(), "a", "b"))
	must(t, db.PutSetting(t.Context(), "a", "c"))
	if _, err := db.Setting(t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	if got := obs.n.Load(); got != 2 {
		t.Errorf("Observer saw %d commits, want 2", got)
	}
}

func TestClosedDB(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "x.db"), store.Options{})
	must(t, err)
	must(t, db.Close())
	must(t, db.Close()) // idempotent
	if _, err := db.Directors(t.Context()); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Directors after Close = %v, want ErrClosed", err)
	}
}

// fill writes a store with some records at path and closes it.
func fill(t *testing.T, path string) {
	t.Helper()
	db, err := store.Open(path, store.Options{})
	must(t, err)
	for i := range 200 {
		o := occ("s1", "U100", coach.Standup, i)
		if _, _, err := db.CreateOccurrence(t.Context(), o); err != nil {
			t.Fatal(err)
		}
	}
	must(t, db.Close())
}

func TestStats(t *testing.T) {
	db := openTest(t)
	must(t, db.PutSetting(t.Context(), "a", "b"))
	s, err := db.Stats()
	must(t, err)
	size, _ := db.Size()
	if s.FileSize != size || s.FileSize == 0 {
		t.Errorf("Stats().FileSize = %d, want %d", s.FileSize, size)
	}
	if s.Writes == 0 {
		t.Errorf("Stats().Writes = 0 after a commit, want > 0")
	}
}

func TestCanceledContext(t *testing.T) {
	db := openTest(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := db.PutSetting(ctx, "a", "b"); !errors.Is(err, context.Canceled) {
		t.Errorf("PutSetting(canceled ctx) = %v, want context.Canceled", err)
	}
	if v, _ := db.Setting(t.Context(), "a"); v != "" {
		t.Errorf("Setting(a) = %q after a canceled put, want unset", v)
	}
	if err := db.Compact(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Compact(canceled ctx) = %v, want context.Canceled", err)
	}
}
