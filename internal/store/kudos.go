package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/coach"
)

// kudosRec is the stored form of coach.Kudos.
type kudosRec struct {
	V       int                 `json:"v"`
	ID      string              `json:"id"`
	From    coach.UserID        `json:"from"`
	To      coach.UserID        `json:"to"`
	Text    string              `json:"text"`
	At      time.Time           `json:"at,omitzero"`
	Occ     coach.OccurrenceKey `json:"occ,omitempty"`
	Channel coach.ChannelID     `json:"channel,omitempty"`
	TS      string              `json:"ts,omitempty"`
}

func (r kudosRec) kudos() coach.Kudos {
	return coach.Kudos{ID: r.ID, From: r.From, To: r.To, Text: r.Text, At: r.At,
		Occ: r.Occ, Channel: r.Channel, TS: r.TS}
}

// questionRec records one question shown to a director.
type questionRec struct {
	V  int       `json:"v"`
	ID string    `json:"id"`
	At time.Time `json:"at,omitzero"`
}

// AddKudos stores k under its leader and time. An empty k.ID gets "k<n>".
func (db *DB) AddKudos(ctx context.Context, k coach.Kudos) error {
	if k.To == "" {
		return fmt.Errorf("add kudos: no leader")
	}
	err := db.write(ctx, blind(func(tx *bolt.Tx) error {
		b := bucket(tx, bucketKudos)
		id := k.ID // k is not changed: the function may run again
		if id == "" {
			seq, err := b.NextSequence()
			if err != nil {
				return err
			}
			id = "k" + strconv.FormatUint(seq, 10)
		}
		r := kudosRec{V: 1, ID: id, From: k.From, To: k.To, Text: k.Text, At: k.At,
			Occ: k.Occ, Channel: k.Channel, TS: k.TS}
		return putJSON(b, key(string(k.To), timeKey(k.At), id), r)
	}))
	if err != nil {
		return fmt.Errorf("add kudos for %s: %w", k.To, err)
	}
	return nil
}

// KudosFor returns the kudos the leader received at or after since, oldest
// first.
func (db *DB) KudosFor(ctx context.Context, leader coach.UserID, since time.Time) ([]coach.Kudos, error) {
	var out []coach.Kudos
	err := db.view(ctx, func(tx *bolt.Tx) error {
		prefix := key(string(leader), "")
		return forEachFrom(bucket(tx, bucketKudos), prefix, key(string(leader), timeKey(since)), func(k, v []byte) error {
			var r kudosRec
			if err := decodeJSON(k, v, &r); err != nil {
				return err
			}
			out = append(out, r.kudos())
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("kudos for %s: %w", leader, err)
	}
	return out, nil
}

// AskedQuestions returns the IDs of the questions shown to d, oldest first.
func (db *DB) AskedQuestions(ctx context.Context, d coach.UserID) ([]string, error) {
	var out []string
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return forEachPrefix(bucket(tx, bucketQuestions), key(string(d), ""), func(k, v []byte) error {
			var r questionRec
			if err := decodeJSON(k, v, &r); err != nil {
				return err
			}
			out = append(out, r.ID)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("asked questions of %s: %w", d, err)
	}
	return out, nil
}

// AddAskedQuestion records that question id was shown to d.
func (db *DB) AddAskedQuestion(ctx context.Context, d coach.UserID, id string) error {
	at := db.now()
	err := db.write(ctx, blind(func(tx *bolt.Tx) error {
		b := bucket(tx, bucketQuestions)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		return putJSON(b, key(string(d), seqKey(seq)), questionRec{V: 1, ID: id, At: at})
	}))
	if err != nil {
		return fmt.Errorf("add asked question for %s: %w", d, err)
	}
	return nil
}
