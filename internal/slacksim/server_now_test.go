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
