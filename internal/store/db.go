package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/leancoach/leancoach/internal/coach"
)

// DefaultLockTimeout is how long Open waits for another holder of the file
// lock before it gives up with ErrLocked.
const DefaultLockTimeout = 2 * time.Second

var (
	// ErrLocked means another leancoach process (or another Open in this one)
	// holds the database file.
	ErrLocked = errors.New("database is in use by another leancoach process; stop it first")
	// ErrPermissions means the database file can be read or written by group
	// or others.
	ErrPermissions = errors.New("database file is readable or writable by other users")
	// ErrDamaged means the file is not a sound bbolt database.
	ErrDamaged = errors.New("database file is damaged")
	// ErrClosed means the DB was closed (or could not be reopened after a
	// compaction).
	ErrClosed = errors.New("database is closed")
)

// Observer is told about every committed write transaction, for metrics (a
// group commit is one). Commit must be fast and must not call back into the
// store.
type Observer interface {
	Commit(d time.Duration)
}

// Options configure Open. The zero value is ready to use.
type Options struct {
	LockTimeout time.Duration // default DefaultLockTimeout
	SkipCheck   bool          // skip the consistency check at open (large files)
	MaxSize     int           // bytes; growth beyond it fails the write; 0 = no limit
	Observer    Observer      // may be nil
	Clock       coach.Clock   // stamps records the ports pass no time for; default time.Now
}

// DB is the bbolt-backed store. Its methods are safe for concurrent use.
//
// The *bolt.DB sits behind mu so that Forget can swap in a compacted file:
// every transaction holds mu for reading; the swap holds it for writing, so
// callers simply wait while it happens.
type DB struct {
	mu    sync.RWMutex
	bdb   *bolt.DB // nil once closed
	path  string
	opts  Options
	group group    // group commit of changes (commit.go)
	txns  txCounts // transactions run for callers, for Stats
	// alone runs every change in a transaction of its own (the benchmark's
	// baseline; set before use by tests only).
	alone bool
}

var _ coach.Store = (*DB)(nil)

// Open opens (creating if needed) the database at path. The parent directory
// is created 0700 when missing, the file 0600. An existing file whose mode
// lets group or others in is refused (ErrPermissions); a file held by another
// process is refused after opts.LockTimeout (ErrLocked); a damaged file is
// refused (ErrDamaged) unless opts.SkipCheck.
func Open(path string, opts Options) (*DB, error) {
	return open(path, opts, migrations())
}

func open(path string, opts Options, migs []migration) (*DB, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = DefaultLockTimeout
	}
	if opts.Clock == nil {
		opts.Clock = coach.ClockFunc(time.Now)
	}
	if err := prepareFile(path); err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	bdb, err := openBolt(path, opts)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if !opts.SkipCheck {
		if err := checkDB(bdb); err != nil {
			_ = bdb.Close()
			return nil, fmt.Errorf("open store %s: %w", path, err)
		}
	}
	if err := initSchema(bdb, migs); err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return &DB{bdb: bdb, path: path, opts: opts}, nil
}

// prepareFile creates the parent directory and refuses an existing file that
// others may read or write: bolt.Open only sets the mode when it creates the
// file, so the check is ours.
func prepareFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create directory: %w", err)
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%w: not a regular file", ErrDamaged)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("%w (mode %#o); fix it with: chmod 600 %s", ErrPermissions, fi.Mode().Perm(), path)
	}
	return nil
}

// openBolt opens the file, translating bolt's lock timeout into ErrLocked and
// a panic or fault on a garbage file into ErrDamaged.
func openBolt(path string, opts Options) (bdb *bolt.DB, err error) {
	err = guard(func() error {
		var oerr error
		bdb, oerr = bolt.Open(path, 0o600, &bolt.Options{
			Timeout: opts.LockTimeout,
			MaxSize: opts.MaxSize,
		})
		return oerr
	})
	switch {
	case err == nil:
		return bdb, nil
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("%w (waited %s for the file lock): %w", ErrLocked, opts.LockTimeout, err)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum),
		errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, errPanicked):
		return nil, fmt.Errorf("%w (not a bbolt file, or its header is broken): %w", ErrDamaged, err)
	}
	return nil, err
}

// Path returns the file's path.
func (db *DB) Path() string { return db.path }

// Size returns the file's size in bytes.
func (db *DB) Size() (int64, error) {
	fi, err := os.Stat(db.path)
	if err != nil {
		return 0, fmt.Errorf("store size: %w", err)
	}
	return fi.Size(), nil
}

// Close closes the file. Later calls fail with ErrClosed.
func (db *DB) Close() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.bdb == nil {
		return nil
	}
	err := db.bdb.Close()
	db.bdb = nil
	if err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}

// update runs fn in one read-write transaction of its own (never Batch,
// which may run fn twice) and reports the commit to the Observer. fn must do
// no I/O but bbolt's own. State changes that many callers make at once (the
// answers and send marks of a morning) use write instead.
func (db *DB) update(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	return db.locked(ctx, func(bdb *bolt.DB) error {
		db.txns.writes.Add(1)
		return db.commitAlone(bdb, fn)
	})
}

// write runs c through group commit (commit.go): it returns once the group
// holding c is durable, or with c's refusal or the group's error. ctx is
// checked only before c is queued: once queued, c is committed or refused
// whatever ctx does, so a stop never drops a change halfway through.
func (db *DB) write(ctx context.Context, c change) error {
	return db.locked(ctx, func(bdb *bolt.DB) error {
		db.txns.writes.Add(1)
		if db.alone {
			return db.commitAlone(bdb, c.run)
		}
		o := db.group.join(bdb, c, db.committed)
		if o.solo {
			return db.commitAlone(bdb, c.run)
		}
		return o.err
	})
}

// commitAlone runs fn in a write transaction of its own.
func (db *DB) commitAlone(bdb *bolt.DB, fn func(tx *bolt.Tx) error) error {
	start := time.Now()
	err := bdb.Update(fn)
	if err == nil {
		db.committed(time.Since(start))
	}
	return err
}

// committed counts a committed write transaction and tells the Observer.
func (db *DB) committed(d time.Duration) {
	db.txns.commits.Add(1)
	if db.opts.Observer != nil {
		db.opts.Observer.Commit(d)
	}
}

// view runs fn in one read-only transaction.
func (db *DB) view(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	return db.locked(ctx, func(bdb *bolt.DB) error {
		db.txns.reads.Add(1)
		return bdb.View(fn)
	})
}

// locked calls fn with the open bolt file, holding mu for reading so that a
// compaction cannot swap the file meanwhile.
func (db *DB) locked(ctx context.Context, fn func(bdb *bolt.DB) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	db.mu.RLock()
	defer db.mu.RUnlock()
	if db.bdb == nil {
		return ErrClosed
	}
	return fn(db.bdb)
}

// now is the store's clock.
func (db *DB) now() time.Time { return db.opts.Clock.Now().UTC() }
