package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// syncBuffer is a log sink safe for the bot's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// e2e is the production bot, started through run(), against a local Slack.
type e2e struct {
	sim  *slacksim.Server
	env  map[string]string
	logs *syncBuffer
	stop func() error // cancels run and returns its error
}

// startBot runs `bot run` against a fresh slacksim seeded with the demo
// workspace, and waits until it is connected.
func startBot(t *testing.T, extra ...string) *e2e {
	t.Helper()
	sim := slacksim.New(slacksim.Options{})
	t.Cleanup(sim.Close)
	seedWorkspace(sim)
	env := map[string]string{
		"SLACK_BOT_TOKEN":     sim.BotToken(),
		"SLACK_APP_TOKEN":     sim.AppToken(),
		"SLACK_API_URL":       sim.APIURL(),
		"LEANCOACH_DB":        filepath.Join(t.TempDir(), "leancoach.db"),
		"LEANCOACH_ADMINS":    "U0ADMIN01",
		"LEANCOACH_HTTP_ADDR": "off",
		"LOG_LEVEL":           "debug",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i]] = extra[i+1]
	}
	e := &e2e{sim: sim, env: env, logs: &syncBuffer{}}
	e.start(t)
	return e
}

func (e *e2e) start(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"run"}, func(k string) string { return e.env[k] }, &syncBuffer{}, e.logs)
	}()
	var once sync.Once
	var runErr error
	e.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(10 * time.Second):
				t.Error("bot did not stop within 10s of cancel")
			}
		})
		return runErr
	}
	t.Cleanup(func() { _ = e.stop() })
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	// Every socket the bot keeps, not only the first: a test that counts
	// connections afterwards must not see the second one still opening.
	err := e.sim.WaitFor(wctx, func() bool { return e.sim.Connections() >= bot.Sockets })
	if err != nil {
		select {
		case err := <-done:
			t.Fatalf("bot exited before connecting: %v\nlogs:\n%s", err, e.logs)
		default:
		}
		t.Fatalf("bot never connected: %v", err)
	}
}

func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestHelpEndToEnd(t *testing.T) {
	e := startBot(t)
	tests := []struct {
		user, want, notWant string
	}{
		{"U0DIRECT2", "small coaching habits", "For admins"},     // en-GB director
		{"U0DIRECT1", "kleine coachingsgewoontes", "beheerders"}, // nl-NL director
		{"U0ADMIN01", "/coach director add", ""},                 // admin sees admin commands
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			res, err := e.sim.As(tt.user).Slash(waitCtx(t), "/coach", "help")
			if err != nil {
				t.Fatalf("/coach help: %v", err)
			}
			msg, err := res.WaitResponse(waitCtx(t))
			if err != nil {
				t.Fatalf("no reply to /coach help: %v", err)
			}
			all := msg.Text + string(msg.Blocks)
			if !strings.Contains(all, tt.want) {
				t.Errorf("reply = %s, want it to contain %q", all, tt.want)
			}
			if tt.notWant != "" && strings.Contains(all, tt.notWant) {
				t.Errorf("reply = %s, want it NOT to contain %q", all, tt.notWant)
			}
			if !msg.Ephemeral && msg.Source == "response_url" {
				// response_url replies default to ephemeral; the sim marks them.
				t.Errorf("help reply is not ephemeral: %+v", msg)
			}
		})
	}
	if err := e.stop(); err != nil {
		t.Errorf("run returned %v after cancel, want nil", err)
	}
}

// A second process opening the same database fails within seconds with a
// message that says the database is in use, and opens no Socket Mode
// connection on its way (Slack would route users' clicks to it).
func TestSecondProcessRefused(t *testing.T) {
	e := startBot(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var stderr syncBuffer
	opened := len(e.sim.CallsTo("apps.connections.open"))
	start := time.Now()
	err := run(ctx, []string{"run"}, func(k string) string { return e.env[k] }, &syncBuffer{}, &stderr)
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second run = %v, want an error saying the database is in use", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("second run took %v to fail, want a few seconds at most", d)
	}
	if n := len(e.sim.CallsTo("apps.connections.open")) - opened; n != 0 {
		t.Errorf("the second run called apps.connections.open %d times, want 0", n)
	}
}

// `bot run` with a configuration it cannot run with says so and creates
// nothing: not the database file, not its directory. That includes a bot
// token Slack refuses, checked before the database is opened.
func TestRunCreatesNothingWhenItCannotRun(t *testing.T) {
	sim := slacksim.New(slacksim.Options{})
	t.Cleanup(sim.Close)
	for _, tt := range []struct {
		key, value string
		want       string // in the error
	}{
		{"LEANCOACH_HTTP_ADDR", "bogus", "LEANCOACH_HTTP_ADDR"},
		{"LEANCOACH_HTTP_ADDR", "127.0.0.1:99999", "LEANCOACH_HTTP_ADDR"},
		{"LEANCOACH_TZ", "Mars/Olympus", "LEANCOACH_TZ"},
		{"SLACK_BOT_TOKEN", "xoxb-mistyped", "invalid_auth"},
	} {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			env := map[string]string{
				"SLACK_BOT_TOKEN": sim.BotToken(),
				"SLACK_APP_TOKEN": sim.AppToken(),
				"SLACK_API_URL":   sim.APIURL(),
				"LEANCOACH_DB":    filepath.Join(dir, "leancoach.db"),
				tt.key:            tt.value,
			}
			err := run(t.Context(), []string{"run"}, func(k string) string { return env[k] }, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run = %v, want an error naming %s", err, tt.want)
			}
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("after the refusal %s exists (%v), want nothing created", dir, err)
			}
		})
	}
	if n := len(sim.CallsTo("apps.connections.open")); n != 0 {
		t.Errorf("apps.connections.open called %d times, want 0", n)
	}
}
