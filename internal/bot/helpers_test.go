package bot_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/secret"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// slackOf is o pointed at sim, logging to the test, on a fresh database
// unless o names one.
func slackOf(t *testing.T, sim *slacksim.Server, o bot.Options) bot.Options {
	t.Helper()
	o.BotToken, o.AppToken, o.APIURL = secret.Token(sim.BotToken()), secret.Token(sim.AppToken()), sim.APIURL()
	if o.DBPath == "" {
		o.DBPath = filepath.Join(t.TempDir(), "leancoach.db")
	}
	o.Logger = zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	return o
}

// start starts the bot on sim and waits until each of its sockets is up;
// the test's end stops it.
func start(t *testing.T, sim *slacksim.Server, o bot.Options) *bot.Bot {
	t.Helper()
	b, err := bot.Start(t.Context(), slackOf(t, sim, o))
	if err != nil {
		t.Fatalf("Start = %v", err)
	}
	t.Cleanup(func() { _ = b.Stop() })
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := sim.WaitFor(ctx, func() bool { return sim.Connections() == bot.Sockets }); err != nil {
		t.Fatalf("the bot's %d sockets never came up: %v", bot.Sockets, err)
	}
	return b
}
