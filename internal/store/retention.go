package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/coach"
)

// Note retention (reliability.md §5.4): the free text users wrote is removed
// once it is older than a bound, while what streaks, strength, the report and
// the digest count (outcome, dates, feedback flag, leader, question) stays.
//
// Free text means: an answer's Note, Observation and Asked (private), a
// compliment answer's Text and the Text of a kudos record (public in Slack,
// but our copy is still a person's words), and in a delegation path each
// review's texts (the step planned, what the director saw, the next step)
// and the text of each responsibility handed over. Its age is the answer's
// At (the occurrence's Due when At is unset), the kudos' At, and the At of
// the review or the hand-over. Occurrences due at or after the cutoff are
// not read at all (see answerSource). A path's current step is never
// removed: it is the plan in use, not a note about the past (forget
// erases it); its outcomes, dates, styles and phases stay too, so the
// path's progress and the admins' counts do not change. A Lean leader's
// free text is the note of a check-in ("what could <director> let go
// of?", aged by the check-in's last change) and the text of a comment
// (aged by its At); the check-in's styles, its months and the comment's
// time stay, so the contrast and the counts do not change.
//
// Crash safety: every batch is one write transaction that clears up to a
// batch of records and, in the same transaction, adds its count to a pending marker
// in the meta bucket (key notes_pruned, a prunePending record). Only when the
// file has been compacted does a last transaction write the audit entry and
// delete the marker. So a crash anywhere leaves either records still to
// clear or the marker, and the next PruneNotes clears the rest, compacts,
// and audits once, with the counts of both runs.

const (
	// DefaultPruneBatch is how many records one transaction of PruneNotes
	// edits at most.
	DefaultPruneBatch = 1000
	// pruneScanFactor bounds the records one transaction reads, as a
	// multiple of the batch, so that a long run of records with nothing to
	// clear does not hold the write lock for the whole scan.
	pruneScanFactor = 20
)

// ActionNotesExpired is the audit action of PruneNotes; the detail holds
// counts and the cutoff date only.
const ActionNotesExpired = coach.ActionNotesExpired

// RetentionActor is the audit actor of PruneNotes: the bot itself.
const RetentionActor = coach.RetentionActor

// pruneKey is the meta key of the pending marker.
var pruneKey = []byte("notes_pruned")

// prunePending is the marker of cleared but not yet compacted and audited
// text (see the note at the top of this file).
type prunePending struct {
	V       int       `json:"v"`
	Answers int       `json:"answers"`
	Kudos   int       `json:"kudos"`
	Paths   int       `json:"paths,omitempty"`
	Leader  int       `json:"leader,omitempty"` // check-in notes and comments
	Cutoff  time.Time `json:"cutoff"`
}

// Pruned is what PruneNotes did.
type Pruned struct {
	Answers   int  // answers whose free text this call cleared
	Kudos     int  // kudos records whose text this call cleared
	Paths     int  // paths whose older review or hand-over text this call cleared
	Leader    int  // check-ins and comments whose text this call cleared
	Batches   int  // write transactions that cleared something
	Compacted bool // the file was compacted (this call's or an earlier run's clearing)
}

// PruneNotes clears the free text of answers and kudos older than cutoff,
// at most batch records per transaction (<= 0: DefaultPruneBatch), then,
// if this or an interrupted earlier call cleared anything, compacts the file
// (Compact, as Forget does) so the text is gone from disk, and appends one
// audit entry with the counts. Calling it again with the same cutoff does
// nothing; after a crash it finishes the job.
//
// Between batches other calls on the DB proceed; during the compaction they
// wait.
func (db *DB) PruneNotes(ctx context.Context, cutoff time.Time, batch int) (Pruned, error) {
	if batch <= 0 {
		batch = DefaultPruneBatch
	}
	cutoff = cutoff.UTC()
	var res Pruned
	for _, src := range []struct {
		pruneSource
		count *int
	}{
		{answerSource(cutoff), &res.Answers},
		{kudosSource(cutoff), &res.Kudos},
		{pathSource(cutoff), &res.Paths},
		{leaderSource(bucketCheckIns, clearCheckInText(cutoff)), &res.Leader},
		{leaderSource(bucketComments, clearCommentText(cutoff)), &res.Leader},
	} {
		var from []byte
		for {
			n, next, err := db.pruneBatch(ctx, src.pruneSource, from, cutoff, batch)
			if err != nil {
				return res, fmt.Errorf("prune notes before %s: %w", cutoff.Format(time.DateOnly), err)
			}
			*src.count += n
			if n > 0 {
				res.Batches++
			}
			if next == nil {
				break
			}
			from = next
		}
	}
	pending, err := db.prunePending(ctx)
	if err != nil || pending == nil {
		return res, err
	}
	if err := db.Compact(ctx); err != nil {
		return res, fmt.Errorf("prune notes: cleared %d answers, %d kudos, %d paths and %d Lean leader texts, but the file was not compacted: %w",
			pending.Answers, pending.Kudos, pending.Paths, pending.Leader, err)
	}
	res.Compacted = true
	if err := db.finishPrune(ctx); err != nil {
		return res, err
	}
	return res, nil
}

// pruneSource says where PruneNotes finds records to clear.
type pruneSource struct {
	scan   []byte // the bucket walked in key order
	target []byte // the bucket whose records are cleared
	// pick returns the target key of the scanned entry (k, v), or nil to
	// skip it without reading the record.
	pick func(k, v []byte) []byte
	// clear returns the record's new value and whether it changed.
	clear func(k, v []byte) ([]byte, bool, error)
}

// answerSource walks occ_by_due, whose keys hold each occurrence's Due: an
// answer is never older than its prompt's Due (the click comes after the
// prompt), so occurrences due at or after the cutoff are skipped unread,
// and a nightly run reads only the records older than the bound, most of
// them already cleared and skipped by clearAnswerText without decoding.
func answerSource(cutoff time.Time) pruneSource {
	before := []byte(timeKey(cutoff))
	return pruneSource{
		scan:   bucketOccByDue,
		target: bucketOccurrences,
		pick: func(k, v []byte) []byte {
			// <director>|<habit>|<due>|<occ key>; IDs and habits hold no "|".
			parts := bytes.SplitN(k, []byte(sep), 4)
			if len(parts) != 4 || bytes.Compare(parts[2], before) >= 0 {
				return nil
			}
			return v
		},
		clear: clearAnswerText(cutoff),
	}
}

// kudosSource walks the kudos bucket.
func kudosSource(cutoff time.Time) pruneSource {
	return pruneSource{
		scan:   bucketKudos,
		target: bucketKudos,
		pick:   func(k, _ []byte) []byte { return k },
		clear:  clearKudosText(cutoff),
	}
}

// pathSource walks the paths bucket.
func pathSource(cutoff time.Time) pruneSource {
	return pruneSource{
		scan:   bucketPaths,
		target: bucketPaths,
		pick:   func(k, _ []byte) []byte { return k },
		clear:  clearPathText(cutoff),
	}
}

// leaderSource walks a bucket of the Lean leaders' records.
func leaderSource(b []byte, clear func(k, v []byte) ([]byte, bool, error)) pruneSource {
	return pruneSource{scan: b, target: b, pick: func(k, _ []byte) []byte { return k }, clear: clear}
}

// pruneBatch clears records of src from scanned key from (nil: the first)
// on, until batch records were cleared or batch * pruneScanFactor entries
// were read. It returns how many it cleared and the scan key to go on from,
// nil at the end.
//
// The scan is a read transaction, so it never holds the write lock; the
// records it found are cleared in one write transaction, which decodes each
// again (an answer may have changed in between) and writes nothing when none
// is left to clear.
func (db *DB) pruneBatch(ctx context.Context, src pruneSource, from []byte, cutoff time.Time, batch int) (int, []byte, error) {
	var found [][]byte
	var next []byte
	err := db.view(ctx, func(tx *bolt.Tx) error {
		found, next = found[:0], nil
		target := bucket(tx, src.target)
		c := bucket(tx, src.scan).Cursor()
		k, v := c.First()
		if from != nil {
			k, v = c.Seek(from)
		}
		for read := 0; k != nil; k, v = c.Next() {
			if len(found) == batch || read == batch*pruneScanFactor {
				next = bytes.Clone(k)
				break
			}
			read++
			tk := src.pick(k, v)
			if tk == nil {
				continue
			}
			tv := target.Get(tk)
			if tv == nil {
				continue
			}
			_, changed, err := src.clear(tk, tv)
			if err != nil {
				return err
			}
			if changed {
				found = append(found, bytes.Clone(tk))
			}
		}
		return nil
	})
	if err != nil || len(found) == 0 {
		return 0, next, err
	}
	n := 0
	err = db.update(ctx, func(tx *bolt.Tx) error {
		n = 0
		b := bucket(tx, src.target)
		for _, k := range found {
			v := b.Get(k)
			if v == nil {
				continue
			}
			nv, changed, err := src.clear(k, v)
			if err != nil {
				return err
			}
			if !changed {
				continue
			}
			if err := b.Put(k, nv); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return nil
		}
		return addPending(tx, src.target, n, cutoff)
	})
	if err != nil {
		return 0, nil, err
	}
	return n, next, nil
}

// addPending adds n cleared records of bucket name to the marker.
func addPending(tx *bolt.Tx, name []byte, n int, cutoff time.Time) error {
	meta := bucket(tx, bucketMeta)
	p := prunePending{V: 1}
	if _, err := getJSON(meta, pruneKey, &p); err != nil {
		return err
	}
	switch {
	case bytes.Equal(name, bucketKudos):
		p.Kudos += n
	case bytes.Equal(name, bucketPaths):
		p.Paths += n
	case bytes.Equal(name, bucketCheckIns), bytes.Equal(name, bucketComments):
		p.Leader += n
	default:
		p.Answers += n
	}
	p.Cutoff = cutoff
	return putJSON(meta, pruneKey, p)
}

// prunePending reads the marker; nil when there is none.
func (db *DB) prunePending(ctx context.Context) (*prunePending, error) {
	var p prunePending
	var ok bool
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		ok, err = getJSON(bucket(tx, bucketMeta), pruneKey, &p)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("prune notes: read marker: %w", err)
	}
	if !ok {
		return nil, nil
	}
	return &p, nil
}

// finishPrune appends the audit entry of the marker and deletes the marker,
// in one transaction, so the entry is written exactly once.
func (db *DB) finishPrune(ctx context.Context) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		meta := bucket(tx, bucketMeta)
		var p prunePending
		ok, err := getJSON(meta, pruneKey, &p)
		if err != nil || !ok {
			return err
		}
		audit := bucket(tx, bucketAudit)
		seq, err := audit.NextSequence()
		if err != nil {
			return err
		}
		at := db.now()
		// leader= only when there was some: the entries before schema 3
		// lack it, and so do those of a workspace without check-ins.
		leader := ""
		if p.Leader > 0 {
			leader = fmt.Sprintf(" leader=%d", p.Leader)
		}
		detail := fmt.Sprintf("answers=%d kudos=%d paths=%d%s before=%s", p.Answers, p.Kudos, p.Paths, leader, p.Cutoff.Format(time.DateOnly))
		// The key layout is Audit's (see doc.go).
		r := auditRec{V: 1, At: at, Actor: RetentionActor, Action: ActionNotesExpired, Detail: detail}
		if err := putJSON(audit, key(timeKey(at), seqKey(seq)), r); err != nil {
			return err
		}
		return meta.Delete(pruneKey)
	})
	if err != nil {
		return fmt.Errorf("prune notes: compacted, but the audit entry was not written (the next run writes it): %w", err)
	}
	return nil
}

// answerTextKeys are the JSON field names of answerRec's free text: a record
// that holds none of them has nothing to clear and is not decoded.
var answerTextKeys = [][]byte{[]byte(`"note":`), []byte(`"observation":`), []byte(`"asked":`), []byte(`"text":`)}

// clearAnswerText clears the free text of an answer older than cutoff.
func clearAnswerText(cutoff time.Time) func(k, v []byte) ([]byte, bool, error) {
	return func(k, v []byte) ([]byte, bool, error) {
		if !containsAny(v, answerTextKeys) {
			return nil, false, nil
		}
		var r occRec
		if err := decodeJSON(k, v, &r); err != nil {
			return nil, false, err
		}
		a := r.Answer
		if a == nil || a.Note == "" && a.Observation == "" && a.Asked == "" && a.Text == "" {
			return nil, false, nil
		}
		age := a.At
		if age.IsZero() {
			age = r.Due
		}
		if !age.Before(cutoff) {
			return nil, false, nil
		}
		a.Note, a.Observation, a.Asked, a.Text = "", "", "", ""
		nv, err := jsonBytes(k, r)
		return nv, err == nil, err
	}
}

// clearKudosText clears the text of a kudos record older than cutoff.
func clearKudosText(cutoff time.Time) func(k, v []byte) ([]byte, bool, error) {
	return clearTexts(cutoff, func(r *kudosRec) (time.Time, []*string) { return r.At, []*string{&r.Text} })
}

// clearCheckInText clears the note of a check-in last changed before
// cutoff (its "only for me" mark stays, over no text).
func clearCheckInText(cutoff time.Time) func(k, v []byte) ([]byte, bool, error) {
	return clearTexts(cutoff, func(r *checkInRec) (time.Time, []*string) { return r.Updated, []*string{&r.Note} })
}

// clearCommentText clears the text of a comment written before cutoff.
func clearCommentText(cutoff time.Time) func(k, v []byte) ([]byte, bool, error) {
	return clearTexts(cutoff, func(r *commentRec) (time.Time, []*string) { return r.At, []*string{&r.Text} })
}

// clearTexts clears the texts of a record of type T older than cutoff:
// texts returns the record's age and its texts.
func clearTexts[T any](cutoff time.Time, texts func(r *T) (time.Time, []*string)) func(k, v []byte) ([]byte, bool, error) {
	return func(k, v []byte) ([]byte, bool, error) {
		var r T
		if err := decodeJSON(k, v, &r); err != nil {
			return nil, false, err
		}
		at, ts := texts(&r)
		if !at.Before(cutoff) {
			return nil, false, nil
		}
		changed := false
		for _, s := range ts {
			if *s != "" {
				*s, changed = "", true
			}
		}
		if !changed {
			return nil, false, nil
		}
		nv, err := jsonBytes(k, r)
		return nv, err == nil, err
	}
}

// clearPathText clears the texts of a path's reviews and hand-overs
// recorded before cutoff; the current step stays.
func clearPathText(cutoff time.Time) func(k, v []byte) ([]byte, bool, error) {
	return func(k, v []byte) ([]byte, bool, error) {
		var r pathRec
		if err := decodeJSON(k, v, &r); err != nil {
			return nil, false, err
		}
		changed := false
		clear := func(s *string) {
			if *s != "" {
				*s, changed = "", true
			}
		}
		for i := range r.Reviews {
			rv := &r.Reviews[i]
			if !rv.At.Before(cutoff) {
				continue
			}
			for _, s := range []*string{&rv.Planned.Responsibility, &rv.Planned.Done, &rv.Saw, &rv.Next.Responsibility, &rv.Next.Done} {
				clear(s)
			}
		}
		for i := range r.Handed {
			if r.Handed[i].At.Before(cutoff) {
				clear(&r.Handed[i].What)
			}
		}
		if !changed {
			return nil, false, nil
		}
		nv, err := jsonBytes(k, r)
		return nv, err == nil, err
	}
}

func containsAny(v []byte, subs [][]byte) bool {
	for _, s := range subs {
		if bytes.Contains(v, s) {
			return true
		}
	}
	return false
}

// jsonBytes encodes the record stored at k.
func jsonBytes(k []byte, v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", k, err)
	}
	return raw, nil
}
