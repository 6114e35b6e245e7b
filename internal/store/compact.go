package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// compactTxSize bounds each transaction of the copy, so memory stays flat on
// large files.
const compactTxSize = 32 << 20

// Compact rewrites the file without its free pages, so deleted values no
// longer exist anywhere in it. It copies into a temporary file in the same
// (0700) directory, syncs it, and renames it over the file; calls on the DB
// wait meanwhile and then use the new file.
//
// If the reopen after the rename fails, the DB is left closed (ErrClosed)
// and the error says so: the compacted file is in place and sound.
func (db *DB) Compact(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.bdb == nil {
		return ErrClosed
	}
	tmp, err := db.compactTo()
	if err != nil {
		return fmt.Errorf("compact %s: %w", db.path, err)
	}
	if err := db.bdb.Close(); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("compact %s: close: %w", db.path, err)
	}
	db.bdb = nil
	if err := renameDurably(tmp, db.path); err != nil {
		_ = os.Remove(tmp)
		err = fmt.Errorf("compact %s: %w", db.path, err)
		return errors.Join(err, db.reopenLocked())
	}
	if err := db.reopenLocked(); err != nil {
		return fmt.Errorf("compact %s: %w", db.path, err)
	}
	return nil
}

// compactTo copies the live file into a new temporary file next to it and
// returns that file's path, synced and closed.
func (db *DB) compactTo() (string, error) {
	f, err := os.CreateTemp(filepath.Dir(db.path), "."+filepath.Base(db.path)+".compact-*")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	_ = f.Close()
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: db.opts.LockTimeout})
	if err == nil {
		err = bolt.Compact(dst, db.bdb, compactTxSize)
		err = errors.Join(err, dst.Close())
	}
	if err == nil {
		err = syncFile(tmp)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// reopenLocked opens db.path again; db.mu must be held for writing.
func (db *DB) reopenLocked() error {
	bdb, err := openBolt(db.path, db.opts)
	if err != nil {
		return fmt.Errorf("reopen, the store is now closed: %w", err)
	}
	db.bdb = bdb
	return nil
}

// syncFile fsyncs the file at path.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// renameDurably renames from to to and fsyncs their directory, so the new
// name survives a crash.
func renameDurably(from, to string) error {
	if err := os.Rename(from, to); err != nil {
		return err
	}
	return syncFile(filepath.Dir(to))
}
