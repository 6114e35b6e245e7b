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

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/coach"
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
	// ConnectRate is the reconnect brake on apps.connections.open; the zero
	// Rate is production's (slackapp.ConnectRate for two sockets), and one with
	// PerSecond < 0 turns the brake off, for scenarios that reconnect far
	// more often than Slack would ask (the envelope fuzzer).
	ConnectRate slackapp.Rate
}

// BotSockets is how many Socket Mode connections the bot keeps open: cmd/bot's
// count (Rig.Start waits for each), and the in-process bot's.
const BotSockets = 2

// InProc is the bot assembled in this process by internal/bot, as cmd/bot
// assembles it (the store, the Socket Mode App with every route, the due-loop
// with the Slack Poster), for scenarios that need a fake clock, a short ping
// watchdog or a direct look at the goroutines.
type InProc struct {
	DB   *store.DB
	App  *slackapp.App
	Loop *schedule.Loop

	cancel context.CancelFunc
	done   <-chan struct{}
	http   *http.Transport // the bot's own, so Stop can close its idle connections
	wg     sync.WaitGroup
	mu     sync.Mutex
	errs   []error
}

// StartInProc wires and starts the bot and waits until it is connected. The
// bot is internal/bot's assembly, the one cmd/bot runs.
func StartInProc(ctx context.Context, cfg InProcConfig) (*InProc, error) {
	var clock coach.Clock = coach.ClockFunc(time.Now)
	if cfg.Clock != nil {
		clock = cfg.Clock
		// The local Slack stamps messages on the bot's clock, so finding a
		// prompt by time (reconciliation) works across clock jumps.
		cfg.Sim.SetNow(cfg.Clock.Now)
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
	token := slackapp.NewTokenGuard() // over every Web API call, as in cmd/bot
	// A transport of its own: the token guard's wrapper hides
	// CloseIdleConnections from the client, and Stop must close them.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	httpClient := &http.Client{Timeout: 15 * time.Second, Transport: token.Transport(transport)}
	// The reconnect brake on apps.connections.open, with production's
	// numbers unless the scenario says otherwise.
	rate := cfg.ConnectRate
	if rate == (slackapp.Rate{}) {
		rate = slackapp.ConnectRate(BotSockets)
	}
	brake := slackapp.NewConnectBrake(httpClient, slackapp.BrakeConfig{Rate: rate, Logger: log})
	api := slack.New(cfg.Sim.BotToken(), slack.OptionAPIURL(cfg.Sim.APIURL()),
		slack.OptionAppLevelToken(cfg.Sim.AppToken()), slack.OptionHTTPClient(brake))
	assembled, err := bot.New(bot.Config{Store: db, Slack: api, Team: coach.TeamID(cfg.Sim.TeamID()), Clock: clock,
		Logger: log, Admins: []coach.UserID{cfg.WS.Admin}, Limits: cfg.Limits, PosterTimeout: 5 * time.Second, Tick: cfg.Tick,
		Token: token})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("inproc: %w", err)
	}
	loop, router, langOf := assembled.Loop, assembled.Router, assembled.LangOf
	var smOpts []socketmode.Option
	if cfg.PingInterval > 0 {
		smOpts = append(smOpts, socketmode.OptionPingInterval(cfg.PingInterval))
	}
	socks := make([]*socketmode.Client, BotSockets)
	for i := range socks {
		socks[i] = socketmode.New(api, smOpts...)
	}
	app := slackapp.New(slackapp.Config{Sockets: socks, Router: router, Logger: log,
		HTTPClient: httpClient, LangOf: langOf})

	runCtx, cancel := context.WithCancel(context.Background())
	b := &InProc{DB: db, App: app, Loop: loop, cancel: cancel, done: runCtx.Done(), http: transport}
	after := cfg.Sim.Seq()
	// As cmd/bot: Slack refusing the bot token on any call stops the bot
	// with that error (the binary exits non-zero), so in-process scenarios
	// see the stop the binary makes.
	b.wg.Go(func() {
		select {
		case <-assembled.Token.Rejected():
			err := assembled.Token.Err()
			log.Error().Err(err).
				Msg("slack refused the bot token; stopping: fix SLACK_BOT_TOKEN and restart, unsent prompts stay pending")
			b.fail(fmt.Errorf("slack refused the bot token (fix SLACK_BOT_TOKEN): %w", err))
			cancel()
		case <-runCtx.Done():
		}
	})
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
	if err := waitHellos(ctx, cfg.Sim, after, BotSockets); err != nil {
		b.Stop()
		return nil, fmt.Errorf("inproc: never connected: %w", err)
	}
	return b, nil
}

// Done is closed once the bot has begun to stop, by Stop or on its own (a
// fatal Slack error, the bot token refused), as the binary would exit.
func (b *InProc) Done() <-chan struct{} { return b.done }

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
