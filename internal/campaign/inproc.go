package campaign

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
	"github.com/leancoach/leancoach/internal/schedule"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

// InProcConfig configures an in-process bot.
type InProcConfig struct {
	Sim    *slacksim.Server
	WS     Workspace
	DBPath string
	// Clock is the bot's clock (coach, store, due-loop); nil = the wall clock.
	// Socket Mode and HTTP timeouts always use the real time.
	Clock *Clock
	Log   io.Writer // the bot's log; nil = discarded
	// PingInterval is slack-go's ping watchdog; 0 = its default (30 s).
	PingInterval time.Duration
	// MaxSize bounds the database file (store.Options.MaxSize); 0 = none.
	MaxSize int
	// Limits pace the Poster; nil = slackapp.DefaultLimits().
	Limits map[string]slackapp.Rate
	// Tick is the due-loop's longest sleep; 0 = its default.
	Tick time.Duration
	// NoLoop leaves the due-loop off (the router alone).
	NoLoop bool
}

// InProc is the bot wired in this process the way cmd/bot wires it (the
// store, the Socket Mode App with the help and coaching routes, the due-loop
// with the Slack Poster), for scenarios that need a fake clock, a short
// ping watchdog or a direct look at the goroutines.
type InProc struct {
	DB   *store.DB
	App  *slackapp.App
	Loop *schedule.Loop

	cancel context.CancelFunc
	http   *http.Client
	wg     sync.WaitGroup
	mu     sync.Mutex
	errs   []error
}

// shiftedPoster is the real Poster under a shifted clock: slacksim stamps
// messages with the real time, so Find's since (from the bot's clock) moves
// back by the clock's offset. The offset only grows, so the window only
// widens.
type shiftedPoster struct {
	*slackapp.Poster
	clock *Clock
}

func (p shiftedPoster) Find(ctx context.Context, o coach.Occurrence, ref string, since time.Time) (coach.ChannelID, string, bool, error) {
	return p.Poster.Find(ctx, o, ref, since.Add(-p.clock.Offset()))
}

// StartInProc wires and starts the bot and waits until it is connected.
func StartInProc(ctx context.Context, cfg InProcConfig) (*InProc, error) {
	var clock coach.Clock = coach.ClockFunc(time.Now)
	if cfg.Clock != nil {
		clock = cfg.Clock
	}
	logw := cfg.Log
	if logw == nil {
		logw = io.Discard
	}
	log := zerolog.New(logw).Level(zerolog.DebugLevel).With().Timestamp().Logger()
	db, err := store.Open(cfg.DBPath, store.Options{Clock: clock, MaxSize: cfg.MaxSize})
	if err != nil {
		return nil, fmt.Errorf("inproc: %w", err)
	}
	httpClient := &http.Client{Timeout: 15 * time.Second}
	api := slack.New(cfg.Sim.BotToken(), slack.OptionAPIURL(cfg.Sim.APIURL()),
		slack.OptionAppLevelToken(cfg.Sim.AppToken()), slack.OptionHTTPClient(httpClient))
	dir := slackapp.NewDirectory(api, db, clock)
	langOf := func(ctx context.Context, u coach.UserID) i18n.Lang {
		p, _ := db.Prefs(ctx, u)
		prof, _ := dir.Cached(ctx, u, 24*time.Hour)
		return coach.LangFor(p, prof, i18n.EN)
	}
	zone := func(ctx context.Context, u coach.UserID) (*time.Location, error) {
		if p, err := dir.Cached(ctx, u, 24*time.Hour); err == nil && p.TZ != "" {
			if loc, err := time.LoadLocation(p.TZ); err == nil {
				return loc, nil
			}
		}
		return time.UTC, nil
	}
	locOf := func(ctx context.Context, u coach.UserID) *time.Location {
		loc, _ := zone(ctx, u)
		return loc
	}
	renderer := slackapp.NewPromptRenderer(db, langOf, nil)
	var poster schedule.Poster = slackapp.NewPoster(api, renderer.Render, slackapp.PosterOptions{Limits: cfg.Limits, Timeout: 5 * time.Second})
	if cfg.Clock != nil {
		poster = shiftedPoster{poster.(*slackapp.Poster), cfg.Clock}
	}
	loop := schedule.New(schedule.Deps{Store: db, Poster: poster, Zones: zone, Clock: clock,
		Logger: log, Tick: cfg.Tick})
	admins := map[coach.UserID]bool{cfg.WS.Admin: true}
	svc, err := coach.NewService(coach.ServiceConfig{
		Store: db, Prompter: loop, Directory: dir, Clock: clock,
		Messenger: slackapp.NewMessenger(slackapp.MessengerConfig{Slack: api, Settings: db, LangOf: langOf, LocationOf: locOf}),
		IsAdmin:   func(_ context.Context, u coach.UserID) (bool, error) { return admins[u], nil },
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("inproc: %w", err)
	}
	router := slackapp.NewRouter()
	slackapp.RegisterHelp(router, slackapp.HelpDeps{LangOf: langOf, IsAdmin: func(_ context.Context, u coach.UserID) bool { return admins[u] }})
	if err := slackapp.RegisterCoach(router, slackapp.CoachDeps{Service: svc, Store: db, Slack: api, LangOf: langOf,
		Team: coach.TeamID(cfg.Sim.TeamID()), Logger: log}); err != nil {
		db.Close()
		return nil, fmt.Errorf("inproc: %w", err)
	}
	var smOpts []socketmode.Option
	if cfg.PingInterval > 0 {
		smOpts = append(smOpts, socketmode.OptionPingInterval(cfg.PingInterval))
	}
	app := slackapp.New(slackapp.Config{Socket: socketmode.New(api, smOpts...), Router: router, Logger: log,
		HTTPClient: httpClient, LangOf: langOf})

	runCtx, cancel := context.WithCancel(context.Background())
	b := &InProc{DB: db, App: app, Loop: loop, cancel: cancel, http: httpClient}
	after := cfg.Sim.Seq()
	b.wg.Go(func() {
		if err := app.Run(runCtx); err != nil {
			b.fail(fmt.Errorf("app: %w", err))
		}
		cancel()
	})
	if !cfg.NoLoop {
		b.wg.Go(func() {
			if err := loop.Run(runCtx); err != nil {
				b.fail(fmt.Errorf("due-loop: %w", err))
			}
		})
	}
	if _, err := cfg.Sim.WaitEvent(ctx, after, func(ev slacksim.Event) bool { return ev.Kind == slacksim.EventConnOpened }); err != nil {
		b.Stop()
		return nil, fmt.Errorf("inproc: never connected: %w", err)
	}
	return b, nil
}

func (b *InProc) fail(err error) {
	b.mu.Lock()
	b.errs = append(b.errs, err)
	b.mu.Unlock()
}

// Stop stops the Slack intake and the due-loop, waits for them and closes
// the database, like cmd/bot's shutdown. It returns the first error any
// part reported.
func (b *InProc) Stop() error {
	b.cancel()
	b.wg.Wait()
	// A process that exits closes its connections; in process, idle
	// keep-alive connections would otherwise count as leaked goroutines.
	b.http.CloseIdleConnections()
	err := b.DB.Close()
	b.mu.Lock()
	defer b.mu.Unlock()
	return errors.Join(append(b.errs, err)...)
}
