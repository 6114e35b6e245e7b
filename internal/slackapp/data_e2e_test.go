package slackapp_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// giveKudos has the director write a public compliment with word in it, as
// directors do (the kudos channel set by an admin first).
func (w *surfWorld) giveKudos(word string) {
	w.t.Helper()
	if m := w.slash(suOwner, "channel <#"+suKudos+"|kudos>"); refused(m.Text, "channel") {
		w.t.Fatalf("channel = %q", m.Text)
	}
	m := w.slash(suDirector, "kudos <@"+suLeader+"|lee> the "+word+" board at the stand-up was spot on")
	err := w.sim.WaitFor(w.ctx(), func() bool {
		for _, k := range w.sim.Messages(suKudos) {
			if strings.Contains(k.Text+string(k.Blocks), word) {
				return true
			}
		}
		return false
	})
	if err != nil {
		w.t.Fatalf("kudos with %q never reached the channel (reply %q): %v", word, m.Text, err)
	}
}

// exportedFile returns the newest file the bot shared in user's DM.
func (w *surfWorld) exportedFile(user string) slacksim.File {
	w.t.Helper()
	return dmFile(w.t, w.sim, user)
}

func TestE2EExport(t *testing.T) {
	w := newSurfWorld(t)
	w.seedDirector("capybara")
	w.giveKudos("wombat")
	// Typed in a channel: the file must still go to the DM only.
	r, err := w.sim.As(suDirector).Slash(w.ctx(), "/coach", "export", slacksim.InChannel(suKudos))
	if err != nil {
		t.Fatal(err)
	}
	m, err := r.WaitResponse(w.ctx())
	if err != nil {
		t.Fatal(err)
	}
	if m.Text != i18n.EN.T("data.export.sent") {
		t.Errorf("export reply = %q", m.Text)
	}
	f := w.exportedFile(suDirector)
	if len(f.Channels) != 1 || f.Channels[0] != w.sim.DMChannel(suDirector) {
		t.Errorf("export shared in %v, want only the DM %s", f.Channels, w.sim.DMChannel(suDirector))
	}
	if !strings.HasSuffix(f.Name, ".json") || f.Length != len(f.Data) {
		t.Errorf("export file %q: length %d, %d bytes", f.Name, f.Length, len(f.Data))
	}
	var doc coach.Export
	if err := json.Unmarshal(f.Data, &doc); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, f.Data)
	}
	if doc.Format != coach.ExportFormat || doc.SchemaVersion != coach.ExportSchemaVersion || len(doc.Users) != 1 {
		t.Fatalf("export header = %q %d with %d users, want the director alone", doc.Format, doc.SchemaVersion, len(doc.Users))
	}
	data := doc.Users[0]
	if data.UserID != suDirector || data.Director == nil {
		t.Errorf("export of %q, director %v", data.UserID, data.Director)
	}
	if len(data.Occurrences) != 4 || len(data.KudosGiven) != 1 || !strings.Contains(data.KudosGiven[0].Text, "wombat") {
		t.Errorf("export has %d occurrences and kudos %+v, want 4 and the wombat compliment", len(data.Occurrences), data.KudosGiven)
	}
	if !bytes.Contains(f.Data, []byte("capybara")) {
		t.Errorf("export lacks the director's own private note")
	}
	// Nobody else's notes: an export by the leader holds no note of the director.
	w.slash(suLeader, "export")
	if lf := w.exportedFile(suLeader); bytes.Contains(lf.Data, []byte("capybara")) {
		t.Errorf("the leader's export holds the director's private note")
	}
}

func TestE2EForget(t *testing.T) {
	w := newSurfWorld(t)
	w.seedDirector("capybara")
	w.giveKudos("wombat")
	scan := func() (int, int) {
		t.Helper()
		b, err := os.ReadFile(w.db.Path())
		if err != nil {
			t.Fatal(err)
		}
		return bytes.Count(b, []byte("capybara")), bytes.Count(b, []byte("wombat"))
	}
	if notes, kudos := scan(); notes == 0 || kudos == 0 {
		t.Fatalf("before forget the file holds the note %d times and the kudos %d times; want both > 0", notes, kudos)
	}

	ask := w.slash(suDirector, "forget")
	if !strings.Contains(ask.Text, "Erase everything") {
		t.Fatalf("forget = %q, want a question", ask.Text)
	}
	if n, k := scan(); n == 0 || k == 0 {
		t.Fatalf("forget erased before it was confirmed")
	}
	// Someone else clicking the button changes nothing.
	if _, err := w.sim.As(suMember).Click(w.ctx(), ask, "data.forget.confirm"); err == nil {
		if n, _ := scan(); n == 0 {
			t.Fatalf("a click by another user erased the director's data")
		}
	}
	r, err := w.sim.As(suDirector).Click(w.ctx(), ask, "data.forget.confirm")
	if err != nil {
		t.Fatalf("confirm: %v", err)
	}
	done, err := r.WaitResponse(w.ctx())
	if err != nil {
		t.Fatalf("no answer to the confirmation: %v", err)
	}
	if done.Text != i18n.EN.T("data.forget.done") {
		t.Errorf("forget confirmed = %q", done.Text)
	}
	notes, kudos := scan()
	t.Logf("after forget: the note %d times, the kudos %d times in %s", notes, kudos, w.db.Path())
	if notes != 0 || kudos != 0 {
		t.Errorf("after forget the file holds the note %d times and the kudos %d times, want 0", notes, kudos)
	}
	if _, err := w.db.Director(t.Context(), suDirector); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("director after forget = %v, want ENOTFOUND", err)
	}
	// The Home is redrawn as a stranger's.
	err = w.sim.WaitFor(w.ctx(), func() bool {
		v, ok := w.sim.Home(suDirector)
		return ok && strings.Contains(shown("", v.Blocks), i18n.EN.T("home.stranger.title"))
	})
	if err != nil {
		t.Errorf("home after forget is not the stranger's: %v", err)
	}
}

func TestE2EForgetCancel(t *testing.T) {
	w := newSurfWorld(t)
	w.seedDirector("capybara")
	ask := w.slash(suDirector, "forget")
	r, err := w.sim.As(suDirector).Click(w.ctx(), ask, "data.forget.cancel")
	if err != nil {
		t.Fatal(err)
	}
	m, err := r.WaitResponse(w.ctx())
	if err != nil || m.Text != i18n.EN.T("data.forget.cancelled") {
		t.Fatalf("cancel = %q, %v", m.Text, err)
	}
	if _, err := w.db.Director(t.Context(), suDirector); err != nil {
		t.Errorf("director after cancel = %v, want kept", err)
	}
}
