package coach

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// PortalConfig wires a Portal. Every field but DefaultTZ is required.
type PortalConfig struct {
	Store     Store
	Access    *Access
	Audit     *AuditLog
	Directory Directory
	Clock     Clock
	Rules     RuleParser     // the schedules' rules, for the App Home's next prompts
	DefaultTZ *time.Location // for users whose Slack profile has no zone; default UTC
	// Warm, if set, is called before a loop over many directors (the
	// weekly digests) asks Directory about each: it fills the cache behind
	// Directory in bulk. An error leaves it to Directory.
	Warm func(ctx context.Context, us []UserID) error
}

// Portal holds the use cases around the coaching loop: who is an admin and
// the audit log, the App Home, the admin report, leave, language and the
// directors' data rights. Like Service, every method takes the acting user,
// checks what they may do, and returns *Error values with user-safe
// messages; a method that fails with anything but EINTERNAL changed nothing.
type Portal struct {
	store  Store
	access *Access
	audit  *AuditLog
	dir    Directory
	clock  Clock
	rules  RuleParser
	tz     *time.Location
	warm   func(ctx context.Context, us []UserID) error

	hintMu sync.Mutex // serialises DMHint's read and write of the day
}

// NewPortal returns a Portal; it fails when a required field is missing.
func NewPortal(c PortalConfig) (*Portal, error) {
	switch {
	case c.Store == nil:
		return nil, fmt.Errorf("new portal: no store")
	case c.Access == nil:
		return nil, fmt.Errorf("new portal: no access")
	case c.Audit == nil:
		return nil, fmt.Errorf("new portal: no audit log")
	case c.Directory == nil:
		return nil, fmt.Errorf("new portal: no directory")
	case c.Clock == nil:
		return nil, fmt.Errorf("new portal: no clock")
	case c.Rules == nil:
		return nil, fmt.Errorf("new portal: no rule parser")
	}
	if c.DefaultTZ == nil {
		c.DefaultTZ = time.UTC
	}
	if c.Warm == nil {
		c.Warm = func(context.Context, []UserID) error { return nil }
	}
	return &Portal{store: c.Store, access: c.Access, audit: c.Audit, dir: c.Directory, clock: c.Clock,
		rules: c.Rules, tz: c.DefaultTZ, warm: c.Warm}, nil
}

// Location returns u's time zone: their Slack profile's, else the default.
func (p *Portal) Location(ctx context.Context, u UserID) *time.Location {
	return LocationOf(ctx, p.dir, u, p.tz)
}

// Viewer returns who u is to leancoach and their local time, for replies
// that suggest commands or show examples. On a store failure the error comes
// with the roles known so far (never more than u has).
func (p *Portal) Viewer(ctx context.Context, u UserID) (Viewer, error) {
	rs, err := LoadRoles(ctx, p.store, p.access.IsAdmin, u)
	return Viewer{User: u, Roles: rs, Now: p.clock.Now().In(p.Location(ctx, u))}, err
}

// RequireAdmin fails with EFORBIDDEN unless actor is an admin; command is
// the command's words, for the message.
func (p *Portal) RequireAdmin(ctx context.Context, actor UserID, command string) error {
	return p.access.Require(ctx, actor, command)
}

// AddAdminResult tells how /coach admin add went.
type AddAdminResult struct {
	Admin   UserID
	Already bool // u was an admin by name already; nothing changed
}

// AddAdmin makes u an admin. Only full members of our team can be admins:
// a guest, bot, deleted user or user of another team is refused (EINVALID),
// and so is anyone Slack cannot tell us about right now. Admins only.
func (p *Portal) AddAdmin(ctx context.Context, actor, u UserID) (AddAdminResult, error) {
	if err := p.access.Require(ctx, actor, "admin add"); err != nil {
		return AddAdminResult{}, err
	}
	prof, err := p.access.profile(ctx, u)
	if err != nil {
		return AddAdminResult{}, fmt.Errorf("%w (%w)", Errorf(ECONFLICT, "admin.err.unreachable", mention(u)), err)
	}
	if prof.TeamID != p.access.team || !FullMember(prof) {
		return AddAdminResult{}, Errorf(EINVALID, "admin.err.not_full", mention(u))
	}
	added, err := p.store.Admins(ctx)
	if err != nil {
		return AddAdminResult{}, fmt.Errorf("add admin: %w", err)
	}
	if slices.Contains(added, u) || slices.Contains(p.access.listed, u) {
		return AddAdminResult{Admin: u, Already: true}, nil
	}
	if err := p.store.AddAdmin(ctx, u, actor); err != nil {
		return AddAdminResult{}, fmt.Errorf("add admin: %w", err)
	}
	return AddAdminResult{Admin: u}, p.audit.Audit(ctx, actor, ActionAdminAdd, string(u))
}

// RemoveAdmin takes back what AddAdmin gave. Admins in LEANCOACH_ADMINS
// stay (ECONFLICT: the message says where to change it); workspace owners
// and admins stay admins by Slack's say. ENOTFOUND when u was not added.
// Admins only.
func (p *Portal) RemoveAdmin(ctx context.Context, actor, u UserID) error {
	if err := p.access.Require(ctx, actor, "admin remove"); err != nil {
		return err
	}
	if slices.Contains(p.access.listed, u) {
		return Errorf(ECONFLICT, "admin.err.listed", mention(u))
	}
	if err := p.store.RemoveAdmin(ctx, u); err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return Errorf(ENOTFOUND, "admin.err.not_added", mention(u))
		}
		return fmt.Errorf("remove admin: %w", err)
	}
	return p.audit.Audit(ctx, actor, ActionAdminRemove, string(u))
}

// Admins returns the admins by name. Admins only.
func (p *Portal) Admins(ctx context.Context, actor UserID) (AdminList, error) {
	if err := p.access.Require(ctx, actor, "admin list"); err != nil {
		return AdminList{}, err
	}
	return p.access.Admins(ctx)
}

// AuditLogLimit is how many entries /coach audit shows.
const AuditLogLimit = 25

// AuditLog returns the newest AuditLogLimit entries, newest first. Admins
// only.
func (p *Portal) AuditLog(ctx context.Context, actor UserID) ([]AuditEntry, error) {
	if err := p.access.Require(ctx, actor, "audit"); err != nil {
		return nil, err
	}
	return p.audit.Entries(ctx, AuditLogLimit)
}

// director returns u's director record, and false when u is none.
func (p *Portal) director(ctx context.Context, u UserID) (Director, bool, error) {
	d, err := p.store.Director(ctx, u)
	switch ErrorCode(err) {
	case "":
		return d, true, nil
	case ENOTFOUND:
		return Director{}, false, nil
	}
	return Director{}, false, fmt.Errorf("director %s: %w", u, err)
}
