package store

import (
	"context"

	bolt "go.etcd.io/bbolt"
)

// PutRawPath writes a raw record to the paths bucket, for the tests of old
// and damaged records.
func (db *DB) PutRawPath(k, v string) error { return db.PutRaw(string(bucketPaths), k, v) }

// PutRaw writes a raw record to the bucket name, for the tests of old and
// damaged records of the Lean leader's side.
func (db *DB) PutRaw(name, k, v string) error {
	return db.update(context.Background(), func(tx *bolt.Tx) error {
		return bucket(tx, []byte(name)).Put([]byte(k), []byte(v))
	})
}
