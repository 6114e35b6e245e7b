package store

import (
	"bytes"
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/coach"
)

// Export returns every record that concerns u, read in one transaction:
//
//	"user"            u
//	"director"        u's director record, when u is a director
//	"leader_of"       the directors who list u as a Lean leader
//	"prefs"           u's preferences
//	"profile"         u's cached Slack profile, when cached
//	"admin"           when u was added as an admin: by whom and when
//	"occurrences"     every prompt to u with u's answers, ordered by due time
//	"kudos_given"     kudos u wrote
//	"kudos_received"  kudos u received
//	"questions_asked" the questions u was shown, oldest first
//	"audit"           audit entries u is the actor of, oldest first
//
// Values are coach types (and a small struct for the admin record), ready
// for encoding/json. Nothing about other users is included beyond their IDs.
func (db *DB) Export(ctx context.Context, u coach.UserID) (map[string]any, error) {
	out := map[string]any{"user": u}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		for _, part := range []func(*bolt.Tx, coach.UserID, map[string]any) error{
			exportDirectors, exportUser, exportAdmin, exportOccurrences,
			exportKudos, exportQuestions, exportAudit,
		} {
			if err := part(tx, u, out); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", u, err)
	}
	return out, nil
}

func exportDirectors(tx *bolt.Tx, u coach.UserID, out map[string]any) error {
	leaderOf := []coach.UserID{}
	err := bucket(tx, bucketDirectors).ForEach(func(k, v []byte) error {
		var r directorRec
		if err := decodeJSON(k, v, &r); err != nil {
			return err
		}
		if r.ID == u {
			out["director"] = r.director()
		}
		for _, l := range r.Leaders {
			if l == u {
				leaderOf = append(leaderOf, r.ID)
			}
		}
		return nil
	})
	out["leader_of"] = leaderOf
	return err
}

func exportUser(tx *bolt.Tx, u coach.UserID, out map[string]any) error {
	var r userRec
	if _, err := getJSON(bucket(tx, bucketUsers), []byte(u), &r); err != nil {
		return err
	}
	out["prefs"] = coach.Prefs{Lang: r.Lang}
	if r.Profile != nil {
		out["profile"] = r.Profile.profile()
	}
	return nil
}

// exportedAdmin is how an admin record appears in an export.
type exportedAdmin struct {
	AddedBy coach.UserID
	AddedAt string
}

func exportAdmin(tx *bolt.Tx, u coach.UserID, out map[string]any) error {
	var r adminRec
	ok, err := getJSON(bucket(tx, bucketAdmins), []byte(u), &r)
	if ok && err == nil {
		out["admin"] = exportedAdmin{AddedBy: r.By, AddedAt: timeKey(r.At)}
	}
	return err
}

func exportOccurrences(tx *bolt.Tx, u coach.UserID, out map[string]any) error {
	occs := []coach.Occurrence{}
	err := bucket(tx, bucketOccurrences).ForEach(func(k, v []byte) error {
		var r occRec
		if err := decodeJSON(k, v, &r); err != nil {
			return err
		}
		if r.Director == u {
			occs = append(occs, r.occurrence())
		}
		return nil
	})
	sortOccurrences(occs)
	out["occurrences"] = occs
	return err
}

func exportKudos(tx *bolt.Tx, u coach.UserID, out map[string]any) error {
	given, received := []coach.Kudos{}, []coach.Kudos{}
	err := bucket(tx, bucketKudos).ForEach(func(k, v []byte) error {
		var r kudosRec
		if err := decodeJSON(k, v, &r); err != nil {
			return err
		}
		if r.From == u {
			given = append(given, r.kudos())
		}
		if r.To == u {
			received = append(received, r.kudos())
		}
		return nil
	})
	out["kudos_given"], out["kudos_received"] = given, received
	return err
}

func exportQuestions(tx *bolt.Tx, u coach.UserID, out map[string]any) error {
	asked := []string{}
	err := forEachPrefix(bucket(tx, bucketQuestions), key(string(u), ""), func(k, v []byte) error {
		var r questionRec
		if err := decodeJSON(k, v, &r); err != nil {
			return err
		}
		asked = append(asked, r.ID)
		return nil
	})
	out["questions_asked"] = asked
	return err
}

func exportAudit(tx *bolt.Tx, u coach.UserID, out map[string]any) error {
	entries := []coach.AuditEntry{}
	err := bucket(tx, bucketAudit).ForEach(func(k, v []byte) error {
		if !bytes.Contains(v, []byte(u)) { // cheap filter before decoding
			return nil
		}
		var r auditRec
		if err := decodeJSON(k, v, &r); err != nil {
			return err
		}
		if r.Actor == u {
			entries = append(entries, r.entry())
		}
		return nil
	})
	out["audit"] = entries
	return err
}
