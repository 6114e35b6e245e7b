package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/coach"
)

// The due bucket belongs to the due-loop (internal/schedule):
//
//	key                              value
//	next|<schedule id>|<director>    dueRec: when that pair's next prompt goes
//	rem|<occurrence key>             reminderRec: snooze reminders of a sent prompt
//
// Both keys hold the director's ID as a whole token (the occurrence key names
// the director), which Forget relies on.

var (
	duePrefix = []byte("next" + sep)
	remPrefix = []byte("rem" + sep)
)

type dueRec struct {
	V        int              `json:"v"`
	Schedule coach.ScheduleID `json:"schedule"`
	Director coach.UserID     `json:"director"`
	Next     time.Time        `json:"next"`
	When     string           `json:"when"`
	Zone     string           `json:"zone"`
	// A prompt held back by the weekly budget (coach.Due.Held).
	Held    coach.OccurrenceKey `json:"held,omitempty"`
	HeldAt  time.Time           `json:"held_at,omitzero"`
	HeldDue time.Time           `json:"held_due,omitzero"`
}

type reminderRec struct {
	V         int                 `json:"v"`
	Occ       coach.OccurrenceKey `json:"occ"`
	Director  coach.UserID        `json:"director"`
	N         int                 `json:"n"`
	For       time.Time           `json:"for"`
	State     coach.SendState     `json:"state,omitempty"`
	StartedAt time.Time           `json:"started_at"`
	SentAt    time.Time           `json:"sent_at"`
	Channel   coach.ChannelID     `json:"channel,omitempty"`
	TS        string              `json:"ts,omitempty"`
}

// errNothingToWatch refuses a Watch whose prompts all have a record, so
// that it costs no commit.
var errNothingToWatch = errors.New("nothing to watch")

func dueKey(s coach.ScheduleID, d coach.UserID) []byte {
	return key("next", string(s), string(d))
}

// Dues returns every (schedule, director) plan, ordered by schedule ID, then
// director.
func (db *DB) Dues(ctx context.Context) ([]coach.Due, error) {
	var out []coach.Due
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return forEachPrefix(bucket(tx, bucketDue), duePrefix, func(k, v []byte) error {
			var r dueRec
			if err := decodeJSON(k, v, &r); err != nil {
				return err
			}
			out = append(out, coach.Due{Schedule: r.Schedule, Director: r.Director,
				Next: r.Next, When: r.When, Zone: r.Zone, Held: r.Held, HeldAt: r.HeldAt, HeldDue: r.HeldDue})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list due plans: %w", err)
	}
	return out, nil
}

// PutDue stores the plans of the pairs in ds, replacing earlier ones, in one
// transaction (a new "to all" schedule plans every director at once).
func (db *DB) PutDue(ctx context.Context, ds ...coach.Due) error {
	if len(ds) == 0 {
		return nil
	}
	for _, d := range ds {
		if err := checkDue(d); err != nil {
			return fmt.Errorf("put %d due plans: %w", len(ds), err)
		}
	}
	err := db.write(ctx, blind(func(tx *bolt.Tx) error {
		for _, d := range ds {
			if err := putDue(tx, d); err != nil {
				return err
			}
		}
		return nil
	}))
	if err != nil {
		return fmt.Errorf("put %d due plans (first %s %s): %w", len(ds), ds[0].Schedule, ds[0].Director, err)
	}
	return nil
}

// checkDue refuses a plan that putDue cannot store.
func checkDue(d coach.Due) error {
	if d.Schedule == "" || d.Director == "" {
		return fmt.Errorf("due plan without schedule or director")
	}
	return nil
}

func putDue(tx *bolt.Tx, d coach.Due) error {
	if err := checkDue(d); err != nil {
		return err
	}
	r := dueRec{V: 1, Schedule: d.Schedule, Director: d.Director, Next: d.Next.UTC(), When: d.When, Zone: d.Zone}
	if d.Held != "" {
		r.Held, r.HeldAt, r.HeldDue = d.Held, d.HeldAt.UTC(), d.HeldDue.UTC()
	}
	return putJSON(bucket(tx, bucketDue), dueKey(d.Schedule, d.Director), r)
}

// DeleteDue removes the plan of a pair; deleting a missing plan is no error.
func (db *DB) DeleteDue(ctx context.Context, s coach.ScheduleID, d coach.UserID) error {
	err := db.update(ctx, func(tx *bolt.Tx) error { return bucket(tx, bucketDue).Delete(dueKey(s, d)) })
	if err != nil {
		return fmt.Errorf("delete due plan %s %s: %w", s, d, err)
	}
	return nil
}

// MissDue records o (an occurrence that is not sent now: Missed, or
// Deferred by the weekly budget, which next then holds) unless an
// occurrence with its key exists, and stores next as its pair's plan, in one
// transaction: a crash leaves both or neither. It returns
// the stored occurrence and whether this call created it.
func (db *DB) MissDue(ctx context.Context, o coach.Occurrence, next coach.Due) (coach.Occurrence, bool, error) {
	if err := checkDue(next); err != nil {
		return coach.Occurrence{}, false, fmt.Errorf("record missed %s: %w", o.Key, err)
	}
	var stored coach.Occurrence
	var created bool
	err := db.write(ctx, func(tx *bolt.Tx) (func() error, error) {
		var put func() error
		var err error
		if stored, created, put, err = createOccurrence(tx, o); err != nil {
			return nil, err
		}
		return func() error {
			if err := put(); err != nil {
				return err
			}
			return putDue(tx, next)
		}, nil
	})
	if err != nil {
		return coach.Occurrence{}, false, fmt.Errorf("record missed %s: %w", o.Key, err)
	}
	return stored, created, nil
}

// Reminders returns every reminder record, ordered by occurrence key.
func (db *DB) Reminders(ctx context.Context) ([]coach.Reminder, error) {
	var out []coach.Reminder
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return forEachPrefix(bucket(tx, bucketDue), remPrefix, func(k, v []byte) error {
			var r reminderRec
			if err := decodeJSON(k, v, &r); err != nil {
				return err
			}
			out = append(out, coach.Reminder{Occ: r.Occ, Director: r.Director, N: r.N, For: r.For,
				State: r.State, StartedAt: r.StartedAt, SentAt: r.SentAt, Channel: r.Channel, TS: r.TS})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list reminders: %w", err)
	}
	return out, nil
}

// Watch stores a fresh reminder record for each of rs whose occurrence has
// none yet, in one transaction; existing records (which may hold a reminder
// in flight) are left as they are.
func (db *DB) Watch(ctx context.Context, rs ...coach.Reminder) error {
	if len(rs) == 0 {
		return nil
	}
	for _, r := range rs {
		if r.Occ == "" {
			return fmt.Errorf("watch %d prompts: empty occurrence key", len(rs))
		}
	}
	err := db.write(ctx, func(tx *bolt.Tx) (func() error, error) {
		b := bucket(tx, bucketDue)
		var fresh []coach.Reminder
		seen := map[coach.OccurrenceKey]bool{}
		for _, r := range rs {
			if !seen[r.Occ] && b.Get(key("rem", string(r.Occ))) == nil {
				fresh = append(fresh, r)
			}
			seen[r.Occ] = true
		}
		if len(fresh) == 0 {
			return nil, errNothingToWatch
		}
		return func() error {
			for _, r := range fresh {
				if err := putJSON(b, key("rem", string(r.Occ)), toReminderRec(r)); err != nil {
					return err
				}
			}
			return nil
		}, nil
	})
	if errors.Is(err, errNothingToWatch) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("watch %d prompts: %w", len(rs), err)
	}
	return nil
}

func toReminderRec(r coach.Reminder) reminderRec {
	return reminderRec{V: 1, Occ: r.Occ, Director: r.Director, N: r.N, For: r.For.UTC(), State: r.State,
		StartedAt: r.StartedAt.UTC(), SentAt: r.SentAt.UTC(), Channel: r.Channel, TS: r.TS}
}

// PutReminder stores r, replacing the record of the same occurrence.
func (db *DB) PutReminder(ctx context.Context, r coach.Reminder) error {
	if r.Occ == "" {
		return fmt.Errorf("put reminder: empty occurrence key")
	}
	err := db.write(ctx, blind(func(tx *bolt.Tx) error {
		return putJSON(bucket(tx, bucketDue), key("rem", string(r.Occ)), toReminderRec(r))
	}))
	if err != nil {
		return fmt.Errorf("put reminder %s: %w", r.Occ, err)
	}
	return nil
}

// DeleteReminder removes the reminder record of occurrence k; a missing one
// is no error.
func (db *DB) DeleteReminder(ctx context.Context, k coach.OccurrenceKey) error {
	err := db.write(ctx, blind(func(tx *bolt.Tx) error { return bucket(tx, bucketDue).Delete(key("rem", string(k))) }))
	if err != nil {
		return fmt.Errorf("delete reminder %s: %w", k, err)
	}
	return nil
}

// Sending returns the occurrences of schedule s still recorded Sending, in
// key order. The due-loop reconciles the ad-hoc ones (/coach send) at start:
// no plan points at them, so after a crash nothing else would.
func (db *DB) Sending(ctx context.Context, s coach.ScheduleID) ([]coach.Occurrence, error) {
	var out []coach.Occurrence
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return forEachPrefix(bucket(tx, bucketOccurrences), []byte(string(s)+sep), func(k, v []byte) error {
			var r occRec
			if err := decodeJSON(k, v, &r); err != nil {
				return err
			}
			if o := r.occurrence(); o.State == coach.Sending {
				out = append(out, o)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("sending occurrences of %s: %w", s, err)
	}
	return out, nil
}
