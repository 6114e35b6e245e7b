package store

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/coach"
)

// adminRec records an admin added with /coach admin add.
type adminRec struct {
	V  int          `json:"v"`
	By coach.UserID `json:"by,omitempty"`
	At time.Time    `json:"at,omitzero"`
}

// AddAdmin records id as an admin added by by. Adding an admin again keeps
// the first record.
func (db *DB) AddAdmin(ctx context.Context, id, by coach.UserID) error {
	at := db.now()
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := bucket(tx, bucketAdmins)
		if b.Get([]byte(id)) != nil {
			return nil
		}
		return putJSON(b, []byte(id), adminRec{V: 1, By: by, At: at})
	})
	if err != nil {
		return fmt.Errorf("add admin %s: %w", id, err)
	}
	return nil
}

// RemoveAdmin removes an added admin; ENOTFOUND when id was not added.
func (db *DB) RemoveAdmin(ctx context.Context, id coach.UserID) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := bucket(tx, bucketAdmins)
		if b.Get([]byte(id)) == nil {
			return errAdminNotFound(id)
		}
		return b.Delete([]byte(id))
	})
	if err != nil {
		return fmt.Errorf("remove admin %s: %w", id, err)
	}
	return nil
}

// Admins returns the added admins ordered by ID.
func (db *DB) Admins(ctx context.Context) ([]coach.UserID, error) {
	var out []coach.UserID
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return bucket(tx, bucketAdmins).ForEach(func(k, _ []byte) error {
			out = append(out, coach.UserID(k)) // string conversion copies
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list admins: %w", err)
	}
	return out, nil
}
