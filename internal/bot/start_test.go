package bot_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

// A second bot on a database another bot holds stops on the file lock
// before it opens any Socket Mode connection, so Slack never routes a
// user's click to it. It has its own local Slack here, so that every call
// it makes can be told from the first bot's.
func TestSecondBotOnALockedDatabaseNeverConnects(t *testing.T) {
	first := slacksim.New(slacksim.Options{})
	t.Cleanup(first.Close)
	db := filepath.Join(t.TempDir(), "leancoach.db")
	start(t, first, bot.Options{DBPath: db, NoLoop: true, NoDigests: true})

	second := slacksim.New(slacksim.Options{})
	t.Cleanup(second.Close)
	b, err := bot.Start(t.Context(), slackOf(t, second, bot.Options{DBPath: db, NoLoop: true, NoDigests: true}))
	if err == nil {
		b.Stop()
		t.Fatal("a second bot started on a locked database")
	}
	if !errors.Is(err, store.ErrLocked) {
		t.Errorf("second Start = %v, want store.ErrLocked", err)
	}
	var methods []string
	for _, c := range second.Calls() {
		methods = append(methods, c.Method)
	}
	if strings.Join(methods, ",") != "auth.test" {
		t.Errorf("the second bot called %v, want auth.test alone (no apps.connections.open)", methods)
	}
	if n := second.Connections(); n != 0 {
		t.Errorf("the second bot holds %d Socket Mode connections, want 0", n)
	}
}

// Start creates nothing, not even the database's directory, when its
// options are incomplete or Slack refuses the bot token.
func TestStartCreatesNothingWhenItCannotRun(t *testing.T) {
	sim := slacksim.New(slacksim.Options{})
	t.Cleanup(sim.Close)
	tests := []struct {
		name string
		mod  func(*bot.Options)
		want string // in the error
	}{
		{"no bot token", func(o *bot.Options) { o.BotToken = "" }, "no bot token"},
		{"no app token", func(o *bot.Options) { o.AppToken = "" }, "no app-level token"},
		{"bot token refused", func(o *bot.Options) { o.BotToken = "xoxb-mistyped" }, "invalid_auth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			o := slackOf(t, sim, bot.Options{DBPath: filepath.Join(dir, "leancoach.db")})
			tt.mod(&o)
			b, err := bot.Start(t.Context(), o)
			if err == nil {
				b.Stop()
				t.Fatal("Start = nil error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Start = %v, want an error saying %q", err, tt.want)
			}
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("after a failed start %s exists (%v), want nothing created", dir, err)
			}
		})
	}
	if n := len(sim.CallsTo("apps.connections.open")); n != 0 {
		t.Errorf("apps.connections.open called %d times, want 0", n)
	}
}

// Stop goes in order: the operator endpoints (like the due-loop and the
// jobs) are stopped only after the Slack intake has stopped and in-flight
// handlers drained, while the store is still open; the store is closed
// last.
func TestStopOrder(t *testing.T) {
	sim := slacksim.New(slacksim.Options{})
	t.Cleanup(sim.Close)
	type seen struct {
		connected bool
		storeErr  error
	}
	atStop := make(chan seen, 1)
	b := start(t, sim, bot.Options{NoDigests: true, Ops: func(ctx context.Context, b *bot.Bot) error {
		<-ctx.Done()
		_, err := b.DB.Stats()
		atStop <- seen{connected: b.Connected(), storeErr: err}
		return nil
	}})
	if err := b.Stop(); err != nil {
		t.Errorf("Stop = %v, want nil", err)
	}
	select {
	case s := <-atStop:
		if s.connected {
			t.Errorf("the operator endpoints stopped while a socket was still up")
		}
		if s.storeErr != nil {
			t.Errorf("the store was closed (%v) before the operator endpoints stopped", s.storeErr)
		}
	default:
		t.Fatal("Stop returned before the operator endpoints stopped")
	}
	if _, err := b.DB.Stats(); !errors.Is(err, store.ErrClosed) {
		t.Errorf("store after Stop: %v, want store.ErrClosed", err)
	}
	if err := b.Stop(); err != nil {
		t.Errorf("a second Stop = %v, want nil again", err)
	}
}

// The operator endpoints failing (say, LEANCOACH_HTTP_ADDR taken) stops the
// bot with their error, so that the process exits non-zero.
func TestOpsFailureStopsTheBot(t *testing.T) {
	sim := slacksim.New(slacksim.Options{})
	t.Cleanup(sim.Close)
	taken := errors.New("listen: address already in use")
	b, err := bot.Start(t.Context(), slackOf(t, sim, bot.Options{NoLoop: true, NoDigests: true,
		Ops: func(context.Context, *bot.Bot) error { return taken }}))
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-b.Done():
	case <-time.After(10 * time.Second):
		b.Stop()
		t.Fatal("the bot ran on for 10 s after its operator endpoints failed")
	}
	if err := b.Stop(); !errors.Is(err, taken) {
		t.Errorf("Stop = %v, want the operator endpoints' error", err)
	}
}
