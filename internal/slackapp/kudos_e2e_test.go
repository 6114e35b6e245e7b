package slackapp_test

import (
	"strings"
	"testing"
)

// A bare /coach kudos, or one with a Lean leader but no text, answers with
// what is missing and the kudos example, in the director's language; never
// with the syntax of another command.
func TestE2EKudosUsage(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	cases := []struct {
		user, text string
		want       []string
	}{
		{eDirector, "kudos", []string{"Mention the Lean leader you want to compliment", "For example: `/coach kudos @leader "}},
		{eDirector, "kudos   ", []string{"Mention the Lean leader you want to compliment", "`/coach kudos @leader "}},
		{eDirector, "kudos <@" + eLeader + "|lee>", []string{"Write the compliment after the @-mention.", "For example: `/coach kudos @leader "}},
		{eDirectorN, "kudos", []string{"Noem met een @-vermelding de Leanleider", "Bijvoorbeeld: `/coach kudos @leanleider "}},
		{eDirectorN, "kudos <@" + eLeader2 + "|lotte>", []string{"Schrijf het compliment na de @-vermelding.", "`/coach kudos @leanleider "}},
	}
	for _, c := range cases {
		t.Run(c.user+" "+c.text, func(t *testing.T) {
			out := visible(w.slash(c.user, c.text))
			for _, want := range c.want {
				if !strings.Contains(out, want) {
					t.Errorf("/coach %s = %s, want %q in it", c.text, out, want)
				}
			}
			for _, wrong := range []string{"director add", "the word `leader`", "het woord `leader`"} {
				if strings.Contains(out, wrong) {
					t.Errorf("/coach %s = %s, shows %q from another command", c.text, out, wrong)
				}
			}
		})
	}
	if got := w.sim.Messages(eKudos); len(got) != 0 {
		t.Errorf("kudos channel has %d messages after incomplete commands, want none", len(got))
	}
}
