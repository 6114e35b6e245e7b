package store

import (
	"bytes"
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/coach"
)

// snapshot is coach.Snapshot over one bbolt transaction, read-only or the
// decide step of a change. Every value is decoded (copied) before it is
// returned, so nothing it hands out aliases the mmap.
type snapshot struct{ tx *bolt.Tx }

var _ coach.Snapshot = snapshot{}

// ReadSnapshot calls fn with a coach.Snapshot of one read-only transaction;
// fn's error comes back as it is.
func (db *DB) ReadSnapshot(ctx context.Context, fn func(s coach.Snapshot) error) error {
	var fnErr error
	err := db.view(ctx, func(tx *bolt.Tx) error {
		fnErr = fn(snapshot{tx})
		return fnErr
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("read snapshot: %w", err)
	}
	return nil
}

func (s snapshot) Occurrence(k coach.OccurrenceKey) (coach.Occurrence, error) {
	o, ok, err := getOccurrence(s.tx, k)
	switch {
	case err != nil:
		return coach.Occurrence{}, fmt.Errorf("get occurrence %s: %w", k, err)
	case !ok:
		return coach.Occurrence{}, errOccurrenceNotFound()
	}
	return o, nil
}

// HistoryBack walks occ_by_due backwards from the last entry of (d, h) due
// at or before until.
func (s snapshot) HistoryBack(d coach.UserID, h coach.Habit, until time.Time, fn func(coach.Occurrence) bool) error {
	prefix := key(string(d), string(h), "")
	// Every entry due at until sorts below until|0xff (keys are ASCII).
	upper := append(key(string(d), string(h), timeKey(until), ""), 0xff)
	occ := bucket(s.tx, bucketOccurrences)
	c := bucket(s.tx, bucketOccByDue).Cursor()
	var k, v []byte
	if k, _ = c.Seek(upper); k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
		var r occRec
		ok, err := getJSON(occ, v, &r)
		if err != nil {
			return fmt.Errorf("history of %s %s: %w", d, h, err)
		}
		if ok && !fn(r.occurrence()) {
			return nil
		}
	}
	return nil
}

func (s snapshot) Director(id coach.UserID) (coach.Director, error) {
	var r directorRec
	ok, err := getJSON(bucket(s.tx, bucketDirectors), []byte(id), &r)
	switch {
	case err != nil:
		return coach.Director{}, fmt.Errorf("get director %s: %w", id, err)
	case !ok:
		return coach.Director{}, errDirectorNotFound(id)
	}
	return r.director(), nil
}

func (s snapshot) User(u coach.UserID) (coach.Prefs, coach.Profile, error) {
	var r userRec
	if _, err := getJSON(bucket(s.tx, bucketUsers), []byte(u), &r); err != nil {
		return coach.Prefs{}, coach.Profile{}, fmt.Errorf("get user %s: %w", u, err)
	}
	var p coach.Profile
	if r.Profile != nil {
		p = r.Profile.profile()
	}
	return coach.Prefs{Lang: r.Lang}, p, nil
}

func (s snapshot) Setting(k string) (string, error) {
	var r settingRec
	if _, err := getJSON(bucket(s.tx, bucketSettings), []byte(k), &r); err != nil {
		return "", fmt.Errorf("get setting %s: %w", k, err)
	}
	return r.Value, nil
}
