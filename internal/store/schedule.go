package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/coach"
)

// scheduleRec is the stored form of coach.Schedule. Seq orders schedules by
// creation; it is taken from the bucket's sequence when the schedule is
// first stored and kept on every later Put.
type scheduleRec struct {
	V         int              `json:"v"`
	Seq       uint64           `json:"seq"`
	ID        coach.ScheduleID `json:"id"`
	Habit     coach.Habit      `json:"habit"`
	When      string           `json:"when"`
	ToAll     bool             `json:"to_all,omitempty"`
	Directors []coach.UserID   `json:"directors,omitempty"`
	Paused    bool             `json:"paused,omitempty"`
	CreatedBy coach.UserID     `json:"created_by,omitempty"`
	CreatedAt time.Time        `json:"created_at,omitzero"`
}

func toScheduleRec(s coach.Schedule, seq uint64) scheduleRec {
	return scheduleRec{V: 1, Seq: seq, ID: s.ID, Habit: s.Habit, When: s.When, ToAll: s.ToAll,
		Directors: s.Directors, Paused: s.Paused, CreatedBy: s.CreatedBy, CreatedAt: s.CreatedAt}
}

func (r scheduleRec) schedule() coach.Schedule {
	return coach.Schedule{ID: r.ID, Habit: r.Habit, When: r.When, ToAll: r.ToAll,
		Directors: r.Directors, Paused: r.Paused, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt}
}

// PutSchedule stores s. An empty s.ID gets the next free ID "s<n>", n from
// the bucket's sequence, so IDs are never reused, even after a delete.
func (db *DB) PutSchedule(ctx context.Context, s coach.Schedule) (coach.ScheduleID, error) {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := bucket(tx, bucketSchedules)
		var old scheduleRec
		exists := false
		if s.ID != "" {
			var err error
			if exists, err = getJSON(b, []byte(s.ID), &old); err != nil {
				return err
			}
		}
		if exists {
			return putJSON(b, []byte(s.ID), toScheduleRec(s, old.Seq))
		}
		for {
			seq, err := b.NextSequence()
			if err != nil {
				return err
			}
			if s.ID != "" {
				return putJSON(b, []byte(s.ID), toScheduleRec(s, seq))
			}
			id := coach.ScheduleID("s" + strconv.FormatUint(seq, 10))
			if b.Get([]byte(id)) == nil { // a caller may have chosen "s<n>" itself
				s.ID = id
				return putJSON(b, []byte(s.ID), toScheduleRec(s, seq))
			}
		}
	})
	if err != nil {
		return "", fmt.Errorf("put schedule %s: %w", s.ID, err)
	}
	return s.ID, nil
}

// DeleteSchedule removes the schedule; ENOTFOUND when there is none.
func (db *DB) DeleteSchedule(ctx context.Context, id coach.ScheduleID) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := bucket(tx, bucketSchedules)
		if b.Get([]byte(id)) == nil {
			return errScheduleNotFound(id)
		}
		return b.Delete([]byte(id))
	})
	if err != nil {
		return fmt.Errorf("delete schedule %s: %w", id, err)
	}
	return nil
}

// Schedule returns the schedule; ENOTFOUND when there is none.
func (db *DB) Schedule(ctx context.Context, id coach.ScheduleID) (coach.Schedule, error) {
	var r scheduleRec
	err := db.view(ctx, func(tx *bolt.Tx) error {
		ok, err := getJSON(bucket(tx, bucketSchedules), []byte(id), &r)
		if err == nil && !ok {
			err = errScheduleNotFound(id)
		}
		return err
	})
	if err != nil {
		return coach.Schedule{}, fmt.Errorf("get schedule %s: %w", id, err)
	}
	return r.schedule(), nil
}

// Schedules returns every schedule in creation order.
func (db *DB) Schedules(ctx context.Context) ([]coach.Schedule, error) {
	var recs []scheduleRec
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return bucket(tx, bucketSchedules).ForEach(func(k, v []byte) error {
			var r scheduleRec
			if err := decodeJSON(k, v, &r); err != nil {
				return err
			}
			recs = append(recs, r)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list schedules: %w", err)
	}
	slices.SortFunc(recs, func(a, b scheduleRec) int { return cmp.Compare(a.Seq, b.Seq) })
	out := make([]coach.Schedule, len(recs))
	for i, r := range recs {
		out[i] = r.schedule()
	}
	return out, nil
}
