// Package bot assembles leancoach from its parts: the use cases (coach), the
// Slack routes and senders (slackapp) and the durable due-loop (schedule),
// over one store and one Slack client. cmd/bot runs the assembly in
// production and in the sandbox; the reliability campaign runs the very same
// assembly in-process, so what the fault tests exercise is what ships.
package bot

import (
	"context"
	"errors"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/metrics"
	"github.com/leancoach/leancoach/internal/retention"
	"github.com/leancoach/leancoach/internal/schedule"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/store"
)

// ProfileMaxAge is how long a user's time zone and locale are trusted before
// Slack is asked again.
const ProfileMaxAge = 24 * time.Hour

// Config is what the assembly is built from. Store, Slack, Team and Clock
// are required.
type Config struct {
	Store  *store.DB
	Slack  *slack.Client
	Team   coach.TeamID // the workspace the bot is installed in (auth.test)
	Clock  coach.Clock
	Logger zerolog.Logger
	// Metrics, if set, counts prompts (the Socket Mode side is wired by the
	// caller's slackapp.App).
	Metrics *metrics.Metrics

	Admins []coach.UserID           // LEANCOACH_ADMINS
	TZ     *time.Location           // for users whose Slack profile has none; nil = UTC
	Lang   i18n.Lang                // for users whose locale is neither nl nor en; "" = en
	Limits map[string]slackapp.Rate // the Poster's pace; nil = slackapp.DefaultLimits()
	// PosterTimeout bounds one Web API call of the Poster; 0 = its default.
	PosterTimeout time.Duration
	// Tick is the due-loop's longest sleep; 0 = its default (30 s).
	Tick time.Duration
	// Token is the guard over Slack's client: build Slack with an
	// http.Client whose Transport is Token.Transport(…), so that Slack
	// refusing the bot token on any Web API call trips it (Bot.Token).
	// nil = a guard of the assembly's own, tripped only by the Poster, the
	// Messenger and the answer form.
	Token *slackapp.TokenGuard
	// NoteRetention is how long users' free text is kept
	// (LEANCOACH_NOTE_RETENTION); zero = forever.
	NoteRetention retention.Period
}

// Bot is the assembled bot: the routes to serve on a slackapp.App, and the
// loops to run beside it.
type Bot struct {
	Router   *slackapp.Router
	Loop     *schedule.Loop
	Portal   *coach.Portal
	Surfaces *slackapp.Surfaces
	// Token trips when Slack refuses the bot token: on any Web API call
	// when it is Config.Token over Slack's transport, else while sending,
	// updating an answered prompt or opening an answer form. Then nothing more is
	// sent, and the process should stop with an error (as on invalid_auth
	// from apps.connections.open) so that its supervisor restarts it and
	// the operator sees it; the prompts stay Sending and the next process,
	// with a fixed token, reconciles and sends them.
	Token *slackapp.TokenGuard
	// LangOf tells the language to answer a user in (slackapp.Config.LangOf).
	LangOf func(ctx context.Context, u coach.UserID) i18n.Lang
	// Retention is the nightly job that removes free text older than
	// Config.NoteRetention; run it beside the Loop (Run returns at once
	// when the retention is off).
	Retention *retention.Job
}

// New assembles the bot.
func New(c Config) (*Bot, error) {
	switch {
	case c.Store == nil || c.Slack == nil || c.Clock == nil:
		return nil, errors.New("assemble bot: store, slack client and clock are required")
	case c.Team == "":
		return nil, errors.New("assemble bot: no team")
	}
	if c.TZ == nil {
		c.TZ = time.UTC
	}
	if c.Lang == "" {
		c.Lang = i18n.EN
	}
	if c.Limits == nil {
		c.Limits = slackapp.DefaultLimits()
	}
	db, api, clock, log := c.Store, c.Slack, c.Clock, c.Logger

	dir := slackapp.NewDirectory(api, db, clock)
	cached := slackapp.CachedDirectory{Dir: dir, MaxAge: ProfileMaxAge}
	langOf := func(ctx context.Context, u coach.UserID) i18n.Lang {
		p, _ := db.Prefs(ctx, u)
		prof, _ := cached.Profile(ctx, u)
		return coach.LangFor(p, prof, c.Lang)
	}
	locationOf := func(ctx context.Context, u coach.UserID) *time.Location {
		if p, err := cached.Profile(ctx, u); err == nil && p.TZ != "" {
			if loc, err := time.LoadLocation(p.TZ); err == nil {
				return loc
			}
		}
		return c.TZ
	}

	access, err := coach.NewAccess(coach.AccessConfig{Team: c.Team, Listed: c.Admins, Store: db, Directory: dir, Clock: clock})
	if err != nil {
		return nil, err
	}
	audit := coach.NewAuditLog(db, clock)
	portal, err := coach.NewPortal(coach.PortalConfig{Store: db, Access: access, Audit: audit,
		Directory: cached, Clock: clock, NextDue: NextDue, DefaultTZ: c.TZ})
	if err != nil {
		return nil, err
	}

	renderer := slackapp.NewPromptRenderer(db, langOf, nil)
	token := c.Token
	if token == nil {
		token = slackapp.NewTokenGuard()
	}
	poster := slackapp.NewPoster(api, renderer.Render,
		slackapp.PosterOptions{Now: clock.Now, Limits: c.Limits, Timeout: c.PosterTimeout, Token: token})
	loop := schedule.New(schedule.Deps{
		Store:  db,
		Poster: poster,
		Zones: func(ctx context.Context, u coach.UserID) (*time.Location, error) {
			return locationOf(ctx, u), nil
		},
		Clock:   clock,
		Logger:  log,
		Metrics: c.Metrics,
		Tick:    c.Tick,
		Questions: func(ctx context.Context, d coach.UserID) (string, error) {
			return coach.PickQuestion(ctx, db, d, nil)
		},
	})

	surfaces, err := slackapp.NewSurfaces(slackapp.SurfacesConfig{Portal: portal, Slack: api, Team: c.Team,
		LangOf: langOf, Logger: log})
	if err != nil {
		return nil, err
	}
	messenger := slackapp.NewMessenger(slackapp.MessengerConfig{Slack: api, Settings: db, LangOf: langOf,
		LocationOf: locationOf, Kudos: db, Logger: log, Metrics: c.Metrics, Token: token})
	svc, err := coach.NewService(coach.ServiceConfig{
		Store:     db,
		Prompter:  loop,
		Directory: cached,
		Messenger: slackapp.RefreshingHome(messenger, surfaces, log),
		Clock:     clock,
		IsAdmin:   access.IsAdmin,
		DefaultTZ: c.TZ,
	})
	if err != nil {
		return nil, err
	}
	schedules, err := coach.NewSchedules(coach.SchedulesConfig{Store: db, IsAdmin: access.IsAdmin, Audit: audit,
		Directory: cached, Clock: clock, Parse: CanonicalWhen, NextDue: NextDue, DefaultTZ: c.TZ, Changed: loop.Poke})
	if err != nil {
		return nil, err
	}

	r := slackapp.NewRouter()
	slackapp.RegisterHelp(r, slackapp.HelpDeps{LangOf: langOf, IsAdmin: func(ctx context.Context, u coach.UserID) bool {
		ok, _ := access.IsAdmin(ctx, u)
		return ok
	}})
	if err := slackapp.RegisterCoach(r, slackapp.CoachDeps{Service: svc, Store: db, Slack: api, LangOf: langOf,
		Team: c.Team, Logger: log, Metrics: c.Metrics, Token: token}); err != nil {
		return nil, err
	}
	surfaces.Register(r)
	slackapp.RegisterSchedules(r, slackapp.ScheduleDeps{Schedules: schedules, LangOf: langOf})
	job := retention.New(retention.Config{Store: db, Clock: clock, Logger: log, Bound: c.NoteRetention, TZ: c.TZ})
	return &Bot{Router: r, Loop: loop, Portal: portal, Surfaces: surfaces, Token: token, LangOf: langOf,
		Retention: job}, nil
}

// CanonicalWhen validates a <when> rule and returns its canonical text.
func CanonicalWhen(when string) (string, error) {
	rule, err := schedule.ParseWhen(when)
	if err != nil {
		return "", err
	}
	return rule.String(), nil
}

// NextDue is a <when> rule's next send time after after, in loc.
func NextDue(when string, after time.Time, loc *time.Location) (time.Time, error) {
	rule, err := schedule.ParseWhen(when)
	if err != nil {
		return time.Time{}, err
	}
	return rule.Next(after, loc), nil
}
