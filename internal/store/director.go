package store

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/coach"
)

// directorRec is the stored form of coach.Director.
type directorRec struct {
	V       int            `json:"v"`
	ID      coach.UserID   `json:"id"`
	Leaders []coach.UserID `json:"leaders,omitempty"`
	AddedBy coach.UserID   `json:"added_by,omitempty"`
	AddedAt time.Time      `json:"added_at,omitzero"`
	Leave   []periodRec    `json:"leave,omitempty"`
}

type periodRec struct {
	From  time.Time `json:"from,omitzero"`
	Until time.Time `json:"until,omitzero"`
}

func toDirectorRec(d coach.Director) directorRec {
	r := directorRec{V: 1, ID: d.ID, Leaders: d.Leaders, AddedBy: d.AddedBy, AddedAt: d.AddedAt}
	for _, p := range d.Leave {
		r.Leave = append(r.Leave, periodRec{From: p.From, Until: p.Until})
	}
	return r
}

func (r directorRec) director() coach.Director {
	d := coach.Director{ID: r.ID, Leaders: r.Leaders, AddedBy: r.AddedBy, AddedAt: r.AddedAt}
	for _, p := range r.Leave {
		d.Leave = append(d.Leave, coach.Period{From: p.From, Until: p.Until})
	}
	return d
}

// PutDirector stores d, replacing any director with its ID.
func (db *DB) PutDirector(ctx context.Context, d coach.Director) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		return putJSON(bucket(tx, bucketDirectors), []byte(d.ID), toDirectorRec(d))
	})
	if err != nil {
		return fmt.Errorf("put director %s: %w", d.ID, err)
	}
	return nil
}

// DeleteDirector removes the director; ENOTFOUND when there is none. Their
// occurrences stay: history outlives a registration (Forget erases them).
func (db *DB) DeleteDirector(ctx context.Context, id coach.UserID) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := bucket(tx, bucketDirectors)
		if b.Get([]byte(id)) == nil {
			return errDirectorNotFound(id)
		}
		return b.Delete([]byte(id))
	})
	if err != nil {
		return fmt.Errorf("delete director %s: %w", id, err)
	}
	return nil
}

// Director returns the director; ENOTFOUND when there is none.
func (db *DB) Director(ctx context.Context, id coach.UserID) (coach.Director, error) {
	var r directorRec
	err := db.view(ctx, func(tx *bolt.Tx) error {
		ok, err := getJSON(bucket(tx, bucketDirectors), []byte(id), &r)
		if err == nil && !ok {
			err = errDirectorNotFound(id)
		}
		return err
	})
	if err != nil {
		return coach.Director{}, fmt.Errorf("get director %s: %w", id, err)
	}
	return r.director(), nil
}

// Directors returns every director, ordered by ID.
func (db *DB) Directors(ctx context.Context) ([]coach.Director, error) {
	var out []coach.Director
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return bucket(tx, bucketDirectors).ForEach(func(k, v []byte) error {
			var r directorRec
			if err := decodeJSON(k, v, &r); err != nil {
				return err
			}
			out = append(out, r.director())
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list directors: %w", err)
	}
	return out, nil
}
