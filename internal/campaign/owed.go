package campaign

import (
	"fmt"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/coach"
)

// Owed lists the occurrences schedule s owes each director in [from, to)
// by its rule alone (the reference for I1), keyed by occurrence key with
// the nominal send instant. zone gives a director's IANA zone.
func Owed(s coach.Schedule, directors []coach.UserID, zone func(coach.UserID) string, from, to time.Time) (map[coach.OccurrenceKey]time.Time, error) {
	r, err := bot.ParseWhen(s.When)
	if err != nil {
		return nil, fmt.Errorf("owed: %w", err)
	}
	out := map[coach.OccurrenceKey]time.Time{}
	for _, d := range directors {
		loc, err := time.LoadLocation(zone(d))
		if err != nil {
			return nil, fmt.Errorf("owed: zone of %s: %w", d, err)
		}
		for at := r.Next(from.Add(-time.Nanosecond), loc); at.Before(to); at = r.Next(at, loc) {
			out[coach.NewOccurrenceKey(s.ID, d, at.In(loc).Format(time.DateOnly))] = at
		}
	}
	return out, nil
}

// Dues turns owed occurrences into the oracle's Due list: the ones due
// before cut are owed w, the later ones are left out (not due yet).
func Dues(owed map[coach.OccurrenceKey]time.Time, cut time.Time, w Want) []Due {
	var out []Due
	for _, k := range sortedKeys(owed) {
		if owed[k].Before(cut) {
			out = append(out, Due{Key: k, Want: w})
		}
	}
	return out
}

// DuesOf owes every key in keys w.
func DuesOf(keys []coach.OccurrenceKey, w Want) []Due {
	out := make([]Due, len(keys))
	for i, k := range keys {
		out[i] = Due{Key: k, Want: w}
	}
	return out
}

// ZoneOf returns the zone lookup of a workspace.
func (ws Workspace) ZoneOf(d coach.UserID) string {
	for i, x := range ws.Directors {
		if x == d {
			return ws.Zones[i]
		}
	}
	return "UTC"
}
