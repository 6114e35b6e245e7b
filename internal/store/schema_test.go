package store_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/store"
)

// oldFile writes a fake version-1 file: the layout before the migrations
// under test, with one record a migration rewrites.
func oldFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	bdb, err := bolt.Open(path, 0o600, nil)
	must(t, err)
	must(t, bdb.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket([]byte("meta"))
		if err != nil {
			return err
		}
		if err := meta.Put([]byte("schema"), []byte("1")); err != nil {
			return err
		}
		old, err := tx.CreateBucket([]byte("legacy"))
		if err != nil {
			return err
		}
		return old.Put([]byte("kudos_channel"), []byte("C-OLD"))
	}))
	must(t, bdb.Close())
	return path
}

func TestMigrationsRunOnce(t *testing.T) {
	path := oldFile(t)
	var runs [3]int
	migs := []func(tx *bolt.Tx) error{
		func(tx *bolt.Tx) error { // 1 -> 2: move a setting to the settings bucket
			runs[0]++
			b, err := tx.CreateBucketIfNotExists([]byte("settings"))
			if err != nil {
				return err
			}
			v := tx.Bucket([]byte("legacy")).Get([]byte("kudos_channel"))
			if err := b.Put([]byte("kudos_channel"), []byte(`{"v":1,"value":"`+string(v)+`"}`)); err != nil {
				return err
			}
			return tx.DeleteBucket([]byte("legacy"))
		},
		func(*bolt.Tx) error { runs[1]++; return nil }, // 2 -> 3
		func(*bolt.Tx) error { runs[2]++; return nil }, // 3 -> 4: newer than this code
	}
	for range 2 {
		db, err := store.OpenWithMigrations(path, store.Options{}, migs)
		must(t, err)
		if v, err := db.Setting(t.Context(), "kudos_channel"); v != "C-OLD" || err != nil {
			t.Errorf("Setting(kudos_channel) after migration = %q, %v, want C-OLD", v, err)
		}
		must(t, db.Close())
	}
	if runs != [3]int{1, 1, 1} {
		t.Errorf("migrations ran %v times over two opens, want [1 1 1]", runs)
	}
	// The current code refuses the newer file.
	_, err := store.Open(path, store.Options{})
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open(file of schema 4) with the current code = %v, want a refusal naming a newer schema", err)
	}
}

func TestFailedMigrationChangesNothing(t *testing.T) {
	path := oldFile(t)
	migs := []func(tx *bolt.Tx) error{
		func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte("legacy")) },
		func(*bolt.Tx) error { return errBoom },
	}
	if _, err := store.OpenWithMigrations(path, store.Options{}, migs); err == nil {
		t.Fatal("Open with a failing migration = nil error")
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	must(t, err)
	defer bdb.Close()
	must(t, bdb.View(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte("legacy")) == nil {
			t.Error("legacy bucket gone after a failed migration: the migrations were not one transaction")
		}
		if v := string(tx.Bucket([]byte("meta")).Get([]byte("schema"))); v != "1" {
			t.Errorf("schema after failed migration = %s, want 1", v)
		}
		return nil
	}))
}

var errBoom = errors.New("boom")
