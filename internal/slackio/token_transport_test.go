package slackio_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// guardedClient is a slack.Client over sim whose transport observes g, as
// cmd/bot builds it.
func guardedClient(t *testing.T, sim *slacksim.Server, g *slackio.TokenGuard) *slack.Client {
	t.Helper()
	hc := &http.Client{Transport: g.Transport(nil)}
	t.Cleanup(hc.CloseIdleConnections)
	return slack.New(sim.BotToken(), slack.OptionAPIURL(sim.APIURL()),
		slack.OptionAppLevelToken(sim.AppToken()), slack.OptionHTTPClient(hc))
}

// webAPICalls are the Web API calls of the bot outside the Poster, each as
// its caller makes it: the directory and admin checks (users.info), App Home
// (views.publish), the kudos post and the digest (chat.postMessage,
// conversations.open, conversations.history), answers in place
// (chat.postEphemeral, chat.update), the kudos channel (conversations.join),
// forms (views.open) and the export (files.getUploadURLExternal).
var webAPICalls = []struct {
	method string
	call   func(ctx context.Context, api *slack.Client) error
}{
	{"users.info", func(ctx context.Context, api *slack.Client) error {
		_, err := api.GetUserInfoContext(ctx, "U1DIR", slack.GetUserInfoOptionIncludeLocale(true))
		return err
	}},
	{"views.publish", func(ctx context.Context, api *slack.Client) error {
		_, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1DIR",
			View: slack.HomeTabViewRequest{Type: slack.VTHomeTab}})
		return err
	}},
	{"chat.postMessage", func(ctx context.Context, api *slack.Client) error {
		_, _, err := api.PostMessageContext(ctx, "C1KUDOS", slack.MsgOptionText("kudos", false))
		return err
	}},
	{"conversations.open", func(ctx context.Context, api *slack.Client) error {
		_, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U1DIR"}, ReturnIM: true})
		return err
	}},
	{"chat.postEphemeral", func(ctx context.Context, api *slack.Client) error {
		_, err := api.PostEphemeralContext(ctx, "C1KUDOS", "U1DIR", slack.MsgOptionText("note", false))
		return err
	}},
	{"conversations.history", func(ctx context.Context, api *slack.Client) error {
		_, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C1KUDOS"})
		return err
	}},
	{"chat.update", func(ctx context.Context, api *slack.Client) error {
		_, _, _, err := api.UpdateMessageContext(ctx, "C1KUDOS", "1.000001", slack.MsgOptionText("x", false))
		return err
	}},
	{"conversations.join", func(ctx context.Context, api *slack.Client) error {
		_, _, _, err := api.JoinConversationContext(ctx, "C1KUDOS")
		return err
	}},
	{"views.open", func(ctx context.Context, api *slack.Client) error {
		_, err := api.OpenViewContext(ctx, "trigger", slack.ModalViewRequest{Type: slack.VTModal})
		return err
	}},
	{"files.getUploadURLExternal", func(ctx context.Context, api *slack.Client) error {
		_, err := api.UploadFileContext(ctx, slack.UploadFileParameters{Filename: "export.json",
			Reader: bytes.NewReader([]byte("{}")), FileSize: 2, Channel: "C1KUDOS"})
		return err
	}},
}

// Every Web API call made through the guard's Transport trips it on a
// refused token, hands the caller Slack's answer unchanged, and from then on
// no call of any method reaches Slack: each fails with the *AuthError.
func TestTokenTransportTripsOnEveryMethod(t *testing.T) {
	for _, tc := range webAPICalls {
		t.Run(tc.method, func(t *testing.T) {
			sim := slacksim.New(slacksim.Options{})
			t.Cleanup(sim.Close)
			sim.AddUser(slacksim.User{ID: "U1DIR", Name: "anna", TZ: "Europe/Amsterdam"})
			g := slackio.NewTokenGuard()
			api := guardedClient(t, sim, g)
			sim.FailNext(tc.method, 1, slacksim.Fault{Error: "token_revoked"})

			err := tc.call(t.Context(), api)
			var se slack.SlackErrorResponse
			if !errors.As(err, &se) || se.Err != "token_revoked" {
				t.Fatalf("%s refused = %v, want Slack's token_revoked passed on", tc.method, err)
			}
			ae, ok := errors.AsType[*slackio.AuthError](g.Err())
			if !ok || ae.Method != tc.method || ae.Code != "token_revoked" {
				t.Fatalf("guard.Err() after %s was refused = %v, want %s: token_revoked", tc.method, g.Err(), tc.method)
			}
			select {
			case <-g.Rejected():
			default:
				t.Fatal("Rejected() not closed after the trip")
			}

			before := len(sim.Calls())
			for _, again := range webAPICalls {
				err := again.call(t.Context(), api)
				if ae, ok := errors.AsType[*slackio.AuthError](err); !ok || ae.TokenRefused() != true {
					t.Errorf("%s after the trip = %v, want the *AuthError", again.method, err)
				}
			}
			if n := len(sim.Calls()) - before; n != 0 {
				t.Errorf("Web API calls after the trip = %d, want 0", n)
			}
		})
	}
}

// The transport trips only when the bot token is refused for sure: not on
// another error, not on account_inactive outside auth.test (it may be the
// recipient's), not on an HTTP status, and not on the app-level token's
// apps.connections.open.
func TestTokenTransportLeavesOtherAnswers(t *testing.T) {
	tests := []struct {
		name   string
		method string
		fault  slacksim.Fault
		call   func(ctx context.Context, api *slack.Client) error
		trips  bool
	}{
		{"users.info user_not_found", "users.info", slacksim.Fault{Error: "user_not_found"}, webAPICalls[0].call, false},
		{"users.info account_inactive", "users.info", slacksim.Fault{Error: "account_inactive"}, webAPICalls[0].call, false},
		{"chat.postMessage account_inactive", "chat.postMessage", slacksim.Fault{Error: "account_inactive"}, webAPICalls[2].call, false},
		{"views.publish 401", "views.publish", slacksim.Fault{Status: http.StatusUnauthorized}, webAPICalls[1].call, false},
		{"views.publish 500", "views.publish", slacksim.Fault{Status: http.StatusInternalServerError}, webAPICalls[1].call, false},
		{"apps.connections.open invalid_auth", "apps.connections.open", slacksim.Fault{Error: "invalid_auth"},
			func(ctx context.Context, api *slack.Client) error {
				_, _, err := api.StartSocketModeContext(ctx)
				return err
			}, false},
		{"auth.test account_inactive", "auth.test", slacksim.Fault{Error: "account_inactive"},
			func(ctx context.Context, api *slack.Client) error {
				_, err := api.AuthTestContext(ctx)
				return err
			}, true},
		{"auth.test not_authed", "auth.test", slacksim.Fault{Error: "not_authed"},
			func(ctx context.Context, api *slack.Client) error {
				_, err := api.AuthTestContext(ctx)
				return err
			}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := slacksim.New(slacksim.Options{})
			t.Cleanup(sim.Close)
			sim.AddUser(slacksim.User{ID: "U1DIR", Name: "anna", TZ: "Europe/Amsterdam"})
			g := slackio.NewTokenGuard()
			api := guardedClient(t, sim, g)
			sim.FailNext(tt.method, 1, tt.fault)
			if err := tt.call(t.Context(), api); err == nil {
				t.Fatalf("%s with %+v = nil error, want the fault", tt.method, tt.fault)
			}
			if tripped := g.Err() != nil; tripped != tt.trips {
				t.Fatalf("guard tripped = %v (%v) after %s, want %v", tripped, g.Err(), tt.name, tt.trips)
			}
			if tt.trips {
				return
			}
			// Still untripped, the next call goes to Slack as before.
			if err := webAPICalls[0].call(t.Context(), api); err != nil {
				t.Errorf("users.info after %s = %v, want ok", tt.name, err)
			}
		})
	}
}

// A long answer (more than the transport peeks at) reaches the caller whole.
func TestTokenTransportPassesLongAnswers(t *testing.T) {
	sim := slacksim.New(slacksim.Options{})
	t.Cleanup(sim.Close)
	sim.AddUser(slacksim.User{ID: "U1DIR", Name: "anna", TZ: "Europe/Amsterdam"})
	g := slackio.NewTokenGuard()
	api := guardedClient(t, sim, g)
	ch, _, _, err := api.OpenConversationContext(t.Context(), &slack.OpenConversationParameters{Users: []string{"U1DIR"}, ReturnIM: true})
	if err != nil {
		t.Fatal(err)
	}
	long := string(bytes.Repeat([]byte("gemba "), 4000)) // 24 KB of text per message
	for range 3 {
		if _, _, err := api.PostMessageContext(t.Context(), ch.ID, slack.MsgOptionText(long, false)); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := api.GetConversationHistoryContext(t.Context(), &slack.GetConversationHistoryParameters{ChannelID: ch.ID})
	if err != nil {
		t.Fatalf("conversations.history of 72 KB = %v", err)
	}
	if len(resp.Messages) != 3 || resp.Messages[0].Text != long {
		t.Errorf("conversations.history = %d messages, first %d bytes; want 3 of %d bytes", len(resp.Messages), len(resp.Messages[0].Text), len(long))
	}
	if g.Err() != nil {
		t.Errorf("guard tripped on ok answers: %v", g.Err())
	}
}
