package slackapp_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/schedule"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// setClock is a bot clock a test moves by hand.
type setClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *setClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *setClock) set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

// checkInMessage waits for the bot's check-in message about director in
// user's DM and returns it.
func (w *world) checkInMessage(user, director string) slacksim.Message {
	w.t.Helper()
	var got slacksim.Message
	err := w.sim.WaitFor(w.ctx(), func() bool {
		for _, m := range w.sim.Messages(w.sim.DMChannel(user)) {
			if m.IsBot() && strings.Contains(m.Text, "check-in") && strings.Contains(m.Text, "<@"+director+">") {
				got = m
				return true
			}
		}
		return false
	})
	if err != nil {
		w.t.Fatalf("no check-in about %s in %s's DM: %v", director, user, err)
	}
	w.checkBlocks("check-in", got.Blocks)
	return got
}

// checkInsIn counts the bot's check-in messages in user's DM.
func (w *world) checkInsIn(user string) int {
	n := 0
	for _, m := range w.sim.Messages(w.sim.DMChannel(user)) {
		if m.IsBot() && strings.Contains(m.Text, "check-in") {
			n++
		}
	}
	return n
}

// TestE2ECheckInStory is issue 16's user story with the check-in message:
// Lean leader lee has two directors, dana (English) and daan (Dutch); Lean
// leader lotte has daan. On the third Wednesday at 10:00 (the bot's test
// clock) the due-loop sends lee one check-in per director and lotte one.
// Lee answers dana's: needed facilitating, got directing (a second click
// and a redelivered click record nothing twice), with a let-go text marked
// "only for me"; and daan's: coaching and coaching, with a let-go text
// shared. Before answering, the message says exactly what the director
// will see. Dana's card shows the contrast, daan's the shared text only;
// the admin's report shows counts only; the canary scan finds lee's
// private text nowhere a director or the admin can reach. No director has
// an occurrence of it (no budget, no streak). /coach send checkin sends
// one now, for admins only, never to a Lean leader who turned them off.
func TestE2ECheckInStory(t *testing.T) {
	ams := mustLoc("Europe/Amsterdam") // lee's and lotte's zone: slacksim's default
	due := schedule.MustParseWhen(coach.CheckInDefaultWhen).Next(time.Now(), ams)
	clock := &setClock{now: due.Add(-2 * time.Minute)}
	w := newWorldClock(t, true, clock)
	ctx := w.ctx()
	if m := w.slash(eAdmin, "channel <#"+eKudos+"|kudos>"); !strings.Contains(m.Text, "joined") {
		t.Fatalf("/coach channel = %q", m.Text)
	}
	w.slash(eAdmin, "director add <@"+eDirector+"|dana> leader <@"+eLeader+"|lee>")
	w.slash(eAdmin, "director add <@"+eDirectorN+"|daan> leader <@"+eLeader+"|lee> <@"+eLeader2+"|lotte>")
	today := coach.DateOf(clock.Now().In(mustLoc("Europe/Amsterdam")))
	if _, err := w.bot.bot.Paths.SetPath(ctx, eDirector, eLeader, coach.PathInput{Style: coach.Coaching, Phase: coach.SelfKnowledge,
		Next: coach.Step{Responsibility: "Runs the weekly review", Target: today.AddDays(30)}}); err != nil {
		t.Fatal(err)
	}

	// The due-loop plans the check-ins, then sends them when their time
	// comes.
	loop := w.bot.bot.Loop
	loop.Poke()
	if err := waitUntil(ctx, func() bool {
		ds, _ := w.bot.db.Dues(ctx)
		n := 0
		for _, d := range ds {
			if d.Schedule == "checkin" && d.Next.Equal(due) {
				n++
			}
		}
		return n == 2 // lee and lotte
	}); err != nil {
		t.Fatalf("the check-ins were not planned for %s: %v", due, err)
	}
	if n := w.checkInsIn(eLeader); n != 0 {
		t.Fatalf("%d check-ins before their time", n)
	}
	clock.set(due.Add(time.Second))
	loop.Poke()
	fromDana := w.checkInMessage(eLeader, eDirector)
	fromDaan := w.checkInMessage(eLeader, eDirectorN)
	lotte := w.checkInMessage(eLeader2, eDirectorN)
	month := coach.MonthOf(coach.DateOf(due.In(ams)))
	monthName := i18n.EN.Month(month.Month())
	if s := shown(lotte.Text, lotte.Blocks); !strings.Contains(s, "Welke stijl had je deze maand het meest nodig van <@"+eDirectorN+">?") {
		t.Errorf("lotte's check-in is not in Dutch:\n%s", s)
	}
	before := shown(fromDana.Text, fromDana.Blocks)
	for _, want := range []string{"Which style did you need most from <@" + eDirector + "> this month?", "Which did you get from <@" + eDirector + ">?",
		"What could <@" + eDirector + "> let go of?", "What <@" + eDirector + "> will see", "needed *–* · got *–*",
		"Your path with <@" + eDirector + "> says you need coaching now."} {
		if !strings.Contains(before, want) {
			t.Errorf("the check-in lacks %q:\n%s", want, before)
		}
	}

	// Lee answers dana's: one click per question.
	w.click(eLeader, fromDana, slackapp.ActionCheckInNeeded+".facilitating")
	cur := w.waitEdited(fromDana, 1)
	if s := shown(cur.Text, cur.Blocks); !strings.Contains(s, "✓ facilitating") || !strings.Contains(s, "needed *facilitating* · got *–*") {
		t.Errorf("after the first click the message shows:\n%s", s)
	}
	r := w.click(eLeader, cur, slackapp.ActionCheckInGot+".directing")
	cur = w.waitEdited(fromDana, 2)
	pair := coach.Pair{Director: eDirector, Leader: eLeader}
	first, err := w.bot.db.CheckIn(ctx, pair, month)
	if err != nil || first.Needed != coach.Facilitating || first.Got != coach.Directing {
		t.Fatalf("stored check-in = %+v, %v", first, err)
	}
	// A second click, and Slack redelivering the click: nothing recorded twice.
	w.click(eLeader, cur, slackapp.ActionCheckInGot+".directing")
	if _, err := w.sim.Redeliver(r.Envelope.ID); err != nil {
		t.Fatal(err)
	}
	w.waitEdited(fromDana, 3)
	again, _ := w.bot.db.CheckIn(ctx, pair, month)
	if !again.Answered.Equal(first.Answered) || again.Needed != first.Needed || again.Got != first.Got {
		t.Errorf("a second click changed the check-in: %+v, was %+v", again, first)
	}
	all, _ := w.bot.db.ListCheckIns(ctx, coach.Pair{Leader: eLeader})
	if len(all) != 2 {
		t.Errorf("lee has %d check-ins, want 2 (one per director)", len(all))
	}

	// The let-go text, only for lee.
	form := w.modalOf(eLeader, w.message(fromDana), slackapp.ActionCheckInNote)
	if form.CallbackID != slackapp.ViewCheckInNote {
		t.Fatalf("Write it opened %q", form.CallbackID)
	}
	if e := w.ackError(eLeader, form, slacksim.Values{slackapp.BlockCheckInNote: onlyForLee}); e != i18n.EN.T("checkin.form.err.who") {
		t.Errorf("a text without who sees it: %q, want the error beside the choice", e)
	}
	w.submit(eLeader, form, slacksim.Values{slackapp.BlockCheckInNote: onlyForLee, slackapp.BlockCheckInWho: "private"})
	cur = w.waitEdited(fromDana, 4)
	after := shown(cur.Text, cur.Blocks)
	for _, want := range []string{"🔒 Only for you: " + onlyForLee, "What <@" + eDirector + "> sees:* needed *facilitating* · got *directing*", "✅ Recorded."} {
		if !strings.Contains(after, want) {
			t.Errorf("after the note the message lacks %q:\n%s", want, after)
		}
	}

	// Daan's: the same styles, and a let-go text shared.
	w.click(eLeader, fromDaan, slackapp.ActionCheckInNeeded+".coaching")
	w.waitEdited(fromDaan, 1)
	w.click(eLeader, w.message(fromDaan), slackapp.ActionCheckInGot+".coaching")
	w.waitEdited(fromDaan, 2)
	form = w.modalOf(eLeader, w.message(fromDaan), slackapp.ActionCheckInNote)
	w.submit(eLeader, form, slacksim.Values{slackapp.BlockCheckInNote: sharedLetGo, slackapp.BlockCheckInWho: "shared"})
	w.waitEdited(fromDaan, 3)

	// The directors' cards: the contrast and the shared text only.
	dana := shown("", w.homeOf(eDirector).Blocks)
	for _, want := range []string{"Check-in (" + monthName + "): needed *facilitating* · got *directing*", i18n.EN.T("checkin.contrast.differs")} {
		if !strings.Contains(dana, want) {
			t.Errorf("dana's card lacks %q:\n%s", want, dana)
		}
	}
	daan := shown("", w.homeOf(eDirectorN).Blocks)
	if !strings.Contains(daan, sharedLetGo) || !strings.Contains(daan, "nodig *coachen* · gekregen *coachen*") {
		t.Errorf("daan's card lacks the shared text or the styles:\n%s", daan)
	}

	// The admin: counts only (three sent, two answered, one where needed ≠ got).
	report := w.slash(eAdmin, "report")
	rep := shown(report.Text, report.Blocks)
	if want := i18n.EN.T("checkin.counts.month", monthName, 3, 2, 1); !strings.Contains(rep, want) {
		t.Errorf("the report lacks %q:\n%s", want, rep)
	}
	adminHome := shown("", w.homeOf(eAdmin).Blocks)
	for what, text := range map[string]string{"report": rep, "admin Home": adminHome} {
		for _, never := range []string{sharedLetGo, "<@" + eLeader + ">", "facilitating"} {
			if strings.Contains(text, never) {
				t.Errorf("the %s shows who answered what (%q)", what, never)
			}
		}
	}

	// The canary scan.
	danaExport, daanExport := w.exportOf(eDirector), w.exportOf(eDirectorN)
	if !bytes.Contains(daanExport, []byte(sharedLetGo)) {
		t.Errorf("daan's export lacks the shared text: the scan of the exports proves nothing")
	}
	reach := map[string]string{"dana's Home": dana, "daan's Home": daan, "the report": rep, "the admin Home": adminHome,
		"dana's export": string(danaExport), "daan's export": string(daanExport),
		"the audit log": shown(w.slash(eAdmin, "audit").Text, w.slash(eAdmin, "audit").Blocks), "the admin's export": string(w.exportOf(eAdmin))}
	for what, text := range reach {
		if strings.Contains(text, onlyForLee) {
			t.Errorf("%s shows lee's text marked only for lee", what)
		}
	}
	if !bytes.Contains(w.exportOf(eLeader), []byte(onlyForLee)) {
		t.Errorf("lee's own export lacks lee's text")
	}

	// No director habit: no occurrence for the directors.
	for _, d := range []coach.UserID{eDirector, eDirectorN} {
		if hist, err := w.bot.db.History(ctx, d, "", due.AddDate(0, -1, 0)); err != nil || len(hist) != 0 {
			t.Errorf("%s has %d occurrences after the check-ins (%v), want none", d, len(hist), err)
		}
	}

	// /coach send checkin: admins only; one per director now; never to a
	// Lean leader who turned them off. (Lotte, who has one director: the
	// Poster paces posts into one DM at one a second of the bot's clock,
	// which stands still here.)
	clock.set(due.Add(time.Hour))
	if m := w.slash(eDirector, "send checkin <@"+eLeader+"|lee>"); strings.Contains(m.Text, "has a check-in") {
		t.Errorf("a director sent a check-in: %q", m.Text)
	}
	if m := w.slash(eAdmin, "send checkin <@"+eLeader2+"|lotte>"); m.Text != i18n.EN.T("checkin.sent", "<@"+eLeader2+">", "<@"+eDirectorN+">") {
		t.Errorf("/coach send checkin @lotte = %q", m.Text)
	}
	if n := w.checkInsIn(eLeader2); n != 2 {
		t.Errorf("lotte has %d check-ins after /coach send checkin, want 2", n)
	}
	if m := w.slash(eAdmin, "send checkin <@"+eDirector+"|dana>"); m.Text != i18n.EN.T("checkin.err.not_a_leader", "<@"+eDirector+">") {
		t.Errorf("/coach send checkin @dana = %q", m.Text)
	}
	w.slash(eLeader, "checkin off")
	if m := w.slash(eAdmin, "send checkin <@"+eLeader+"|lee>"); m.Text != i18n.EN.T("checkin.err.off", "<@"+eLeader+">") {
		t.Errorf("/coach send checkin to lee with them off = %q", m.Text)
	}
	if n := w.checkInsIn(eLeader); n != 2 {
		t.Errorf("lee has %d check-ins after turning them off, want still 2", n)
	}
}

// waitUntil polls cond every few milliseconds until it holds or ctx ends:
// for what the bot writes to its store, which no Slack event announces.
func waitUntil(ctx context.Context, cond func() bool) error {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}
