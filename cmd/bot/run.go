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
}

func newLogger(cfg Config, w io.Writer) zerolog.Logger {
	if cfg.LogFormat == "console" {
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.RFC3339}
	}
	return zerolog.New(w).Level(cfg.LogLevel).With().Timestamp().Logger()
}

// serve wires leancoach and runs it until ctx is done. Shutdown order: stop the
// Slack intake, stop the due-loop, drain in-flight handlers (bounded), close
// the store last.
func serve(ctx context.Context, cfg Config, log zerolog.Logger, opts serveOptions) error {
	clock := opts.clock
	if clock == nil {
		clock = coach.ClockFunc(time.Now)
	}
	db, err := store.Open(cfg.DBPath, store.Options{Clock: clock})
	if err != nil {
		return fmt.Errorf("open database %s: %w", cfg.DBPath, err)
	}
	defer func() {
		if err := db.Close(); err != nil {
			log.Error().Err(err).Msg("close database")
		}
	}()

	httpClient := &http.Client{Timeout: 15 * time.Second}
	api := slack.New(cfg.BotToken.Reveal(),
		slack.OptionAPIURL(cfg.APIURL),
		slack.OptionAppLevelToken(cfg.AppToken.Reveal()),
		slack.OptionHTTPClient(httpClient),
	)
	if _, err := api.AuthTestContext(ctx); err != nil {
		return fmt.Errorf("check the bot token with Slack (auth.test): %w", err)
	}
	sm := socketmode.New(api)

	dir := slackapp.NewDirectory(api, db, clock)
	langOf := func(ctx context.Context, u coach.UserID) i18n.Lang {
		p, _ := db.Prefs(ctx, u)
		prof, _ := dir.Cached(ctx, u, profileMaxAge)
		return coach.LangFor(p, prof, cfg.Lang)
	}
	admins := map[coach.UserID]bool{}
	for _, a := range cfg.Admins {
		admins[a] = true
	}
	isAdmin := func(ctx context.Context, u coach.UserID) bool { return admins[u] }

	router := slackapp.NewRouter()
	slackapp.RegisterHelp(router, slackapp.HelpDeps{LangOf: langOf, IsAdmin: isAdmin})

	app := slackapp.New(slackapp.Config{
		Socket:     sm,
		Router:     router,
		Logger:     log,
		HTTPClient: httpClient,
		LangOf:     langOf,
	})

	var wg sync.WaitGroup
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	appErr := make(chan error, 1)
	wg.Go(func() {
		appErr <- app.Run(runCtx)
		cancel() // a fatal Slack error stops the rest too
	})
	log.Info().Str("db", cfg.DBPath).Msg("leancoach started")
	if opts.started != nil {
		opts.started(&bot{store: db, app: app})
	}
	wg.Wait()
	err = <-appErr
	log.Info().Msg("leancoach stopped")
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("slack connection: %w", err)
	}
	return nil
}
