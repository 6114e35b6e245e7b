package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/metrics"
	"github.com/leancoach/leancoach/internal/schedule"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/store"
)

// runBot is the production command: connect to Slack and coach.
func runBot(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("run takes no arguments (configuration comes from the environment); got %q", args[0])
	}
	cfg, err := LoadConfig(getenv, true)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, newLogger(cfg, stderr), serveOptions{})
}

// profileMaxAge is how long a user's time zone and locale are trusted before
// Slack is asked again.
const profileMaxAge = 24 * time.Hour

// digestEvery is how often the weekly digest job looks for directors whose
// Friday afternoon has come; each digest is sent once per week by its key.
const digestEvery = 5 * time.Minute

// serveOptions are the differences between production and the sandbox.
type serveOptions struct {
	clock coach.Clock // nil = the wall clock
	// started, if set, is called once everything is wired and running.
	started func(b *bot)
}

// bot is the running process's parts, for the sandbox and tests.
type bot struct {
	store *store.DB
	app   *slackapp.App
	loop  *schedule.Loop
}

// Poke makes the due-loop look for due prompts now.
func (b *bot) Poke() { b.loop.Poke() }

func newLogger(cfg Config, w io.Writer) zerolog.Logger {
	if cfg.LogFormat == "console" {
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.RFC3339}
	}
	return zerolog.New(w).Level(cfg.LogLevel).With().Timestamp().Logger()
}

// serve wires leancoach and runs it until ctx is done. Shutdown order: stop the
// Slack intake and the due-loop, drain in-flight handlers (bounded), close the
// store last.
func serve(ctx context.Context, cfg Config, log zerolog.Logger, opts serveOptions) error {
	clock := opts.clock
	if clock == nil {
		clock = coach.ClockFunc(time.Now)
	}
	m := metrics.New()
	db, err := store.Open(cfg.DBPath, store.Options{Clock: clock, Observer: m})
	if err != nil {
		return fmt.Errorf("open database %s: %w", cfg.DBPath, err)
	}
	defer func() {
		if err := db.Close(); err != nil {
			log.Error().Err(err).Msg("close database")
		}
	}()

	// No connection-error retries: a retried chat.postMessage can post twice
	// (the due-loop reconciles instead).
	httpClient := &http.Client{Timeout: 15 * time.Second, Transport: m.Transport(http.DefaultTransport)}
	api := slack.New(cfg.BotToken.Reveal(),
		slack.OptionAPIURL(cfg.APIURL),
		slack.OptionAppLevelToken(cfg.AppToken.Reveal()),
		slack.OptionHTTPClient(httpClient),
	)
	auth, err := api.AuthTestContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting
		}
		return fmt.Errorf("check the bot token with Slack (auth.test): %w", err)
	}
	team := coach.TeamID(auth.TeamID)

	w, err := wire(cfg, log, clock, db, api, team, m)
	if err != nil {
		return err
	}
	app := slackapp.New(slackapp.Config{
		Socket:     socketmode.New(api),
		Router:     w.router,
		Logger:     log,
		Metrics:    m,
		HTTPClient: httpClient,
		LangOf:     w.langOf,
	})

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	appErr := make(chan error, 1)
	wg.Go(func() {
		appErr <- app.Run(runCtx)
		cancel() // a fatal Slack error stops the rest too
	})
	wg.Go(func() {
		if err := w.loop.Run(runCtx); err != nil && !errors.Is(err, context.Canceled) {
			log.Error().Err(err).Msg("due-loop stopped")
			cancel()
		}
	})
	wg.Go(func() {
		w.portal.DigestLoop(runCtx, digestEvery, w.surfaces, func(sent int, err error) {
			if err != nil {
				log.Error().Err(err).Msg("weekly digests")
			} else if sent > 0 {
				log.Info().Int("sent", sent).Msg("weekly digests sent")
			}
		})
	})
	wg.Go(func() {
		err := serveOps(runCtx, cfg, opsDeps{db: db, connected: app.Connected, metrics: m, log: log})
		if err != nil {
			log.Error().Err(err).Str("addr", cfg.HTTPAddr).Msg("operator endpoints stopped")
			cancel()
		}
	})
	log.Info().Str("db", cfg.DBPath).Str("team_id", string(team)).Msg("leancoach started")
	if opts.started != nil {
		opts.started(&bot{store: db, app: app, loop: w.loop})
	}
	wg.Wait()
	err = <-appErr
	log.Info().Msg("leancoach stopped")
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("slack connection: %w", err)
	}
	return nil
}

// wired is the bot's object graph.
type wired struct {
	router   *slackapp.Router
	loop     *schedule.Loop
	portal   *coach.Portal
	surfaces *slackapp.Surfaces
	langOf   func(ctx context.Context, u coach.UserID) i18n.Lang
}

// wire builds the use cases and the Slack routes.
func wire(cfg Config, log zerolog.Logger, clock coach.Clock, db *store.DB, api *slack.Client, team coach.TeamID, m *metrics.Metrics) (*wired, error) {
	dir := slackapp.NewDirectory(api, db, clock)
	cached := slackapp.CachedDirectory{Dir: dir, MaxAge: profileMaxAge}
	langOf := func(ctx context.Context, u coach.UserID) i18n.Lang {
		p, _ := db.Prefs(ctx, u)
		prof, _ := cached.Profile(ctx, u)
		return coach.LangFor(p, prof, cfg.Lang)
	}
	locationOf := func(ctx context.Context, u coach.UserID) *time.Location {
		if p, err := cached.Profile(ctx, u); err == nil && p.TZ != "" {
			if loc, err := time.LoadLocation(p.TZ); err == nil {
				return loc
			}
		}
		return cfg.TZ
	}

	access, err := coach.NewAccess(coach.AccessConfig{Team: team, Listed: cfg.Admins, Store: db, Directory: dir, Clock: clock})
	if err != nil {
		return nil, err
	}
	audit := coach.NewAuditLog(db, clock)
	portal, err := coach.NewPortal(coach.PortalConfig{Store: db, Access: access, Audit: audit,
		Directory: cached, Clock: clock, NextDue: nextDue, DefaultTZ: cfg.TZ})
	if err != nil {
		return nil, err
	}

	renderer := slackapp.NewPromptRenderer(db, langOf, nil)
	limits := slackapp.DefaultLimits()
	limits[slackapp.LimitPost] = slackapp.Rate{PerSecond: cfg.PostRate, Burst: max(3, int(cfg.PostRate))}
	poster := slackapp.NewPoster(api, renderer.Render, slackapp.PosterOptions{Now: clock.Now, Limits: limits})
	loop := schedule.New(schedule.Deps{
		Store:  db,
		Poster: poster,
		Zones: func(ctx context.Context, u coach.UserID) (*time.Location, error) {
			return locationOf(ctx, u), nil
		},
		Clock:   clock,
		Logger:  log,
		Metrics: m,
		Questions: func(ctx context.Context, d coach.UserID) (string, error) {
			return coach.PickQuestion(ctx, db, d, nil)
		},
	})

	surfaces, err := slackapp.NewSurfaces(slackapp.SurfacesConfig{Portal: portal, Slack: api, Team: team,
		LangOf: langOf, Logger: log})
	if err != nil {
		return nil, err
	}
	messenger := slackapp.NewMessenger(slackapp.MessengerConfig{Slack: api, Settings: db, LangOf: langOf, LocationOf: locationOf, Kudos: db})
	svc, err := coach.NewService(coach.ServiceConfig{
		Store:     db,
		Prompter:  loop,
		Directory: cached,
		Messenger: slackapp.RefreshingHome(messenger, surfaces, log),
		Clock:     clock,
		IsAdmin:   access.IsAdmin,
		DefaultTZ: cfg.TZ,
	})
	if err != nil {
		return nil, err
	}

	r := slackapp.NewRouter()
	slackapp.RegisterHelp(r, slackapp.HelpDeps{LangOf: langOf, IsAdmin: func(ctx context.Context, u coach.UserID) bool {
		ok, _ := access.IsAdmin(ctx, u)
		return ok
	}})
	if err := slackapp.RegisterCoach(r, slackapp.CoachDeps{Service: svc, Store: db, Slack: api, LangOf: langOf,
		Team: team, Logger: log}); err != nil {
		return nil, err
	}
	surfaces.Register(r)
	schedules, err := coach.NewSchedules(coach.SchedulesConfig{Store: db, IsAdmin: access.IsAdmin, Audit: audit,
		Directory: cached, Clock: clock, Parse: canonicalWhen, NextDue: nextDue, DefaultTZ: cfg.TZ, Changed: loop.Poke})
	if err != nil {
		return nil, err
	}
	slackapp.RegisterSchedules(r, slackapp.ScheduleDeps{Schedules: schedules, LangOf: langOf})
	return &wired{router: r, loop: loop, portal: portal, surfaces: surfaces, langOf: langOf}, nil
}

// canonicalWhen validates a <when> rule and returns its canonical text.
func canonicalWhen(when string) (string, error) {
	rule, err := schedule.ParseWhen(when)
	if err != nil {
		return "", err
	}
	return rule.String(), nil
}

// nextDue is the schedules' next send time, for the App Home.
func nextDue(when string, after time.Time, loc *time.Location) (time.Time, error) {
	rule, err := schedule.ParseWhen(when)
	if err != nil {
		return time.Time{}, err
	}
	return rule.Next(after, loc), nil
}
