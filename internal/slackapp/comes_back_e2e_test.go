package slackapp_test

import (
	"strings"
	"testing"

	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// What a director writes comes back: the note of a habit's last answer is
// on its next prompt, as typed (escaped), and stays when the prompt is
// answered.
func TestE2ELastNoteComesBack(t *testing.T) {
	w := newWorldLoop(t, false)
	w.setUp()
	first := w.send("gemba", eDirector)
	if strings.Contains(visible(first), "Last time you noted") {
		t.Fatalf("first gemba prompt = %s, want no last note", visible(first))
	}
	w.click(eDirector, first, slackapp.ActionAnswer)
	done := w.waitEdited(first, 1)
	w.submit(eDirector, w.noteModal(eDirector, done), slacksim.Values{"note": "Line 3 waits for parts <!here> every morning."})
	w.waitEdited(first, 2)

	next := w.send("gemba", eDirector)
	// As typed, escaped: Slack shows the &lt; and &gt; as < and >.
	want := i18n.EN.T("prompt.last_note", "Line 3 waits for parts &lt;!here&gt; every morning.")
	if !strings.Contains(visible(next), want) {
		t.Fatalf("next gemba prompt = %s, want %q", visible(next), want)
	}
	if strings.Contains(visible(next), "<!here>") {
		t.Errorf("the note is shown unescaped: %s", next.Blocks)
	}
	w.click(eDirector, next, slackapp.ActionNotToday)
	if after := w.waitEdited(next, 1); !strings.Contains(visible(after), want) {
		t.Errorf("answered gemba prompt = %s, want the last note kept", visible(after))
	}
}
