package sandbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/sandbox"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// prefs is a settable sandbox.Prefs.
type prefs struct {
	mu   sync.Mutex
	lang map[string]i18n.Lang
	err  error
}

func (p *prefs) Lang(_ context.Context, user string) (i18n.Lang, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lang[user], p.err
}

func (p *prefs) set(user string, l i18n.Lang, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lang[user], p.err = l, err
}

// TestPageSpeaksChosenLanguage: the page's words follow /coach language
// (what Prefs says), then the Slack locale.
func TestPageSpeaksChosenLanguage(t *testing.T) {
	p := &prefs{lang: map[string]i18n.Lang{}}
	f := newFixture(t, func(o *sandbox.Options) { o.Prefs = p })
	check := func(step string, want i18n.Lang) {
		t.Helper()
		st := f.state(t, director, "")
		if st.Me.Lang != string(want) || st.Labels["send"] != want.T("sandbox.send") || st.People[0].Lang != string(want) {
			t.Errorf("%s: lang %q, send label %q, picker lang %q; want %s", step, st.Me.Lang, st.Labels["send"], st.People[0].Lang, want)
		}
	}
	check("English locale, no choice", i18n.EN)
	p.set(director, i18n.NL, nil)
	check("after /coach language nl", i18n.NL)
	p.set(director, i18n.EN, nil)
	check("after /coach language en", i18n.EN)
	p.set(director, i18n.NL, errors.New("database closed"))
	check("the choice cannot be read: the locale", i18n.EN)
	p.set(leader, i18n.EN, nil)
	p.set(director, "", nil)
	if st := f.state(t, leader, ""); st.Me.Lang != "en" || st.Labels["only_you"] != "Only visible to you" {
		t.Errorf("Dutch-locale leader who chose English: lang %q, label %q", st.Me.Lang, st.Labels["only_you"])
	}
}

// agenda is a fixed sandbox.Agenda.
type agenda struct {
	plans []sandbox.Planned
	err   error
}

func (a agenda) Upcoming(context.Context) ([]sandbox.Planned, error) { return a.plans, a.err }

// TestDueNote: "Send due prompts now" says how many prompts are due, or else
// what comes next and when (the person's own prompt first), in the person's
// zone and words; it always pokes the due-loop.
func TestDueNote(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	const sarah = "U0LONDON1"
	future := time.Now().Add(30 * time.Hour).Truncate(time.Minute)
	tests := []struct {
		name   string
		agenda sandbox.Agenda
		as     string
		want   string
	}{
		{"no agenda", nil, director, i18n.EN.T("sandbox.due.asked")},
		{"agenda fails", agenda{err: errors.New("closed")}, director, i18n.EN.T("sandbox.due.asked")},
		{"nothing planned", agenda{}, director, i18n.EN.T("sandbox.due.none_planned")},
		{"one due", agenda{plans: []sandbox.Planned{{Director: director, Habit: "standup", At: time.Now().Add(-time.Minute)},
			{Director: director, Habit: "question", At: future}}}, director, "1 prompt is due: sending it now."},
		{"two due", agenda{plans: []sandbox.Planned{{Director: director, Habit: "standup", At: time.Now().Add(-time.Minute)},
			{Director: sarah, Habit: "standup", At: time.Now().Add(-time.Hour)}}}, director, "2 prompts are due: sending them now."},
		{"own next first", agenda{plans: []sandbox.Planned{{Director: sarah, Habit: "standup", At: future.Add(-time.Hour)},
			{Director: director, Habit: "question", At: future}}}, director,
			i18n.EN.T("sandbox.due.next_mine", i18n.EN.T("habit.question.name"), i18n.EN.DateTime(future.In(ams)))},
		{"someone else's next", agenda{plans: []sandbox.Planned{{Director: sarah, Habit: "standup", At: future.Add(time.Hour)},
			{Director: sarah, Habit: "compliment", At: future}}}, director,
			i18n.EN.T("sandbox.due.next", i18n.EN.T("habit.compliment.name"), "Sarah Mitchell", i18n.EN.DateTime(future.In(ams)))},
		{"in Dutch", agenda{plans: []sandbox.Planned{{Director: sarah, Habit: "compliment", At: future}}}, leader,
			i18n.NL.T("sandbox.due.next", i18n.NL.T("habit.compliment.name"), "Sarah Mitchell", i18n.NL.DateTime(future.In(ams)))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, func(o *sandbox.Options) { o.Agenda = tt.agenda })
			f.addSarah()
			res := f.clockNote(t, tt.as, "due")
			if res.Note != tt.want {
				t.Errorf("note = %q, want %q", res.Note, tt.want)
			}
			if got := f.pokes.Load(); got != 1 {
				t.Errorf("pokes = %d, want 1", got)
			}
		})
	}
}

func (f *fixture) addSarah() {
	f.sim.AddUser(slacksim.User{ID: "U0LONDON1", Name: "sarah", RealName: "Sarah Mitchell", TZ: "Europe/London", Locale: "en-GB"})
}

func (f *fixture) clockNote(t *testing.T, as, action string) sandbox.ClockResult {
	t.Helper()
	body, _ := json.Marshal(sandbox.ClockRequest{As: as, Action: action})
	res, err := http.Post(f.web.URL+"/api/clock", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out sandbox.ClockResult
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusOK || !out.OK {
		t.Fatalf("POST /api/clock %s as %s = %s %+v %v", action, as, res.Status, out, err)
	}
	return out
}

// TestGuideState: the guide comes with every state, in the viewer's words,
// with its buttons labelled; a sandbox without one sends none.
func TestGuideState(t *testing.T) {
	steps := []sandbox.GuideStep{
		{Key: "kudos", Names: []string{director, leader}, Actions: []sandbox.GuideAction{
			{As: director, Command: "/coach kudos @fatima Well done"},
			{As: leader, Open: kudos},
		}},
		{Key: "home", Names: []string{director}, Actions: []sandbox.GuideAction{{As: director, Open: sandbox.OpenHome}, {Open: sandbox.OpenHome}}},
		{Key: "answer", Names: []string{director}, Actions: []sandbox.GuideAction{{As: director}, {Open: kudos}}},
	}
	f := newFixture(t, func(o *sandbox.Options) { o.Guide = steps })
	for _, c := range []struct {
		as   string
		lang i18n.Lang
	}{{director, i18n.EN}, {leader, i18n.NL}} {
		l := c.lang
		g := f.state(t, c.as, "").Guide
		if g == nil || g.Title != l.T("sandbox.guide.title") || g.Intro != l.T("sandbox.guide.intro") || g.Tip != l.T("sandbox.guide.tip") || len(g.Steps) != 3 {
			t.Fatalf("guide as %s = %+v, want three steps in %s", c.as, g, l)
		}
		k := g.Steps[0]
		if k.Key != "kudos" || k.Title != l.T("sandbox.guide.kudos.title") ||
			k.Text != l.T("sandbox.guide.kudos.text", "Maarten Jansen", "Fatima El Amrani") {
			t.Errorf("kudos step as %s = %+v", c.as, k)
		}
		want := []sandbox.GuideActionView{
			{As: director, Command: "/coach kudos @fatima Well done", Label: "/coach kudos @fatima Well done", Hint: l.T("sandbox.guide.as", "Maarten Jansen")},
			{As: leader, Open: kudos, Label: l.T("sandbox.guide.be_open", "Fatima El Amrani", "#kudos"), Hint: l.T("sandbox.guide.as", "Fatima El Amrani")},
			{As: director, Open: "home", Label: l.T("sandbox.guide.open_home_of", "Maarten Jansen"), Hint: l.T("sandbox.guide.as", "Maarten Jansen")},
			{Open: "home", Label: l.T("sandbox.guide.open_home")},
			{As: director, Label: l.T("sandbox.guide.be", "Maarten Jansen"), Hint: l.T("sandbox.guide.as", "Maarten Jansen")},
			{Open: kudos, Label: l.T("sandbox.guide.open", "#kudos")},
		}
		var got []sandbox.GuideActionView
		for _, s := range g.Steps {
			got = append(got, s.Actions...)
		}
		if len(got) != len(want) {
			t.Fatalf("actions as %s = %+v, want %+v", c.as, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("action %d as %s = %+v, want %+v", i, c.as, got[i], want[i])
			}
		}
	}
	if g := newFixture(t).state(t, director, "").Guide; g != nil {
		t.Errorf("guide without steps = %+v, want none", g)
	}
}

// TestSharedFile: a file the bot shares in a DM shows under its message as
// a card, and downloads for that person only.
func TestSharedFile(t *testing.T) {
	f := newFixture(t)
	f.do(t, sandbox.Action{As: director, Kind: "message", Text: "/coach file"})
	st := f.waitFor(t, director, "", func(st sandbox.State) bool {
		for _, m := range st.Messages {
			if strings.Contains(m.HTML, `class="file"`) {
				return true
			}
		}
		return false
	})
	var card string
	for _, m := range st.Messages {
		if strings.Contains(m.HTML, `class="file"`) {
			card = m.HTML
		}
	}
	for _, want := range []string{"Here is your data.", `download="leancoach-export.json"`, `<span class="file-title">Your &lt;data&gt;</span>`,
		`<span class="file-meta">leancoach-export.json · 36 bytes</span>`} {
		if !strings.Contains(card, want) {
			t.Errorf("message = %s, want %s", card, want)
		}
	}
	href := regexp.MustCompile(`href="([^"]+)"`).FindStringSubmatch(card)
	if href == nil {
		t.Fatalf("file card has no link: %s", card)
	}
	link := html.UnescapeString(href[1])
	get := func(path string) (*http.Response, string) {
		t.Helper()
		res, err := http.Get(f.web.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	res, body := get(link)
	if res.StatusCode != http.StatusOK || body != `{"habits":["standup"],"note":"<b>&"}` ||
		res.Header.Get("Content-Type") != "application/json" || res.Header.Get("X-Content-Type-Options") != "nosniff" ||
		res.Header.Get("Content-Disposition") != `attachment; filename=leancoach-export.json` {
		t.Errorf("GET %s = %s %v %q, want the file as an attachment", link, res.Status, res.Header, body)
	}
	for _, bad := range []string{
		strings.Replace(link, "as="+director, "as="+leader, 1), // not their DM
		strings.Replace(link, "as="+director, "as=U0NOBODY1", 1),
		"/api/file?as=" + director + "&id=F0NOPE",
		"/api/file",
	} {
		if res, _ := get(bad); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %s, want 404", bad, res.Status)
		}
	}
}
