package store

import (
	"bytes"
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/coach"
)

// Export returns every record that concerns u, read in one transaction
// (coach.UserData): u's director record, the directors who list u as a Lean
// leader, u's preferences and cached Slack profile, who added u as an admin,
// every prompt to u with u's answers (ordered by due time), the kudos u gave
// and received, the questions u was shown, the audit entries u is the
// actor of (oldest first), the delegation paths u keeps as a director and
// those u's directors keep with u as their Lean leader, as u reads them
// (coach.Path.ForLeader: without what the director saw at a review), u's
// check-ins and comments as a Lean leader, and what u's Lean leaders
// shared with u as their director (never a text marked "only for me").
// Nothing about other users is included beyond their IDs.
func (db *DB) Export(ctx context.Context, u coach.UserID) (coach.UserData, error) {
	out := coach.UserData{User: u}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		for _, part := range []func(*bolt.Tx, coach.UserID, *coach.UserData) error{
			exportDirectors, exportUser, exportAdmin, exportOccurrences,
			exportKudos, exportQuestions, exportAudit, exportPaths, exportCheckIns, exportComments,
		} {
			if err := part(tx, u, &out); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return coach.UserData{}, fmt.Errorf("export %s: %w", u, err)
	}
	return out, nil
}

func exportDirectors(tx *bolt.Tx, u coach.UserID, out *coach.UserData) error {
	return bucket(tx, bucketDirectors).ForEach(func(k, v []byte) error {
		var r directorRec
		if err := decodeJSON(k, v, &r); err != nil {
			return err
		}
		if r.ID == u {
			d := r.director()
			out.Director = &d
		}
		for _, l := range r.Leaders {
			if l == u {
				out.LeaderOf = append(out.LeaderOf, r.ID)
			}
		}
		return nil
	})
}

func exportUser(tx *bolt.Tx, u coach.UserID, out *coach.UserData) error {
	var r userRec
	if _, err := getJSON(bucket(tx, bucketUsers), []byte(u), &r); err != nil {
		return err
	}
	out.Prefs = coach.Prefs{Lang: r.Lang, CheckInsOff: r.CheckInsOff}
	if r.Profile != nil {
		p := r.Profile.profile()
		out.Profile = &p
	}
	return nil
}

func exportAdmin(tx *bolt.Tx, u coach.UserID, out *coach.UserData) error {
	var r adminRec
	ok, err := getJSON(bucket(tx, bucketAdmins), []byte(u), &r)
	if ok && err == nil {
		out.Admin = &coach.AdminGrant{By: r.By, At: r.At}
	}
	return err
}

func exportOccurrences(tx *bolt.Tx, u coach.UserID, out *coach.UserData) error {
	err := bucket(tx, bucketOccurrences).ForEach(func(k, v []byte) error {
		var r occRec
		if err := decodeJSON(k, v, &r); err != nil {
			return err
		}
		if r.Director == u {
			out.Occurrences = append(out.Occurrences, r.occurrence())
		}
		return nil
	})
	sortOccurrences(out.Occurrences)
	return err
}

func exportKudos(tx *bolt.Tx, u coach.UserID, out *coach.UserData) error {
	return bucket(tx, bucketKudos).ForEach(func(k, v []byte) error {
		var r kudosRec
		if err := decodeJSON(k, v, &r); err != nil {
			return err
		}
		if r.From == u {
			out.KudosGiven = append(out.KudosGiven, r.kudos())
		}
		if r.To == u {
			out.KudosReceived = append(out.KudosReceived, r.kudos())
		}
		return nil
	})
}

func exportQuestions(tx *bolt.Tx, u coach.UserID, out *coach.UserData) error {
	return forEachPrefix(bucket(tx, bucketQuestions), key(string(u), ""), func(k, v []byte) error {
		var r questionRec
		if err := decodeJSON(k, v, &r); err != nil {
			return err
		}
		out.QuestionsAsked = append(out.QuestionsAsked, r.ID)
		return nil
	})
}

func exportAudit(tx *bolt.Tx, u coach.UserID, out *coach.UserData) error {
	return bucket(tx, bucketAudit).ForEach(func(k, v []byte) error {
		if !bytes.Contains(v, []byte(u)) { // cheap filter before decoding
			return nil
		}
		var r auditRec
		if err := decodeJSON(k, v, &r); err != nil {
			return err
		}
		if r.Actor == u {
			out.Audit = append(out.Audit, r.entry())
		}
		return nil
	})
}

// exportPaths reads the paths of u as a director (by key prefix, ordered by
// leader) and as a Lean leader (a scan, ordered by director).
func exportPaths(tx *bolt.Tx, u coach.UserID, out *coach.UserData) error {
	return bucket(tx, bucketPaths).ForEach(func(k, v []byte) error {
		d, l, _ := bytes.Cut(k, []byte(sep))
		if string(d) != string(u) && string(l) != string(u) {
			return nil
		}
		p, err := decodePath(k, v)
		if err != nil {
			return err
		}
		if p.Director == u {
			out.Paths = append(out.Paths, p)
		}
		if p.Leader == u {
			out.PathsAsLeader = append(out.PathsAsLeader, p.ForLeader())
		}
		return nil
	})
}

// exportCheckIns reads u's check-ins as a Lean leader, whole, and the
// check-ins of u's Lean leaders about u as a director, as u may see them
// (coach.SharedCheckIns). Ordered by pair, then month.
func exportCheckIns(tx *bolt.Tx, u coach.UserID, out *coach.UserData) error {
	var about []coach.CheckIn
	err := forEachOfPair(bucket(tx, bucketCheckIns), u, decodeCheckIn, func(c coach.CheckIn) {
		if c.Leader == u {
			out.CheckIns = append(out.CheckIns, c)
		}
		if c.Director == u {
			about = append(about, c)
		}
	})
	out.CheckInsAboutMe = coach.SharedCheckIns(about)
	return err
}

// exportComments reads the comments u wrote as a Lean leader and those
// u's Lean leaders wrote on u's paths as a director.
func exportComments(tx *bolt.Tx, u coach.UserID, out *coach.UserData) error {
	return forEachOfPair(bucket(tx, bucketComments), u, decodeComment, func(c coach.Comment) {
		if c.Leader == u {
			out.Comments = append(out.Comments, c)
		}
		if c.Director == u {
			out.CommentsReceived = append(out.CommentsReceived, c)
		}
	})
}

// forEachOfPair calls fn with each record of b, keyed
// <director>|<leader>|…, whose director or Lean leader is u.
func forEachOfPair[T any](b *bolt.Bucket, u coach.UserID, decode func(k, v []byte) (T, error), fn func(T)) error {
	return b.ForEach(func(k, v []byte) error {
		if !keyNames(k, 0, u) && !keyNames(k, 1, u) {
			return nil
		}
		r, err := decode(k, v)
		if err == nil {
			fn(r)
		}
		return err
	})
}
