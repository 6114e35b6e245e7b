package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the database to w while writers carry
// on, and returns the number of bytes written.
func (db *DB) Backup(w io.Writer) (int64, error) {
	var n int64
	err := db.view(context.Background(), func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}

// BackupFile writes a consistent copy of the database to path (mode 0600),
// verified with Check before it takes the name. The copy goes to a temporary
// file in the same directory, is synced and only then renamed, so path never
// holds half a backup. An existing path is refused (fs.ErrExist) unless
// force.
func (db *DB) BackupFile(path string, force bool) error {
	if err := db.backupFile(path, force); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

func (db *DB) backupFile(path string, force bool) error {
	if !force {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("%w; pass force to overwrite it", fs.ErrExist)
		}
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*") // 0600
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op once renamed or linked and removed
	_, err = db.Backup(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := Check(tmp); err != nil {
		return fmt.Errorf("the copy failed its check: %w", err)
	}
	if force {
		return renameDurably(tmp, path)
	}
	// A hard link fails if path appeared since the check above: never
	// overwrite without force.
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%w; pass force to overwrite it", fs.ErrExist)
		}
		return err
	}
	return syncFile(dir)
}
