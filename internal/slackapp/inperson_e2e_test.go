package slackapp_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// "I said it in person" on the compliment prompt: one click records the
// habit without a public post, the message offers Add a note, whose form
// asks what was said; the kudos channel stays empty, and the Lean leader's
// kudos count with it.
func TestE2EComplimentInPerson(t *testing.T) {
	w := newWorldLoop(t, false)
	w.setUp()
	prompt := w.send("compliment", eDirector)
	if !hasAction(prompt, slackapp.ActionInPerson) || !strings.Contains(visible(prompt), "I said it in person") {
		t.Fatalf("compliment prompt = %s, want an I said it in person button", visible(prompt))
	}
	// Someone else's click records nothing.
	other := w.click(eOther, prompt, slackapp.ActionInPerson)
	if said, err := other.WaitEphemeral(w.ctx()); err != nil || !strings.Contains(said.Text, i18n.EN.T("svc.err.not_your_prompt")) {
		t.Errorf("another user's click: %q, %v; want it refused", said.Text, err)
	}
	if o := w.stored(prompt); o.Answer != nil {
		t.Fatalf("another user's click recorded %+v", o.Answer)
	}

	w.click(eDirector, prompt, slackapp.ActionInPerson)
	done := w.waitEdited(prompt, 1)
	if got := actionIDs(t, done); !slices.Equal(got, []string{slackapp.ActionNote}) || !strings.Contains(visible(done), "you said it in person") {
		t.Fatalf("prompt after I said it in person = %s with buttons %v, want it recorded and only Add a note", visible(done), got)
	}
	if o := w.stored(prompt); o.Answer == nil || o.Answer.Outcome != coach.Done || !o.Answer.InPerson {
		t.Fatalf("stored answer = %+v, want done in person", o.Answer)
	}

	v := w.noteModal(eDirector, done)
	if v.CallbackID != slackapp.ViewDone || !strings.Contains(string(v.Blocks), jsonText(i18n.EN.T("modal.in_person.note"))) {
		t.Fatalf("note form = %s %s, want the in-person note form", v.CallbackID, v.Blocks)
	}
	w.submit(eDirector, v, slacksim.Values{"note": "Told lee the handover <!channel> went calmly."})
	w.waitEdited(prompt, 2)
	if o := w.stored(prompt); o.Answer.Note != "Told lee the handover <!channel> went calmly." || !o.Answer.InPerson {
		t.Errorf("stored answer after the note = %+v", o.Answer)
	}
	for _, m := range w.sim.Messages(eKudos) {
		if m.IsBot() {
			t.Errorf("the kudos channel got a post: %s", visible(m))
		}
	}
	if ks, err := w.bot.db.KudosFor(w.ctx(), eLeader, time.Time{}); err != nil || len(ks) != 0 {
		t.Errorf("kudos for the Lean leader = %v, %v; want none", ks, err)
	}
	if s := w.slash(eDirector, "streak"); !strings.Contains(visible(s), "streak 1") {
		t.Errorf("/coach streak = %s, want the compliment at streak 1", visible(s))
	}
}
