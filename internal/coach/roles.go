package coach

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/leancoach/leancoach/internal/i18n"
)

// Roles is the set of ways one person takes part in leancoach
// (docs/product.md "Who can do what"). A person may hold several; the zero
// value, RoleNone, is someone leancoach does not know yet.
type Roles uint8

// The roles.
const (
	RoleAdmin    Roles = 1 << iota // may configure leancoach
	RoleDirector                   // registered by an admin, gets prompts
	RoleLeader                     // named as a Lean leader of a director

	RoleNone Roles = 0
)

// Everyone, as the Who of a command, lets anyone run it.
const Everyone = RoleNone

// Has reports whether rs holds any of the roles in r.
func (rs Roles) Has(r Roles) bool { return rs&r != 0 }

// Can reports whether someone with roles rs may run c.
func (rs Roles) Can(c CommandInfo) bool { return c.Who == Everyone || rs.Has(c.Who) }

// String names the roles, for logs and test names: "admin+director", "none".
func (rs Roles) String() string {
	var names []string
	for _, r := range []struct {
		r    Roles
		name string
	}{{RoleAdmin, "admin"}, {RoleDirector, "director"}, {RoleLeader, "leader"}} {
		if rs.Has(r.r) {
			names = append(names, r.name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, "+")
}

// CommandInfo is one /coach command in the role table.
type CommandInfo struct {
	// Words are the command's words after /coach, as people type them and
	// as refusals name them: "director add".
	Words string
	// Who may run it: Everyone, or the roles of which one is enough.
	Who Roles
	// Help is the key of its line in /coach help ("help.<Help>.cmd" and
	// ".desc"); commands that share a line share the key.
	Help string
}

// Commands is the role table: every /coach command and who may run it, in
// the order help lists them. Adding a command is adding its line here (and
// its help line to the catalogs); help, the hints in replies and the tests
// that no reply suggests a command its reader cannot run follow from it.
func Commands() []CommandInfo {
	return []CommandInfo{
		{"help", Everyone, "help"},
		{"habits", Everyone, "habits"},
		{"language", Everyone, "language"},
		{"export", Everyone, "export"},
		{"forget", Everyone, "forget"},
		{"streak", RoleDirector, "streak"},
		{"kudos", RoleDirector | RoleAdmin, "kudos"},
		{"path", RoleDirector, "path"},
		{"checkin", RoleLeader, "checkin"},
		{"pause", RoleDirector, "pause"},
		{"resume", RoleDirector, "resume"},
		{"director add", RoleAdmin, "director.add"},
		{"director remove", RoleAdmin, "director.remove"},
		{"director list", RoleAdmin, "director.list"},
		{"channel", RoleAdmin, "channel"},
		{"schedule add", RoleAdmin, "schedule.add"},
		{"schedule list", RoleAdmin, "schedule.list"},
		{"schedule remove", RoleAdmin, "schedule.manage"},
		{"schedule pause", RoleAdmin, "schedule.manage"},
		{"schedule resume", RoleAdmin, "schedule.manage"},
		{"send", RoleAdmin, "send"},
		{"admin add", RoleAdmin, "admin"},
		{"admin remove", RoleAdmin, "admin"},
		{"admin list", RoleAdmin, "admin"},
		{"report", RoleAdmin, "report"},
		{"audit", RoleAdmin, "audit"},
	}
}

// commandAliases are other first words people may type for a command.
func commandAliases() map[string]string {
	return map[string]string{"directors": "director", "streaks": "streak", "habit": "habits",
		"compliment": "kudos", "admins": "admin", "lang": "language", "taal": "language", "paths": "path",
		"check-in": "checkin", "checkins": "checkin"}
}

// CommandOf finds the command the text after /coach asks for: the table's
// longest match of its first words, aliases included. When only the first
// word is known (a misspelt or missing sub-command, "/coach schedule") and
// every command with that word needs the same roles, it returns that family
// named by the word. ok is false for text that names no command.
func CommandOf(text string) (CommandInfo, bool) {
	words := strings.Fields(text) // any white space, no-break spaces too
	if len(words) == 0 {
		return CommandInfo{}, false
	}
	words = words[:min(len(words), 2)]
	for i, w := range words {
		words[i] = strings.ToLower(w)
	}
	if w, ok := commandAliases()[words[0]]; ok {
		words[0] = w
	}
	all := Commands()
	if len(words) > 1 {
		if i := slices.IndexFunc(all, func(c CommandInfo) bool { return c.Words == words[0]+" "+words[1] }); i >= 0 {
			return all[i], true
		}
	}
	var family []CommandInfo
	for _, c := range all {
		if c.Words == words[0] {
			return c, true
		}
		if first, _, _ := strings.Cut(c.Words, " "); first == words[0] {
			family = append(family, c)
		}
	}
	if len(family) == 0 || slices.ContainsFunc(family, func(c CommandInfo) bool { return c.Who != family[0].Who }) {
		return CommandInfo{}, false
	}
	return CommandInfo{Words: words[0], Who: family[0].Who, Help: family[0].Help}, true
}

// CommandsFor returns the commands someone with roles rs may run, in table
// order.
func CommandsFor(rs Roles) []CommandInfo {
	var out []CommandInfo
	for _, c := range Commands() {
		if rs.Can(c) {
			out = append(out, c)
		}
	}
	return out
}

// AdminCommands lists the /coach commands only admins may use, by the words
// Require names them with. Tests drive the authorization matrix over it.
func AdminCommands() []string {
	var out []string
	for _, c := range Commands() {
		if c.Who == RoleAdmin {
			out = append(out, c.Words)
		}
	}
	return out
}

// LoadRoles finds u's roles: admin as isAdmin decides (a failure to find
// out counts as no), director when registered, Lean leader when a director
// names u. An error means the store could not be read; the roles returned
// with it are those known (never more than u has).
func LoadRoles(ctx context.Context, st DirectorStore, isAdmin func(context.Context, UserID) (bool, error), u UserID) (Roles, error) {
	var rs Roles
	if ok, err := isAdmin(ctx, u); err == nil && ok {
		rs |= RoleAdmin
	}
	dirs, err := st.Directors(ctx)
	if err != nil {
		return rs, fmt.Errorf("roles of %s: %w", u, err)
	}
	for _, d := range dirs {
		if d.ID == u {
			rs |= RoleDirector
		}
		if slices.Contains(d.Leaders, u) {
			rs |= RoleLeader
		}
	}
	return rs, nil
}

// Viewer is the person a reply is for: their roles, which decide the
// commands it may suggest, and their local time, from which its examples
// are computed.
type Viewer struct {
	User  UserID
	Roles Roles
	Now   time.Time // in the viewer's zone
}

// ExampleDate is a date to show in examples such as "/coach pause until
// 2026-12-24": two weeks after today in the viewer's zone, so it is never in
// the past.
func (v Viewer) ExampleDate() string { return ExampleDate(v.Now) }

// ExampleDate returns the local date two weeks after now, in now's zone, as
// YYYY-MM-DD.
func ExampleDate(now time.Time) string {
	return now.AddDate(0, 0, 14).Format(time.DateOnly)
}

// notDirector refuses actor a director's command with the message key,
// whose one argument tells actor what they can do instead, by their roles.
func notDirector(ctx context.Context, st DirectorStore, isAdmin func(context.Context, UserID) (bool, error), actor UserID, code, key string) error {
	rs, _ := LoadRoles(ctx, st, isAdmin, actor)
	return &Error{Code: code, Msg: i18n.M(key, roleHint(rs))}
}

// roleHint is the message that tells someone with roles rs, who tried a
// director's command, what they can do instead.
func roleHint(rs Roles) i18n.Msg {
	switch {
	case rs.Has(RoleAdmin):
		return i18n.M("role.hint.admin")
	case rs.Has(RoleLeader):
		return i18n.M("role.hint.leader")
	}
	return i18n.M("role.hint.none")
}
