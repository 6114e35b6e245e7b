package store

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/coach"
)

// The Lean leader's records about a pair (schema 3): their monthly
// check-ins and their comments on the path. They live beside the paths
// bucket, not in pathRec, so that the Lean leader's export and forget
// reach them without touching the director's record.

// checkInRecVersion and commentRecVersion are the versions of the records
// below; see pathRecVersion for when they change.
const (
	checkInRecVersion = 1
	commentRecVersion = 1
)

// checkInRec is the stored form of coach.CheckIn, at key
// <director>|<leader>|<YYYY-MM> of the checkins bucket. Note is free text
// (see retention.go); Private keeps it from the director.
type checkInRec struct {
	V        int          `json:"v"`
	Director coach.UserID `json:"director"`
	Leader   coach.UserID `json:"leader"`
	Month    string       `json:"month"`
	Opened   time.Time    `json:"opened,omitzero"`
	Needed   string       `json:"needed,omitempty"`
	Got      string       `json:"got,omitempty"`
	Note     string       `json:"note,omitempty"`
	Private  bool         `json:"private,omitempty"`
	Answered time.Time    `json:"answered,omitzero"`
	Updated  time.Time    `json:"updated,omitzero"`
}

func toCheckInRec(c coach.CheckIn) checkInRec {
	return checkInRec{V: checkInRecVersion, Director: c.Director, Leader: c.Leader, Month: c.Month.String(),
		Opened: c.Opened, Needed: string(c.Needed), Got: string(c.Got), Note: c.Note, Private: c.Private,
		Answered: c.Answered, Updated: c.Updated}
}

// checkIn converts the record; an unreadable month is an error.
func (r checkInRec) checkIn() (coach.CheckIn, error) {
	if r.V > checkInRecVersion {
		return coach.CheckIn{}, fmt.Errorf("check-in record version %d is newer than this leancoach understands", r.V)
	}
	m, ok := coach.ParseMonth(r.Month)
	if !ok {
		return coach.CheckIn{}, fmt.Errorf("bad month %q", r.Month)
	}
	return coach.CheckIn{Pair: coach.Pair{Director: r.Director, Leader: r.Leader}, Month: m, Opened: r.Opened,
		Needed: coach.Style(r.Needed), Got: coach.Style(r.Got), Note: r.Note, Private: r.Private,
		Answered: r.Answered, Updated: r.Updated}, nil
}

// commentRec is the stored form of coach.Comment, at key
// <director>|<leader>|<at>|<id> of the comments bucket (at as timeKey, so a
// pair's comments are in time order). Text is free text (retention.go).
type commentRec struct {
	V        int          `json:"v"`
	ID       string       `json:"id"`
	Director coach.UserID `json:"director"`
	Leader   coach.UserID `json:"leader"`
	At       time.Time    `json:"at"`
	Text     string       `json:"text,omitempty"`
}

func (r commentRec) comment() (coach.Comment, error) {
	if r.V > commentRecVersion {
		return coach.Comment{}, fmt.Errorf("comment record version %d is newer than this leancoach understands", r.V)
	}
	return coach.Comment{Pair: coach.Pair{Director: r.Director, Leader: r.Leader}, ID: r.ID, At: r.At, Text: r.Text}, nil
}

func checkInKey(p coach.Pair, m coach.Month) []byte {
	return key(string(p.Director), string(p.Leader), m.String())
}

// pairPrefix is the key prefix that selects the records of of, as the
// ports' ListCheckIns and ListComments select them: the pair's, a
// director's, or, for a zero Director, every record (the caller filters by
// Leader).
func pairPrefix(of coach.Pair) []byte {
	switch {
	case of.Director == "":
		return nil
	case of.Leader == "":
		return key(string(of.Director), "")
	}
	return key(string(of.Director), string(of.Leader), "")
}

// selects reports whether a record of pair p is selected by of.
func selects(of, p coach.Pair) bool {
	return (of.Director == "" || of.Director == p.Director) && (of.Leader == "" || of.Leader == p.Leader)
}

func decodeCheckIn(k, v []byte) (coach.CheckIn, error) {
	var r checkInRec
	if err := decodeJSON(k, v, &r); err != nil {
		return coach.CheckIn{}, err
	}
	c, err := r.checkIn()
	if err != nil {
		return coach.CheckIn{}, fmt.Errorf("decode record %q: %w", k, err)
	}
	return c, nil
}

func decodeComment(k, v []byte) (coach.Comment, error) {
	var r commentRec
	if err := decodeJSON(k, v, &r); err != nil {
		return coach.Comment{}, err
	}
	c, err := r.comment()
	if err != nil {
		return coach.Comment{}, fmt.Errorf("decode record %q: %w", k, err)
	}
	return c, nil
}

// CheckIn returns the pair's check-in of month m; ENOTFOUND when none.
func (db *DB) CheckIn(ctx context.Context, pair coach.Pair, m coach.Month) (coach.CheckIn, error) {
	var c coach.CheckIn
	err := db.view(ctx, func(tx *bolt.Tx) error {
		k := checkInKey(pair, m)
		v := bucket(tx, bucketCheckIns).Get(k)
		if v == nil {
			return coach.Errorf(coach.ENOTFOUND, "store.checkin_not_found")
		}
		var err error
		c, err = decodeCheckIn(k, v)
		return err
	})
	if err != nil {
		return coach.CheckIn{}, fmt.Errorf("load check-in %s|%s|%s: %w", pair.Director, pair.Leader, m, err)
	}
	return c, nil
}

// ListCheckIns returns the check-ins selected by of (see coach.CheckInStore),
// ordered by director, leader, then month.
func (db *DB) ListCheckIns(ctx context.Context, of coach.Pair) ([]coach.CheckIn, error) {
	out, err := listOfPairs(ctx, db, bucketCheckIns, of, decodeCheckIn, func(c coach.CheckIn) coach.Pair { return c.Pair })
	if err != nil {
		return nil, fmt.Errorf("list check-ins of %s|%s: %w", of.Director, of.Leader, err)
	}
	slices.SortFunc(out, func(a, b coach.CheckIn) int {
		return cmp.Or(cmp.Compare(a.Director, b.Director), cmp.Compare(a.Leader, b.Leader), a.Month.Compare(b.Month))
	})
	return out, nil
}

// listOfPairs reads the records of bucket name, keyed
// <director>|<leader>|…, that of selects (see coach.CheckInStore): by key
// prefix, and for a Lean leader alone by the key's second part, so that
// others' records are skipped unread.
func listOfPairs[T any](ctx context.Context, db *DB, name []byte, of coach.Pair, decode func(k, v []byte) (T, error),
	pairOf func(T) coach.Pair) ([]T, error) {
	var out []T
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return forEachPrefix(bucket(tx, name), pairPrefix(of), func(k, v []byte) error {
			if of.Director == "" && of.Leader != "" && !keyNames(k, 1, of.Leader) {
				return nil
			}
			r, err := decode(k, v)
			if err == nil && selects(of, pairOf(r)) {
				out = append(out, r)
			}
			return err
		})
	})
	return out, err
}

// keyNames reports whether part i of key k (parts split by sep) is u.
func keyNames(k []byte, i int, u coach.UserID) bool {
	parts := bytes.SplitN(k, []byte(sep), i+2)
	return len(parts) > i && string(parts[i]) == string(u)
}

// UpdateCheckIn reads the pair's check-in of month m (a zero one with the
// pair and month when none), calls fn and stores the result, in one
// transaction. An error from fn aborts and is returned as it is (wrapped).
func (db *DB) UpdateCheckIn(ctx context.Context, pair coach.Pair, m coach.Month, fn func(c *coach.CheckIn) error) (coach.CheckIn, error) {
	if err := validPair(pair); err != nil {
		return coach.CheckIn{}, fmt.Errorf("update check-in: %w", err)
	}
	if m.IsZero() {
		return coach.CheckIn{}, fmt.Errorf("update check-in: no month")
	}
	var c coach.CheckIn
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := bucket(tx, bucketCheckIns)
		k := checkInKey(pair, m)
		c = coach.CheckIn{Pair: pair, Month: m}
		if v := b.Get(k); v != nil {
			var err error
			if c, err = decodeCheckIn(k, v); err != nil {
				return err
			}
		}
		if err := fn(&c); err != nil {
			return err
		}
		c.Pair, c.Month = pair, m
		return putJSON(b, k, toCheckInRec(c))
	})
	if err != nil {
		return coach.CheckIn{}, fmt.Errorf("update check-in %s|%s|%s: %w", pair.Director, pair.Leader, m, err)
	}
	return c, nil
}

// AddComment stores c under its pair with the next ID "c<n>" of the
// bucket's sequence; ECONFLICT when the pair has max comments already.
func (db *DB) AddComment(ctx context.Context, c coach.Comment, max int) (coach.Comment, error) {
	if err := validPair(c.Pair); err != nil {
		return coach.Comment{}, fmt.Errorf("add comment: %w", err)
	}
	var out coach.Comment
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := bucket(tx, bucketComments)
		n := 0
		if err := forEachPrefix(b, pairPrefix(c.Pair), func([]byte, []byte) error { n++; return nil }); err != nil {
			return err
		}
		if n >= max {
			return coach.Errorf(coach.ECONFLICT, "comment.err.too_many", max)
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		out = c
		out.ID = "c" + strconv.FormatUint(seq, 10)
		r := commentRec{V: commentRecVersion, ID: out.ID, Director: c.Director, Leader: c.Leader, At: c.At, Text: c.Text}
		return putJSON(b, key(string(c.Director), string(c.Leader), timeKey(c.At), out.ID), r)
	})
	if err != nil {
		return coach.Comment{}, fmt.Errorf("add comment %s|%s: %w", c.Director, c.Leader, err)
	}
	return out, nil
}

// DeleteComment deletes the pair's comment id; ENOTFOUND when the pair has
// none with that ID.
func (db *DB) DeleteComment(ctx context.Context, pair coach.Pair, id string) error {
	if pair.Director == "" || pair.Leader == "" {
		return fmt.Errorf("delete comment %s: %w", id, coach.Errorf(coach.ENOTFOUND, "comment.err.not_found"))
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := bucket(tx, bucketComments)
		var found []byte
		err := forEachPrefix(b, pairPrefix(pair), func(k, _ []byte) error {
			if bytes.HasSuffix(k, []byte(sep+id)) {
				found = bytes.Clone(k)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if found == nil {
			return coach.Errorf(coach.ENOTFOUND, "comment.err.not_found")
		}
		return b.Delete(found)
	})
	if err != nil {
		return fmt.Errorf("delete comment %s of %s|%s: %w", id, pair.Director, pair.Leader, err)
	}
	return nil
}

// ListComments returns the comments selected by of (see
// coach.CommentStore), ordered by director, leader, then time.
func (db *DB) ListComments(ctx context.Context, of coach.Pair) ([]coach.Comment, error) {
	out, err := listOfPairs(ctx, db, bucketComments, of, decodeComment, func(c coach.Comment) coach.Pair { return c.Pair })
	if err != nil {
		return nil, fmt.Errorf("list comments of %s|%s: %w", of.Director, of.Leader, err)
	}
	slices.SortStableFunc(out, func(a, b coach.Comment) int {
		return cmp.Or(cmp.Compare(a.Director, b.Director), cmp.Compare(a.Leader, b.Leader), a.At.Compare(b.At))
	})
	return out, nil
}
