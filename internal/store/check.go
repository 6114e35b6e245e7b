package store

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"time"

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
		bdb, oerr = bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: DefaultLockTimeout})
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
	return nil
}

// checkDB runs the consistency checks on an open file and wraps any finding
// in ErrDamaged, with the first few problems bbolt found.
func checkDB(bdb *bolt.DB) error {
	err := guard(func() error {
		return bdb.View(func(tx *bolt.Tx) error {
			if err := checkSize(bdb, tx); err != nil {
				return err
			}
			// Touch every page from this goroutine first: tx.Check runs in a
			// goroutine of its own, where a fault on a damaged page could not
			// be recovered. Once the walk passed, Check reads only pages the
			// walk proved readable.
			if err := walkAll(tx); err != nil {
				return err
			}
			var problems []error
			for e := range tx.Check() {
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

// checkSize catches a truncated file: the meta page says how far the file
// reaches, and reading a page past the end of the file faults.
func checkSize(bdb *bolt.DB, tx *bolt.Tx) error {
	fi, err := os.Stat(bdb.Path())
	if err != nil {
		return err
	}
	if want := tx.Size(); fi.Size() < want {
		return fmt.Errorf("file is truncated: %d bytes, its header says %d", fi.Size(), want)
	}
	return nil
}

// walkAll reads every key and value of every bucket, nested ones included.
func walkAll(tx *bolt.Tx) error {
	deadline := time.Now().Add(time.Minute)
	var walk func(b *bolt.Bucket, depth int) error
	walk = func(b *bolt.Bucket, depth int) error {
		if depth > 64 {
			return errors.New("buckets nested too deep")
		}
		return b.ForEach(func(k, v []byte) error {
			if time.Now().After(deadline) {
				return errors.New("walk did not finish in a minute")
			}
			if v == nil {
				if sub := b.Bucket(k); sub != nil {
					return walk(sub, depth+1)
				}
			}
			return nil
		})
	}
	return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
		return walk(b, 0)
	})
}
