package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/coach"
)

// pathRecVersion is the version of pathRec. A field added with omitempty
// (or omitzero) keeps the version: older records simply lack it. A change
// of a field's meaning bumps it, and path() converts older records.
const pathRecVersion = 1

// pathRec is the stored form of coach.Path, at key <director>|<leader> of
// the paths bucket. Dates are YYYY-MM-DD in the director's calendar.
type pathRec struct {
	V        int           `json:"v"`
	Director coach.UserID  `json:"director"`
	Leader   coach.UserID  `json:"leader"`
	Rev      int           `json:"rev"`
	Styles   []spellRec    `json:"styles"`
	Phases   []spellRec    `json:"phases"`
	Next     stepRec       `json:"next"`
	Handed   []handoverRec `json:"handed_over,omitempty"`
	Reviews  []reviewRec   `json:"reviews,omitempty"`
	Created  time.Time     `json:"created,omitzero"`
	Updated  time.Time     `json:"updated,omitzero"`
}

// spellRec is one spell of a style (Style set) or a phase (Phase set).
type spellRec struct {
	Style string `json:"style,omitempty"`
	Phase int    `json:"phase,omitempty"`
	Since string `json:"since"`
}

// stepRec is a step; its texts are free text (see retention.go).
type stepRec struct {
	Responsibility string `json:"responsibility,omitempty"`
	Done           string `json:"done,omitempty"`
	Target         string `json:"target,omitempty"`
}

type handoverRec struct {
	What string    `json:"what,omitempty"`
	On   string    `json:"on"`
	At   time.Time `json:"at,omitzero"`
}

type reviewRec struct {
	At      time.Time `json:"at"`
	On      string    `json:"on"`
	Planned stepRec   `json:"planned"`
	Outcome string    `json:"outcome"`
	Saw     string    `json:"saw,omitempty"`
	Next    stepRec   `json:"next"`
	Style   string    `json:"style,omitempty"`
	Phase   int       `json:"phase,omitempty"`
}

func toStepRec(s coach.Step) stepRec {
	return stepRec{Responsibility: s.Responsibility, Done: s.DoneLooksLike, Target: s.Target.String()}
}

func toPathRec(p coach.Path) pathRec {
	r := pathRec{V: pathRecVersion, Director: p.Director, Leader: p.Leader, Rev: p.Rev, Next: toStepRec(p.Next),
		Created: p.Created, Updated: p.Updated}
	for _, s := range p.Styles {
		r.Styles = append(r.Styles, spellRec{Style: string(s.Value), Since: s.Since.String()})
	}
	for _, s := range p.Phases {
		r.Phases = append(r.Phases, spellRec{Phase: int(s.Value), Since: s.Since.String()})
	}
	for _, h := range p.HandedOver {
		r.Handed = append(r.Handed, handoverRec{What: h.What, On: h.On.String(), At: h.At})
	}
	for _, v := range p.Reviews {
		r.Reviews = append(r.Reviews, reviewRec{At: v.At, On: v.On.String(), Planned: toStepRec(v.Planned),
			Outcome: string(v.Outcome), Saw: v.Saw, Next: toStepRec(v.Next), Style: string(v.Style), Phase: int(v.Phase)})
	}
	return r
}

// dateReader parses the dates of one record and keeps the first error.
type dateReader struct{ err error }

func (d *dateReader) date(s string) coach.Date {
	if s == "" {
		return coach.Date{}
	}
	v, ok := coach.ParseDate(s)
	if !ok && d.err == nil {
		d.err = fmt.Errorf("bad date %q", s)
	}
	return v
}

func (d *dateReader) step(s stepRec) coach.Step {
	return coach.Step{Responsibility: s.Responsibility, DoneLooksLike: s.Done, Target: d.date(s.Target)}
}

// path converts the record; an unreadable date is an error (the record is
// damaged, not merely old).
func (r pathRec) path() (coach.Path, error) {
	if r.V > pathRecVersion {
		return coach.Path{}, fmt.Errorf("path record version %d is newer than this leancoach understands", r.V)
	}
	var d dateReader
	p := coach.Path{Pair: coach.Pair{Director: r.Director, Leader: r.Leader}, Rev: r.Rev, Next: d.step(r.Next),
		Created: r.Created, Updated: r.Updated}
	for _, s := range r.Styles {
		p.Styles = append(p.Styles, coach.Spell[coach.Style]{Value: coach.Style(s.Style), Since: d.date(s.Since)})
	}
	for _, s := range r.Phases {
		p.Phases = append(p.Phases, coach.Spell[coach.Phase]{Value: coach.Phase(s.Phase), Since: d.date(s.Since)})
	}
	for _, h := range r.Handed {
		p.HandedOver = append(p.HandedOver, coach.Handover{What: h.What, On: d.date(h.On), At: h.At})
	}
	for _, v := range r.Reviews {
		p.Reviews = append(p.Reviews, coach.Review{At: v.At, On: d.date(v.On), Planned: d.step(v.Planned),
			Outcome: coach.ReviewOutcome(v.Outcome), Saw: v.Saw, Next: d.step(v.Next), Style: coach.Style(v.Style),
			Phase: coach.Phase(v.Phase)})
	}
	return p, d.err
}

// pathKey is the key of a pair's path.
func pathKey(p coach.Pair) []byte { return key(string(p.Director), string(p.Leader)) }

// decodePath decodes the path stored at k.
func decodePath(k, v []byte) (coach.Path, error) {
	var r pathRec
	if err := decodeJSON(k, v, &r); err != nil {
		return coach.Path{}, err
	}
	p, err := r.path()
	if err != nil {
		return coach.Path{}, fmt.Errorf("decode record %q: %w", k, err)
	}
	return p, nil
}

func errPathNotFound(p coach.Pair) error {
	return coach.Errorf(coach.ENOTFOUND, "store.path_not_found", mention(p.Leader))
}

// validPair refuses a pair whose IDs would not make a key of two parts.
func validPair(p coach.Pair) error {
	for _, id := range []coach.UserID{p.Director, p.Leader} {
		if id == "" || strings.Contains(string(id), sep) {
			return fmt.Errorf("bad user ID %q", id)
		}
	}
	return nil
}

// LoadPath returns the pair's path; ENOTFOUND when none was set.
func (db *DB) LoadPath(ctx context.Context, pair coach.Pair) (coach.Path, error) {
	var p coach.Path
	err := db.view(ctx, func(tx *bolt.Tx) error {
		k := pathKey(pair)
		v := bucket(tx, bucketPaths).Get(k)
		if v == nil {
			return errPathNotFound(pair)
		}
		var err error
		p, err = decodePath(k, v)
		return err
	})
	if err != nil {
		return coach.Path{}, fmt.Errorf("load path %s|%s: %w", pair.Director, pair.Leader, err)
	}
	return p, nil
}

// ListPaths returns the director's paths ordered by leader, or every path
// ordered by director, then leader, when director is "".
func (db *DB) ListPaths(ctx context.Context, director coach.UserID) ([]coach.Path, error) {
	var out []coach.Path
	var prefix []byte
	if director != "" {
		prefix = key(string(director), "")
	}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		out, err = pathsIn(tx, prefix)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list paths of %q: %w", director, err)
	}
	return out, nil
}

// pathsIn reads the paths whose keys start with prefix, ordered by
// director, then Lean leader.
func pathsIn(tx *bolt.Tx, prefix []byte) ([]coach.Path, error) {
	var out []coach.Path
	err := forEachPrefix(bucket(tx, bucketPaths), prefix, func(k, v []byte) error {
		p, err := decodePath(k, v)
		if err == nil {
			out = append(out, p)
		}
		return err
	})
	// Key order puts "UD10|…" before "UD1|…" ('0' < '|').
	slices.SortFunc(out, func(a, b coach.Path) int {
		return cmp.Or(cmp.Compare(a.Director, b.Director), cmp.Compare(a.Leader, b.Leader))
	})
	return out, err
}

// UpdatePath reads the pair's path (a zero Path with the pair when none),
// calls fn and stores the result, in one transaction. An error from fn
// aborts and is returned as it is (wrapped).
func (db *DB) UpdatePath(ctx context.Context, pair coach.Pair, fn func(p *coach.Path) error) (coach.Path, error) {
	if err := validPair(pair); err != nil {
		return coach.Path{}, fmt.Errorf("update path: %w", err)
	}
	var p coach.Path
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := bucket(tx, bucketPaths)
		k := pathKey(pair)
		p = coach.Path{Pair: pair}
		if v := b.Get(k); v != nil {
			var err error
			if p, err = decodePath(k, v); err != nil {
				return err
			}
		}
		if err := fn(&p); err != nil {
			return err
		}
		p.Pair = pair
		return putJSON(b, k, toPathRec(p))
	})
	if err != nil {
		return coach.Path{}, fmt.Errorf("update path %s|%s: %w", pair.Director, pair.Leader, err)
	}
	return p, nil
}
