package store

import (
	"errors"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// migration upgrades the layout by one version, inside the Update that runs
// every pending migration.
type migration func(tx *bolt.Tx) error

// migrations returns the upgrades of the layout: migrations()[i] moves a file
// from version i+1 to i+2. The current version is the layout in doc.go.
// Append here, never edit or reorder; bump doc.go and bucketsOf with each.
func migrations() []migration {
	return []migration{
		addPathsBucket,       // 1 -> 2
		addLeaderSideBuckets, // 2 -> 3
	}
}

// currentVersion is the layout version this code writes.
func currentVersion() int { return 1 + len(migrations()) }

// addPathsBucket adds the delegation paths (schema 2). Creating the bucket
// needs no migration (Open creates missing buckets); the version is bumped
// so that an older leancoach refuses the file instead of running without
// the paths: its forget and export would skip them.
func addPathsBucket(tx *bolt.Tx) error {
	_, err := tx.CreateBucketIfNotExists(bucketPaths)
	return err
}

// addLeaderSideBuckets adds the Lean leaders' check-ins and comments
// (schema 3). As for the paths, the bump makes an older leancoach refuse
// the file: its forget and export would skip the Lean leaders' records.
func addLeaderSideBuckets(tx *bolt.Tx) error {
	for _, b := range [][]byte{bucketCheckIns, bucketComments} {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	return nil
}

// schemaKey is the meta key that holds the layout version.
var schemaKey = []byte("schema")

// errNotOurs means the file is a bbolt database of something else.
var errNotOurs = errors.New("file is a bbolt database but not a leancoach one (no schema version)")

// initSchema creates the buckets of a new file, or migrates an old one, in a
// single Update so that a crash leaves the file at one version or the other.
func initSchema(bdb *bolt.DB, migs []migration) error {
	current := 1 + len(migs)
	return bdb.Update(func(tx *bolt.Tx) error {
		version, err := storedVersion(tx)
		if err != nil {
			return err
		}
		if version == 0 {
			if err := createBuckets(tx); err != nil {
				return err
			}
			return setVersion(tx, current)
		}
		if version > current {
			return fmt.Errorf("schema version %d is newer than this leancoach understands (%d); run a newer release", version, current)
		}
		for v := version; v < current; v++ {
			if err := migs[v-1](tx); err != nil {
				return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
			}
		}
		// New buckets of a later layout are created after the migrations,
		// which may rely on their absence.
		if err := createBuckets(tx); err != nil {
			return err
		}
		if version != current {
			return setVersion(tx, current)
		}
		return nil
	})
}

// storedVersion reads the layout version; 0 means a new, empty file.
func storedVersion(tx *bolt.Tx) (int, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil || meta.Get(schemaKey) == nil {
		empty := true
		_ = tx.ForEach(func([]byte, *bolt.Bucket) error {
			empty = false
			return nil
		})
		if !empty {
			return 0, errNotOurs
		}
		return 0, nil
	}
	v, err := strconv.Atoi(string(meta.Get(schemaKey)))
	if err != nil || v < 1 {
		return 0, fmt.Errorf("bad schema version %q", meta.Get(schemaKey))
	}
	return v, nil
}

func setVersion(tx *bolt.Tx, v int) error {
	return bucket(tx, bucketMeta).Put(schemaKey, []byte(strconv.Itoa(v)))
}

func createBuckets(tx *bolt.Tx) error {
	for _, n := range allBuckets() {
		if _, err := tx.CreateBucketIfNotExists(n); err != nil {
			return fmt.Errorf("create bucket %s: %w", n, err)
		}
	}
	return nil
}
