package bot

import (
	"context"
	"net/http"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/retention"
	"github.com/leancoach/leancoach/internal/schedule"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/store"
)

// ProfileMaxAge is how long a user's time zone, locale and name are trusted:
// the directors' and Lean leaders' profiles are renewed in bulk
// (users.list pages) once they are older, every slackapp.RefreshEvery.
const ProfileMaxAge = 24 * time.Hour

// ProfileStaleAfter is the age after which a cached profile is asked for
// again, one by one (users.info), when it is used: only a user the bulk
// renewal does not reach gets that old.
const ProfileStaleAfter = 7 * 24 * time.Hour

// Parts are the bot's wired parts: the routes its Slack App serves, and the
// loops it runs beside them. A running Bot carries them for the sandbox and
// tests; only Start builds them.
type Parts struct {
	Router   *slackio.Router
	Loop     *schedule.Loop
	Portal   *coach.Portal
	Surfaces *slackapp.Surfaces
	// Paths are the delegation paths' use cases, and PathForms their Slack
	// side (the forms, `/coach path`, the Home card's buttons), which the
	// review prompt opens its form through (PathForms.OpenReviewForm).
	Paths     *coach.PathService
	PathForms *slackapp.PathForms
	// Leaders are the Lean leaders' use cases (check-ins, comments), and
	// LeaderForms their Slack side (`/coach checkin`, the comment form).
	// The monthly check-in opens and records through Leaders
	// (OpenCheckIn, AnswerCheckIn, CheckInContext).
	Leaders     *coach.LeaderService
	LeaderForms *slackapp.LeaderForms
	// Token trips when Slack refuses the bot token on any Web API call (the
	// client's transport observes it). Then nothing more is sent and the bot
	// stops with an error, as on invalid_auth from apps.connections.open, so
	// that its supervisor restarts it and the operator sees it; the prompts
	// stay Sending and the next process, with a fixed token, reconciles and
	// sends them.
	Token *slackio.TokenGuard
	// LangOf tells the language to answer a user in (slackio.Config.LangOf).
	LangOf func(ctx context.Context, u coach.UserID) i18n.Lang
	// Retention is the nightly job that removes free text older than
	// Options.NoteRetention (Run returns at once when it is off).
	Retention *retention.Job
	// Updates updates the prompts no click's response_url can replace
	// (chat.update, paced under its tier); it runs beside the App.
	Updates *slackapp.PromptUpdates
	// Profiles keeps the directors' and Lean leaders' cached Slack
	// profiles younger than ProfileMaxAge (RefreshProfiles).
	Profiles *slackapp.Directory
}

// wiring is what wire builds the parts over: the open store, the Slack
// client with its token guard, and the workspace auth.test named.
type wiring struct {
	db    *store.DB
	api   *slack.Client
	http  *http.Client // for response_url posts
	token *slackio.TokenGuard
	team  coach.TeamID
	clock coach.Clock
	log   zerolog.Logger
}

// wire assembles the parts: the use cases (coach), the Slack routes and
// senders (slackapp) and the durable due-loop (schedule). o has its
// defaults (Options.withDefaults).
func wire(o Options, w wiring) (*Parts, error) {
	db, api, clock, log, token, c := w.db, w.api, w.clock, w.log, w.token, o

	dir := slackapp.NewDirectory(api, db, clock)
	cached := slackapp.CachedDirectory{Dir: dir, MaxAge: ProfileStaleAfter}
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

	access, err := coach.NewAccess(coach.AccessConfig{Team: w.team, Listed: c.Admins, Store: db, Directory: dir, Clock: clock})
	if err != nil {
		return nil, err
	}
	audit := coach.NewAuditLog(db, clock)
	rules := schedule.NewRules() // one parse per rule text, for the due-loop and the domain
	warm := func(ctx context.Context, ds []coach.UserID) error { return dir.Warm(ctx, ds, 0) }
	portal, err := coach.NewPortal(coach.PortalConfig{Store: db, Access: access, Audit: audit,
		Directory: cached, Clock: clock, Rules: rules, DefaultTZ: c.TZ, Warm: warm})
	if err != nil {
		return nil, err
	}

	leaders, err := coach.NewLeaderService(coach.LeaderServiceConfig{Store: db, Directory: cached, Clock: clock,
		IsAdmin: access.IsAdmin, DefaultTZ: c.TZ})
	if err != nil {
		return nil, err
	}
	var checkIns *slackapp.CheckIns
	renderer := slackapp.NewPromptRenderer(db, langOf, nil)
	poster := slackapp.NewPoster(api, renderer.Render,
		slackapp.PosterOptions{Now: clock.Now, Limits: c.Limits, Timeout: c.PosterTimeout, Token: token})
	loop := schedule.New(schedule.Deps{
		Store:  db,
		Poster: poster,
		Zones: func(ctx context.Context, u coach.UserID) (*time.Location, error) {
			return locationOf(ctx, u), nil
		},
		// A cold cache (the first start, new directors) is filled from
		// users.list pages before the zones are asked for.
		Warm:    warm,
		Clock:   clock,
		Logger:  log,
		Metrics: c.Metrics,
		Tick:    c.Tick,
		// The question follows up on the director's last answer and draws
		// from the themes of their delegation path (coach.SelectQuestion,
		// coach.LoadQuestionContext).
		Questions: func(ctx context.Context, d coach.UserID) (string, error) {
			return coach.PickQuestion(ctx, db, d, nil)
		},
		Rules:  rules,
		Budget: c.WeeklyBudget,
		// The Lean leaders' monthly check-ins, drawn by checkIns (set
		// below, before the loop runs).
		CheckIns: leaders,
		CheckInPoster: slackapp.NewCheckInPoster(poster, func(ctx context.Context, ci coach.CheckIn) (string, []slack.Block, error) {
			return checkIns.Render(ctx, ci)
		}),
	})

	surfaces, err := slackapp.NewSurfaces(slackapp.SurfacesConfig{Portal: portal, Slack: api, Team: w.team,
		LangOf: langOf, Logger: log, Limits: c.Limits})
	if err != nil {
		return nil, err
	}
	checkIns, err = slackapp.NewCheckIns(slackapp.CheckInDeps{Leaders: leaders, Slack: api, HTTPClient: w.http,
		LangOf: langOf, Team: w.team, Sender: loop, RefreshHome: surfaces.RefreshHome, Logger: log})
	if err != nil {
		return nil, err
	}
	svc, err := coach.NewService(coach.ServiceConfig{
		Store:     db,
		Prompter:  loop,
		Directory: cached,
		Messenger: slackapp.NewMessenger(slackapp.MessengerConfig{Slack: api, LangOf: langOf}),
		Clock:     clock,
		IsAdmin:   access.IsAdmin,
		DefaultTZ: c.TZ,
		Lang:      c.Lang,
	})
	if err != nil {
		return nil, err
	}
	schedules, err := coach.NewSchedules(coach.SchedulesConfig{Store: db, IsAdmin: access.IsAdmin, Audit: audit,
		Directory: cached, Clock: clock, Rules: rules, DefaultTZ: c.TZ, Changed: loop.Poke, Budget: c.WeeklyBudget})
	if err != nil {
		return nil, err
	}

	r := slackio.NewRouter()
	slackapp.RegisterHelp(r, slackapp.HelpDeps{LangOf: langOf, Viewer: portal.Viewer})
	updates := slackapp.NewPromptUpdates(slackapp.PromptUpdatesConfig{Slack: api, Logger: log, Metrics: c.Metrics, Token: token})
	if err := slackapp.RegisterCoach(r, slackapp.CoachDeps{Service: svc, Names: cached, Slack: api, Updates: updates,
		HTTPClient: w.http, LangOf: langOf, Team: w.team, Logger: log, Metrics: c.Metrics, Token: token,
		SendCheckIn: checkIns.SendNow}); err != nil {
		return nil, err
	}
	surfaces.Register(r)
	slackapp.RegisterSchedules(r, slackapp.ScheduleDeps{Schedules: schedules, LangOf: langOf})
	paths, err := coach.NewPathService(coach.PathServiceConfig{Store: db, Directory: cached, Clock: clock,
		IsAdmin: access.IsAdmin, DefaultTZ: c.TZ})
	if err != nil {
		return nil, err
	}
	pathForms, err := slackapp.NewPathForms(slackapp.PathDeps{Paths: paths, Slack: api, LangOf: langOf, Team: w.team,
		Clock: clock, RefreshHome: surfaces.RefreshHome, Logger: log})
	if err != nil {
		return nil, err
	}
	// The monthly path prompt shows each path with one click per outcome,
	// and a form opened from it answers it.
	renderer.WithPaths(db, locationOf, clock.Now)
	pathForms.ServePrompts(svc, updates)
	pathForms.Register(r)
	leaderForms, err := slackapp.NewLeaderForms(slackapp.LeaderDeps{Leaders: leaders, Slack: api, LangOf: langOf, Team: w.team,
		RefreshHome: surfaces.RefreshHome, Logger: log})
	if err != nil {
		return nil, err
	}
	leaderForms.Register(r)
	checkIns.Register(r)
	job := retention.New(retention.Config{Store: db, Clock: clock, Logger: log, Bound: c.NoteRetention, TZ: c.TZ})
	return &Parts{Router: r, Loop: loop, Portal: portal, Surfaces: surfaces, Paths: paths, PathForms: pathForms,
		Leaders: leaders, LeaderForms: leaderForms, Token: token, LangOf: langOf,
		Retention: job, Updates: updates, Profiles: dir}, nil
}
