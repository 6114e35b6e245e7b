package sandbox_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/leancoach/leancoach/internal/sandbox"
	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// The in-test bot and workspace: a director, a leader, #kudos, and a bot
// whose routes exercise every surface the page shows.
const (
	director = "U0DIR0001"
	leader   = "U0LEAD001"
	kudos    = "C0KUDOS01"
)

type fixture struct {
	sim   *slacksim.Server
	web   *httptest.Server
	page  *sandbox.Server
	clock *sandbox.Clock
	pokes atomic.Int32
	// got receives what the bot saw of each widget click and form submission.
	got chan string
}

// newFixture starts the workspace, the test bot and the page; with sets
// more of the page's options.
func newFixture(t *testing.T, with ...func(*sandbox.Options)) *fixture {
	t.Helper()
	sim := slacksim.New(slacksim.Options{})
	t.Cleanup(sim.Close)
	sim.AddUser(slacksim.User{ID: director, Name: "maarten", RealName: "Maarten Jansen", TZ: "Europe/Amsterdam", Locale: "en-GB"})
	sim.AddUser(slacksim.User{ID: leader, Name: "fatima", RealName: "Fatima El Amrani", TZ: "Europe/Amsterdam", Locale: "nl-NL"})
	sim.AddUser(slacksim.User{ID: "U0OTHER01", Name: "guest", RealName: "Not Selectable"})
	sim.AddChannel(slacksim.Channel{ID: kudos, Name: "kudos", Members: []string{director, leader, sim.BotUserID()}})
	f := &fixture{sim: sim, clock: sandbox.NewClock(nil), got: make(chan string, 100)}
	startBot(t, sim, f.got)

	opts := sandbox.Options{
		Logger: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel),
		Clock:  f.clock,
		Poke:   func() { f.pokes.Add(1) },
		Roles:  map[string]string{director: "director", leader: "leader"},
	}
	for _, w := range with {
		w(&opts)
	}
	f.page = sandbox.New(sim, opts)
	f.web = httptest.NewServer(f.page)
	t.Cleanup(f.web.Close)
	t.Cleanup(f.page.Close) // runs first: ends event streams so the server can close
	return f
}

// startBot runs slackapp with routes built for this test over Socket Mode.
func startBot(t *testing.T, sim *slacksim.Server, got chan<- string) {
	t.Helper()
	api := slack.New(sim.BotToken(), slack.OptionAPIURL(sim.APIURL()), slack.OptionAppLevelToken(sim.AppToken()))
	r := slackio.NewRouter()
	registerWidgets(r, api, got)
	r.Command("/coach", func(ctx context.Context, cmd slack.SlashCommand) (slackio.Reply, error) {
		word, rest, _ := strings.Cut(cmd.Text, " ")
		switch word {
		case "prompt":
			_, _, err := api.PostMessageContext(ctx, cmd.UserID, slack.MsgOptionText("Give a compliment", false),
				slack.MsgOptionBlocks(
					slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "*Give a compliment* to <@"+leader+">", false, false), nil, nil),
					slack.NewActionBlock("acts",
						slack.NewButtonBlockElement("answer", "k1", slack.NewTextBlockObject("plain_text", "Write a compliment", false, false)).WithStyle(slack.StylePrimary),
						slack.NewOptionsSelectBlockElement("static_select", slack.NewTextBlockObject("plain_text", "Snooze…", false, false), "snooze",
							slack.NewOptionBlockObject("hour", slack.NewTextBlockObject("plain_text", "For an hour", false, false), nil)))))
			if err != nil {
				return slackio.Reply{}, err
			}
			return slackio.Reply{Text: "Sent."}, nil
		case "echo":
			return slackio.Reply{Text: "you typed: " + rest}, nil
		case "file": // shares a file in the DM, as /coach export does
			ch, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{cmd.UserID}, ReturnIM: true})
			if err != nil {
				return slackio.Reply{}, err
			}
			data := `{"habits":["standup"],"note":"<b>&"}`
			_, err = api.UploadFileContext(ctx, slack.UploadFileParameters{Reader: strings.NewReader(data), FileSize: len(data),
				Filename: "leancoach-export.json", Title: "Your <data>", InitialComment: "Here is your data.", Channel: ch.ID})
			if err != nil {
				return slackio.Reply{}, err
			}
			return slackio.Reply{Text: "Shared."}, nil
		}
		return slackio.Reply{Text: "unknown"}, nil
	})
	r.Action("answer", func(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
		_, err := api.OpenViewContext(ctx, cb.TriggerID, slack.ModalViewRequest{
			Type: slack.VTModal, CallbackID: "compliment",
			Title:  slack.NewTextBlockObject("plain_text", "Compliment", false, false),
			Submit: slack.NewTextBlockObject("plain_text", "Post it", false, false),
			Close:  slack.NewTextBlockObject("plain_text", "Cancel", false, false),
			Blocks: slack.Blocks{BlockSet: []slack.Block{
				slack.NewInputBlock("leader", slack.NewTextBlockObject("plain_text", "For", false, false), nil,
					&slack.SelectBlockElement{Type: slack.OptTypeUser, ActionID: "leader", InitialUser: leader}),
				slack.NewInputBlock("text", slack.NewTextBlockObject("plain_text", "Your compliment", false, false), nil,
					&slack.PlainTextInputBlockElement{Type: slack.METPlainTextInput, ActionID: "text", Multiline: true}),
			}},
		})
		return err
	})
	r.Action("snooze", func(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
		_, _, _, err := api.UpdateMessageContext(ctx, cb.Channel.ID, cb.Container.MessageTs,
			slack.MsgOptionText("Snoozed: "+act.SelectedOption.Value, false), slack.MsgOptionBlocks())
		return err
	})
	r.View("compliment", slackio.ViewHandler{
		Validate: func(cb slack.InteractionCallback) map[string]string {
			if len(cb.View.State.Values["text"]["text"].Value) < 5 {
				return map[string]string{"text": "Write a little more <please>."}
			}
			return nil
		},
		Handle: func(ctx context.Context, cb slack.InteractionCallback) error {
			v := cb.View.State.Values
			_, _, err := api.PostMessageContext(ctx, kudos, slack.MsgOptionText(
				fmt.Sprintf("Kudos for <@%s> from <@%s>: %s", v["leader"]["leader"].SelectedUser, cb.User.ID, v["text"]["text"].Value), false))
			return err
		},
	})
	r.Event("app_home_opened", func(ctx context.Context, ev slackevents.EventsAPIEvent) error {
		e := ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent)
		_, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: e.User, View: slack.HomeTabViewRequest{
			Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{
				slack.NewHeaderBlock(slack.NewTextBlockObject("plain_text", "Your habits", false, false)),
				slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "*Compliment*: streak 1", false, false), nil, nil),
			}}}})
		return err
	})
	app := slackio.New(slackio.Config{Sockets: []*socketmode.Client{socketmode.New(api)}, Router: r,
		Logger: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("bot did not stop within 10s")
		}
	})
	wctx, wcancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer wcancel()
	if err := sim.WaitConnected(wctx); err != nil {
		t.Fatalf("bot never connected: %v", err)
	}
}

func (f *fixture) state(t *testing.T, as, channel string) sandbox.State {
	t.Helper()
	res, err := http.Get(f.web.URL + "/api/state?as=" + as + "&channel=" + channel)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/state?as=%s = %s, want 200", as, res.Status)
	}
	body := new(bytes.Buffer)
	if _, err := body.ReadFrom(res.Body); err != nil {
		t.Fatal(err)
	}
	// The page reads .length of every list: none may be null.
	for _, list := range []string{"people", "channels", "messages", "modals"} {
		if strings.Contains(body.String(), `"`+list+`":null`) {
			t.Errorf("GET /api/state: %s is null, want a list", list)
		}
	}
	var st sandbox.State
	if err := json.Unmarshal(body.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func (f *fixture) post(t *testing.T, path string, body any) (int, sandbox.ActionResult) {
	t.Helper()
	b, _ := json.Marshal(body)
	res, err := http.Post(f.web.URL+path, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out sandbox.ActionResult
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func (f *fixture) do(t *testing.T, a sandbox.Action) sandbox.ActionResult {
	t.Helper()
	status, res := f.post(t, "/api/action", a)
	if status != http.StatusOK || !res.OK {
		t.Fatalf("POST /api/action %+v = %d %+v, want 200 ok", a, status, res)
	}
	return res
}

// waitFor polls nothing: it waits on slacksim's change notifications until
// the state of `as` satisfies cond.
func (f *fixture) waitFor(t *testing.T, as, channel string, cond func(sandbox.State) bool) sandbox.State {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var st sandbox.State
	err := f.sim.WaitFor(ctx, func() bool {
		var err error
		st, err = f.page.State(ctx, as, channel)
		return err == nil && cond(st)
	})
	if err != nil {
		t.Fatalf("state of %s never matched: %v; last: %+v", as, err, st)
	}
	return st
}

func TestStatePeopleAndChannels(t *testing.T) {
	f := newFixture(t)
	st := f.state(t, director, "")
	if st.Me.ID != director || st.Me.Role != "director" || st.Me.RoleText != "director" || st.Me.Lang != "en" {
		t.Errorf("state.me = %+v, want the English director", st.Me)
	}
	var people []string
	for _, p := range st.People {
		people = append(people, p.ID)
	}
	if got, want := strings.Join(people, ","), director+","+leader; got != want {
		t.Errorf("state.people = %s, want %s (only people with a role)", got, want)
	}
	if len(st.Channels) != 2 || st.Channels[0].ID != kudos || !st.Channels[1].IsDM || st.Channels[1].Name != "leancoach" {
		t.Fatalf("state.channels = %+v, want #kudos then the DM with leancoach", st.Channels)
	}
	if st.Channel != st.Channels[1].ID {
		t.Errorf("state.channel = %s, want the DM %s by default", st.Channel, st.Channels[1].ID)
	}
	if !st.Connected || !st.Clock || st.Labels["only_you"] != "Only visible to you" {
		t.Errorf("state = connected %v clock %v labels %v", st.Connected, st.Clock, st.Labels["only_you"])
	}
	if nl := f.state(t, leader, ""); nl.Labels["only_you"] != "Alleen zichtbaar voor jou" || nl.Me.RoleText != "Leanleider" {
		t.Errorf("Dutch leader's labels = %q, role %q", nl.Labels["only_you"], nl.Me.RoleText)
	}
	if first := f.state(t, "", ""); first.Me.ID != director {
		t.Errorf("state without a person = %s, want the first of the picker", first.Me.ID)
	}
	for _, who := range []string{"U0OTHER01", "U0NOBODY1", f.sim.BotUserID()} {
		res, err := http.Get(f.web.URL + "/api/state?as=" + who)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET /api/state?as=%s = %s, want 404", who, res.Status)
		}
	}
}

// TestPromptModalKudosHome walks the loop the browser test walks, through
// the JSON API: a prompt in the DM with an ephemeral answer, a modal with a
// validation error, the public kudos, a message updated in place, the Home.
func TestPromptModalKudosHome(t *testing.T) {
	f := newFixture(t)
	dm := f.sim.DMChannel(director)

	f.do(t, sandbox.Action{As: director, Kind: "message", Channel: dm, Text: "/coach prompt"})
	st := f.waitFor(t, director, "", func(st sandbox.State) bool { return len(st.Messages) == 2 })
	prompt, reply := st.Messages[0], st.Messages[1]
	if !prompt.IsBot || prompt.Author != "leancoach" || prompt.Ephemeral ||
		!strings.Contains(prompt.HTML, `<b>Give a compliment</b> to <span class="bk-mention">@Fatima El Amrani</span>`) ||
		!strings.Contains(prompt.HTML, `class="bk-button bk-primary" data-kind="button" data-action="answer"`) {
		t.Errorf("prompt = %+v, want the bot's DM with its blocks rendered", prompt)
	}
	if !reply.Ephemeral || !strings.Contains(reply.HTML, "Sent.") {
		t.Errorf("reply = %+v, want the ephemeral answer", reply)
	}
	if other := f.state(t, leader, dm); other.Channel == dm {
		t.Errorf("the leader can open the director's DM with the bot")
	}

	f.do(t, sandbox.Action{As: director, Kind: "click", Channel: prompt.Channel, TS: prompt.TS, ActionID: "answer", BlockID: "acts"})
	st = f.waitFor(t, director, "", func(st sandbox.State) bool { return len(st.Modals) == 1 })
	modal := st.Modals[0]
	if modal.Title != "Compliment" || modal.Submit != "Post it" || modal.Close != "Cancel" ||
		!strings.Contains(modal.HTML, `data-key="text/text"`) || !strings.Contains(modal.HTML, `<option value="`+leader+`" selected>`) {
		t.Errorf("modal = %+v, want the compliment modal with the leader preselected", modal)
	}

	res := f.do(t, sandbox.Action{As: director, Kind: "submit", ViewID: modal.ID, Inputs: map[string]string{"leader/leader": leader, "text/text": "ok"}})
	if res.Errors["text"] != "Write a little more <please>." {
		t.Errorf("submit(too short) errors = %v, want the bot's validation error", res.Errors)
	}
	st = f.state(t, director, "")
	if len(st.Modals) != 1 || !strings.Contains(st.Modals[0].HTML, `<div class="bk-error" role="alert">Write a little more &lt;please&gt;.</div>`) {
		t.Errorf("modal after refused submit = %+v, want it open with the error under the field", st.Modals)
	}

	f.do(t, sandbox.Action{As: director, Kind: "submit", ViewID: modal.ID,
		Inputs: map[string]string{"leader/leader": leader, "text/text": "Great stand-up <b>today</b> & more"}})
	st = f.waitFor(t, leader, kudos, func(st sandbox.State) bool { return len(st.Messages) == 1 })
	if got := st.Messages[0].HTML; !strings.Contains(got, `Kudos for <span class="bk-mention">@Fatima El Amrani</span> from <span class="bk-mention">@Maarten Jansen</span>: Great stand-up &lt;b&gt;today&lt;/b&gt; &amp; more`) {
		t.Errorf("kudos = %s, want the mentions as names and the text escaped", got)
	}
	if st := f.state(t, director, ""); len(st.Modals) != 0 {
		t.Errorf("modals after submit = %+v, want none", st.Modals)
	}

	f.do(t, sandbox.Action{As: director, Kind: "click", Channel: prompt.Channel, TS: prompt.TS, ActionID: "snooze", Values: []string{"hour"}})
	st = f.waitFor(t, director, "", func(st sandbox.State) bool { return len(st.Messages) == 2 && st.Messages[0].Edited })
	if got := st.Messages[0]; got.TS != prompt.TS || !strings.Contains(got.HTML, "Snoozed: hour") || strings.Contains(got.HTML, "data-action") {
		t.Errorf("prompt after snooze = %+v, want it updated in place without buttons", got)
	}

	f.do(t, sandbox.Action{As: director, Kind: "home"})
	st = f.waitFor(t, director, "", func(st sandbox.State) bool { return st.Home != nil })
	if !strings.Contains(st.Home.HTML, `<div class="bk-header" data-block=`) || !strings.Contains(st.Home.HTML, "<b>Compliment</b>: streak 1") {
		t.Errorf("home = %s, want the published Home", st.Home.HTML)
	}
}

func TestSlashTextIsEscapedLikeSlack(t *testing.T) {
	f := newFixture(t)
	f.do(t, sandbox.Action{As: director, Kind: "message", Text: "/coach echo @fatima in #kudos <b>"})
	st := f.waitFor(t, director, "", func(st sandbox.State) bool { return len(st.Messages) == 1 })
	// The bot got "<@U…|fatima> in <#C…|kudos> &lt;b&gt;" and echoed it as mrkdwn.
	want := `you typed: <span class="bk-mention">@Fatima El Amrani</span> in <span class="bk-mention">#kudos</span> &lt;b&gt;`
	if got := st.Messages[0].HTML; !strings.Contains(got, want) {
		t.Errorf("echo = %s, want %s", got, want)
	}
}

func TestCloseModal(t *testing.T) {
	f := newFixture(t)
	f.do(t, sandbox.Action{As: director, Kind: "message", Text: "/coach prompt"})
	st := f.waitFor(t, director, "", func(st sandbox.State) bool { return len(st.Messages) >= 1 && !st.Messages[0].Ephemeral })
	f.do(t, sandbox.Action{As: director, Kind: "click", Channel: st.Messages[0].Channel, TS: st.Messages[0].TS, ActionID: "answer"})
	st = f.waitFor(t, director, "", func(st sandbox.State) bool { return len(st.Modals) == 1 })
	f.do(t, sandbox.Action{As: director, Kind: "close", ViewID: st.Modals[0].ID})
	if st := f.state(t, director, ""); len(st.Modals) != 0 {
		t.Errorf("modals after close = %+v, want none", st.Modals)
	}
}

func TestActionErrors(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name   string
		a      sandbox.Action
		status int
	}{
		{"unknown person", sandbox.Action{As: "U0NOBODY1", Kind: "home"}, http.StatusBadRequest},
		{"unknown kind", sandbox.Action{As: director, Kind: "dance"}, http.StatusBadRequest},
		{"empty message", sandbox.Action{As: director, Kind: "message", Text: "  "}, http.StatusBadRequest},
		{"no such message", sandbox.Action{As: director, Kind: "click", Channel: kudos, TS: "1.000001", ActionID: "x"}, http.StatusNotFound},
		{"no such view", sandbox.Action{As: director, Kind: "submit", ViewID: "V0NOPE"}, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, res := f.post(t, "/api/action", tt.a)
			if status != tt.status || res.OK || res.Error == "" {
				t.Errorf("POST /api/action %+v = %d %+v, want %d with an error", tt.a, status, res, tt.status)
			}
		})
	}
}

func TestClockAPI(t *testing.T) {
	f := newFixture(t)
	before := f.clock.Now()
	if status, _ := f.post(t, "/api/clock", sandbox.ClockRequest{As: director, Action: "due"}); status != http.StatusOK {
		t.Fatalf("POST /api/clock due = %d, want 200", status)
	}
	if got := f.pokes.Load(); got != 1 {
		t.Errorf("pokes after due = %d, want 1", got)
	}
	if status, _ := f.post(t, "/api/clock", sandbox.ClockRequest{As: director, Action: "tomorrow"}); status != http.StatusOK {
		t.Fatalf("POST /api/clock tomorrow = %d, want 200", status)
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	now := f.clock.Now().In(ams)
	want := sandbox.NextMorning(before, ams, sandbox.MorningHour)
	if now.Before(want) || now.Sub(want) > time.Minute {
		t.Errorf("clock after tomorrow = %v, want about %v", now, want)
	}
	if got := f.pokes.Load(); got != 2 {
		t.Errorf("pokes after tomorrow = %d, want 2", got)
	}
	if st := f.state(t, director, ""); st.Now.Before(want) {
		t.Errorf("state.now = %v, want the sandbox time %v", st.Now, want)
	}
	for _, bad := range []sandbox.ClockRequest{{As: director, Action: "yesterday"}, {As: "U0NOBODY1", Action: "due"}, {Action: "tomorrow"}} {
		if status, _ := f.post(t, "/api/clock", bad); status != http.StatusBadRequest {
			t.Errorf("POST /api/clock %+v = %d, want 400", bad, status)
		}
	}
	if got := f.pokes.Load(); got != 2 {
		t.Errorf("pokes after refused clock requests = %d, want still 2", got)
	}
	noClock := httptest.NewServer(sandbox.New(f.sim, sandbox.Options{}))
	defer noClock.Close()
	res, err := http.Post(noClock.URL+"/api/clock", "application/json", strings.NewReader(`{"action":"due"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotImplemented {
		t.Errorf("POST /api/clock without a clock = %s, want 501", res.Status)
	}
}

func TestEventsStream(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.web.URL+"/api/events", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type = %q, want text/event-stream", ct)
	}
	lines := bufio.NewScanner(res.Body)
	next := func() string {
		for lines.Scan() {
			if l := lines.Text(); strings.HasPrefix(l, "data: ") {
				return strings.TrimPrefix(l, "data: ")
			}
		}
		t.Fatalf("stream ended: %v", lines.Err())
		return ""
	}
	if hello := next(); !strings.Contains(hello, `"seq"`) {
		t.Fatalf("first event = %s, want hello with seq", hello)
	}
	go func() { _, _ = f.page.Do(ctx, sandbox.Action{As: director, Kind: "message", Text: "/coach prompt"}) }()
	dm := f.sim.DMChannel(director)
	for {
		var ch sandbox.Change
		if err := json.Unmarshal([]byte(next()), &ch); err != nil {
			t.Fatal(err)
		}
		if ch.Kind == string(slacksim.EventMessage) && ch.Channel == dm {
			break
		}
	}
	f.page.Close()
	for lines.Scan() {
	}
	// The stream ended because the page closed: reaching here is the check.
}

func TestPageIsServed(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/", "/app.js", "/style.css"} {
		res, err := http.Get(f.web.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body := new(bytes.Buffer)
		_, _ = body.ReadFrom(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || body.Len() == 0 {
			t.Errorf("GET %s = %s (%d bytes), want the embedded file", path, res.Status, body.Len())
		}
		if strings.Contains(body.String(), "://cdn") || strings.Contains(body.String(), "https://fonts") {
			t.Errorf("GET %s refers to the network; the page must work offline", path)
		}
	}
}

func TestActionsFromOtherSitesAreRefused(t *testing.T) {
	f := newFixture(t)
	body := `{"as":"` + director + `","kind":"home"}`
	tests := []struct {
		name, contentType, origin string
		want                      int
	}{
		{"form post", "text/plain", "", http.StatusUnsupportedMediaType},
		{"other origin", "application/json", "https://evil.example", http.StatusForbidden},
		{"same origin", "application/json", f.web.URL, http.StatusOK},
		{"no origin (curl)", "application/json; charset=utf-8", "", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, f.web.URL+"/api/action", strings.NewReader(body))
			req.Header.Set("Content-Type", tt.contentType)
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.want {
				t.Errorf("POST /api/action (%s, Origin %q) = %s, want %d", tt.contentType, tt.origin, res.Status, tt.want)
			}
		})
	}
}
