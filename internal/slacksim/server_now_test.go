package slacksim_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/slacksim"
)

// Message timestamps follow the server's clock, also one set after start.
func TestSetNowStampsMessages(t *testing.T) {
	s := slacksim.New(slacksim.Options{})
	t.Cleanup(s.Close)
	s.AddUser(slacksim.User{ID: "U0NOW0001", Name: "nina"})
	future := time.Now().Add(72 * time.Hour)
	s.SetNow(func() time.Time { return future })
	api := slack.New(s.BotToken(), slack.OptionAPIURL(s.APIURL()))
	_, ts, err := api.PostMessageContext(context.Background(), "U0NOW0001", slack.MsgOptionText("hi", false))
	if err != nil {
		t.Fatal(err)
	}
	sec, _, _ := strings.Cut(ts, ".")
	n, err := strconv.ParseInt(sec, 10, 64)
	if err != nil || n != future.Unix() {
		t.Errorf("ts = %s, want the set clock's second %d", ts, future.Unix())
	}
}

// A bot clock running far ahead (a sped-up campaign clock, the sandbox's
// demo clock) does not expire triggers: they live 3 s of real time.
func TestSetNowLeavesTriggerLife(t *testing.T) {
	s := newSim(t)
	ctx := ctxT(t)
	// No bot is connected: the command is not delivered, but its trigger
	// is minted all the same.
	r, _ := s.As("U1").Slash(ctx, "/coach", "x")
	if r.TriggerID == "" {
		t.Fatal("Slash gave no trigger_id")
	}
	later := time.Now().Add(time.Hour)
	s.SetNow(func() time.Time { return later })
	mv := slack.ModalViewRequest{Type: slack.VTModal, Title: slack.NewTextBlockObject("plain_text", "T", false, false),
		Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewDividerBlock()}}}
	if _, err := api(s).OpenViewContext(ctx, r.TriggerID, mv); err != nil {
		t.Errorf("OpenView after SetNow(+1h) = %v, want the trigger still alive", err)
	}
}
