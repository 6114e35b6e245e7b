package store

import (
	"context"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/coach"
)

// OpenWithMigrations opens path as Open does, with migs in place of the
// real migration list, for the migration tests.
func OpenWithMigrations(path string, opts Options, migs []func(tx *bolt.Tx) error) (*DB, error) {
	ms := make([]migration, len(migs))
	for i, m := range migs {
		ms[i] = m
	}
	return open(path, opts, ms)
}

// PutRawDue writes a raw entry to the due bucket, standing in for
// internal/schedule in the erasure tests.
func (db *DB) PutRawDue(k, v string) error {
	return db.update(context.Background(), func(tx *bolt.Tx) error {
		return bucket(tx, bucketDue).Put([]byte(k), []byte(v))
	})
}

// RawDueKeys lists the due bucket's keys.
func (db *DB) RawDueKeys() ([]string, error) {
	var out []string
	err := db.view(context.Background(), func(tx *bolt.Tx) error {
		return bucket(tx, bucketDue).ForEach(func(k, _ []byte) error {
			out = append(out, string(k))
			return nil
		})
	})
	return out, err
}

// SeedOccurrences stores occs in large transactions, for benchmarks that
// need 100,000 records without 100,000 fsyncs.
func (db *DB) SeedOccurrences(occs []coach.Occurrence) error {
	for len(occs) > 0 {
		n := min(len(occs), 10000)
		err := db.update(context.Background(), func(tx *bolt.Tx) error {
			for _, o := range occs[:n] {
				if err := putOccurrence(tx, o, nil); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		occs = occs[n:]
	}
	return nil
}

// CommitAlone makes every group-commit change run in a transaction of its
// own, as before group commit: the baseline of BenchmarkAnswerParallel. Call
// it before the DB is used.
func (db *DB) CommitAlone() { db.alone = true }

// OnQueued calls fn with the group-commit queue's length each time a change
// joins it, so that a test can hold a group open until its changes are
// queued. fn runs under the queue's lock: it must not block.
func (db *DB) OnQueued(fn func(n int)) {
	db.group.mu.Lock()
	defer db.group.mu.Unlock()
	db.group.queued = fn
}
