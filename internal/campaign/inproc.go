package campaign

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/secret"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// InProcConfig configures an in-process bot: the local Slack it talks to,
// and the assembly's options that scenarios vary.
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
	// Limits pace the Poster; nil = bot.DefaultLimits().
	Limits map[string]bot.Rate
	// Tick is the due-loop's longest sleep; 0 = its default.
	Tick time.Duration
	// NoLoop leaves the due-loop off (the router alone).
	NoLoop bool
	// ConnectRate is the reconnect brake on apps.connections.open
	// (bot.Options.ConnectRate): zero is production's, PerSecond < 0 none.
	ConnectRate bot.Rate
}

// BotSockets is how many Socket Mode connections the bot keeps open
// (bot.Sockets): Rig.Start and StartInProc wait for each.
const BotSockets = bot.Sockets

// StartInProc starts the bot in this process, through the one assembly
// that `bot run` starts (internal/bot), and waits until each of its sockets
// said hello: for scenarios that need a fake clock, a short ping watchdog
// or a direct look at the goroutines. Stop it with Stop.
//
// Beside the options scenarios vary, it differs from `bot run` only where
// a scenario needs it to: no operator endpoints and no metrics (the
// binary's scenarios scrape those), no weekly digests (they run on a
// five-minute timer that clock jumps would make fire at random), notes kept
// forever, and a 5 s bound on each of the Poster's calls.
func StartInProc(ctx context.Context, cfg InProcConfig) (*bot.Bot, error) {
	var clock coach.Clock
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
	after := cfg.Sim.Seq()
	b, err := bot.Start(ctx, bot.Options{
		BotToken:      secret.Token(cfg.Sim.BotToken()),
		AppToken:      secret.Token(cfg.Sim.AppToken()),
		APIURL:        cfg.Sim.APIURL(),
		DBPath:        cfg.DBPath,
		MaxSize:       cfg.MaxSize,
		Clock:         clock,
		Logger:        zerolog.New(logw).Level(zerolog.DebugLevel).With().Timestamp().Logger(),
		Admins:        []coach.UserID{cfg.WS.Admin},
		Limits:        cfg.Limits,
		PosterTimeout: 5 * time.Second,
		Tick:          cfg.Tick,
		PingInterval:  cfg.PingInterval,
		ConnectRate:   cfg.ConnectRate,
		NoLoop:        cfg.NoLoop,
		NoDigests:     true,
	})
	if err != nil {
		return nil, fmt.Errorf("inproc: %w", err)
	}
	if err := waitHellos(ctx, cfg.Sim, after, BotSockets); err != nil {
		return nil, errors.Join(fmt.Errorf("inproc: never connected: %w", err), b.Stop())
	}
	return b, nil
}
