package store

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// errPanicked marks a panic (or memory fault) caught while reading a file.
var errPanicked = errors.New("panic while reading the file")

// guard runs fn, turning a panic, and a memory fault on a damaged mmap (which
// would otherwise kill the process), into an error.
func guard(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errPanicked, r)
		}
	}()
	return fn()
}

// Check verifies the database file at path without changing it: it opens the
// file read-only (waiting at most DefaultLockTimeout for a writer that holds
// it; a running bot does) and runs bbolt's consistency check. It reports
// ErrDamaged for a truncated, damaged or foreign file, and never panics.
func Check(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("check store %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("check store %s: %w: not a regular file", path, ErrDamaged)
	}
	var bdb *bolt.DB
	err = guard(func() error {
		var oerr error
		bdb, oerr = bolt.Open(path, 0o600, &bolt.Options{
			ReadOnly: true, Timeout: DefaultLockTimeout,
			// Load the freelist here, under guard, not in the goroutine
			// of tx.Check, where a fault could not be recovered.
			PreLoadFreelist: true,
		})
		return oerr
	})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return fmt.Errorf("check store %s: %w: %w", path, ErrLocked, err)
	case err != nil:
		return fmt.Errorf("check store %s: %w (not a bbolt file, or its header is broken): %w", path, ErrDamaged, err)
	}
	defer bdb.Close()
	if err := checkDB(bdb); err != nil {
		return fmt.Errorf("check store %s: %w", path, err)
	}
	if err := bdb.View(checkLayout); err != nil {
		return fmt.Errorf("check store %s: %w", path, err)
	}
	return nil
}

// checkLayout verifies, on a file whose pages passed checkDB, that it is a
// leancoach file of a schema version this code knows, with every bucket of
// that version (bucketsOf): a file that lacks one would make the bot fail
// on its first read of it. A file without any bucket is a new, empty one.
// An older version is fine (Open migrates it); a newer one is not damaged,
// but this leancoach cannot read it.
func checkLayout(tx *bolt.Tx) error {
	v, err := storedVersion(tx)
	switch {
	case err != nil:
		return fmt.Errorf("%w: %w", ErrDamaged, err)
	case v == 0:
		return nil
	case v > currentVersion():
		return fmt.Errorf("schema version %d is newer than this leancoach understands (%d); check it with a newer release", v, currentVersion())
	}
	for _, b := range bucketsOf(v) {
		if tx.Bucket(b) == nil {
			return fmt.Errorf("%w: bucket %q of schema %d is missing; restore the latest backup (see `bot check`)", ErrDamaged, b, v)
		}
	}
	return nil
}

// checkDB runs the consistency checks on an open file and wraps any finding
// in ErrDamaged, with the first few problems bbolt found.
func checkDB(bdb *bolt.DB) error {
	err := guard(func() error {
		return bdb.View(func(tx *bolt.Tx) error {
			if err := checkStructure(tx); err != nil {
				return err
			}
			var problems []error
			for e := range tx.Check(bolt.WithKVStringer(lengthStringer{})) {
				if len(problems) < 5 {
					problems = append(problems, e)
				}
			}
			return errors.Join(problems...)
		})
	})
	if err != nil {
		return fmt.Errorf("%w; restore the latest backup (see `bot check`): %w", ErrDamaged, err)
	}
	return nil
}

// lengthStringer describes keys and values in Check's findings by length
// only: findings may be logged, and values hold users' free text. It also
// keeps Check from reading a whole damaged key just to print it.
type lengthStringer struct{}

func (lengthStringer) KeyToString(k []byte) string   { return fmt.Sprintf("<%d bytes>", len(k)) }
func (lengthStringer) ValueToString(v []byte) string { return fmt.Sprintf("<%d bytes>", len(v)) }
