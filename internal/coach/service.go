package coach

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/leancoach/leancoach/internal/i18n"
)

// Messenger is what the use cases must do in Slack themselves, besides
// delivering a prompt (that is the Prompter's job): a kudos record names a
// message that exists, so the post comes before the record, and a kudos
// channel is joined when it is set. Showing an answered prompt is not here:
// the use cases return what it takes (Answered), and the Slack side renders
// and sends it, through the click's response_url when it has one.
// Implemented by internal/slackapp.
type Messenger interface {
	// PostKudos posts k publicly in k.Channel, mentioning k.To and k.From,
	// and returns the message's ts. EFORBIDDEN (with a message saying how to
	// invite the bot) when the bot may not post there; EINTERNAL otherwise.
	PostKudos(ctx context.Context, k Kudos) (ts string, err error)
	// JoinChannel makes the bot a member of ch. EFORBIDDEN when it cannot
	// join by itself (a private channel, an archived one, or one it cannot
	// see): someone must invite it. EINTERNAL when Slack could not be asked.
	JoinChannel(ctx context.Context, ch ChannelID) error
}

// ServiceConfig wires a Service. Every field but Pick is required.
type ServiceConfig struct {
	Store     Store
	Prompter  Prompter
	Directory Directory
	Messenger Messenger
	Clock     Clock
	// IsAdmin decides admin commands. An error counts as "no" (fail closed).
	IsAdmin func(ctx context.Context, u UserID) (bool, error)
	// DefaultTZ is used for users whose Slack profile has no time zone.
	DefaultTZ *time.Location
	// Pick chooses among n candidate questions (0 <= i < n); nil = random.
	Pick func(n int) int
	// Lang is the language of users whose Slack locale is neither of ours
	// and who chose none; "" = English.
	Lang i18n.Lang
}

// Service holds leancoach's use cases: the /coach commands and the answers to
// prompts. Every method takes the acting user, checks what they may do, and
// returns *Error values with user-safe messages. A method that fails with
// EINVALID, EFORBIDDEN, ENOTFOUND or ECONFLICT has changed nothing.
type Service struct {
	store     Store
	prompter  Prompter
	directory Directory
	msg       Messenger
	clock     Clock
	isAdmin   func(ctx context.Context, u UserID) (bool, error)
	tz        *time.Location
	lang      i18n.Lang
	zones     zoneCache
	pick      func(n int) int
}

// NewService returns a Service; it fails when a required port is missing.
func NewService(c ServiceConfig) (*Service, error) {
	switch {
	case c.Store == nil:
		return nil, fmt.Errorf("new service: no store")
	case c.Prompter == nil:
		return nil, fmt.Errorf("new service: no prompter")
	case c.Directory == nil:
		return nil, fmt.Errorf("new service: no directory")
	case c.Messenger == nil:
		return nil, fmt.Errorf("new service: no messenger")
	case c.Clock == nil:
		return nil, fmt.Errorf("new service: no clock")
	case c.IsAdmin == nil:
		return nil, fmt.Errorf("new service: no admin check")
	}
	if c.DefaultTZ == nil {
		c.DefaultTZ = time.UTC
	}
	if c.Pick == nil {
		c.Pick = rand.IntN
	}
	if c.Lang == "" {
		c.Lang = i18n.EN
	}
	return &Service{store: c.Store, prompter: c.Prompter, directory: c.Directory, msg: c.Messenger,
		clock: c.Clock, isAdmin: c.IsAdmin, tz: c.DefaultTZ, lang: c.Lang, pick: c.Pick}, nil
}

// IsAdmin reports whether u may use the admin commands; any failure to find
// out counts as no.
func (s *Service) IsAdmin(ctx context.Context, u UserID) bool {
	ok, err := s.isAdmin(ctx, u)
	return err == nil && ok
}

// requireAdmin fails with EFORBIDDEN unless actor is an admin. command is the
// command's words, for the message.
func (s *Service) requireAdmin(ctx context.Context, actor UserID, command string) error {
	if s.IsAdmin(ctx, actor) {
		return nil
	}
	return Errorf(EFORBIDDEN, "svc.err.admin_only", command)
}

// Viewer returns who u is to leancoach and their local time, for replies
// that suggest commands or show examples. On a store failure the error comes
// with the roles known so far (never more than u has).
func (s *Service) Viewer(ctx context.Context, u UserID) (Viewer, error) {
	rs, err := LoadRoles(ctx, s.store, s.isAdmin, u)
	return Viewer{User: u, Roles: rs, Now: s.clock.Now().In(s.Location(ctx, u))}, err
}

// Location returns u's time zone: their Slack profile's, else the default.
// Slack being unreachable is not an error here: the default zone is used.
func (s *Service) Location(ctx context.Context, u UserID) *time.Location {
	return LocationOf(ctx, s.directory, u, s.tz)
}

func (s *Service) audit(ctx context.Context, actor UserID, action, detail string) error {
	e := AuditEntry{At: s.clock.Now().UTC(), Actor: actor, Action: SafeAuditText(action), Detail: SafeAuditText(detail)}
	if err := s.store.Audit(ctx, e); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Named is a person named in a message's arguments. The domain names
// people by ID only; each adapter shows them as its medium shows people
// (the Slack side: a mention).
type Named UserID

// Names is a list of people named in a message's arguments, shown joined
// by commas.
type Names []UserID

// String is the IDs joined by commas, as a message without an adapter
// shows them.
func (n Names) String() string {
	ids := make([]string, len(n))
	for i, u := range n {
		ids[i] = string(u)
	}
	return strings.Join(ids, ", ")
}

// mention names u in a message.
func mention(u UserID) Named { return Named(u) }
