package coach_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/schedule"
	"github.com/leancoach/leancoach/internal/store"
)

const ourTeam coach.TeamID = "T0OURS001"

// The people of the authorization matrix. Several of the never-admins are
// also listed in LEANCOACH_ADMINS or added with /coach admin add, so the
// test shows that a listing does not override what Slack says about them.
const (
	pOwner      coach.UserID = "UOWNER001"
	pWSAdmin    coach.UserID = "UWSADMIN1"
	pListed     coach.UserID = "ULISTED01"
	pAdded      coach.UserID = "UADDED001"
	pMember     coach.UserID = "UMEMBER01"
	pGuest      coach.UserID = "UGUEST001" // listed
	pSCGuest    coach.UserID = "USCGUEST1" // added
	pBot        coach.UserID = "UBOT00001" // listed
	pDeleted    coach.UserID = "UDELETED1" // was a workspace admin, listed
	pStranger   coach.UserID = "USTRANGE1" // another team's admin, listed
	pUnknowable coach.UserID = "UFAILING1" // users.info fails; listed
)

// subject is one row of the matrix.
type subject struct {
	name  string
	id    coach.UserID
	admin bool // what the decision must be
}

func subjects() []subject {
	return []subject{
		{"workspace owner", pOwner, true},
		{"workspace admin", pWSAdmin, true},
		{"listed admin", pListed, true},
		{"added admin", pAdded, true},
		{"plain member", pMember, false},
		{"guest", pGuest, false},
		{"single-channel guest", pSCGuest, false},
		{"bot", pBot, false},
		{"deleted user", pDeleted, false},
		{"user of another team", pStranger, false},
		{"users.info failing", pUnknowable, false},
	}
}

var listedAdmins = []coach.UserID{pListed, pGuest, pBot, pDeleted, pStranger, pUnknowable}

func profiles() map[coach.UserID]coach.Profile {
	p := func(id coach.UserID, f func(*coach.Profile)) coach.Profile {
		pr := coach.Profile{ID: id, TeamID: ourTeam, TZ: "Europe/Amsterdam"}
		if f != nil {
			f(&pr)
		}
		return pr
	}
	return map[coach.UserID]coach.Profile{
		pOwner:    p(pOwner, func(p *coach.Profile) { p.IsOwner, p.IsPrimaryOwner = true, true }),
		pWSAdmin:  p(pWSAdmin, func(p *coach.Profile) { p.IsAdmin = true }),
		pListed:   p(pListed, nil),
		pAdded:    p(pAdded, nil),
		pMember:   p(pMember, nil),
		pGuest:    p(pGuest, func(p *coach.Profile) { p.IsRestricted = true }),
		pSCGuest:  p(pSCGuest, func(p *coach.Profile) { p.IsUltraRestricted, p.IsRestricted = true, true }),
		pBot:      p(pBot, func(p *coach.Profile) { p.IsBot = true }),
		pDeleted:  p(pDeleted, func(p *coach.Profile) { p.Deleted, p.IsAdmin = true, true }),
		pStranger: p(pStranger, func(p *coach.Profile) { p.TeamID, p.IsAdmin, p.IsOwner = "T0OTHER01", true, true }),
	}
}

// fakeDirectory answers users.info from a map; users in fail (or not in the
// map) make it fail, as Slack being unreachable would. It counts calls.
type fakeDirectory struct {
	mu    sync.Mutex
	profs map[coach.UserID]coach.Profile
	calls map[coach.UserID]int
}

func newFakeDirectory() *fakeDirectory {
	return &fakeDirectory{profs: profiles(), calls: map[coach.UserID]int{}}
}

func (d *fakeDirectory) Profile(_ context.Context, id coach.UserID) (coach.Profile, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls[id]++
	p, ok := d.profs[id]
	if !ok {
		return coach.Profile{}, errors.New("users.info: request failed")
	}
	return p, nil
}

func (d *fakeDirectory) set(p coach.Profile) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.profs[p.ID] = p
}

func (d *fakeDirectory) count(id coach.UserID) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.calls[id]
}

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
func (c *fakeClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// portalFix is a Portal over a real bbolt store with a fake directory.
type portalFix struct {
	db     *store.DB
	dir    *fakeDirectory
	clock  *fakeClock
	access *coach.Access
	audit  *coach.AuditLog
	portal *coach.Portal
}

// pStart is a Monday morning in Amsterdam (UTC+1 in winter).
var pStart = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

// rules reads schedule rules as the bot does: internal/schedule's parser,
// through the domain's RuleParser port.
func rules() coach.RuleParser { return schedule.NewRules() }

func newPortalFix(t *testing.T) *portalFix {
	t.Helper()
	clock := &fakeClock{now: pStart}
	db, err := store.Open(filepath.Join(t.TempDir(), "leancoach.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	f := &portalFix{db: db, dir: newFakeDirectory(), clock: clock}
	if err := db.AddAdmin(t.Context(), pAdded, pListed); err != nil {
		t.Fatal(err)
	}
	if err := db.AddAdmin(t.Context(), pSCGuest, pListed); err != nil {
		t.Fatal(err)
	}
	f.access, err = coach.NewAccess(coach.AccessConfig{Team: ourTeam, Listed: listedAdmins, Store: db,
		Directory: f.dir, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	f.audit = coach.NewAuditLog(db, clock)
	f.portal, err = coach.NewPortal(coach.PortalConfig{Store: db, Access: f.access, Audit: f.audit,
		Directory: f.dir, Clock: clock, Rules: rules(), DefaultTZ: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestAccessDecisions(t *testing.T) {
	f := newPortalFix(t)
	for _, s := range subjects() {
		t.Run(s.name, func(t *testing.T) {
			got, err := f.access.IsAdmin(t.Context(), s.id)
			if got != s.admin {
				t.Errorf("IsAdmin(%s) = %v (err %v), want %v", s.id, got, err, s.admin)
			}
			if got && err != nil {
				t.Errorf("IsAdmin(%s) = true with error %v", s.id, err)
			}
			if s.id == pUnknowable && err == nil {
				t.Errorf("IsAdmin(%s) err = nil, want the users.info failure", s.id)
			}
		})
	}
}

// TestAuthorizationMatrix drives every admin command (coach.AdminCommands)
// through the access decision for every subject, and the Portal's own admin
// commands end to end against the store: a command that is refused must
// change nothing and must be refused with EFORBIDDEN.
func TestAuthorizationMatrix(t *testing.T) {
	f := newPortalFix(t)
	ctx := t.Context()
	wrongAllows, wrongDenies, cells := 0, 0, 0
	for _, cmd := range coach.AdminCommands() {
		for _, s := range subjects() {
			cells++
			err := f.access.Require(ctx, s.id, cmd)
			allowed := err == nil
			if allowed && !s.admin {
				wrongAllows++
				t.Errorf("Require(%s, %q) allowed a %s", s.id, cmd, s.name)
			}
			if !allowed && s.admin {
				wrongDenies++
				t.Errorf("Require(%s, %q) = %v, want allowed for a %s", s.id, cmd, err, s.name)
			}
			if !allowed && coach.ErrorCode(err) != coach.EFORBIDDEN {
				t.Errorf("Require(%s, %q) code = %q, want %q", s.id, cmd, coach.ErrorCode(err), coach.EFORBIDDEN)
			}
		}
	}
	// The Portal's commands, for real: each returns EFORBIDDEN or works.
	portalCmds := map[string]func(coach.UserID) error{
		"admin add": func(u coach.UserID) error {
			_, err := f.portal.AddAdmin(ctx, u, pMember)
			if err == nil {
				_ = f.db.RemoveAdmin(ctx, pMember)
			}
			return err
		},
		"admin remove": func(u coach.UserID) error {
			err := f.portal.RemoveAdmin(ctx, u, pAdded)
			if err == nil {
				_ = f.db.AddAdmin(ctx, pAdded, pListed)
			}
			return err
		},
		"admin list": func(u coach.UserID) error { _, err := f.portal.Admins(ctx, u); return err },
		"report":     func(u coach.UserID) error { _, err := f.portal.Report(ctx, u); return err },
		"audit":      func(u coach.UserID) error { _, err := f.portal.AuditLog(ctx, u); return err },
	}
	for name, run := range portalCmds {
		for _, s := range subjects() {
			cells++
			before, _ := f.db.AuditLog(ctx, 0)
			err := run(s.id)
			allowed := err == nil
			after, _ := f.db.AuditLog(ctx, 0)
			if !allowed && len(after) != len(before) {
				t.Errorf("%s by %s: refused but the audit log grew from %d to %d", name, s.name, len(before), len(after))
			}
			switch {
			case allowed && !s.admin:
				wrongAllows++
				t.Errorf("%s by %s (%s) was allowed", name, s.name, s.id)
			case !allowed && s.admin:
				wrongDenies++
				t.Errorf("%s by %s = %v, want allowed", name, s.name, err)
			case !allowed && coach.ErrorCode(err) != coach.EFORBIDDEN:
				t.Errorf("%s by %s code = %q, want %q", name, s.name, coach.ErrorCode(err), coach.EFORBIDDEN)
			}
		}
	}
	t.Logf("authorization matrix: %d cells, %d wrong allows, %d wrong denies", cells, wrongAllows, wrongDenies)
	if wrongAllows != 0 {
		t.Fatalf("wrong allows = %d, want 0", wrongAllows)
	}
	if wrongDenies != 0 {
		t.Fatalf("wrong denies = %d, want 0", wrongDenies)
	}
}

// TestAdminCommandsCoverProductList checks the role table against the
// admin commands of docs/product.md, but for /coach habits: a read-only list
// that is open to everyone (README), so directors can look up what a habit
// means.
func TestAdminCommandsCoverProductList(t *testing.T) {
	want := []string{"director add", "director remove", "director list", "channel", "schedule add",
		"schedule list", "schedule remove", "schedule pause", "schedule resume", "send",
		"admin add", "admin remove", "admin list", "report", "audit"}
	got := coach.AdminCommands()
	if slices.Contains(got, "habits") {
		t.Errorf("AdminCommands() = %q, want habits open to everyone", got)
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || g == w
		}
		if !found {
			t.Errorf("AdminCommands() lacks %q", w)
		}
	}
}

func TestAccessCachesProfilesButNotFailures(t *testing.T) {
	f := newPortalFix(t)
	ctx := t.Context()
	for range 3 {
		if ok, _ := f.access.IsAdmin(ctx, pWSAdmin); !ok {
			t.Fatalf("IsAdmin(workspace admin) = false, want true")
		}
	}
	if got := f.dir.count(pWSAdmin); got != 1 {
		t.Errorf("users.info calls within the TTL = %d, want 1", got)
	}
	// Demoted in Slack: still cached until the TTL runs out, then no.
	p := profiles()[pWSAdmin]
	p.IsAdmin = false
	f.dir.set(p)
	f.clock.Add(coach.ProfileTTL - time.Second)
	if ok, _ := f.access.IsAdmin(ctx, pWSAdmin); !ok {
		t.Errorf("IsAdmin just before the TTL = false, want the cached true")
	}
	f.clock.Add(2 * time.Second)
	if ok, _ := f.access.IsAdmin(ctx, pWSAdmin); ok {
		t.Errorf("IsAdmin after the TTL of a demoted admin = true, want false")
	}
	// Failures are asked again every time.
	for range 3 {
		if ok, err := f.access.IsAdmin(ctx, pUnknowable); ok || err == nil {
			t.Fatalf("IsAdmin(failing) = %v, %v; want false and an error", ok, err)
		}
	}
	if got := f.dir.count(pUnknowable); got != 3 {
		t.Errorf("users.info calls for a failing user = %d, want 3 (failures are not cached)", got)
	}
}

func TestNewAccessRequiresItsParts(t *testing.T) {
	db := newPortalFix(t).db
	dir := newFakeDirectory()
	clock := &fakeClock{now: pStart}
	for name, c := range map[string]coach.AccessConfig{
		"no team":      {Store: db, Directory: dir, Clock: clock},
		"no store":     {Team: ourTeam, Directory: dir, Clock: clock},
		"no directory": {Team: ourTeam, Store: db, Clock: clock},
		"no clock":     {Team: ourTeam, Store: db, Directory: dir},
	} {
		if _, err := coach.NewAccess(c); err == nil {
			t.Errorf("NewAccess(%s) = nil error, want one", name)
		}
	}
}

func TestAddAdminRules(t *testing.T) {
	tests := []struct {
		name   string
		target coach.UserID
		code   string
	}{
		{"member", pMember, ""},
		{"guest", pGuest, coach.EINVALID},
		{"single-channel guest", pSCGuest, coach.EINVALID},
		{"bot", pBot, coach.EINVALID},
		{"deleted", pDeleted, coach.EINVALID},
		{"other team", pStranger, coach.EINVALID},
		{"unknowable", pUnknowable, coach.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newPortalFix(t)
			ctx := t.Context()
			before, _ := f.db.Admins(ctx)
			_, err := f.portal.AddAdmin(ctx, pOwner, tt.target)
			if got := coach.ErrorCode(err); got != tt.code {
				t.Fatalf("AddAdmin(%s) code = %q (%v), want %q", tt.target, got, err, tt.code)
			}
			after, _ := f.db.Admins(ctx)
			if tt.code != "" && len(after) != len(before) {
				t.Errorf("AddAdmin(%s) failed but admins went from %v to %v", tt.target, before, after)
			}
			if tt.code == "" {
				if ok, _ := f.access.IsAdmin(ctx, tt.target); !ok {
					t.Errorf("IsAdmin(%s) after AddAdmin = false, want true", tt.target)
				}
			}
		})
	}
}

func TestRemoveAdminRules(t *testing.T) {
	f := newPortalFix(t)
	ctx := t.Context()
	if err := f.portal.RemoveAdmin(ctx, pOwner, pListed); coach.ErrorCode(err) != coach.ECONFLICT {
		t.Errorf("RemoveAdmin(listed) = %v, want ECONFLICT", err)
	}
	if err := f.portal.RemoveAdmin(ctx, pOwner, pMember); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("RemoveAdmin(never added) = %v, want ENOTFOUND", err)
	}
	if err := f.portal.RemoveAdmin(ctx, pOwner, pAdded); err != nil {
		t.Fatalf("RemoveAdmin(added) = %v", err)
	}
	if ok, _ := f.access.IsAdmin(ctx, pAdded); ok {
		t.Errorf("IsAdmin(removed admin) = true, want false")
	}
	res, err := f.portal.AddAdmin(ctx, pOwner, pListed)
	if err != nil || !res.Already {
		t.Errorf("AddAdmin(listed) = %+v, %v; want Already", res, err)
	}
}
