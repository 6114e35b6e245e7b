package slackapp_test

import (
	"strings"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
)

// The domain names people by ID; the Slack side shows them as mentions,
// also in a message nested in another and in a list.
func TestErrorTextShowsNamedPeopleAsMentions(t *testing.T) {
	err := coach.Errorf(coach.EINVALID, "svc.err.not_your_leader", coach.Named("ULEAD09"),
		i18n.M("cmd.list.and", coach.Names{"ULEAD01", "ULEAD02"}, coach.Named("ULEAD03")))
	for _, l := range []i18n.Lang{i18n.EN, i18n.NL} {
		got := slackapp.ErrorText(l, err)
		for _, want := range []string{"<@ULEAD09>", "<@ULEAD01>, <@ULEAD02>", "<@ULEAD03>"} {
			if !strings.Contains(got, want) {
				t.Errorf("ErrorText(%s) = %q, want it to hold %q", l, got, want)
			}
		}
	}
	// Without the adapter the domain's message names the IDs, plain.
	if got := i18n.EN.Render(coach.ErrorMessage(err)); strings.Contains(got, "<@") || !strings.Contains(got, "ULEAD01, ULEAD02") {
		t.Errorf("Render = %q, want the IDs plain", got)
	}
}
