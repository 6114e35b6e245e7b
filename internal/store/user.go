package store

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// userRec is what the store keeps per user: their preferences and the cached
// Slack profile, in one record so that Forget deletes one key.
type userRec struct {
	V       int         `json:"v"`
	Lang    i18n.Lang   `json:"lang,omitempty"`
	Profile *profileRec `json:"profile,omitempty"`
	// CheckInsOff is a Lean leader's /coach checkin off (schema 3).
	CheckInsOff bool `json:"checkins_off,omitempty"`
}

type profileRec struct {
	ID                coach.UserID `json:"id"`
	TeamID            coach.TeamID `json:"team_id,omitempty"`
	Name              string       `json:"name,omitempty"`
	TZ                string       `json:"tz,omitempty"`
	Locale            string       `json:"locale,omitempty"`
	IsAdmin           bool         `json:"is_admin,omitempty"`
	IsOwner           bool         `json:"is_owner,omitempty"`
	IsPrimaryOwner    bool         `json:"is_primary_owner,omitempty"`
	IsRestricted      bool         `json:"is_restricted,omitempty"`
	IsUltraRestricted bool         `json:"is_ultra_restricted,omitempty"`
	IsBot             bool         `json:"is_bot,omitempty"`
	Deleted           bool         `json:"deleted,omitempty"`
	FetchedAt         time.Time    `json:"fetched_at,omitzero"`
}

func toProfileRec(p coach.Profile) *profileRec {
	r := profileRec(p)
	return &r
}

func (r profileRec) profile() coach.Profile { return coach.Profile(r) }

// Prefs returns the user's preferences; the zero Prefs when none are stored.
func (db *DB) Prefs(ctx context.Context, id coach.UserID) (coach.Prefs, error) {
	var r userRec
	err := db.view(ctx, func(tx *bolt.Tx) error {
		_, err := getJSON(bucket(tx, bucketUsers), []byte(id), &r)
		return err
	})
	if err != nil {
		return coach.Prefs{}, fmt.Errorf("get prefs %s: %w", id, err)
	}
	return coach.Prefs{Lang: r.Lang, CheckInsOff: r.CheckInsOff}, nil
}

// PutPrefs stores the user's preferences, keeping their cached profile.
func (db *DB) PutPrefs(ctx context.Context, id coach.UserID, p coach.Prefs) error {
	err := db.updateUser(ctx, id, func(r *userRec) { r.Lang, r.CheckInsOff = p.Lang, p.CheckInsOff })
	if err != nil {
		return fmt.Errorf("put prefs %s: %w", id, err)
	}
	return nil
}

// CachedProfile returns the cached Slack profile; ENOTFOUND when none is.
func (db *DB) CachedProfile(ctx context.Context, id coach.UserID) (coach.Profile, error) {
	var r userRec
	err := db.view(ctx, func(tx *bolt.Tx) error {
		_, err := getJSON(bucket(tx, bucketUsers), []byte(id), &r)
		if err == nil && r.Profile == nil {
			err = errProfileNotFound(id)
		}
		return err
	})
	if err != nil {
		return coach.Profile{}, fmt.Errorf("get profile %s: %w", id, err)
	}
	return r.Profile.profile(), nil
}

// PutProfile caches each profile under its ID, keeping the users'
// preferences, all in one transaction (a page of users.list is one write).
func (db *DB) PutProfile(ctx context.Context, ps ...coach.Profile) error {
	for _, p := range ps {
		if p.ID == "" {
			return fmt.Errorf("put profile: empty user ID")
		}
	}
	if len(ps) == 0 {
		return nil
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		for _, p := range ps {
			if err := putUser(tx, p.ID, func(r *userRec) { r.Profile = toProfileRec(p) }); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("put profile %s: %w", ps[0].ID, err)
	}
	return nil
}

// updateUser applies fn to the user's record in one transaction.
func (db *DB) updateUser(ctx context.Context, id coach.UserID, fn func(*userRec)) error {
	return db.update(ctx, func(tx *bolt.Tx) error { return putUser(tx, id, fn) })
}

// putUser applies fn to the user's record within tx.
func putUser(tx *bolt.Tx, id coach.UserID, fn func(*userRec)) error {
	b := bucket(tx, bucketUsers)
	var r userRec
	if _, err := getJSON(b, []byte(id), &r); err != nil {
		return err
	}
	fn(&r)
	r.V = 1
	return putJSON(b, []byte(id), r)
}
