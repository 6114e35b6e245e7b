package store

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/coach"
)

// occRec is the stored form of coach.Occurrence.
type occRec struct {
	V          int                 `json:"v"`
	Key        coach.OccurrenceKey `json:"key"`
	Schedule   coach.ScheduleID    `json:"schedule"`
	Director   coach.UserID        `json:"director"`
	Habit      coach.Habit         `json:"habit"`
	LocalDate  string              `json:"local_date"`
	Due        time.Time           `json:"due,omitzero"`
	State      coach.SendState     `json:"state,omitempty"`
	Attempts   int                 `json:"attempts,omitempty"`
	StartedAt  time.Time           `json:"started_at,omitzero"`
	SentAt     time.Time           `json:"sent_at,omitzero"`
	Channel    coach.ChannelID     `json:"channel,omitempty"`
	TS         string              `json:"ts,omitempty"`
	FailReason string              `json:"fail_reason,omitempty"`
	QuestionID string              `json:"question_id,omitempty"`
	Answer     *answerRec          `json:"answer,omitempty"`
}

type answerRec struct {
	Outcome       coach.Outcome `json:"outcome"`
	At            time.Time     `json:"at,omitzero"`
	By            coach.UserID  `json:"by,omitempty"`
	SnoozeUntil   time.Time     `json:"snooze_until,omitzero"`
	Note          string        `json:"note,omitempty"`
	Observation   string        `json:"observation,omitempty"`
	FeedbackGiven bool          `json:"feedback_given,omitempty"`
	Leader        coach.UserID  `json:"leader,omitempty"`
	Text          string        `json:"text,omitempty"`
	InPerson      bool          `json:"in_person,omitempty"`
	QuestionID    string        `json:"question_id,omitempty"`
	Asked         string        `json:"asked,omitempty"`
}

func toOccRec(o coach.Occurrence) occRec {
	r := occRec{V: 1, Key: o.Key, Schedule: o.Schedule, Director: o.Director, Habit: o.Habit,
		LocalDate: o.LocalDate, Due: o.Due, State: o.State, Attempts: o.Attempts,
		StartedAt: o.StartedAt, SentAt: o.SentAt, Channel: o.Channel, TS: o.TS,
		FailReason: o.FailReason, QuestionID: o.QuestionID}
	if a := o.Answer; a != nil {
		r.Answer = &answerRec{Outcome: a.Outcome, At: a.At, By: a.By, SnoozeUntil: a.SnoozeUntil,
			Note: a.Note, Observation: a.Observation, FeedbackGiven: a.FeedbackGiven,
			Leader: a.Leader, Text: a.Text, InPerson: a.InPerson, QuestionID: a.QuestionID, Asked: a.Asked}
	}
	return r
}

func (r occRec) occurrence() coach.Occurrence {
	o := coach.Occurrence{Key: r.Key, Schedule: r.Schedule, Director: r.Director, Habit: r.Habit,
		LocalDate: r.LocalDate, Due: r.Due, State: r.State, Attempts: r.Attempts,
		StartedAt: r.StartedAt, SentAt: r.SentAt, Channel: r.Channel, TS: r.TS,
		FailReason: r.FailReason, QuestionID: r.QuestionID}
	if a := r.Answer; a != nil {
		o.Answer = &coach.Answer{Outcome: a.Outcome, At: a.At, By: a.By, SnoozeUntil: a.SnoozeUntil,
			Note: a.Note, Observation: a.Observation, FeedbackGiven: a.FeedbackGiven,
			Leader: a.Leader, Text: a.Text, InPerson: a.InPerson, QuestionID: a.QuestionID, Asked: a.Asked}
	}
	return o
}

// dueIndexKey is the occ_by_due key of o.
func dueIndexKey(o coach.Occurrence) []byte {
	return key(string(o.Director), string(o.Habit), timeKey(o.Due), string(o.Key))
}

// putOccurrence stores o and its index entry, replacing old's index entry
// when there was an old version (old may be nil).
func putOccurrence(tx *bolt.Tx, o coach.Occurrence, old *coach.Occurrence) error {
	idx := bucket(tx, bucketOccByDue)
	if old != nil {
		if ok := dueIndexKey(*old); !bytes.Equal(ok, dueIndexKey(o)) {
			if err := idx.Delete(ok); err != nil {
				return err
			}
		}
	}
	if err := idx.Put(dueIndexKey(o), []byte(o.Key)); err != nil {
		return err
	}
	return putJSON(bucket(tx, bucketOccurrences), []byte(o.Key), toOccRec(o))
}

// getOccurrence reads the occurrence with key k; ok is false when absent.
func getOccurrence(tx *bolt.Tx, k coach.OccurrenceKey) (o coach.Occurrence, ok bool, err error) {
	var r occRec
	ok, err = getJSON(bucket(tx, bucketOccurrences), []byte(k), &r)
	if !ok || err != nil {
		return coach.Occurrence{}, ok, err
	}
	return r.occurrence(), true, nil
}

// CreateOccurrence stores o unless an occurrence with its key exists. It
// returns the stored occurrence and whether this call created it. The check
// and the write share one transaction, so of many concurrent callers with the
// same key exactly one creates it.
func (db *DB) CreateOccurrence(ctx context.Context, o coach.Occurrence) (coach.Occurrence, bool, error) {
	if o.Key == "" {
		return coach.Occurrence{}, false, fmt.Errorf("create occurrence: empty key")
	}
	var stored coach.Occurrence
	var created bool
	err := db.write(ctx, func(tx *bolt.Tx) (func() error, error) {
		var put func() error
		var err error
		stored, created, put, err = createOccurrence(tx, o)
		return put, err
	})
	if err != nil {
		return coach.Occurrence{}, false, fmt.Errorf("create occurrence %s: %w", o.Key, err)
	}
	return stored, created, nil
}

// createOccurrence decides the creation of o in a change: it returns the
// occurrence stored under o's key (o itself when there is none yet), whether
// it is new, and the write that stores it (nothing when it is not new).
func createOccurrence(tx *bolt.Tx, o coach.Occurrence) (stored coach.Occurrence, created bool, put func() error, err error) {
	old, ok, err := getOccurrence(tx, o.Key)
	switch {
	case err != nil:
		return coach.Occurrence{}, false, nil, err
	case ok:
		return old, false, func() error { return nil }, nil
	}
	return o, true, func() error { return putOccurrence(tx, o, nil) }, nil
}

// Occurrence returns the occurrence with key k; ENOTFOUND when absent.
func (db *DB) Occurrence(ctx context.Context, k coach.OccurrenceKey) (coach.Occurrence, error) {
	var o coach.Occurrence
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var ok bool
		var err error
		o, ok, err = getOccurrence(tx, k)
		if err == nil && !ok {
			err = errOccurrenceNotFound()
		}
		return err
	})
	if err != nil {
		return coach.Occurrence{}, fmt.Errorf("get occurrence %s: %w", k, err)
	}
	return o, nil
}

// UpdateOccurrence reads the occurrence, applies fn and stores the result in
// one transaction, moving its index entry if Director, Habit or Due changed.
// An error from fn stores nothing and is returned unwrapped. fn may not
// change the key.
//
// The write goes through group commit (commit.go): fn sees the writes of the
// changes committed with it, and runs again only if that group failed for
// another reason; fn must then be a function of the *Occurrence it is given
// (setting captured variables on every call, not only on some).
func (db *DB) UpdateOccurrence(ctx context.Context, k coach.OccurrenceKey, fn func(*coach.Occurrence) error) (coach.Occurrence, error) {
	return db.changeOccurrence(ctx, k, func(o *coach.Occurrence, _ *bolt.Tx) error { return fn(o) })
}

// RecordAnswer is UpdateOccurrence with a coach.Snapshot of the same
// transaction for fn, so that an answer decides on what it reads (the
// director's zone, their leave) in the write that records it.
func (db *DB) RecordAnswer(ctx context.Context, k coach.OccurrenceKey, fn func(*coach.Occurrence, coach.Snapshot) error) (coach.Occurrence, error) {
	return db.changeOccurrence(ctx, k, func(o *coach.Occurrence, tx *bolt.Tx) error { return fn(o, snapshot{tx}) })
}

// changeOccurrence is UpdateOccurrence with the transaction for fn, which
// may only read through it.
func (db *DB) changeOccurrence(ctx context.Context, k coach.OccurrenceKey, fn func(*coach.Occurrence, *bolt.Tx) error) (coach.Occurrence, error) {
	var o coach.Occurrence
	var fnErr error
	err := db.write(ctx, func(tx *bolt.Tx) (func() error, error) {
		o, fnErr = coach.Occurrence{}, nil
		old, ok, err := getOccurrence(tx, k)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errOccurrenceNotFound()
		}
		next := old
		if old.Answer != nil { // fn must not mutate old through the pointer
			a := *old.Answer
			next.Answer = &a
		}
		if fnErr = fn(&next, tx); fnErr != nil {
			return nil, fnErr
		}
		if next.Key != k {
			return nil, fmt.Errorf("fn changed the key to %s", next.Key)
		}
		o = next
		return func() error { return putOccurrence(tx, next, &old) }, nil
	})
	if fnErr != nil {
		return coach.Occurrence{}, fnErr
	}
	if err != nil {
		return coach.Occurrence{}, fmt.Errorf("update occurrence %s: %w", k, err)
	}
	return o, nil
}

// History returns d's occurrences of habit h (every habit when h is empty)
// with Due >= since, ordered by Due (then key), using occ_by_due.
func (db *DB) History(ctx context.Context, d coach.UserID, h coach.Habit, since time.Time) ([]coach.Occurrence, error) {
	var out []coach.Occurrence
	err := db.view(ctx, func(tx *bolt.Tx) error {
		occ := bucket(tx, bucketOccurrences)
		add := func(_, v []byte) error {
			var r occRec
			if _, err := getJSON(occ, v, &r); err != nil {
				return err
			}
			if !r.Due.Before(since) {
				out = append(out, r.occurrence())
			}
			return nil
		}
		idx := bucket(tx, bucketOccByDue)
		if h != "" {
			return forEachFrom(idx, key(string(d), string(h), ""), key(string(d), string(h), timeKey(since)), add)
		}
		// Every habit: the index orders by habit, then due time, so the
		// entries due before since are passed over by their key, unread (the
		// due-loop's weekly budget asks for one week of a long history).
		from := []byte(timeKey(since))
		return forEachPrefix(idx, key(string(d), ""), func(k, v []byte) error {
			if f := bytes.SplitN(k, []byte(sep), 4); len(f) == 4 && bytes.Compare(f[2], from) < 0 {
				return nil
			}
			return add(k, v)
		})
	})
	if err != nil {
		return nil, fmt.Errorf("history of %s %s: %w", d, h, err)
	}
	if h == "" { // the index orders by habit first
		sortOccurrences(out)
	}
	return out, nil
}

// sortOccurrences orders by Due, then key.
func sortOccurrences(occs []coach.Occurrence) {
	slices.SortFunc(occs, func(a, b coach.Occurrence) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return strings.Compare(string(a.Key), string(b.Key))
	})
}
