package slackapp_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

// dirWorld is a Directory over a real store and slacksim with Slack's
// tiers on, and a workspace of n users.
func dirWorld(t *testing.T, n int) (*slacksim.Server, *store.DB, *slackapp.Directory, []coach.UserID) {
	t.Helper()
	sim := slacksim.New(slacksim.Options{})
	t.Cleanup(sim.Close)
	var ids []coach.UserID
	for i := range n {
		id := fmt.Sprintf("UWARM%05d", i)
		sim.AddUser(slacksim.User{ID: id, RealName: "Person " + id, TZ: "Asia/Kolkata", Locale: "nl-NL"})
		ids = append(ids, coach.UserID(id))
	}
	db, err := store.Open(filepath.Join(t.TempDir(), "leancoach.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	api := slack.New(sim.BotToken(), slack.OptionAPIURL(sim.APIURL()))
	return sim, db, slackapp.NewDirectory(api, db, coach.ClockFunc(time.Now)), ids
}

// A cold cache of many users is filled from users.list pages (200 a page,
// Tier 2), never one users.info per user (Tier 4: a morning's prompts would
// wait minutes); warming again asks Slack nothing.
func TestWarmFillsTheCacheFromUsersList(t *testing.T) {
	sim, db, dir, ids := dirWorld(t, 1050)
	want := ids[:1000]
	if err := dir.Warm(t.Context(), want, 0); err != nil {
		t.Fatalf("Warm: %v", err)
	}
	if n := len(sim.CallsTo("users.info")); n != 0 {
		t.Errorf("users.info called %d times, want 0", n)
	}
	if n := len(sim.CallsTo("users.list")); n < 5 || n > 6 {
		t.Errorf("users.list called %d times, want 5 or 6 pages of 200", n)
	}
	if n := sim.RateLimited("users.list"); n != 0 {
		t.Errorf("users.list answered 429 %d times, want 0 (paced under its tier)", n)
	}
	for _, id := range want {
		p, err := db.CachedProfile(t.Context(), id)
		if err != nil || p.TZ != "Asia/Kolkata" || p.Locale != "nl-NL" || p.Name != "Person "+string(id) {
			t.Fatalf("cached profile of %s = %+v, %v; want the zone, locale and name Slack has", id, p, err)
		}
	}
	if _, err := db.CachedProfile(t.Context(), ids[1040]); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("a user not asked for was cached: %v", err)
	}
	calls := len(sim.Calls())
	if err := dir.Warm(t.Context(), want, 0); err != nil {
		t.Fatalf("Warm again: %v", err)
	}
	if err := dir.Warm(t.Context(), want, time.Hour); err != nil {
		t.Fatalf("Warm again, an hour's age: %v", err)
	}
	for _, c := range sim.Calls()[calls:] {
		t.Errorf("warming a warm cache called %s", c.Method)
	}
}

// A few users are asked for one by one; a profile older than the age
// asked for is renewed; one Slack does not know is not looked for on every
// warming.
func TestWarmFewAndStale(t *testing.T) {
	sim, db, dir, ids := dirWorld(t, 30)
	old := coach.Profile{ID: ids[0], TZ: "UTC", FetchedAt: time.Now().Add(-48 * time.Hour)}
	if err := db.PutProfile(t.Context(), old); err != nil {
		t.Fatal(err)
	}
	if err := dir.Warm(t.Context(), ids[:3], 0); err != nil {
		t.Fatal(err)
	}
	if n := len(sim.CallsTo("users.info")); n != 2 {
		t.Errorf("users.info called %d times for 2 users with no profile, want 2", n)
	}
	if p, _ := db.CachedProfile(t.Context(), ids[0]); p.TZ != "UTC" {
		t.Errorf("maxAge 0 renewed a profile that was cached: %+v", p)
	}
	if err := dir.Warm(t.Context(), ids[:3], 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	if p, _ := db.CachedProfile(t.Context(), ids[0]); p.TZ != "Asia/Kolkata" {
		t.Errorf("a profile two days old, warmed for a day's age = %+v, want it renewed", p)
	}
	gone := make([]coach.UserID, 20)
	for i := range gone {
		gone[i] = coach.UserID(fmt.Sprintf("UGONE%05d", i))
	}
	if err := dir.Warm(t.Context(), gone, 0); err != nil {
		t.Fatal(err)
	}
	calls := len(sim.Calls())
	if err := dir.Warm(t.Context(), gone, 0); err != nil {
		t.Fatal(err)
	}
	if n := len(sim.Calls()) - calls; n != 0 {
		t.Errorf("users Slack does not list were looked for again at once (%d calls)", n)
	}
}
