package slacksim_test

import (
	"testing"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/slacksim"
)

func TestClearFaults(t *testing.T) {
	s := slacksim.New(slacksim.Options{})
	t.Cleanup(s.Close)
	api := slack.New(s.BotToken(), slack.OptionAPIURL(s.APIURL()))
	authTest := func() string {
		t.Helper()
		_, err := api.AuthTestContext(t.Context())
		if err == nil {
			return ""
		}
		return err.Error()
	}
	s.FailNext("auth.test", 3, slacksim.Fault{Error: "token_revoked"})
	s.FailNext("users.info", 3, slacksim.Fault{Error: "token_revoked"})
	if got := authTest(); got != "token_revoked" {
		t.Fatalf("auth.test with a fault queued = %q, want token_revoked", got)
	}
	s.ClearFaults("auth.test")
	if got := authTest(); got != "" {
		t.Errorf("auth.test after ClearFaults(auth.test) = %q, want ok", got)
	}
	if _, err := api.GetUserInfoContext(t.Context(), "U1"); err == nil || err.Error() != "token_revoked" {
		t.Errorf("users.info after clearing only auth.test = %v, want its own fault token_revoked", err)
	}
	s.ClearFaults()
	if _, err := api.GetUserInfoContext(t.Context(), "U1"); err != nil && err.Error() == "token_revoked" {
		t.Errorf("users.info after ClearFaults() = %v, want no injected fault", err)
	}
}
