package slackapp_test

import (
	"strings"
	"testing"

	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// The leader-aware line of a prompt ("No compliment for Ana yet") is
// context, as the last note is: it stays in the message after the prompt
// is snoozed and after it is answered, by a click or from the form, as it
// was when the prompt was sent (the answer does not move it to the next
// Lean leader).
func TestE2EFocusLineStaysAfterAnswer(t *testing.T) {
	w := newWorld(t)
	if m := w.slash(eAdmin, "channel <#"+eKudos+"|kudos>"); !strings.Contains(m.Text, "joined") {
		t.Fatalf("/coach channel = %q", m.Text)
	}
	w.slash(eAdmin, "director add <@"+eDirector+"|dana> leader <@"+eLeader+"|lee> <@"+eOther+"|otto>")
	lee := "<@" + eLeader + ">"
	has := func(what string, m slacksim.Message, line string) {
		t.Helper()
		if s := visible(m); !strings.Contains(s, line) {
			t.Errorf("%s lacks the Lean leader's line %q:\n%s", what, line, s)
		}
	}

	gembaLine := i18n.EN.T("focus.end", i18n.EN.T("focus.gemba.never", lee))
	gemba := w.send("gemba", eDirector)
	has("gemba prompt", gemba, gembaLine)
	w.click(eDirector, gemba, slackapp.ActionAnswer)
	has("gemba prompt done", w.waitEdited(gemba, 1), gembaLine)

	complimentLine := i18n.EN.T("focus.end", i18n.EN.T("focus.compliment.never", lee))
	compliment := w.send("compliment", eDirector)
	has("compliment prompt", compliment, complimentLine)
	w.click(eDirector, compliment, slackapp.ActionSnooze, slacksim.Choose("hour:"+string(promptKey(t, compliment))))
	has("compliment prompt snoozed", w.waitEdited(compliment, 1), complimentLine)
	v := w.openModal(eDirector, w.message(compliment))
	w.submit(eDirector, v, slacksim.Values{"text": "Thanks for the calm dagstart."})
	done := w.waitEdited(compliment, 2)
	if o := w.stored(compliment); o.Answer == nil || o.Answer.Leader != eLeader {
		t.Fatalf("compliment answer = %+v, want it to lee (preselected)", o.Answer)
	}
	has("compliment prompt done", done, complimentLine)
}
