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

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/coach"
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
	clock, err := campaignClock(getenv) // nil (the wall clock) unless built with -tags campaign
	if err != nil {
		return err
	}
	return serve(ctx, cfg, newLogger(cfg, stderr), serveOptions{clock: clock})
}

// digestEvery is how often the weekly digest job looks for directors whose
// Friday afternoon has come; each digest is sent once per week by its key.
const digestEvery = 5 * time.Minute

// sockets is how many Socket Mode connections the bot keeps open. Slack
// spreads envelopes over an app's connections (it allows ten), so while one
// is being replaced (a refresh every few hours: slack-go closes the old
// socket before it opens the new one) the other still takes commands and
// clicks, which Slack does not redeliver. Each has its share of the
// reconnect brake (slackapp.ConnectRate).
const sockets = 2

// serveOptions are the differences between production and the sandbox.
type serveOptions struct {
	clock coach.Clock // nil = the wall clock
	// started, if set, is called once everything is wired and running.
	started func(r *running)
}

// running is the running process's parts, for the sandbox and tests.
type running struct {
	store *store.DB
	app   *slackapp.App
	loop  *schedule.Loop
}

// Poke makes the due-loop look for due prompts now.
func (r *running) Poke() { r.loop.Poke() }

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
	// (the due-loop reconciles instead). Every Web API answer passes the
	// token guard, so Slack refusing the bot token on any call stops the bot.
	token := slackapp.NewTokenGuard()
	httpClient := &http.Client{Timeout: 15 * time.Second, Transport: token.Transport(m.Transport(http.DefaultTransport))}
	// The reconnect brake paces apps.connections.open (slack-go reconnects
	// at once on every disconnect); other calls pass straight through.
	api := slack.New(cfg.BotToken.Reveal(),
		slack.OptionAPIURL(cfg.APIURL),
		slack.OptionAppLevelToken(cfg.AppToken.Reveal()),
		slack.OptionHTTPClient(slackapp.NewConnectBrake(httpClient,
			slackapp.BrakeConfig{Rate: slackapp.ConnectRate(sockets), Metrics: m, Logger: log})),
	)
	auth, err := api.AuthTestContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting
		}
		return fmt.Errorf("check the bot token with Slack (auth.test): %w", err)
	}
	team := coach.TeamID(auth.TeamID)

	limits := slackapp.DefaultLimits()
	limits[slackapp.LimitPost] = slackapp.Rate{PerSecond: cfg.PostRate, Burst: max(3, int(cfg.PostRate))}
	b, err := bot.New(bot.Config{Store: db, Slack: api, Team: team, Clock: clock, Logger: log, Metrics: m,
		Admins: cfg.Admins, TZ: cfg.TZ, Lang: cfg.Lang, Limits: limits, Token: token, NoteRetention: cfg.NoteRetention})
	if err != nil {
		return fmt.Errorf("assemble the bot: %w", err)
	}
	socks := make([]*socketmode.Client, sockets)
	for i := range socks {
		socks[i] = socketmode.New(api)
	}
	app := slackapp.New(slackapp.Config{
		Sockets:    socks,
		Router:     b.Router,
		Logger:     log,
		Metrics:    m,
		HTTPClient: httpClient,
		LangOf:     b.LangOf,
	})

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	// Slack refusing the bot token while sending is as fatal as invalid_auth
	// on apps.connections.open: nothing can be sent until an operator fixes
	// SLACK_BOT_TOKEN, so stop with an error (the supervisor restarts the
	// bot and the operator sees why) rather than let prompts age into
	// missed. They stay recorded Sending; the next process reconciles them.
	var tokenErr error
	wg.Go(func() {
		select {
		case <-b.Token.Rejected():
			tokenErr = b.Token.Err()
			log.Error().Err(tokenErr).
				Msg("slack refused the bot token; stopping: fix SLACK_BOT_TOKEN and restart, unsent prompts stay pending")
			cancel()
		case <-runCtx.Done():
		}
	})
	appErr := make(chan error, 1)
	wg.Go(func() {
		appErr <- app.Run(runCtx)
		cancel() // a fatal Slack error stops the rest too
	})
	wg.Go(func() {
		if err := b.Loop.Run(runCtx); err != nil && !errors.Is(err, context.Canceled) {
			log.Error().Err(err).Msg("due-loop stopped")
			cancel()
		}
	})
	wg.Go(func() { _ = b.Retention.Run(runCtx) }) // logs its own failures; returns at once when off
	wg.Go(func() {
		b.Portal.DigestLoop(runCtx, digestEvery, b.Surfaces, func(sent int, err error) {
			if err != nil {
				log.Error().Err(err).Msg("weekly digests")
			} else if sent > 0 {
				log.Info().Int("sent", sent).Msg("weekly digests sent")
			}
		})
	})
	wg.Go(func() {
		err := serveOps(runCtx, cfg, opsDeps{db: db, connected: app.Connected, metrics: m, log: log, token: b.Token.Err})
		if err != nil {
			log.Error().Err(err).Str("addr", cfg.HTTPAddr).Msg("operator endpoints stopped")
			cancel()
		}
	})
	log.Info().Str("db", cfg.DBPath).Str("team_id", string(team)).Msg("leancoach started")
	if opts.started != nil {
		opts.started(&running{store: db, app: app, loop: b.Loop})
	}
	wg.Wait()
	err = <-appErr
	log.Info().Msg("leancoach stopped")
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("slack connection: %w", err)
	}
	if tokenErr != nil {
		return fmt.Errorf("slack refused the bot token (fix SLACK_BOT_TOKEN): %w", tokenErr)
	}
	return nil
}
