package slackapp_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// seedDirector registers the director with a weekday stand-up schedule and
// a few answered prompts (one with a private note holding secret).
func (w *surfWorld) seedDirector(secret string) {
	w.t.Helper()
	ctx := w.t.Context()
	if err := w.db.PutDirector(ctx, coach.Director{ID: suDirector, Leaders: []coach.UserID{suLeader}}); err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.db.PutSchedule(ctx, coach.Schedule{Habit: coach.Standup, When: "weekdays 08:45", ToAll: true}); err != nil {
		w.t.Fatal(err)
	}
	now := time.Now()
	for i, out := range []coach.Outcome{coach.Done, coach.NotToday, coach.Done, coach.Done} {
		due := now.AddDate(0, 0, i-4)
		o := sfOcc(suDirector, coach.Standup, due, out)
		o.Answer.Note, o.Answer.Observation = "", ""
		if i == 3 {
			o.Answer.Note = "we talked about the " + secret + " at the board"
		}
		if _, _, err := w.db.CreateOccurrence(ctx, o); err != nil {
			w.t.Fatal(err)
		}
	}
}

func (w *surfWorld) checkView(who string, v slacksim.View) string {
	w.t.Helper()
	raw, _ := json.Marshal(map[string]any{"type": v.Type, "blocks": v.Blocks, "callback_id": v.CallbackID})
	for _, p := range slacksim.ValidateView(raw) {
		w.t.Errorf("%s's home: Block Kit: %s", who, p)
	}
	return shown("", v.Blocks)
}

func TestE2EHomeDirector(t *testing.T) {
	w := newSurfWorld(t)
	w.seedDirector("capybara")
	got := w.checkView("director", w.home(suDirector))
	for _, want := range []string{
		i18n.EN.T("home.title"),
		i18n.EN.T(coach.Standup.NameKey()),
		"Streak *2* · best 2 · strength",
		"✅✖️✅✅",
		i18n.EN.T("home.next.title"),
		i18n.EN.T("home.button.pause_1w"),
		"Europe/Amsterdam",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("director's home lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "capybara") || strings.Contains(got, i18n.EN.T("home.admin.title")) {
		t.Errorf("director's home shows a note or the admin part:\n%s", got)
	}

	// Pause from the Home: the leave is stored and the Home redrawn with
	// the resume button; resume from there again.
	r, err := w.sim.As(suDirector).Click(w.ctx(), w.home(suDirector), "home.pause.2w")
	if err != nil {
		t.Fatalf("click pause: %v", err)
	}
	v, err := r.WaitView(w.ctx())
	if err != nil {
		t.Fatalf("no home after pause: %v", err)
	}
	if got := shown("", v.Blocks); !strings.Contains(got, i18n.EN.T("home.button.resume")) {
		t.Errorf("home after pause lacks the resume button:\n%s", got)
	}
	d, _ := w.db.Director(t.Context(), suDirector)
	if !d.OnLeave(time.Now()) {
		t.Fatalf("director not on leave after the pause click: %+v", d.Leave)
	}
	r, err = w.sim.As(suDirector).Click(w.ctx(), v, "home.resume")
	if err != nil {
		t.Fatalf("click resume: %v", err)
	}
	if v, err = r.WaitView(w.ctx()); err != nil {
		t.Fatalf("no home after resume: %v", err)
	}
	if d, _ := w.db.Director(t.Context(), suDirector); d.OnLeave(time.Now()) {
		t.Errorf("director still on leave after resume")
	}
	if got := shown("", v.Blocks); !strings.Contains(got, i18n.EN.T("home.button.pause_1w")) {
		t.Errorf("home after resume lacks the pause buttons:\n%s", got)
	}
}

func TestE2EHomeAdmin(t *testing.T) {
	w := newSurfWorld(t)
	w.seedDirector("capybara")
	got := w.checkView("admin", w.home(suWSAdmin))
	for _, want := range []string{
		i18n.EN.T("home.stranger.title"),
		i18n.EN.T("home.stranger.admin"),
		i18n.EN.T("home.admin.title"),
		"<@" + suDirector + ">",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("admin's home lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "capybara") {
		t.Errorf("admin's home shows the director's note:\n%s", got)
	}
}

func TestE2EHomeStranger(t *testing.T) {
	w := newSurfWorld(t)
	w.seedDirector("capybara")
	for _, who := range []string{suMember, suGuest, suFailing} {
		if who == suFailing { // last: every users.info call fails from here on
			w.sim.FailNext("users.info", 10, slacksim.Fault{Error: "internal_error"})
		}
		got := w.checkView(who, w.home(who))
		for _, want := range []string{i18n.EN.T("home.stranger.title"), i18n.EN.T("home.stranger.what"), "<@" + suListed + ">", "<@" + suAdded + ">"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s's home lacks %q:\n%s", who, want, got)
			}
		}
		for _, not := range []string{i18n.EN.T("home.admin.title"), "<@" + suDirector + ">", "capybara"} {
			if strings.Contains(got, not) {
				t.Errorf("%s's home shows %q:\n%s", who, not, got)
			}
		}
	}
}

func TestE2EHomeRefreshAndLanguage(t *testing.T) {
	w := newSurfWorld(t)
	w.seedDirector("capybara")
	w.home(suDirector)
	if m := w.slash(suDirector, "language nl"); m.Text != i18n.NL.T("lang.set") {
		t.Errorf("language nl = %q, want %q", m.Text, i18n.NL.T("lang.set"))
	}
	if m := w.slash(suDirector, "pause until 2099-01-01"); m.Text != i18n.NL.T("leave.err.too_long") {
		t.Errorf("pause for decades = %q, want the Dutch error", m.Text)
	}
	m := w.slash(suDirector, "pause 1w")
	if !strings.Contains(m.Text, "Gepauzeerd: geen seintjes") {
		t.Errorf("pause 1w = %q, want the Dutch confirmation", m.Text)
	}
	v, ok := w.sim.Home(suDirector)
	if !ok || !strings.Contains(shown("", v.Blocks), i18n.NL.T("home.button.resume")) {
		t.Errorf("home after /coach pause was not republished in Dutch with the resume button")
	}
	if m := w.slash(suDirector, "resume"); m.Text != i18n.NL.T("leave.resumed") {
		t.Errorf("resume = %q", m.Text)
	}
	// Explicitly refresh, as opening the Home does.
	if err := w.surfaces.RefreshHome(w.ctx(), suDirector); err != nil {
		t.Fatalf("RefreshHome = %v", err)
	}
	v, _ = w.sim.Home(suDirector)
	if got := shown("", v.Blocks); !strings.Contains(got, i18n.NL.T("home.title")) {
		t.Errorf("refreshed home is not in Dutch:\n%s", got)
	}
	if m := w.slash(suMember, "pause 2w"); m.Text != i18n.EN.Render(i18n.M("leave.err.not_director", i18n.M("role.hint.none"))) {
		t.Errorf("pause by a non-director = %q", m.Text)
	}
}

func TestE2EReport(t *testing.T) {
	w := newSurfWorld(t)
	w.seedDirector("capybara")
	m := w.slash(suOwner, "report")
	got := shown(m.Text, m.Blocks)
	for _, want := range []string{i18n.EN.T("report.title"), "<@" + suDirector + ">", "*75%*", i18n.EN.T("report.private")} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "capybara") {
		t.Errorf("report shows a private note:\n%s", got)
	}
	if m := w.slash(suMember, "report"); !refused(m.Text, "report") {
		t.Errorf("report by a member = %q, want refused", m.Text)
	}
}

func TestE2EDigest(t *testing.T) {
	w := newSurfWorld(t)
	ctx := t.Context()
	if err := w.db.PutDirector(ctx, coach.Director{ID: suDirector, Leaders: []coach.UserID{suLeader}}); err != nil {
		t.Fatal(err)
	}
	ams := mustLoc("Europe/Amsterdam")
	monday := time.Date(2026, 11, 30, 8, 45, 0, 0, ams)
	for i, out := range []coach.Outcome{coach.Done, coach.Done, coach.NotToday, coach.Done, ""} {
		o := sfOcc(suDirector, coach.Standup, monday.AddDate(0, 0, i), out)
		if _, _, err := w.db.CreateOccurrence(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	friday := time.Date(2026, 12, 4, 16, 0, 0, 0, ams)
	if n, err := w.portal.SendDigests(ctx, friday.Add(-time.Minute), w.surfaces); n != 0 || err != nil {
		t.Fatalf("SendDigests before 16:00 = %d, %v; want 0", n, err)
	}
	if n, err := w.portal.SendDigests(ctx, friday, w.surfaces); n != 1 || err != nil {
		t.Fatalf("SendDigests at 16:00 = %d, %v; want 1", n, err)
	}
	if n, err := w.portal.SendDigests(ctx, friday.Add(time.Hour), w.surfaces); n != 0 || err != nil {
		t.Fatalf("SendDigests again = %d, %v; want 0", n, err)
	}
	msgs := w.sim.Messages(w.sim.DMChannel(suDirector))
	if len(msgs) != 1 {
		t.Fatalf("director's DM has %d messages, want the one digest", len(msgs))
	}
	for _, p := range slacksim.ValidateMessageBlocks(msgs[0].Blocks) {
		t.Errorf("digest: Block Kit: %s", p)
	}
	got := shown(msgs[0].Text, msgs[0].Blocks)
	for _, want := range []string{"Monday 30 November to Friday 4 December", "This week: *3* done out of 5 prompts.", "0 → *1*",
		"What you noted", sfSecret} {
		if !strings.Contains(got, want) {
			t.Errorf("digest lacks %q:\n%s", want, got)
		}
	}
}

// The weekly digests go to every director in a row, under Slack's tiers
// (slacksim's, on): into the DM the week's prompts went to (no
// conversations.open), each call made again after Slack's Retry-After. The
// bot here paces far faster than Slack allows (startBot), so it meets
// 429s; every digest still goes, once.
func TestE2EDigestsKeepToTheTiers(t *testing.T) {
	w := newSurfWorld(t)
	ctx := t.Context()
	ams := mustLoc("Europe/Amsterdam")
	monday := time.Date(2026, 11, 30, 8, 45, 0, 0, ams)
	const n = 56 // conversations.history's burst is 50
	var dirs []coach.UserID
	for i := range n {
		d := coach.UserID(fmt.Sprintf("UDIGEST%03d", i))
		w.sim.AddUser(slacksim.User{ID: string(d), TZ: "Europe/Amsterdam"})
		if err := w.db.PutDirector(ctx, coach.Director{ID: d, Leaders: []coach.UserID{suLeader}}); err != nil {
			t.Fatal(err)
		}
		o := sfOcc(d, coach.Standup, monday, coach.Done)
		o.Channel = coach.ChannelID(w.sim.DMChannel(string(d)))
		if _, _, err := w.db.CreateOccurrence(ctx, o); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, d)
	}
	friday := time.Date(2026, 12, 4, 16, 0, 0, 0, ams)
	sent, err := w.portal.SendDigests(ctx, friday, w.surfaces)
	if err != nil || sent != n {
		t.Fatalf("SendDigests = %d, %v; want all %d sent", sent, err, n)
	}
	for _, d := range dirs {
		if msgs := w.sim.Messages(w.sim.DMChannel(string(d))); len(msgs) != 1 {
			t.Errorf("%s's DM has %d messages, want the one digest", d, len(msgs))
		}
	}
	if got := len(w.sim.CallsTo("conversations.open")); got != 0 {
		t.Errorf("conversations.open called %d times, want 0 (the prompts' DM is known)", got)
	}
	if w.sim.RateLimited("conversations.history") == 0 {
		t.Errorf("no 429 met: the test does not show the digests waiting out Retry-After")
	}
}
