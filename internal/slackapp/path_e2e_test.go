package slackapp_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// pathCanary is written into every text of the paths in these tests: it
// must never show on a surface an admin reads.
const pathCanary = "quaggapath"

// pathToday is today in the directors' zone (Amsterdam), as the bot sees it.
func pathToday() coach.Date { return coach.DateOf(time.Now().In(mustLoc("Europe/Amsterdam"))) }

// pathForm types `/coach path @leader` as user and returns the path form.
func (w *world) pathForm(user, leader, name string) slacksim.View {
	w.t.Helper()
	r, err := w.sim.As(user).Slash(w.ctx(), "/coach", "path <@"+leader+"|"+name+">")
	if err != nil {
		w.t.Fatalf("/coach path as %s: %v", user, err)
	}
	v, err := waitModal(w.ctx(), r)
	if err != nil {
		w.t.Fatalf("/coach path <@%s> as %s: no form: %v", leader, user, err)
	}
	w.checkView(v)
	if v.CallbackID != slackapp.ViewPathForm {
		w.t.Fatalf("/coach path opened %q, want the path form", v.CallbackID)
	}
	return v
}

// checkView checks a modal against Block Kit's rules.
func (w *world) checkView(v slacksim.View) {
	w.t.Helper()
	raw, _ := json.Marshal(map[string]any{"type": v.Type, "title": v.Title, "blocks": v.Blocks, "submit": v.Submit, "close": v.Close,
		"private_metadata": v.PrivateMetadata, "callback_id": v.CallbackID})
	for _, p := range slacksim.ValidateView(raw) {
		w.t.Errorf("modal %s: Block Kit: %s", v.CallbackID, p)
	}
}

// path is the pair's stored path, nil when none.
func (w *world) path(director, leader string) *coach.Path {
	w.t.Helper()
	p, err := w.bot.db.LoadPath(w.ctx(), coach.Pair{Director: coach.UserID(director), Leader: coach.UserID(leader)})
	if coach.ErrorCode(err) == coach.ENOTFOUND {
		return nil
	}
	if err != nil {
		w.t.Fatalf("load path: %v", err)
	}
	return &p
}

// TestE2EPathSetEditAndReview is the delegation path through Slack: a
// director sets a path with the form, bad input stays in the form beside
// its field, the list shows it, a second form opened before an edit is
// refused, a review from the App Home records a PDCA record and the card
// shows it; admins see counts only.
func TestE2EPathSetEditAndReview(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	today := pathToday()
	pair := func() *coach.Path { return w.path(eDirector, eLeader) }

	v := w.pathForm(eDirector, eLeader, "lee")
	if s := shown("", v.Blocks); !strings.Contains(s, i18n.EN.T("style.facilitating.hint")) || !strings.Contains(s, i18n.EN.T("phase.3.hint")) {
		t.Errorf("path form lacks the styles' and phases' hints:\n%s", s)
	}
	good := slacksim.Values{"style": "coaching", "phase": "2", "responsibility": "Runs the weekly " + pathCanary + " review",
		"done_looks_like": "The team brings its " + pathCanary + " numbers", "target": today.AddDays(30).String(), "phase_since": ""}
	with := func(k, val string) slacksim.Values {
		out := slacksim.Values{}
		for a, b := range good {
			out[a] = b
		}
		out[k] = val
		return out
	}
	// Bad input: each comes back beside its field, and nothing is stored.
	for _, c := range []struct {
		values slacksim.Values
		block  string
	}{
		{with("target", today.AddDays(-3).String()), "target"},
		{with("responsibility", "   "), "responsibility"},
		{with("target", today.AddMonths(coach.MaxTargetMonths+1).String()), "target"},
		{with("phase_since", today.AddDays(2).String()), "phase_since"},
	} {
		r := w.submit(eDirector, v, c.values)
		var ack struct {
			Action string            `json:"response_action"`
			Errors map[string]string `json:"errors"`
		}
		if err := json.Unmarshal(r.AckPayload(), &ack); err != nil || ack.Action != "errors" || len(ack.Errors) != 1 || ack.Errors[c.block] == "" {
			t.Fatalf("submit with a bad %s: ack %s, want one error beside it", c.block, r.AckPayload())
		}
		if cur, _ := w.sim.View(v.ID); cur.Closed {
			t.Fatalf("submit with a bad %s closed the form", c.block)
		}
		if p := pair(); p != nil {
			t.Fatalf("submit with a bad %s stored a path: %+v", c.block, p)
		}
	}
	if !strings.Contains(w.ackError(eDirector, v, with("target", today.AddDays(-3).String())), "has passed") {
		t.Errorf("a past target date is not explained")
	}

	// The good form sets the path, says so where the command was typed,
	// and redraws the Home.
	r := w.submit(eDirector, v, good)
	if len(r.AckPayload()) > 0 {
		t.Fatalf("good submit acked with %s, want the form closed", r.AckPayload())
	}
	said, err := r.WaitEphemeral(w.ctx())
	if err != nil || !strings.Contains(said.Text, "is saved") || !strings.Contains(said.Text, "<@"+eLeader+">") {
		t.Fatalf("after setting the path: %q, %v; want the confirmation", said.Text, err)
	}
	p := pair()
	if p == nil || p.Rev != 1 || p.Style() != coach.Coaching || p.Phase() != coach.SelfKnowledge ||
		p.Next.Target != today.AddDays(30) || !strings.Contains(p.Next.DoneLooksLike, pathCanary) {
		t.Fatalf("stored path = %+v, want the form's", p)
	}

	// /coach path lists it, with how to open it.
	list := w.slash(eDirector, "path")
	w.checkBlocks("path list", list.Blocks)
	if s := shown(list.Text, list.Blocks); !strings.Contains(s, "Runs the weekly "+pathCanary+" review") ||
		!strings.Contains(s, "/coach path <@"+eLeader+">") || !strings.Contains(s, "No review yet") {
		t.Errorf("/coach path = %s, want the path with how to open it", s)
	}

	// A form opened before the path changed elsewhere (in another Slack
	// client) is refused when submitted, and changes nothing.
	a := w.pathForm(eDirector, eLeader, "lee")
	if meta, err := slackapp.ParsePathMeta(a.PrivateMetadata); err != nil || meta.Rev != 1 {
		t.Fatalf("form metadata = %+v, %v; want the path's Rev 1", meta, err)
	}
	in := coach.PathInput{Rev: 1, Style: coach.Facilitating, Phase: coach.SelfKnowledge, Next: p.Next}
	if _, err := w.bot.bot.Paths.SetPath(w.ctx(), eDirector, eLeader, in); err != nil {
		t.Fatalf("edit elsewhere: %v", err)
	}
	r = w.submit(eDirector, a, slacksim.Values{"style": "directing"}) // the rest prefilled
	said, err = r.WaitEphemeral(w.ctx())
	if err != nil || said.Text != i18n.EN.T("path.err.changed") {
		t.Fatalf("stale form: %q, %v; want %q", said.Text, err, i18n.EN.T("path.err.changed"))
	}
	if p := pair(); p.Rev != 2 || p.Style() != coach.Facilitating {
		t.Fatalf("stale form changed the path: %+v", p)
	}
	// Opened again, it shows the path as it is now, and saves.
	a = w.pathForm(eDirector, eLeader, "lee")
	r = w.submit(eDirector, a, slacksim.Values{"phase": "3"})
	if said, err := r.WaitEphemeral(w.ctx()); err != nil || !strings.Contains(said.Text, "is saved") {
		t.Fatalf("edit: %q, %v; want the confirmation", said.Text, err)
	}
	if p := pair(); p.Rev != 3 || p.Style() != coach.Facilitating || p.Phase() != coach.Development || p.Next.Responsibility != good["responsibility"] {
		t.Fatalf("edited path = %+v, want phase 3 at Rev 3 with the style and step kept", p)
	}

	// A review from the App Home: "partly", what the director saw, a new
	// next step; the card shows the history.
	home := w.homeOf(eDirector)
	if s := shown("", home.Blocks); !strings.Contains(s, "No review yet") || !strings.Contains(s, "Runs the weekly "+pathCanary+" review") {
		t.Fatalf("Home before the review:\n%s", s)
	}
	form := w.reviewNow(eDirector, home, eLeader)
	if s := shown("", form.Blocks); !strings.Contains(s, "Runs the weekly "+pathCanary+" review") {
		t.Errorf("review form lacks the plan:\n%s", s)
	}
	// Handed over without a next step stays in the form.
	if e := w.ackError(eDirector, form, slacksim.Values{"outcome": "handed_over"}); e == "" {
		t.Errorf("handed over without a next step was accepted")
	}
	r = w.submit(eDirector, form, slacksim.Values{"outcome": "partly", "saw": "Ran it once, the " + pathCanary + " board was current",
		"responsibility": "Runs it twice on " + pathCanary + " days", "target": today.AddDays(20).String()})
	if len(r.AckPayload()) > 0 {
		t.Fatalf("review acked with %s, want the form closed", r.AckPayload())
	}
	var card string
	err = w.sim.WaitFor(w.ctx(), func() bool {
		h, ok := w.sim.Home(eDirector)
		card = shown("", h.Blocks)
		return ok && strings.Contains(card, "Reviews: ◐")
	})
	if err != nil {
		t.Fatalf("Home after the review lacks the mark:\n%s", card)
	}
	if !strings.Contains(card, "Runs it twice on "+pathCanary+" days") || !strings.Contains(card, "last review today") {
		t.Errorf("Home after the review:\n%s", card)
	}
	p = pair()
	rv, ok := p.LastReview()
	if !ok || rv.Outcome != coach.Partly || rv.Planned.Responsibility != good["responsibility"] || !strings.Contains(rv.Saw, pathCanary) ||
		p.Next.Target != today.AddDays(20) || len(p.HandedOver) != 0 {
		t.Fatalf("stored review = %+v (path %+v), want partly with the plan, the note and the new step", rv, p)
	}

	// Admins see counts, never a path's text.
	report := w.slash(eAdmin, "report")
	w.checkBlocks("report", report.Blocks)
	rep := shown(report.Text, report.Blocks)
	if !strings.Contains(rep, i18n.EN.T("path.counts.pairs", 1, 2, 1)) {
		t.Errorf("report lacks the path counts:\n%s", rep)
	}
	admin := shown("", w.homeOf(eAdmin).Blocks)
	if !strings.Contains(admin, i18n.EN.T("path.counts.pairs", 1, 2, 1)) {
		t.Errorf("admin Home lacks the path counts:\n%s", admin)
	}
	for what, s := range map[string]string{"report": rep, "admin Home": admin,
		"director list": shown(w.slash(eAdmin, "director list").Text, nil), "audit": shown(w.slash(eAdmin, "audit").Text, nil)} {
		if strings.Contains(s, pathCanary) {
			t.Errorf("%s shows a path's text:\n%s", what, s)
		}
	}
}

// TestE2EPathRefusals: `/coach path` naming someone who is not the
// director's Lean leader, another director's Lean leader, or typed by
// someone who directs no one, is a clear ephemeral refusal that names
// whom they can choose, opens no form and stores nothing.
func TestE2EPathRefusals(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	opened := len(w.sim.CallsTo("views.open"))
	for _, c := range []struct {
		user, text string
		want       []string
	}{
		{eDirector, "path <@" + eOther + "|otto>", []string{"<@" + eOther + ">", "is not one of your Lean leaders", "<@" + eLeader + ">"}},
		{eDirector, "path <@" + eLeader2 + "|lotte>", []string{"<@" + eLeader2 + ">", "is not one of your Lean leaders", "<@" + eLeader + ">"}},
		{eDirectorN, "path <@" + eLeader + "|lee>", []string{"<@" + eLeader + ">", "geen Leanleider van jou", "<@" + eLeader2 + ">"}},
		{eDirector, "path <@" + eDirector + "|dana>", []string{i18n.EN.T("path.err.self")}},
		{eDirector, "path lee", []string{"`lee` is not a person I recognise", "/coach path @leader"}},
		{eDirector, "path <@" + eLeader + "|lee> coaching", []string{"I didn't expect `coaching` there"}},
		{eOther, "path", []string{"Paths are for directors and their Lean leaders"}},
		{eAdmin, "path <@" + eLeader + "|lee>", []string{"Paths are for directors", "/coach director add"}},
		{eLeader, "path <@" + eLeader2 + "|lotte>", []string{"Paths are for directors", "You're a Lean leader"}},
	} {
		m := w.slash(c.user, c.text)
		for _, want := range c.want {
			if !strings.Contains(m.Text, want) {
				t.Errorf("/coach %s as %s = %q, want it to say %q", c.text, c.user, m.Text, want)
			}
		}
		if !m.Ephemeral {
			t.Errorf("/coach %s as %s: the refusal is not ephemeral", c.text, c.user)
		}
	}
	if n := len(w.sim.CallsTo("views.open")); n != opened {
		t.Errorf("refused /coach path opened %d forms", n-opened)
	}
	ps, err := w.bot.db.ListPaths(w.ctx(), "")
	if err != nil || len(ps) != 0 {
		t.Errorf("paths after refusals = %+v, %v; want none", ps, err)
	}
	// A Home card drawn before the director was removed: its button is
	// refused in the director's DM, and opens nothing.
	home := w.homeOf(eDirector)
	w.slash(eAdmin, "director remove <@"+eDirector+"|dana>")
	click, err := w.sim.As(eDirector).Click(w.ctx(), home, slackapp.ActionPathEdit, slacksim.InBlock("path_"+eLeader))
	if err != nil {
		t.Fatalf("Set a path on the old Home: %v", err)
	}
	said, err := click.WaitEphemeral(w.ctx())
	if err != nil || !strings.Contains(said.Text, "Paths are for directors") || said.Channel != w.sim.DMChannel(eDirector) {
		t.Errorf("Set a path after the director was removed: %q in %s, %v; want the refusal in the DM", said.Text, said.Channel, err)
	}
	if n := len(w.sim.CallsTo("views.open")); n != opened {
		t.Errorf("the refused click opened %d forms", n-opened)
	}
}

// ackError submits v with values and returns the one error the form kept
// open with ("" when it closed).
func (w *world) ackError(user string, v slacksim.View, values slacksim.Values) string {
	w.t.Helper()
	r := w.submit(user, v, values)
	var ack struct {
		Errors map[string]string `json:"errors"`
	}
	_ = json.Unmarshal(r.AckPayload(), &ack)
	for _, e := range ack.Errors {
		return e
	}
	return ""
}

// reviewNow clicks "Review now" on leader's card of user's App Home home
// and returns the review form it opens.
func (w *world) reviewNow(user string, home slacksim.View, leader string) slacksim.View {
	w.t.Helper()
	click, err := w.sim.As(user).Click(w.ctx(), home, slackapp.ActionPathReview, slacksim.InBlock("path_"+leader))
	if err != nil {
		w.t.Fatalf("Review now: %v", err)
	}
	form, err := waitModal(w.ctx(), click)
	if err != nil || form.CallbackID != slackapp.ViewPathReview {
		w.t.Fatalf("Review now opened %q, %v; want the review form", form.CallbackID, err)
	}
	w.checkView(form)
	return form
}

// homeOf opens user's App Home and returns it.
func (w *world) homeOf(user string) slacksim.View {
	w.t.Helper()
	r, err := w.sim.As(user).OpenHome(w.ctx())
	if err != nil {
		w.t.Fatalf("%s opens the App Home: %v", user, err)
	}
	for {
		v, err := r.WaitView(w.ctx())
		if err != nil {
			w.t.Fatalf("%s opened the App Home; nothing published: %v", user, err)
		}
		if v.Type == "home" {
			raw, _ := json.Marshal(map[string]any{"type": "home", "blocks": v.Blocks})
			for _, p := range slacksim.ValidateView(raw) {
				w.t.Errorf("Home of %s: Block Kit: %s", user, p)
			}
			return v
		}
	}
}

// TestE2EPathForget: a director's forget erases their paths from the file,
// and the audit line says how many, naming no one.
func TestE2EPathForget(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	v := w.pathForm(eDirector, eLeader, "lee")
	r := w.submit(eDirector, v, slacksim.Values{"style": "directing", "phase": "1", "responsibility": "Prepares the " + pathCanary + " agenda",
		"target": pathToday().AddDays(14).String()})
	if _, err := r.WaitEphemeral(w.ctx()); err != nil {
		t.Fatalf("no confirmation: %v", err)
	}
	count := func() int {
		b, err := os.ReadFile(w.dbPath)
		if err != nil {
			t.Fatal(err)
		}
		return bytes.Count(b, []byte(pathCanary))
	}
	if count() == 0 {
		t.Fatalf("the file lacks the path's text before forget: the scan proves nothing")
	}
	ask := w.slash(eDirector, "forget")
	c, err := w.sim.As(eDirector).Click(w.ctx(), ask, "data.forget.confirm")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitResponse(w.ctx()); err != nil {
		t.Fatalf("no answer to the confirmation: %v", err)
	}
	if n := count(); n != 0 {
		t.Errorf("after forget the file holds the path's text %d times, want 0", n)
	}
	audit := w.slash(eAdmin, "audit")
	s := shown(audit.Text, audit.Blocks)
	if !strings.Contains(s, i18n.EN.T("audit.say.data.forget.paths", i18n.EN.Plural("audit.say.paths", 1))) || strings.Contains(s, eDirector) {
		t.Errorf("audit after forget:\n%s\nwant the erasure with its one path, naming no one", s)
	}
}

// TestE2EOpenReviewForm is the entry the monthly review prompt opens its
// form through: with a click's trigger, the review form opens with the
// outcome the click chose; submitted, the review is recorded and
// confirmed where the prompt is. Without a path, or for someone else's
// Lean leader, it opens nothing and says why.
func TestE2EOpenReviewForm(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	forms := w.bot.bot.PathForms
	dm := coach.ChannelID(w.sim.DMChannel(eDirector))
	trigger := func() slackapp.Trigger {
		r, err := w.sim.As(eDirector).Slash(w.ctx(), "/coach", "help") // a trigger the bot does not use
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.WaitResponse(w.ctx()); err != nil {
			t.Fatal(err)
		}
		return slackapp.Trigger{ID: r.TriggerID, Channel: dm}
	}
	err := forms.OpenReviewForm(w.ctx(), trigger(), eDirector, eLeader, coach.Partly)
	if coach.ErrorCode(err) != coach.ENOTFOUND || !strings.Contains(slackapp.ErrorText(i18n.EN, err), "/coach path <@"+eLeader+">") {
		t.Errorf("OpenReviewForm without a path = %v, want ENOTFOUND saying how to set one", err)
	}
	if err := forms.OpenReviewForm(w.ctx(), trigger(), eDirector, eLeader2, coach.Partly); coach.ErrorCode(err) != coach.EINVALID {
		t.Errorf("OpenReviewForm for another director's Lean leader = %v, want EINVALID", err)
	}
	if _, ok := w.sim.TopView(eDirector); ok {
		t.Fatalf("a refused OpenReviewForm opened a form")
	}

	next := coach.Step{Responsibility: "Leads the " + pathCanary + " retrospective", Target: pathToday().AddDays(10)}
	if _, err := w.bot.bot.Paths.SetPath(w.ctx(), eDirector, eLeader, coach.PathInput{Style: coach.Coaching, Phase: coach.SelfAcceptance, Next: next}); err != nil {
		t.Fatal(err)
	}
	if err := forms.OpenReviewForm(w.ctx(), trigger(), eDirector, eLeader, coach.Partly); err != nil {
		t.Fatalf("OpenReviewForm = %v", err)
	}
	form, ok := w.sim.TopView(eDirector)
	if !ok || form.CallbackID != slackapp.ViewPathReview {
		t.Fatalf("OpenReviewForm opened %+v, want the review form", form.CallbackID)
	}
	w.checkView(form)
	if !strings.Contains(string(form.Blocks), `"initial_option":{"text":{"type":"plain_text","text":"`+jsonText(i18n.EN.T("path.review.outcome.partly"))) {
		t.Errorf("the review form does not preselect partly:\n%s", form.Blocks)
	}
	r := w.submit(eDirector, form, slacksim.Values{"saw": "Half of it"})
	said, err := r.WaitEphemeral(w.ctx())
	if err != nil || said.Channel != string(dm) || !strings.Contains(said.Text, "(partly)") {
		t.Fatalf("after the review: %q in %s, %v; want the confirmation in the prompt's DM", said.Text, said.Channel, err)
	}
	if rv, ok := w.path(eDirector, eLeader).LastReview(); !ok || rv.Outcome != coach.Partly || rv.Saw != "Half of it" || rv.Next != next {
		t.Errorf("stored review = %+v, want partly with the step kept", rv)
	}
}
