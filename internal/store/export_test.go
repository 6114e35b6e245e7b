package store

import bolt "go.etcd.io/bbolt"

// OpenWithMigrations opens path as Open does, with migs in place of the
// real migration list, for the migration tests.
func OpenWithMigrations(path string, opts Options, migs []func(tx *bolt.Tx) error) (*DB, error) {
	ms := make([]migration, len(migs))
	for i, m := range migs {
		ms[i] = m
	}
	return open(path, opts, ms)
}
