package slackapp_test

import (
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
)

// A compliment said in person: the message says so and offers Add a note
// (a posted compliment offers none); its note form asks what was said.
func TestRenderComplimentInPerson(t *testing.T) {
	o := sfOcc(sfDir, coach.Compliment, sfNow, "")
	o.Answer = &coach.Answer{Outcome: coach.Done, At: sfNow, By: sfDir, InPerson: true}
	for _, l := range i18n.Langs() {
		name := "answered_compliment_in_person." + string(l)
		text, blocks := slackapp.RenderOccurrence(l, o, slackapp.AnsweredInfo{Streak: 3, Loc: sfNow.Location(), KudosChannel: "C0KUDOS01"})
		checkMessage(t, name, text, blocks)
		s := readableJSON(blocks)
		if !strings.Contains(s, `"action_id":"lc_prompt_note"`) || strings.Contains(s, "C0KUDOS01") {
			t.Errorf("%s = %s, want Add a note and no kudos channel", name, s)
		}
		modal := "modal_in_person." + string(l)
		checkView(t, modal, slackapp.RenderAnswerModal(l, o, slackapp.ModalInfo{}))
	}
	posted := sfOcc(sfDir, coach.Compliment, sfNow, "")
	posted.Answer = &coach.Answer{Outcome: coach.Done, At: sfNow, By: sfDir, Leader: pathHistory, Text: "Well done"}
	_, blocks := slackapp.RenderOccurrence(i18n.EN, posted, slackapp.AnsweredInfo{Loc: time.UTC, KudosChannel: "C0KUDOS01"})
	if s := readableJSON(blocks); strings.Contains(s, `"action_id":"lc_prompt_note"`) {
		t.Errorf("a posted compliment offers a private note: %s", s)
	}
}

// A habit's prompt shows the note of its last answer, escaped and cut to
// fit, in both languages.
func TestRenderPromptLastNote(t *testing.T) {
	o := sfOcc(sfDir, coach.Gemba, sfNow, "")
	for _, l := range i18n.Langs() {
		name := "prompt_gemba_last_note." + string(l)
		text, blocks := slackapp.RenderPromptInfo(l, o, slackapp.PromptInfo{LastNote: "Line 3 waits for <parts> & tools."})
		checkMessage(t, name, text, blocks)
		if s := readableJSON(blocks); !strings.Contains(s, "Line 3 waits for &lt;parts&gt; &amp; tools.") {
			t.Errorf("%s does not show the note escaped:\n%s", name, s)
		}
	}
	_, blocks := slackapp.RenderPromptInfo(i18n.EN, o, slackapp.PromptInfo{LastNote: strings.Repeat("long note ", 500)})
	if s := readableJSON(blocks); strings.Count(s, "long note") > 40 {
		t.Errorf("a long last note is shown whole:\n%s", s)
	}
}
