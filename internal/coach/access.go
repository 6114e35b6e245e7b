package coach

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// ProfileTTL is how long Access trusts a users.info answer. Slack allows
// users.info often (Tier 4), but an admin command should not wait on it each
// time; five minutes bounds how long a demoted workspace admin keeps access.
const ProfileTTL = 5 * time.Minute

// AccessConfig wires an Access. Team, Store, Directory and Clock are required.
type AccessConfig struct {
	Team      TeamID     // the workspace the bot is installed in (auth.test)
	Listed    []UserID   // LEANCOACH_ADMINS
	Store     AdminStore // admins added with /coach admin add
	Directory Directory  // users.info
	Clock     Clock
	TTL       time.Duration // profile cache; default ProfileTTL
}

// Access decides who is an admin (docs/product.md "Who can do what"):
// users listed in LEANCOACH_ADMINS, users added with /coach admin add, and
// the workspace's owners and admins. Whoever it is, the user's Slack profile
// must be known and show a full member of our team: guests, bots, deleted
// users and users of another team are never admins, even when listed. When
// Slack cannot be asked the answer is no (fail closed).
type Access struct {
	team   TeamID
	listed []UserID
	store  AdminStore
	dir    Directory
	clock  Clock
	ttl    time.Duration

	mu    sync.Mutex
	cache map[UserID]Profile // FetchedAt is stamped with clock
}

// NewAccess returns an Access; it fails when a required field is missing.
func NewAccess(c AccessConfig) (*Access, error) {
	switch {
	case c.Team == "":
		return nil, fmt.Errorf("new access: no team")
	case c.Store == nil:
		return nil, fmt.Errorf("new access: no admin store")
	case c.Directory == nil:
		return nil, fmt.Errorf("new access: no directory")
	case c.Clock == nil:
		return nil, fmt.Errorf("new access: no clock")
	}
	if c.TTL <= 0 {
		c.TTL = ProfileTTL
	}
	return &Access{team: c.Team, listed: slices.Clone(c.Listed), store: c.Store, dir: c.Directory,
		clock: c.Clock, ttl: c.TTL, cache: map[UserID]Profile{}}, nil
}

// Why is the reason behind an access decision, for tests and logs.
type Why string

const (
	WhyListed      Why = "listed"       // in LEANCOACH_ADMINS
	WhyAdded       Why = "added"        // added with /coach admin add
	WhyWorkspace   Why = "workspace"    // workspace owner or admin
	WhyNoProfile   Why = "no_profile"   // Slack could not be asked: fail closed
	WhyOtherTeam   Why = "other_team"   // not a member of our team
	WhyNotFullUser Why = "not_full"     // guest, bot or deleted
	WhyMember      Why = "member"       // a plain member
	WhyStoreFailed Why = "store_failed" // the added admins could not be read
)

// Decide tells whether u is an admin, and why. err is set only when the
// decision is "no" because something could not be asked; callers that only
// need the answer use IsAdmin.
func (a *Access) Decide(ctx context.Context, u UserID) (bool, Why, error) {
	p, err := a.profile(ctx, u)
	if err != nil {
		return false, WhyNoProfile, fmt.Errorf("access %s: %w", u, err)
	}
	if p.TeamID != a.team {
		return false, WhyOtherTeam, nil
	}
	if !FullMember(p) {
		return false, WhyNotFullUser, nil
	}
	if slices.Contains(a.listed, u) {
		return true, WhyListed, nil
	}
	added, err := a.store.Admins(ctx)
	if err != nil {
		return false, WhyStoreFailed, fmt.Errorf("access %s: %w", u, err)
	}
	if slices.Contains(added, u) {
		return true, WhyAdded, nil
	}
	if p.IsAdmin || p.IsOwner || p.IsPrimaryOwner {
		return true, WhyWorkspace, nil
	}
	return false, WhyMember, nil
}

// IsAdmin reports whether u may use the admin commands. A non-nil error
// always comes with false.
func (a *Access) IsAdmin(ctx context.Context, u UserID) (bool, error) {
	ok, _, err := a.Decide(ctx, u)
	return ok, err
}

// Require fails with EFORBIDDEN unless actor is an admin; command is the
// command's words, for the message. The reason stays in the error chain for
// the log, never in the message.
func (a *Access) Require(ctx context.Context, actor UserID, command string) error {
	ok, why, err := a.Decide(ctx, actor)
	if ok {
		return nil
	}
	e := Errorf(EFORBIDDEN, "access.err.admin_only", command)
	if err != nil {
		return fmt.Errorf("%w (%s: %w)", e, why, err)
	}
	return e
}

// FullMember reports whether p is a full, active, human member: not a guest
// (single- or multi-channel), not a bot, not deleted.
func FullMember(p Profile) bool {
	return !p.IsRestricted && !p.IsUltraRestricted && !p.IsBot && !p.Deleted
}

// Forget drops u's cached profile, e.g. after a Slack user_change event or
// when u's data is erased.
func (a *Access) Forget(u UserID) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.cache, u)
}

// profile returns u's profile from the cache while it is fresh, else from
// Slack. Errors are never cached, so the next command asks again.
func (a *Access) profile(ctx context.Context, u UserID) (Profile, error) {
	now := a.clock.Now()
	a.mu.Lock()
	p, ok := a.cache[u]
	a.mu.Unlock()
	if ok && now.Sub(p.FetchedAt) < a.ttl && !now.Before(p.FetchedAt) {
		return p, nil
	}
	p, err := a.dir.Profile(ctx, u)
	if err != nil {
		return Profile{}, err
	}
	if p.ID != "" && p.ID != u {
		return Profile{}, fmt.Errorf("profile of %s came back as %q", u, p.ID)
	}
	p.FetchedAt = now
	a.mu.Lock()
	a.cache[u] = p
	a.mu.Unlock()
	return p, nil
}

// Listed returns the admins named in LEANCOACH_ADMINS.
func (a *Access) Listed() []UserID { return slices.Clone(a.listed) }

// AdminList is who is an admin by name: the listed and the added admins.
// Workspace owners and admins are admins too but are not enumerated (that
// would need users.list over the whole workspace).
type AdminList struct {
	Listed []UserID
	Added  []UserID // without those also listed
}

// Admins returns the listed and added admins, without checking the actor:
// non-directors see them on the App Home so they know whom to ask.
func (a *Access) Admins(ctx context.Context) (AdminList, error) {
	added, err := a.store.Admins(ctx)
	if err != nil {
		return AdminList{}, fmt.Errorf("list admins: %w", err)
	}
	out := AdminList{Listed: a.Listed()}
	for _, u := range added {
		if !slices.Contains(out.Listed, u) {
			out.Added = append(out.Added, u)
		}
	}
	return out, nil
}
