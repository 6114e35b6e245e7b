package slackapp_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// Slack refusing the bot token is neither the recipient's fault (the prompt
// is not Failed) nor worth a retry: the Poster returns an *AuthError, trips
// its TokenGuard, and from then on answers every Post and Find with it
// without calling Slack, so the prompts stay Sending for the next process.
// account_inactive is taken as the token's only when auth.test refuses the
// token too.
func TestPosterAuthErrors(t *testing.T) {
	tests := []struct {
		name   string
		method string // the call that is refused
		code   string
		auth   *slacksim.Fault // auth.test's answer, nil = ok
		trips  bool
		perm   bool // a permanent SlackError (the recipient's)
	}{
		{name: "invalid_auth", method: "chat.postMessage", code: "invalid_auth", trips: true},
		{name: "token_revoked", method: "chat.postMessage", code: "token_revoked", trips: true},
		{name: "not_authed", method: "chat.postMessage", code: "not_authed", trips: true},
		{name: "token_expired", method: "chat.postMessage", code: "token_expired", trips: true},
		{name: "account_inactive of the token", method: "chat.postMessage", code: "account_inactive",
			auth: &slacksim.Fault{Error: "account_inactive"}, trips: true},
		{name: "account_inactive with a token auth.test accepts", method: "chat.postMessage", code: "account_inactive", perm: true},
		{name: "account_inactive and auth.test unclear", method: "chat.postMessage", code: "account_inactive",
			auth: &slacksim.Fault{Status: http.StatusInternalServerError}},
		{name: "invalid_auth while reconciling", method: "conversations.open", code: "invalid_auth", trips: true},
		{name: "token_revoked while reconciling", method: "conversations.history", code: "token_revoked", trips: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, p := newSim(t, slacksim.Options{})
			sim.FailNext(tt.method, 1, slacksim.Fault{Error: tt.code})
			if tt.auth != nil {
				sim.FailNext("auth.test", 1, *tt.auth)
			}
			o := occFor("U1DIR")
			var err error
			if tt.method == "chat.postMessage" {
				_, _, err = p.Post(t.Context(), o, string(o.Key))
			} else {
				if tt.method == "conversations.history" { // the DM is known from a post
					if _, _, err := p.Post(t.Context(), o, string(o.Key)+"#r1"); err != nil {
						t.Fatal(err)
					}
				}
				_, _, _, err = p.Find(t.Context(), o, string(o.Key), time.Now().Add(-time.Minute))
			}
			if err == nil {
				t.Fatalf("%s refused with %s: err = nil", tt.method, tt.code)
			}
			ae, isAuth := errors.AsType[*slackio.AuthError](err)
			if isAuth != tt.trips || (isAuth && ae.ErrorCode() != tt.code) {
				t.Errorf("error = %v (*AuthError %v), want an *AuthError %v with code %s", err, isAuth, tt.trips, tt.code)
			}
			if got := slackio.IsPermanent(err); got != tt.perm {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, got, tt.perm)
			}
			if _, retry := slackio.RetryAfter(err); retry {
				t.Errorf("RetryAfter(%v) = true, want no wait", err)
			}
			tripped := p.Token().Err() != nil
			select {
			case <-p.Token().Rejected():
				if !tripped {
					t.Errorf("Rejected closed but Err = nil")
				}
			default:
				if tripped {
					t.Errorf("Err = %v but Rejected is open", p.Token().Err())
				}
			}
			if tripped != tt.trips {
				t.Fatalf("token guard tripped = %v (%v), want %v", tripped, p.Token().Err(), tt.trips)
			}

			// Slack would take the next calls, but after a refused token the
			// Poster makes none.
			calls := len(sim.Calls())
			_, _, perr := p.Post(t.Context(), o, string(o.Key)+"#r2")
			_, _, _, ferr := p.Find(t.Context(), o, string(o.Key), time.Now().Add(-time.Minute))
			if !tt.trips {
				if perr != nil || ferr != nil {
					t.Errorf("after %s the next Post, Find = %v, %v; want both to work", tt.code, perr, ferr)
				}
				return
			}
			for _, e := range []error{perr, ferr} {
				if !errors.Is(e, p.Token().Err()) {
					t.Errorf("call after the token was refused = %v, want the first *AuthError %v", e, p.Token().Err())
				}
			}
			if n := len(sim.Calls()) - calls; n != 0 {
				t.Errorf("%d Web API calls after the token was refused, want 0", n)
			}
		})
	}
}

// Posters given one TokenGuard share it: a refusal seen by one stops the
// other, and the first refusal is the one remembered.
func TestPosterSharedTokenGuard(t *testing.T) {
	sim, _ := newSim(t, slacksim.Options{})
	guard := slackio.NewTokenGuard()
	api := slack.New(sim.BotToken(), slack.OptionAPIURL(sim.APIURL()))
	a := slackapp.NewPoster(api, plainRender, slackapp.PosterOptions{Token: guard})
	b := slackapp.NewPoster(api, plainRender, slackapp.PosterOptions{Token: guard})
	sim.FailNext("chat.postMessage", 2, slacksim.Fault{Error: "token_revoked"})
	o := occFor("U1DIR")
	if _, _, err := a.Post(t.Context(), o, string(o.Key)); err == nil {
		t.Fatal("Post with a revoked token = nil")
	}
	if b.Token() != guard {
		t.Errorf("Token() = %p, want the guard given %p", b.Token(), guard)
	}
	_, _, err := b.Post(t.Context(), occFor("U2DIR"), "other")
	if ae, ok := errors.AsType[*slackio.AuthError](err); !ok || ae.Code != "token_revoked" {
		t.Errorf("the other Poster's Post = %v, want the shared *AuthError token_revoked", err)
	}
	if n := len(sim.CallsTo("chat.postMessage")); n != 1 {
		t.Errorf("chat.postMessage calls = %d, want 1", n)
	}
	guard.Trip(&slackio.AuthError{Method: "x", Code: "invalid_auth"})
	if ae, _ := errors.AsType[*slackio.AuthError](guard.Err()); ae == nil || ae.Code != "token_revoked" {
		t.Errorf("guard.Err() after a second Trip = %v, want the first refusal", guard.Err())
	}
}

// Observe, for the Web API users other than the Poster, trips only on the
// codes that can mean nothing but the token.
func TestTokenGuardObserve(t *testing.T) {
	tests := []struct {
		err   error
		trips bool
	}{
		{slack.SlackErrorResponse{Err: "invalid_auth"}, true},
		{slack.SlackErrorResponse{Err: "token_revoked"}, true},
		{slack.SlackErrorResponse{Err: "not_authed"}, true},
		{slack.SlackErrorResponse{Err: "token_expired"}, true},
		{slack.SlackErrorResponse{Err: "account_inactive"}, false}, // the Poster's auth.test settles it
		{slack.SlackErrorResponse{Err: "message_not_found"}, false},
		{slack.StatusCodeError{Code: 401, Status: "401 Unauthorized"}, false},
		{errors.New("invalid_auth"), false},
		{nil, false},
	}
	for _, tt := range tests {
		g := slackio.NewTokenGuard()
		got := g.Observe("chat.update", tt.err)
		if (got != nil) != tt.trips || (g.Err() != nil) != tt.trips {
			t.Errorf("Observe(%v) = %v, guard %v; want tripped %v", tt.err, got, g.Err(), tt.trips)
		}
	}
	var none *slackio.TokenGuard
	if got := none.Observe("views.open", slack.SlackErrorResponse{Err: "invalid_auth"}); got != nil {
		t.Errorf("nil guard Observe = %v, want nil", got)
	}
}
