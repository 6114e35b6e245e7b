package slackapp_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// An admin sets the channel and the director; a compliment prompt goes out;
// the director writes the compliment in the modal; the kudos appears in the
// channel with the leader mentioned; the prompt turns into its outcome; the
// streak is 1.
func TestE2ECompliment(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	prompt := w.send("compliment", eDirector)
	if !strings.Contains(visible(prompt), "Write a compliment") {
		t.Fatalf("compliment prompt = %s, want the \"Write a compliment\" button", visible(prompt))
	}

	v := w.openModal(eDirector, prompt)
	if opts, initial := leaderChoice(t, v); v.CallbackID != slackapp.ViewCompliment || !slices.Equal(opts, []string{eLeader}) || initial != eLeader {
		t.Fatalf("modal %s offers %v with %q preselected, want the compliment modal offering %s, preselected", v.CallbackID, opts, initial, eLeader)
	}
	// An empty compliment is refused inside the modal, which stays open.
	r := w.submit(eDirector, v, slacksim.Values{"text": " \u200b "})
	if ack := string(r.AckPayload()); !strings.Contains(ack, `"response_action":"errors"`) || !strings.Contains(ack, "fill this in") {
		t.Fatalf("submitting no text acked %s, want an error on the text field", ack)
	}
	if o := w.stored(prompt); o.Answer != nil {
		t.Fatalf("a refused submission recorded %+v", o.Answer)
	}
	w.submit(eDirector, v, slacksim.Values{"leader": eLeader, "text": "You let the team solve the blocked order themselves. Great dagstart!"})

	kudos := w.waitKudos(1)[0]
	if !strings.Contains(visible(kudos), "<@"+eLeader+">") || !strings.Contains(visible(kudos), "<@"+eDirector+">") ||
		!strings.Contains(visible(kudos), "Great dagstart!") {
		t.Errorf("kudos = %s, want it to mention the leader and the director and hold the text", visible(kudos))
	}
	updated := w.waitEdited(prompt, 1)
	if hasButtons(updated) || !strings.Contains(visible(updated), "Your streak has started") || !strings.Contains(visible(updated), "<#"+eKudos+">") {
		t.Errorf("updated prompt = %s, want the outcome, streak 1 and no buttons", visible(updated))
	}
	if o := w.stored(prompt); o.Answer == nil || o.Answer.Outcome != coach.Done || o.Answer.Leader != eLeader {
		t.Errorf("stored answer = %+v, want done for %s", o.Answer, eLeader)
	}

	streak := w.slash(eDirector, "streak")
	if !strings.Contains(visible(streak), "*Give a compliment*: streak 1 · best 1") {
		t.Errorf("/coach streak = %s, want the compliment habit at streak 1", visible(streak))
	}
}

// "I was there" records the standup at once, with no form: the prompt turns
// into its outcome and streak and offers "Add a note". A double click
// records once and tells the second click so. The note (observation and
// feedback) is saved onto the recorded answer and never shown in the DM.
func TestE2EStandup(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	prompt := w.send("standup", eDirector)
	seq := w.sim.Seq()
	r := w.click(eDirector, prompt, slackapp.ActionAnswer)
	done := w.waitEdited(prompt, 1)
	if got := actionIDs(t, done); !slices.Equal(got, []string{slackapp.ActionNote}) || !strings.Contains(visible(done), "Add a note") {
		t.Errorf("prompt after one click has buttons %v (%s), want only Add a note", got, visible(done))
	}
	if !strings.Contains(visible(done), "✅ Done, recorded on") || !strings.Contains(visible(done), "Your streak has started") {
		t.Errorf("prompt after one click = %s, want done and streak 1", visible(done))
	}
	if o := w.stored(prompt); o.Answer == nil || o.Answer.Outcome != coach.Done || o.Answer.FeedbackGiven || o.Answer.HasNote() {
		t.Errorf("stored answer = %+v, want done, nothing more", o.Answer)
	}
	for _, ev := range w.sim.Events() {
		if ev.Seq > seq && ev.Kind == slacksim.EventViewOpened {
			t.Errorf("one click opened a modal")
		}
	}
	// A double click: the same click with its own trigger. Recorded once.
	seq = w.sim.Seq()
	if _, err := w.sim.WaitAck(w.ctx(), w.sim.Send("interactive", secondPress(t, w, r))); err != nil {
		t.Fatalf("second click not acked: %v", err)
	}
	ev, err := w.sim.WaitEvent(w.ctx(), seq, func(ev slacksim.Event) bool {
		return ev.Kind == slacksim.EventResponse && ev.User == eDirector && ev.TS != ""
	})
	if err != nil {
		t.Fatalf("second click not answered: %v", err)
	}
	if m, _ := w.sim.Message(ev.Channel, ev.TS); m.Text != i18n.EN.T("svc.err.already_recorded") {
		t.Errorf("second click told %q, want already recorded", m.Text)
	}
	if cur := w.message(prompt); cur.Edited != 1 {
		t.Errorf("prompt edited %d times after a double click, want 1", cur.Edited)
	}

	v := w.noteModal(eDirector, done)
	if v.CallbackID != slackapp.ViewStandup {
		t.Fatalf("Add a note opened %s, want the standup form", v.CallbackID)
	}
	w.submit(eDirector, v, slacksim.Values{"observation": "Calm, but two people stayed silent.", "feedback": "yes"})
	noted := w.waitEdited(prompt, 2)
	if !strings.Contains(visible(noted), "with feedback") || !strings.Contains(visible(noted), "Your streak has started") ||
		!strings.Contains(visible(noted), "Your note is saved") || !strings.Contains(visible(noted), "Edit your note") {
		t.Errorf("prompt after the note = %s, want done with feedback, streak 1, the note saved", visible(noted))
	}
	if strings.Contains(visible(noted), "two people") {
		t.Errorf("updated prompt shows the private observation: %s", visible(noted))
	}
	o := w.stored(prompt)
	if o.Answer == nil || o.Answer.Outcome != coach.Done || !o.Answer.FeedbackGiven || o.Answer.Observation != "Calm, but two people stayed silent." {
		t.Errorf("stored answer = %+v, want done with feedback and the observation", o.Answer)
	}
	if s := w.slash(eDirector, "streak"); !strings.Contains(visible(s), "*Join the stand-up*: streak 1") {
		t.Errorf("/coach streak = %s, want the standup at streak 1", visible(s))
	}
	// Editing the note shows what was saved.
	if again := w.noteModal(eDirector, noted); !strings.Contains(string(again.Blocks), "two people stayed silent") {
		t.Errorf("the note form opened again = %s, want the saved observation in it", again.Blocks)
	}
}

// "Add a note" is optional: closing its form (Cancel) leaves the answer
// recorded; a new note replaces the one before; someone else cannot open
// the form; a Not today answer has no note.
func TestE2ENoteOptional(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	prompt := w.send("gemba", eDirector)
	if !strings.Contains(visible(prompt), "Done") {
		t.Fatalf("gemba prompt = %s, want a Done button", visible(prompt))
	}
	w.click(eDirector, prompt, slackapp.ActionAnswer)
	done := w.waitEdited(prompt, 1)
	v := w.noteModal(eDirector, done)
	if _, err := w.sim.As(eDirector).Close(w.ctx(), v.ID); err != nil {
		t.Fatal(err)
	}
	if o := w.stored(prompt); o.Answer == nil || o.Answer.Outcome != coach.Done {
		t.Fatalf("after Cancel the answer = %+v, want still done", o.Answer)
	}

	seq := w.sim.Seq()
	r := w.click(eOther, done, slackapp.ActionNote)
	if reply, err := r.WaitResponse(w.ctx()); err != nil || !strings.Contains(reply.Text, "sent to someone else") {
		t.Errorf("Add a note by someone else: reply %q, %v; want a refusal", reply.Text, err)
	}
	for _, ev := range w.sim.Events() {
		if ev.Seq > seq && ev.Kind == slacksim.EventViewOpened {
			t.Errorf("Add a note by someone else opened a form")
		}
	}

	w.submit(eDirector, w.noteModal(eDirector, done), slacksim.Values{"note": "Line 3 waits for parts every morning."})
	noted := w.waitEdited(prompt, 2)
	// A later, different note replaces it and updates the prompt once more;
	// the same submission again (a double press) leaves it so.
	second := w.submit(eDirector, w.noteModal(eDirector, noted), slacksim.Values{"note": "Parts arrive at 9 now."})
	w.waitEdited(prompt, 3)
	if _, err := w.sim.WaitAck(w.ctx(), w.sim.Send("interactive", secondPress(t, w, second))); err != nil {
		t.Fatalf("second press not acked: %v", err)
	}
	if o := w.stored(prompt); o.Answer == nil || o.Answer.Outcome != coach.Done || o.Answer.Note != "Parts arrive at 9 now." {
		t.Errorf("stored answer = %+v, want done with the new note", o.Answer)
	}

	// Not today: no note to add.
	later := w.send("feedback", eDirector)
	w.click(eDirector, later, slackapp.ActionNotToday)
	if nt := w.waitEdited(later, 1); hasButtons(nt) {
		t.Errorf("a Not today answer offers buttons: %s", visible(nt))
	}
}

func TestE2EQuestion(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	prompt := w.send("question", eDirector)
	first := w.stored(prompt).QuestionID
	firstText := i18n.EN.T(coach.QuestionKey(first))
	if first == "" || !strings.Contains(visible(prompt), firstText) {
		t.Fatalf("question prompt = %s, want question %q shown", visible(prompt), first)
	}

	w.click(eDirector, prompt, slackapp.ActionAnother)
	swapped := w.waitEdited(prompt, 1)
	second := w.stored(prompt).QuestionID
	secondText := i18n.EN.T(coach.QuestionKey(second))
	if second == first || !strings.Contains(visible(swapped), secondText) || strings.Contains(visible(swapped), firstText) {
		t.Fatalf("after Another question the prompt shows %s (question %s), want a new one in place of %s", visible(swapped), second, first)
	}
	if !hasButtons(swapped) {
		t.Fatalf("after Another question the prompt lost its buttons")
	}

	// "I asked it" records the question shown, at once.
	w.click(eDirector, swapped, slackapp.ActionAnswer)
	asked := w.waitEdited(prompt, 2)
	if got := actionIDs(t, asked); !slices.Equal(got, []string{slackapp.ActionNote}) || !strings.Contains(visible(asked), "Asked") {
		t.Errorf("prompt after one click = %s with buttons %v, want asked and only Add a note", visible(asked), got)
	}
	if o := w.stored(prompt); o.Answer == nil || o.Answer.Outcome != coach.Done || o.Answer.QuestionID != second {
		t.Fatalf("stored answer = %+v, want done for question %s", o.Answer, second)
	}

	v := w.noteModal(eDirector, asked)
	if v.CallbackID != slackapp.ViewQuestion || !strings.Contains(string(v.Blocks), secondText) {
		t.Fatalf("note form %s = %s, want the question form prefilled with %q", v.CallbackID, v.Blocks, secondText)
	}
	w.submit(eDirector, v, slacksim.Values{"note": "She proposed a daily 5-minute check with the team."})
	w.waitEdited(prompt, 3)
	o := w.stored(prompt)
	if o.Answer == nil || o.Answer.QuestionID != second || o.Answer.Asked != secondText || o.Answer.Note != "She proposed a daily 5-minute check with the team." {
		t.Errorf("stored answer = %+v, want question %s as prefilled, with the note", o.Answer, second)
	}
	if s := w.slash(eDirector, "streak"); !strings.Contains(visible(s), "*Ask a coaching question*: streak 1") {
		t.Errorf("/coach streak = %s, want the question habit at streak 1", visible(s))
	}

	// The next question follows up on what the Lean leader came up with,
	// and shows it, naming the director's one Lean leader.
	q, _ := coach.LookupQuestion(second)
	next := w.send("question", eDirector)
	if id := w.stored(next).QuestionID; id != coach.FollowUpQuestion(q.Theme).ID ||
		!strings.Contains(visible(next), "She proposed a daily 5-minute check with the team.") ||
		!strings.Contains(visible(next), i18n.EN.T("prompt.question.last_time", "<@"+eLeader+">")) ||
		!strings.Contains(visible(next), i18n.EN.T(coach.QuestionKey(id))) {
		t.Fatalf("next question prompt = %s (question %s), want the %s follow-up with the note", visible(next), id, q.Theme)
	}
	// Answered, it keeps the note above the question.
	w.click(eDirector, next, slackapp.ActionAnswer)
	if done := w.waitEdited(next, 1); !strings.Contains(visible(done), "5-minute check") || !strings.Contains(visible(done), "Asked") {
		t.Errorf("answered follow-up = %s, want it asked, with the note still shown", visible(done))
	}
	// Once followed up, the next is a library question, without the note.
	third := w.send("question", eDirector)
	if id := w.stored(third).QuestionID; coach.IsFollowUp(id) || strings.Contains(visible(third), "5-minute check") {
		t.Errorf("question after the follow-up = %s (question %s), want a library question alone", visible(third), id)
	}
}

// secondPress is the payload of r's action pressed once more: the same
// payload with a trigger_id of its own, as Slack sends for a double press.
func secondPress(t testing.TB, w *world, r *slacksim.Result) json.RawMessage {
	t.Helper()
	env, ok := w.sim.EnvelopeStatus(r.EnvelopeID)
	if !ok {
		t.Fatalf("no envelope %s", r.EnvelopeID)
	}
	var payload map[string]any
	if err := json.Unmarshal(env.Payload, &payload); err != nil {
		t.Fatal(err)
	}
	payload["trigger_id"] = "9990000000.1.second-press"
	b, _ := json.Marshal(payload)
	return b
}

// actionIDs lists the action_ids of a message's buttons and menus.
func actionIDs(t testing.TB, m slacksim.Message) []string {
	t.Helper()
	var blocks []struct {
		Elements []struct {
			ActionID string `json:"action_id"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
		t.Fatalf("blocks: %v", err)
	}
	var out []string
	for _, b := range blocks {
		for _, e := range b.Elements {
			if e.ActionID != "" {
				out = append(out, e.ActionID)
			}
		}
	}
	return out
}

// Someone else clicking a director's prompt (a forwarded message) is refused
// and changes nothing.
func TestE2EOtherUserRefused(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	prompt := w.send("standup", eDirector)
	seq := w.sim.Seq()

	for _, act := range []string{slackapp.ActionAnswer, slackapp.ActionNotToday} {
		r := w.click(eOther, prompt, act)
		reply, err := r.WaitResponse(w.ctx())
		if err != nil {
			t.Fatalf("%s by another user: no reply: %v", act, err)
		}
		if !strings.Contains(reply.Text, "sent to someone else") {
			t.Errorf("%s by another user: reply %q, want a refusal", act, reply.Text)
		}
	}
	r := w.click(eOther, prompt, slackapp.ActionSnooze, slacksim.Choose("hour:"+string(promptKey(t, prompt))))
	if _, err := r.WaitResponse(w.ctx()); err != nil {
		t.Fatalf("snooze by another user: no reply: %v", err)
	}
	if o := w.stored(prompt); o.Answer != nil {
		t.Errorf("after clicks by another user the answer = %+v, want none", o.Answer)
	}
	if cur := w.message(prompt); cur.Edited != 0 {
		t.Errorf("after clicks by another user the prompt was edited %d times", cur.Edited)
	}
	for _, ev := range w.sim.Events() {
		if ev.Seq > seq && (ev.Kind == slacksim.EventViewOpened || (ev.Kind == slacksim.EventMessage && ev.Channel == eKudos)) {
			t.Errorf("a click by another user led to %s", ev.Kind)
		}
	}
	// The director still can.
	w.click(eDirector, prompt, slackapp.ActionNotToday)
	if updated := w.waitEdited(prompt, 1); !strings.Contains(visible(updated), "Not today") {
		t.Errorf("updated prompt = %s, want not today", visible(updated))
	}
}

// A double press on Submit (two view_submission payloads with their own
// trigger_ids) and Slack redelivering one: one record, one kudos; the extra
// submission is told "already recorded".
func TestE2EDoubleSubmission(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	prompt := w.send("compliment", eDirector)
	v := w.openModal(eDirector, prompt)
	seq := w.sim.Seq()
	r := w.submit(eDirector, v, slacksim.Values{"text": "Thank you for the clear board."})
	secondID := w.sim.Send("interactive", secondPress(t, w, r))
	if _, err := w.sim.Redeliver(r.EnvelopeID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.sim.WaitAck(w.ctx(), secondID); err != nil {
		t.Fatalf("second submission not acked: %v", err)
	}
	eph, err := w.sim.WaitEvent(w.ctx(), seq, func(ev slacksim.Event) bool {
		return ev.Kind == slacksim.EventEphemeral && ev.User == eDirector
	})
	if err != nil {
		t.Fatalf("the extra submission was not answered: %v", err)
	}
	if m, _ := w.sim.Message(eph.Channel, eph.TS); !strings.Contains(m.Text, "Already recorded") {
		t.Errorf("the extra submission was told %q, want already recorded", m.Text)
	}
	w.waitEdited(prompt, 1)
	if got := w.waitKudos(1); len(got) != 1 {
		t.Errorf("kudos posts = %d, want 1", len(got))
	}
	kept, err := w.bot.db.KudosFor(context.Background(), eLeader, time.Time{})
	if err != nil || len(kept) != 1 {
		t.Errorf("kept kudos = %v, %v; want one", kept, err)
	}
	if cur := w.message(prompt); cur.Edited != 1 {
		t.Errorf("prompt edited %d times, want 1", cur.Edited)
	}
}

// Mentions, channel pings, group pings and links typed into a compliment
// never reach Slack live.
func TestE2EMentionInjection(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	evil := "<!channel> <!here|here> <!everyone> <!subteam^S0001|@leads> <@" + eOther + "|otto> <#" + ePrivate + "> <https://evil.example|our intranet> \u202egnp.exe thanks!"
	reply := w.slash(eDirector, "kudos <@"+eLeader+"|lee> "+evil)
	if !strings.Contains(reply.Text, "<#"+eKudos+">") {
		t.Fatalf("/coach kudos reply = %q, want it to say where the kudos went", reply.Text)
	}
	// Through the modal too.
	prompt := w.send("compliment", eDirector)
	v := w.openModal(eDirector, prompt)
	w.submit(eDirector, v, slacksim.Values{"text": evil})
	// Slack sent the command's references as control sequences: they read
	// as what was typed. The modal's text is what was typed.
	reads := []string{"@channel @here @everyone @leads @otto #" + ePrivate + " our intranet", "<!channel> <!here|here> <!everyone>"}
	for i, k := range w.waitKudos(2) {
		out := visible(k)
		for _, live := range []string{"<!", "<#", "<http", "<@" + eOther, "\u202e"} {
			if strings.Contains(out, live) {
				t.Errorf("kudos holds the live token %q: %s", live, out)
			}
		}
		text, verbatim := kudosSection(t, k)
		rd := w.sim.Read(text, verbatim)
		if !strings.Contains(rd.Text, reads[i]) || !slices.Equal(rd.Pings, []string{eLeader, eDirector}) {
			t.Errorf("kudos reads %q pinging %v, want %q in it and only the leader and the director pinged", rd.Text, rd.Pings, reads[i])
		}
	}
	for _, c := range w.sim.CallsTo("chat.postMessage") {
		if c.Args["link_names"] == "true" || c.Args["link_names"] == "1" || c.Args["parse"] == "full" {
			t.Errorf("chat.postMessage with link_names/parse: %v", c.Args)
		}
	}
}

// Answers live in the database file: a restarted bot still knows them, and
// a note form opened before the restart is saved after it.
func TestE2EAnswersSurviveRestart(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	prompt := w.send("gemba", eDirector)
	w.click(eDirector, prompt, slackapp.ActionAnswer)
	done := w.waitEdited(prompt, 1)
	w.submit(eDirector, w.noteModal(eDirector, done), slacksim.Values{"note": "Line 3 waits for parts every morning."})
	w.waitEdited(prompt, 2)
	pending := w.send("feedback", eDirector)
	w.click(eDirector, pending, slackapp.ActionAnswer)
	open := w.noteModal(eDirector, w.waitEdited(pending, 1))

	w.restart()

	if o := w.stored(prompt); o.Answer == nil || o.Answer.Outcome != coach.Done || o.Answer.Note != "Line 3 waits for parts every morning." {
		t.Errorf("answer after restart = %+v, want done with the note", o.Answer)
	}
	if s := w.slash(eDirector, "streak"); !strings.Contains(visible(s), "*Go to the Gemba*: streak 1") {
		t.Errorf("/coach streak after restart = %s, want gemba at streak 1", visible(s))
	}
	w.submit(eDirector, open, slacksim.Values{"note": "Asked for feedback on my own meeting."})
	if updated := w.waitEdited(pending, 2); !strings.Contains(visible(updated), "Done") || !strings.Contains(visible(updated), "Your note is saved") {
		t.Errorf("prompt noted after restart = %s, want done with the note saved", visible(updated))
	}
	if o := w.stored(pending); o.Answer == nil || o.Answer.Note != "Asked for feedback on my own meeting." {
		t.Errorf("answer noted after restart = %+v", o.Answer)
	}
	if s := w.slash(eDirector, "streak"); !strings.Contains(visible(s), "*Make feedback normal*: streak 1") {
		t.Errorf("/coach streak = %s, want feedback at streak 1", visible(s))
	}
}

// A director whose Slack locale is Dutch gets a Dutch prompt and a Dutch
// confirmation; the English one English.
func TestE2ELanguagePerDirector(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	nl := w.send("gemba", eDirectorN)
	en := w.send("gemba", eDirector)
	if !strings.Contains(visible(nl), "Vandaag niet") || strings.Contains(visible(nl), "Not today") {
		t.Errorf("prompt for the Dutch director = %s, want Dutch", visible(nl))
	}
	if !strings.Contains(visible(en), "Not today") {
		t.Errorf("prompt for the English director = %s, want English", visible(en))
	}
	w.click(eDirectorN, nl, slackapp.ActionSnooze, slacksim.Choose("morning:"+string(promptKey(t, nl))))
	if u := w.waitEdited(nl, 1); !strings.Contains(visible(u), "Uitgesteld tot") || !strings.Contains(visible(u), "08:30") || !hasButtons(u) {
		t.Errorf("snoozed Dutch prompt = %s, want \"Uitgesteld tot … 08:30\" with the buttons kept", visible(u))
	}
	if s := w.slash(eDirectorN, "streak"); !strings.Contains(visible(s), "Je reeksen") {
		t.Errorf("/coach streak for the Dutch director = %s, want Dutch", visible(s))
	}
}

// Admin commands are refused for others; bad input says what was wrong with
// an example; a private channel gets instructions to invite the bot.
func TestE2ECommands(t *testing.T) {
	w := newWorld(t)
	cases := []struct {
		user, text string
		want       []string
	}{
		{eDirector, "director add <@" + eOther + "> leader <@" + eLeader + ">", []string{"admins can use `/coach director add`"}},
		{eDirector, "send standup <@" + eDirector + ">", []string{"admins can use `/coach send`"}},
		// Refused before its syntax is checked: no admin's example for a director.
		{eDirector, "send", []string{"admins can use `/coach send`"}},
		{eAdmin, "director add @dana leader @lee", []string{"not a person I recognise", "For example: `/coach director add @director leader @leader"}},
		{eAdmin, "send yoga <@" + eDirector + ">", []string{"`yoga` is not a habit"}},
		{eAdmin, "send standup <@" + eDirector + ">", []string{"is not a director yet"}},
		{eAdmin, "frobnicate <!channel>", []string{"I don't know `/coach frobnicate`"}},
		{eAdmin, "channel <#" + ePrivate + "|leads>", []string{"Invite me", "<#" + ePrivate + ">"}},
		{eAdmin, "director list", []string{"No directors yet"}},
		{eAdmin, "habits", []string{"`standup`", "`reflect`"}},
		{eDirector, "kudos <@" + eLeader + "> thanks", []string{"Only directors"}},
		// Too long for any route: the reply says the length and the limit.
		{eDirector, "pause " + strings.Repeat("x", 5994), []string{"6000 characters", "at most 4000"}},
		{eAdmin, "schedule add " + strings.Repeat("x", 5987), []string{"6000 characters", "at most 4000"}},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			out := visible(w.slash(c.user, c.text))
			for _, want := range c.want {
				if !strings.Contains(out, want) {
					t.Errorf("/coach %s = %s, want %q in it", c.text, out, want)
				}
			}
			if strings.Contains(out, "<!channel>") {
				t.Errorf("/coach %s echoed a live <!channel>: %s", c.text, out)
			}
		})
	}
	if ds, _ := w.bot.db.Directors(context.Background()); len(ds) != 0 {
		t.Errorf("refused commands registered directors: %v", ds)
	}
	w.setUp()
	list := visible(w.slash(eAdmin, "director list"))
	if !strings.Contains(list, "<@"+eDirector+"> leads <@"+eLeader+">") {
		t.Errorf("/coach director list = %s, want the director with their leader", list)
	}
	if out := visible(w.slash(eAdmin, "director remove <@"+eDirectorN+">")); !strings.Contains(out, "no longer a director") {
		t.Errorf("/coach director remove = %s", out)
	}
}

// When the kudos channel is private and the bot was not invited, the
// compliment is still recorded and the director is told how to fix it.
func TestE2EKudosChannelNotJoined(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	if m := w.slash(eAdmin, "channel <#"+ePrivate+"|leads>"); !strings.Contains(m.Text, "Invite me") {
		t.Fatalf("/coach channel (private) = %q, want instructions to invite the bot", m.Text)
	}
	out := visible(w.slash(eDirector, "kudos <@"+eLeader+"> thanks for the calm dagstart"))
	if !strings.Contains(out, "I can't post in <#"+ePrivate+">") || !strings.Contains(out, "/invite") {
		t.Errorf("/coach kudos to a channel without the bot = %s, want how to invite it", out)
	}

	prompt := w.send("compliment", eDirector)
	v := w.openModal(eDirector, prompt)
	seq := w.sim.Seq()
	w.submit(eDirector, v, slacksim.Values{"text": "Thanks for the calm dagstart."})
	ev, err := w.sim.WaitEvent(w.ctx(), seq, func(ev slacksim.Event) bool {
		return ev.Kind == slacksim.EventEphemeral && ev.User == eDirector
	})
	if err != nil {
		t.Fatalf("director not told the kudos could not be posted: %v", err)
	}
	if m, _ := w.sim.Message(ev.Channel, ev.TS); !strings.Contains(m.Text, "/invite") {
		t.Errorf("director told %q, want how to invite the bot", m.Text)
	}
	if o := w.stored(prompt); o.Answer == nil || o.Answer.Outcome != coach.Done {
		t.Errorf("compliment answer = %+v, want it recorded as done", o.Answer)
	}
	// The updated prompt must not claim the compliment is in the channel.
	if m, _ := w.sim.Message(prompt.Channel, prompt.TS); m.Edited == 0 || strings.Contains(m.Text+string(m.Blocks), "<#"+ePrivate) {
		t.Errorf("prompt after a failed kudos post = %q (edited %d), want it updated without naming the channel", m.Text, m.Edited)
	}
	for _, m := range w.sim.Messages(ePrivate) {
		if m.IsBot() {
			t.Errorf("the bot posted in a channel it is not in: %s", m.Text)
		}
	}
}
