package slackapp_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// shiftClock is the wall clock moved forward by what a test adds: the bot
// lives a month later while Slack's triggers keep the real time.
type shiftClock struct{ by atomic.Int64 }

func (c *shiftClock) Now() time.Time      { return time.Now().Add(time.Duration(c.by.Load())) }
func (c *shiftClock) add(d time.Duration) { c.by.Add(int64(d)) }
func (c *shiftClock) today() coach.Date   { return coach.DateOf(c.Now().In(mustLoc("Europe/Amsterdam"))) }

// TestE2EPathStory is issue 15's user story, through Slack: an admin sets
// up a director and a Lean leader; the director sets a path; a month later
// (the bot's clock) the review prompt arrives showing it; "Partly" opens
// the review form with it chosen, submitted with a note and a new next
// step, which records the prompt; the Home card shows the history; the
// next question prompt draws from a theme of the path's phase and style,
// and the one after follows up on what the Lean leader came up with.
func TestE2EPathStory(t *testing.T) {
	clk := &shiftClock{}
	w := newWorldClock(t, false, clk)
	w.setUp() // the admin: the kudos channel, dana directs lee
	start := clk.today()

	v := w.pathForm(eDirector, eLeader, "lee")
	r := w.submit(eDirector, v, slacksim.Values{"style": "coaching", "phase": "2",
		"responsibility": "Runs the weekly " + pathCanary + " review", "done_looks_like": "The team brings its numbers",
		"target": start.AddDays(20).String(), "phase_since": ""})
	if said, err := r.WaitEphemeral(w.ctx()); err != nil || !strings.Contains(said.Text, "is saved") {
		t.Fatalf("setting the path: %q, %v", said.Text, err)
	}

	// A month later the review prompt arrives, showing the path.
	clk.add(32 * 24 * time.Hour)
	prompt := w.send("path", eDirector)
	s := visible(prompt)
	for _, want := range []string{
		"Runs the weekly " + pathCanary + " review", "The team brings its numbers", "12 days past the target date",
		i18n.EN.T("path.card.due.monthly"), i18n.EN.T("path.prompt.ask"),
	} {
		if !strings.Contains(s, want) {
			t.Errorf("path prompt lacks %q:\n%s", want, s)
		}
	}
	key := promptKey(t, prompt)

	// Someone else's click opens nothing.
	other := w.click(eOther, prompt, slackapp.PathPromptAction(coach.Partly), slacksim.InBlock("path_prompt_"+eLeader))
	if said, err := other.WaitEphemeral(w.ctx()); err != nil || !strings.Contains(said.Text, i18n.EN.T("svc.err.not_your_prompt")) {
		t.Errorf("another user's click: %q, %v; want it refused", said.Text, err)
	}

	// Partly: the review form, with partly chosen.
	r = w.click(eDirector, prompt, slackapp.PathPromptAction(coach.Partly), slacksim.InBlock("path_prompt_"+eLeader))
	form, err := waitModal(w.ctx(), r)
	if err != nil || form.CallbackID != slackapp.ViewPathReview {
		t.Fatalf("Partly opened %q, %v; want the review form", form.CallbackID, err)
	}
	w.checkView(form)
	if !strings.Contains(string(form.Blocks), `"initial_option":{"text":{"type":"plain_text","text":"`+jsonText(i18n.EN.T("path.review.outcome.partly"))) {
		t.Errorf("the review form does not preselect partly:\n%s", form.Blocks)
	}
	if o, err := w.bot.db.Occurrence(w.ctx(), key); err != nil || o.Answer != nil {
		t.Fatalf("opening the review form recorded %+v; want nothing until it is submitted", o.Answer)
	}
	today := clk.today()
	next := "Prepares the " + pathCanary + " review on his own"
	r = w.submit(eDirector, form, slacksim.Values{"saw": "Ran it twice, asked me once", "responsibility": next,
		"target": today.AddDays(30).String()})
	if said, err := r.WaitEphemeral(w.ctx()); err != nil || !strings.Contains(said.Text, "(partly)") || !strings.Contains(said.Text, next) {
		t.Fatalf("after the review: %q, %v; want the confirmation with the next step", said.Text, err)
	}
	p := w.path(eDirector, eLeader)
	rv, ok := p.LastReview()
	if !ok || rv.Outcome != coach.Partly || rv.Saw != "Ran it twice, asked me once" || p.Next.Responsibility != next ||
		p.Next.Target != today.AddDays(30) || rv.Planned.Responsibility != "Runs the weekly "+pathCanary+" review" {
		t.Fatalf("stored path = %+v, review %+v; want partly with the new next step", p, rv)
	}
	// The prompt counts as answered, and says so without its buttons.
	done := w.waitEdited(prompt, 1)
	if o, err := w.bot.db.Occurrence(w.ctx(), key); err != nil || o.Answer == nil || o.Answer.Outcome != coach.Done {
		t.Fatalf("path prompt after the review = %+v, %v; want done", o.Answer, err)
	}
	if s := visible(done); !strings.Contains(s, "Reviewed, recorded on") || strings.Contains(string(done.Blocks), "lc_path_prompt.") {
		t.Errorf("path prompt after the review = %s; want it reviewed, without review buttons", s)
	}

	// The Home card shows the history.
	home := string(w.homeOf(eDirector).Blocks)
	for _, want := range []string{"Reviews: ◐ · last review today", next} {
		if !strings.Contains(home, want) {
			t.Errorf("Home after the review lacks %q:\n%s", want, home)
		}
	}

	// The next question draws from a theme of the path's phase and style,
	// at the start of its sequence.
	q1 := w.send("question", eDirector)
	id := w.stored(q1).QuestionID
	q, ok := coach.LookupQuestion(id)
	fit := coach.FitThemes(coach.Coaching, coach.SelfKnowledge)
	if !ok || q.Step != coach.StepTarget || !containsTheme(fit, q.Theme) {
		t.Fatalf("question after the path = %s (%+v), want a target-condition question of %v", id, q, fit)
	}
	w.click(eDirector, q1, slackapp.ActionAnswer)
	asked := w.waitEdited(q1, 1)
	w.submit(eDirector, w.noteModal(eDirector, asked), slacksim.Values{"note": "Lee wants the team to set the target itself."})
	w.waitEdited(q1, 2)

	// And the one after follows up on what the Lean leader came up with.
	q2 := w.send("question", eDirector)
	if id := w.stored(q2).QuestionID; id != coach.FollowUpQuestion(q.Theme).ID ||
		!strings.Contains(visible(q2), "Lee wants the team to set the target itself.") ||
		!strings.Contains(visible(q2), i18n.EN.T("prompt.question.last_time", "<@"+eLeader+">")) {
		t.Errorf("next question = %s (%s), want the %s follow-up showing the note", visible(q2), id, q.Theme)
	}
}

func containsTheme(ts []coach.QuestionTheme, t coach.QuestionTheme) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// The path prompt's buttons are claims: a forged one for another
// director's Lean leader, for a prompt that is not a path prompt, or for a
// path prompt already answered opens no form and changes nothing.
func TestE2EPathPromptRefusals(t *testing.T) {
	w := newWorldLoop(t, false)
	w.setUp()
	if _, err := w.bot.bot.Paths.SetPath(w.ctx(), eDirector, eLeader, coach.PathInput{Style: coach.Coaching, Phase: coach.SelfAcceptance,
		Next: coach.Step{Responsibility: "Opens the stand-up", Target: pathToday().AddDays(10)}}); err != nil {
		t.Fatal(err)
	}
	prompt := w.send("path", eDirector)
	key := promptKey(t, prompt)
	gemba := w.send("gemba", eDirector)
	opened := len(w.sim.CallsTo("views.open"))
	partly := slackapp.PathPromptAction(coach.Partly)
	w.forgeClick(eDirector, partly, eLeader2+":"+string(key))                // another director's Lean leader
	w.forgeClick(eDirector, partly, eLeader+":"+string(promptKey(t, gemba))) // not a path prompt
	w.forgeClick(eDirector, partly, "nonsense")
	w.forgeClick(eDirectorN, partly, eLeader+":"+string(key)) // someone else's prompt
	w.click(eDirector, prompt, slackapp.ActionNotToday)
	w.waitEdited(prompt, 1)
	w.forgeClick(eDirector, slackapp.ActionPathPromptSet, eLeader+":"+string(key)) // answered already
	if n := len(w.sim.CallsTo("views.open")); n != opened {
		t.Errorf("refused path prompt clicks opened %d forms", n-opened)
	}
	if p := w.path(eDirector, eLeader); p == nil || len(p.Reviews) != 0 || p.Rev != 1 {
		t.Errorf("path after refused clicks = %+v, want it unchanged", p)
	}
	if o := w.stored(gemba); o.Answer != nil {
		t.Errorf("the gemba prompt was answered by a path button: %+v", o.Answer)
	}
}

// A review from the App Home's "Review now" while the month's path prompt
// is open in the director's DM answers that prompt, as a review from its
// own buttons does, and the DM message says so without its buttons. Only
// that director's open path prompt: their other open prompt and another
// director's path prompt stay open and unchanged.
func TestE2EHomeReviewAnswersOpenPathPrompt(t *testing.T) {
	w := newWorldLoop(t, false)
	w.setUp()
	for _, pair := range [][2]string{{eDirector, eLeader}, {eDirectorN, eLeader2}} {
		if _, err := w.bot.bot.Paths.SetPath(w.ctx(), coach.UserID(pair[0]), coach.UserID(pair[1]), coach.PathInput{Style: coach.Coaching,
			Phase: coach.SelfAcceptance, Next: coach.Step{Responsibility: "Opens the stand-up", Target: pathToday().AddDays(10)}}); err != nil {
			t.Fatal(err)
		}
	}
	prompt := w.send("path", eDirector)
	gemba := w.send("gemba", eDirector)
	otherPrompt := w.send("path", eDirectorN)

	form := w.reviewNow(eDirector, w.homeOf(eDirector), eLeader)
	if r := w.submit(eDirector, form, slacksim.Values{"outcome": "not_yet", "saw": "Not this month"}); len(r.AckPayload()) > 0 {
		t.Fatalf("review acked with %s, want the form closed", r.AckPayload())
	}

	done := w.waitEdited(prompt, 1)
	if o := w.stored(prompt); o.Answer == nil || o.Answer.Outcome != coach.Done || o.Answer.By != eDirector {
		t.Fatalf("path prompt after a review from the Home = %+v; want it done by the director", o.Answer)
	}
	if s := visible(done); !strings.Contains(s, "Reviewed, recorded on") || strings.Contains(string(done.Blocks), "lc_path_prompt.") {
		t.Errorf("path prompt after a review from the Home = %s; want it reviewed, without review buttons", s)
	}
	if rv, ok := w.path(eDirector, eLeader).LastReview(); !ok || rv.Outcome != coach.NotYet {
		t.Errorf("stored review = %+v, want not yet", rv)
	}
	for what, m := range map[string]slacksim.Message{"the director's gemba prompt": gemba, "another director's path prompt": otherPrompt} {
		if o := w.stored(m); o.Answer != nil {
			t.Errorf("%s was answered by the review: %+v", what, o.Answer)
		}
		if cur := w.message(m); cur.Edited != 0 {
			t.Errorf("%s was edited %d times by the review", what, cur.Edited)
		}
	}
}
