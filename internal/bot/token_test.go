package bot_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

// A prompt refused for the bot token trips the assembly's Token (the signal
// cmd/bot stops on) and stays Sending: neither Failed, which would blame the
// director, nor retried against Slack.
func TestTokenTripsOnARefusedSend(t *testing.T) {
	sim := slacksim.New(slacksim.Options{})
	t.Cleanup(sim.Close)
	sim.AddUser(slacksim.User{ID: "U1DIR", Name: "anna", TZ: "Europe/Amsterdam"})
	db, err := store.Open(filepath.Join(t.TempDir(), "b.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	api := slack.New(sim.BotToken(), slack.OptionAPIURL(sim.APIURL()))
	b, err := bot.New(bot.Config{Store: db, Slack: api, Team: coach.TeamID(sim.TeamID()),
		Clock: coach.ClockFunc(time.Now), Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	sim.FailNext("chat.postMessage", 1, slacksim.Fault{Error: "token_revoked"})
	now := time.Now()
	key := coach.NewOccurrenceKey(coach.AdHoc, "U1DIR", now.Format(time.DateOnly)+".1")
	o := coach.Occurrence{Key: key, Schedule: coach.AdHoc, Director: "U1DIR", Habit: coach.Gemba,
		LocalDate: now.Format(time.DateOnly), Due: now}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := b.Loop.Deliver(ctx, o)
		done <- err
	}()
	select {
	case <-b.Token.Rejected():
	case err := <-done:
		t.Fatalf("Deliver = %v without tripping the token guard", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the token guard did not trip within 10 s of a token_revoked post")
	}
	cancel() // as cmd/bot does once the guard trips
	if err := <-done; err == nil {
		t.Errorf("Deliver with a revoked token = nil, want an error")
	}
	if got, err := db.Occurrence(t.Context(), key); err != nil || got.State != coach.Sending {
		t.Errorf("occurrence after a refused token = %q, %v; want still sending", got.State, err)
	}
	if n := len(sim.CallsTo("chat.postMessage")); n != 1 {
		t.Errorf("chat.postMessage calls = %d, want 1", n)
	}
	if err := b.Token.Err(); err == nil {
		t.Errorf("Token.Err() = nil after the guard tripped")
	}
}
