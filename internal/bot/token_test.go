package bot_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// A prompt refused for the bot token trips the bot's Token, stops the bot
// with that error, and stays Sending: neither Failed, which would blame the
// director, nor retried against Slack.
func TestTokenTripsOnARefusedSend(t *testing.T) {
	sim := slacksim.New(slacksim.Options{})
	t.Cleanup(sim.Close)
	sim.AddUser(slacksim.User{ID: "U1DIR", Name: "anna", TZ: "Europe/Amsterdam"})
	b := start(t, sim, bot.Options{NoLoop: true, NoDigests: true})
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
	case <-b.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the bot did not stop within 10 s of a token_revoked post")
	}
	cancel()
	if err := <-done; err == nil {
		t.Errorf("Deliver with a revoked token = nil, want an error")
	}
	if got, err := b.DB.Occurrence(t.Context(), key); err != nil || got.State != coach.Sending {
		t.Errorf("occurrence after a refused token = %q, %v; want still sending", got.State, err)
	}
	if n := len(sim.CallsTo("chat.postMessage")); n != 1 {
		t.Errorf("chat.postMessage calls = %d, want 1", n)
	}
	err := b.Stop()
	if ae, ok := errors.AsType[*slackio.AuthError](err); !ok || ae.Code != "token_revoked" {
		t.Errorf("Stop() = %v, want the *slackio.AuthError token_revoked", err)
	}
}
