package store

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/coach"
)

// Erased replaces an erased user's ID where deleting the record would break
// something else: the audit log (whose entries must stay in order and count)
// and the "added by"/"created by" fields of other people's records.
const Erased coach.UserID = "erased"

// Forget erases everything about u, then compacts the file so that the
// erased bytes are gone from disk, not only from the index:
//
//   - deleted: u's director record, user record (prefs, profile), admin
//     record, every occurrence addressed to u with its index entry, every
//     kudos u gave, u's question history, and every entry of the due
//     bucket whose key or value names u, and u's delegation paths as a
//     director, with all their text; the check-ins and comments of every
//     pair u is part of, as the Lean leader (they are u's words) or as the
//     director (they are about u, and the pair is gone);
//   - edited: u is removed from other directors' leader lists and from
//     schedule targets; "added by"/"created by" u becomes Erased;
//   - kept: what other directors keep about u as their Lean leader: their
//     paths with u, the kudos they gave u and their compliment answers
//     naming u. Each is the director's record (docs/product.md "The Lean
//     leader's side": a Lean leader's forget removes their check-in
//     answers and comments, not the director's kudos to them). None of it
//     is shown to anyone once u is out of the director's leader list but
//     the director's own kudos and answers; the director's forget erases
//     them;
//   - audit entries keep their place: an actor u becomes Erased and u's ID
//     in the detail is replaced by Erased. Deleting them would hide admin
//     changes from the log, which exists to show them; the ID is the only
//     personal data an entry holds (details carry no free text).
//
// The erasure is one transaction. If the compaction then fails, the data is
// erased logically but may still sit in free pages; the error says so and a
// later Forget or Compact finishes the job.
func (db *DB) Forget(ctx context.Context, u coach.UserID) error {
	if u == "" || u == Erased {
		return fmt.Errorf("forget: bad user ID %q", u)
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		for _, step := range []func(*bolt.Tx, coach.UserID) error{
			forgetDirectors, forgetUser, forgetAdmins, forgetSchedules,
			forgetOccurrences, forgetKudos, forgetQuestions, forgetAudit, forgetDue,
			forgetPaths, forgetCheckIns, forgetComments,
		} {
			if err := step(tx, u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("forget %s: %w", u, err)
	}
	if err := db.Compact(ctx); err != nil {
		return fmt.Errorf("forget %s: erased, but the file was not compacted: %w", u, err)
	}
	return nil
}

// rewrite decodes every record of b into a T, lets fn edit it, and deletes
// the record when fn returns del, stores it when fn returns changed.
func rewrite[T any](b *bolt.Bucket, fn func(k []byte, r *T) (changed, del bool)) error {
	type edit struct {
		k   []byte
		r   *T
		del bool
	}
	var edits []edit
	err := b.ForEach(func(k, v []byte) error {
		r := new(T)
		if err := decodeJSON(k, v, r); err != nil {
			return err
		}
		if changed, del := fn(k, r); changed || del {
			edits = append(edits, edit{k: bytes.Clone(k), r: r, del: del})
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Writes wait until the scan is over: bbolt forbids changing a bucket
	// while ForEach walks it.
	for _, e := range edits {
		if e.del {
			err = b.Delete(e.k)
		} else {
			err = putJSON(b, e.k, e.r)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// without returns ids minus u, and whether u was there.
func without(ids []coach.UserID, u coach.UserID) ([]coach.UserID, bool) {
	out := slices.DeleteFunc(slices.Clone(ids), func(x coach.UserID) bool { return x == u })
	return out, len(out) != len(ids)
}

// erase returns Erased for u, id otherwise, and whether it changed.
func erase(id, u coach.UserID) (coach.UserID, bool) {
	if id == u {
		return Erased, true
	}
	return id, false
}

func forgetDirectors(tx *bolt.Tx, u coach.UserID) error {
	return rewrite(bucket(tx, bucketDirectors), func(_ []byte, r *directorRec) (bool, bool) {
		if r.ID == u {
			return false, true
		}
		var c1, c2 bool
		r.Leaders, c1 = without(r.Leaders, u)
		r.AddedBy, c2 = erase(r.AddedBy, u)
		return c1 || c2, false
	})
}

func forgetUser(tx *bolt.Tx, u coach.UserID) error {
	return bucket(tx, bucketUsers).Delete([]byte(u))
}

func forgetAdmins(tx *bolt.Tx, u coach.UserID) error {
	return rewrite(bucket(tx, bucketAdmins), func(k []byte, r *adminRec) (bool, bool) {
		if string(k) == string(u) {
			return false, true
		}
		var changed bool
		r.By, changed = erase(r.By, u)
		return changed, false
	})
}

func forgetSchedules(tx *bolt.Tx, u coach.UserID) error {
	return rewrite(bucket(tx, bucketSchedules), func(_ []byte, r *scheduleRec) (bool, bool) {
		var c1, c2 bool
		r.Directors, c1 = without(r.Directors, u)
		r.CreatedBy, c2 = erase(r.CreatedBy, u)
		return c1 || c2, false
	})
}

func forgetOccurrences(tx *bolt.Tx, u coach.UserID) error {
	// u's index entries all start with "u|": they go by prefix, together
	// with any entry a bug might have left behind.
	if err := deletePrefix(bucket(tx, bucketOccByDue), key(string(u), "")); err != nil {
		return err
	}
	return rewrite(bucket(tx, bucketOccurrences), func(_ []byte, r *occRec) (bool, bool) {
		if r.Director == u {
			return false, true
		}
		a := r.Answer
		if a == nil || a.By != u {
			return false, false
		}
		a.By, _ = erase(a.By, u)
		return true, false
	})
}

// forgetKudos deletes the kudos u gave; those u received are the giving
// director's record and stay (see Forget).
func forgetKudos(tx *bolt.Tx, u coach.UserID) error {
	return rewrite(bucket(tx, bucketKudos), func(_ []byte, r *kudosRec) (bool, bool) {
		return false, r.From == u
	})
}

// forgetCheckIns deletes the check-ins of every pair u is part of: keys
// <director>|<leader>|…, u as either.
func forgetCheckIns(tx *bolt.Tx, u coach.UserID) error {
	return deletePairRecords(bucket(tx, bucketCheckIns), u)
}

// forgetComments deletes the comments of every pair u is part of.
func forgetComments(tx *bolt.Tx, u coach.UserID) error {
	return deletePairRecords(bucket(tx, bucketComments), u)
}

// deletePairRecords deletes the records of b keyed <director>|<leader>|…
// whose director or Lean leader is u.
func deletePairRecords(b *bolt.Bucket, u coach.UserID) error {
	var doomed [][]byte
	err := b.ForEach(func(k, _ []byte) error {
		if keyNames(k, 0, u) || keyNames(k, 1, u) {
			doomed = append(doomed, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range doomed {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// forgetPaths deletes u's paths as a director: their keys start with "u|".
func forgetPaths(tx *bolt.Tx, u coach.UserID) error {
	return deletePrefix(bucket(tx, bucketPaths), key(string(u), ""))
}

func forgetQuestions(tx *bolt.Tx, u coach.UserID) error {
	return deletePrefix(bucket(tx, bucketQuestions), key(string(u), ""))
}

func forgetAudit(tx *bolt.Tx, u coach.UserID) error {
	return rewrite(bucket(tx, bucketAudit), func(_ []byte, r *auditRec) (bool, bool) {
		var changed bool
		r.Actor, changed = erase(r.Actor, u)
		if d := replaceToken(r.Detail, string(u), string(Erased)); d != r.Detail {
			r.Detail, changed = d, true
		}
		return changed, false
	})
}

// forgetDue deletes the due-loop's entries that name u. The due bucket's
// layout belongs to internal/schedule; all this relies on is that an entry
// about a user holds the user's ID as a whole token (as occurrence keys do).
func forgetDue(tx *bolt.Tx, u coach.UserID) error {
	b := bucket(tx, bucketDue)
	var doomed [][]byte
	err := b.ForEach(func(k, v []byte) error {
		if hasToken(k, []byte(u)) || hasToken(v, []byte(u)) {
			doomed = append(doomed, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range doomed {
		if b.Bucket(k) != nil {
			err = b.DeleteBucket(k)
		} else {
			err = b.Delete(k)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// isIDByte reports whether c can be part of a Slack ID.
func isIDByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// tokenAt reports whether tok occurs in s at i as a whole token: not part
// of a longer ID (U12 is not in U123).
func tokenAt(s []byte, i int, tok []byte) bool {
	if !bytes.HasPrefix(s[i:], tok) {
		return false
	}
	end := i + len(tok)
	return (i == 0 || !isIDByte(s[i-1])) && (end == len(s) || !isIDByte(s[end]))
}

// hasToken reports whether tok occurs in s as a whole token.
func hasToken(s, tok []byte) bool {
	for i := 0; i+len(tok) <= len(s); i++ {
		if tokenAt(s, i, tok) {
			return true
		}
	}
	return false
}

// replaceToken replaces whole-token occurrences of tok in s by repl.
func replaceToken(s, tok, repl string) string {
	b, t := []byte(s), []byte(tok)
	var out []byte
	for i := 0; i < len(b); {
		if tokenAt(b, i, t) {
			out = append(out, repl...)
			i += len(t)
			continue
		}
		out = append(out, b[i])
		i++
	}
	return string(out)
}
