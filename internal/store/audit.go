package store

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/coach"
)

// auditRec is the stored form of coach.AuditEntry.
type auditRec struct {
	V      int          `json:"v"`
	At     time.Time    `json:"at,omitzero"`
	Actor  coach.UserID `json:"actor"`
	Action string       `json:"action"`
	Detail string       `json:"detail,omitempty"`
}

func (r auditRec) entry() coach.AuditEntry {
	return coach.AuditEntry{At: r.At, Actor: r.Actor, Action: r.Action, Detail: r.Detail}
}

// Audit appends e to the log. A zero e.At is stamped with the store's clock.
func (db *DB) Audit(ctx context.Context, e coach.AuditEntry) error {
	if e.At.IsZero() {
		e.At = db.now()
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := bucket(tx, bucketAudit)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		r := auditRec{V: 1, At: e.At, Actor: e.Actor, Action: e.Action, Detail: e.Detail}
		return putJSON(b, key(timeKey(e.At), seqKey(seq)), r)
	})
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditLog returns at most limit entries, newest first; limit <= 0 means all.
func (db *DB) AuditLog(ctx context.Context, limit int) ([]coach.AuditEntry, error) {
	var out []coach.AuditEntry
	err := db.view(ctx, func(tx *bolt.Tx) error {
		c := bucket(tx, bucketAudit).Cursor()
		for k, v := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
			var r auditRec
			if err := decodeJSON(k, v, &r); err != nil {
				return err
			}
			out = append(out, r.entry())
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return out, nil
}
