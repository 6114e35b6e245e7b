package bot_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// guardedBot starts the bot on a local Slack with an admin and a director
// (Dutch, in Amsterdam), its due-loop off.
func guardedBot(t *testing.T) (*slacksim.Server, *bot.Bot) {
	t.Helper()
	sim := slacksim.New(slacksim.Options{})
	t.Cleanup(sim.Close)
	sim.AddUser(slacksim.User{ID: "U1ADM", Name: "ada", TZ: "Europe/Amsterdam", Locale: "nl-NL"})
	sim.AddUser(slacksim.User{ID: "U1DIR", Name: "anna", TZ: "Europe/Amsterdam", Locale: "nl-NL"})
	return sim, start(t, sim, bot.Options{Admins: []coach.UserID{"U1ADM"}, NoLoop: true, NoDigests: true})
}

// The Web API users outside the send path trip the assembly's guard when
// Slack refuses the token: an admin check (users.info), which also still
// fails closed (C6); the language of a reply (users.info through the
// profile cache); and App Home (views.publish). After the trip no path
// reaches Slack.
func TestTokenTripsOnEveryPath(t *testing.T) {
	tests := []struct {
		name   string
		method string // refused
		// run takes the path and says what was wrong with its outcome
		// while the token is refused ("" = as it should be).
		run func(ctx context.Context, b *bot.Bot) string
	}{
		{"admin check", "users.info", func(ctx context.Context, b *bot.Bot) string {
			if _, err := b.Portal.Admins(ctx, "U1ADM"); coach.ErrorCode(err) != coach.EFORBIDDEN {
				return "Admins by a listed admin = " + fmt.Sprint(err) + ", want EFORBIDDEN (fail closed)"
			}
			return ""
		}},
		{"language of a reply", "users.info", func(ctx context.Context, b *bot.Bot) string {
			if got := b.LangOf(ctx, "U1DIR"); got != i18n.EN {
				return fmt.Sprintf("LangOf with no profile = %v, want the default %v", got, i18n.EN)
			}
			return ""
		}},
		{"App Home", "views.publish", func(ctx context.Context, b *bot.Bot) string {
			if err := b.Surfaces.RefreshHome(ctx, "U1DIR"); err == nil {
				return "RefreshHome = nil error"
			}
			return ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, b := guardedBot(t)
			sim.FailNext(tt.method, 1, slacksim.Fault{Error: "token_revoked"})
			if bad := tt.run(t.Context(), b); bad != "" {
				t.Errorf("%s refused: %s", tt.method, bad)
			}
			select {
			case <-b.Token.Rejected():
			default:
				t.Fatalf("the guard did not trip when %s was refused", tt.method)
			}
			if ae, ok := errors.AsType[*slackio.AuthError](b.Token.Err()); !ok || ae.Method != tt.method {
				t.Errorf("Token.Err() = %v, want %s refused", b.Token.Err(), tt.method)
			}
			seq := sim.Seq()
			for _, again := range tests {
				again.run(t.Context(), b) // the outcome may come from a cache now; only the calls count
			}
			if n := len(sim.CallsTo(tt.method)); n != 1 {
				t.Errorf("%s calls = %d, want 1 (none after the trip)", tt.method, n)
			}
			for _, ev := range sim.Events() {
				if ev.Seq > seq && ev.Kind == slacksim.EventAPICall {
					t.Errorf("a Web API call after the trip: %+v", ev)
				}
			}
		})
	}
}
