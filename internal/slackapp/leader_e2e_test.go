package slackapp_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// The Lean leader's canaries: the note Lean leader lee marks "only for me"
// in the check-in, and the comment lee shares on the path with director
// dana.
const (
	onlyForLee  = "narwhalonlyforlee"
	sharedByLee = "I would like to run the okapi review myself"
	sharedLetGo = "the Monday okapi agenda"
)

// fileCount counts word in the bot's database file.
func (w *world) fileCount(word string) int {
	w.t.Helper()
	b, err := os.ReadFile(w.dbPath)
	if err != nil {
		w.t.Fatal(err)
	}
	return bytes.Count(b, []byte(word))
}

// dmFile returns the newest file the bot shared in user's DM.
func dmFile(t testing.TB, sim *slacksim.Server, user string) slacksim.File {
	t.Helper()
	msgs := sim.Messages(sim.DMChannel(user))
	for i := len(msgs) - 1; i >= 0; i-- {
		if len(msgs[i].Files) > 0 {
			f, ok := sim.File(msgs[i].Files[0])
			if !ok {
				t.Fatalf("file %s is not in slacksim", msgs[i].Files[0])
			}
			return f
		}
	}
	t.Fatalf("no file in %s's DM", user)
	return slacksim.File{}
}

// exportOf has user type /coach export and returns the file.
func (w *world) exportOf(user string) []byte {
	w.t.Helper()
	if m := w.slash(user, "export"); m.Text != i18n.EN.T("data.export.sent") && m.Text != i18n.NL.T("data.export.sent") {
		w.t.Fatalf("/coach export as %s = %q", user, m.Text)
	}
	return dmFile(w.t, w.sim, user).Data
}

// TestE2ELeaderStory is the Lean leader's side up to the check-in message:
// director dana plots a path with Lean leader lee; lee's check-in for this
// month is answered through the service as the check-in message will
// answer it (needed facilitating, got directing, a note only for lee),
// and lee comments on the path from the App Home. Dana's path card and
// review form show the contrast with the neutral line and the shared
// comment; the admin's report and Home show counts only; the canary scan
// finds lee's private note nowhere dana or the admin can reach (their
// Home, the review form, /coach path, the report, dana's export), while
// lee's own Home and export hold it. Lee stops the check-ins; lee's forget
// erases the note and the comment from the file and keeps dana's path.
func TestE2ELeaderStory(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	ctx := w.ctx()
	leaders := w.bot.bot.Leaders
	next := coach.Step{Responsibility: "Runs the weekly review", Target: pathToday().AddDays(30)}
	if _, err := w.bot.bot.Paths.SetPath(ctx, eDirector, eLeader, coach.PathInput{Style: coach.Coaching, Phase: coach.SelfKnowledge, Next: next}); err != nil {
		t.Fatal(err)
	}
	// The check-in, click by click, then the note.
	pair := coach.Pair{Director: eDirector, Leader: eLeader}
	month := leaders.Month(ctx, eLeader)
	if _, created, err := leaders.OpenCheckIn(ctx, pair, month); err != nil || !created {
		t.Fatalf("OpenCheckIn = %v, %v", created, err)
	}
	if _, err := leaders.AnswerCheckIn(ctx, eLeader, eDirector, month, coach.CheckInAnswer{Needed: coach.Facilitating}); err != nil {
		t.Fatal(err)
	}
	preview, err := leaders.CheckInContext(ctx, eLeader, eDirector, month)
	if err != nil || preview.Visible || preview.PathStyle != coach.Coaching {
		t.Fatalf("CheckInContext before got = %+v, %v; want not yet visible, with the path's style", preview, err)
	}
	if _, err := leaders.AnswerCheckIn(ctx, eLeader, eDirector, month, coach.CheckInAnswer{Got: coach.Directing,
		Note: &coach.CheckInNote{Text: onlyForLee, Private: true}}); err != nil {
		t.Fatal(err)
	}
	if preview, _ := leaders.CheckInContext(ctx, eLeader, eDirector, month); !preview.Visible || preview.Preview.Note != "" {
		t.Errorf("the preview of what dana sees = %+v, want it visible without the note", preview.Preview)
	}

	// Lee's Home: the path read-only, the check-in with its note marked
	// only for lee, and "Add a comment".
	home := w.homeOf(eLeader)
	s := shown("", home.Blocks)
	for _, want := range []string{"Runs the weekly review", "🔒 " + onlyForLee, "needed *facilitating* · got *directing*", "Add a comment"} {
		if !strings.Contains(s, want) {
			t.Errorf("lee's Home lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "Review now") || strings.Contains(s, "Edit path") {
		t.Errorf("lee's Home offers to change the path:\n%s", s)
	}
	click, err := w.sim.As(eLeader).Click(ctx, home, slackapp.ActionCommentAdd, slacksim.InBlock("leader_path_"+eDirector))
	if err != nil {
		t.Fatal(err)
	}
	form, err := waitModal(ctx, click)
	if err != nil || form.CallbackID != slackapp.ViewComment {
		t.Fatalf("Add a comment opened %q, %v; want the comment form", form.CallbackID, err)
	}
	w.checkView(form)
	if e := w.ackError(eLeader, form, slacksim.Values{slackapp.BlockComment: "   "}); e != i18n.EN.T("comment.err.empty") {
		t.Errorf("an empty comment: %q, want the error beside the field", e)
	}
	if r := w.submit(eLeader, form, slacksim.Values{slackapp.BlockComment: sharedByLee}); len(r.AckPayload()) > 0 {
		t.Fatalf("comment acked with %s, want the form closed", r.AckPayload())
	}
	if err := w.sim.WaitFor(ctx, func() bool {
		cs, _ := w.bot.db.ListComments(ctx, pair)
		return len(cs) == 1
	}); err != nil {
		t.Fatalf("the comment was not stored: %v", err)
	}
	if _, err := leaders.AnswerCheckIn(ctx, eLeader, eDirector, month.Add(-1), coach.CheckInAnswer{Needed: coach.Coaching,
		Got: coach.Coaching, Note: &coach.CheckInNote{Text: sharedLetGo}}); err != nil {
		t.Fatal(err)
	}

	// Dana's card and review form: the contrast, the neutral line, the
	// shared comment, never lee's note.
	card := shown("", w.homeOf(eDirector).Blocks)
	monthName := i18n.EN.Month(month.Month())
	for _, want := range []string{"Check-in (" + monthName + "): needed *facilitating* · got *directing*",
		i18n.EN.T("checkin.contrast.differs"), sharedByLee} {
		if !strings.Contains(card, want) {
			t.Errorf("dana's card lacks %q:\n%s", want, card)
		}
	}
	dhome := w.homeOf(eDirector)
	click, err = w.sim.As(eDirector).Click(ctx, dhome, slackapp.ActionPathReview, slacksim.InBlock("path_"+eLeader))
	if err != nil {
		t.Fatal(err)
	}
	review, err := waitModal(ctx, click)
	if err != nil || review.CallbackID != slackapp.ViewPathReview {
		t.Fatalf("Review now opened %q, %v", review.CallbackID, err)
	}
	w.checkView(review)
	reviewText := shown("", review.Blocks)
	if !strings.Contains(reviewText, "needed *facilitating* · got *directing*") || !strings.Contains(reviewText, sharedByLee) {
		t.Errorf("the review form lacks the contrast or the comment:\n%s", reviewText)
	}

	// The admin: counts only.
	report := w.slash(eAdmin, "report")
	w.checkBlocks("report", report.Blocks)
	rep := shown(report.Text, report.Blocks)
	if want := i18n.EN.T("checkin.counts.month", monthName, 1, 1, 1); !strings.Contains(rep, want) {
		t.Errorf("the report lacks %q:\n%s", want, rep)
	}
	adminHome := shown("", w.homeOf(eAdmin).Blocks)
	if !strings.Contains(adminHome, i18n.EN.T("checkin.counts.title")) {
		t.Errorf("the admin Home lacks the check-in counts:\n%s", adminHome)
	}
	for what, text := range map[string]string{"report": rep, "admin Home": adminHome} {
		for _, never := range []string{sharedByLee, sharedLetGo, "<@" + eLeader + ">", "facilitating"} {
			if strings.Contains(text, never) {
				t.Errorf("the %s shows who answered what (%q):\n%s", what, never, text)
			}
		}
	}

	// The canary scan: nowhere dana or the admin can reach.
	danaExport := w.exportOf(eDirector)
	if !bytes.Contains(danaExport, []byte(sharedLetGo)) || !bytes.Contains(danaExport, []byte(sharedByLee)) {
		t.Errorf("dana's export lacks what lee shared: the scan of it proves nothing")
	}
	reach := map[string]string{
		"dana's Home": card, "the review form": reviewText, "dana's /coach path": shown(w.slash(eDirector, "path").Text, w.slash(eDirector, "path").Blocks),
		"the report": rep, "the admin Home": adminHome, "dana's export": string(danaExport),
		"the audit log":      shown(w.slash(eAdmin, "audit").Text, w.slash(eAdmin, "audit").Blocks),
		"the admin's export": string(w.exportOf(eAdmin)),
	}
	hits := 0
	for what, text := range reach {
		if strings.Contains(text, onlyForLee) {
			hits++
			t.Errorf("%s shows lee's note marked only for lee", what)
		}
	}
	leeExport := w.exportOf(eLeader)
	if !bytes.Contains(leeExport, []byte(onlyForLee)) || !bytes.Contains(leeExport, []byte(sharedByLee)) {
		t.Errorf("lee's export lacks lee's own note or comment")
	}
	t.Logf("canary scan: %d surfaces of the director and the admin, %d show the private note; the file holds it %d times",
		len(reach), hits, w.fileCount(onlyForLee))

	// Lee stops the check-ins; dana cannot.
	if m := w.slash(eLeader, "checkin off"); m.Text != i18n.EN.T("leader.checkin.off") {
		t.Errorf("/coach checkin off = %q", m.Text)
	}
	if _, _, err := leaders.OpenCheckIn(ctx, pair, month); coach.ErrorCode(err) != coach.ECONFLICT {
		t.Errorf("OpenCheckIn after checkin off = %v, want a refusal", err)
	}
	if m := w.slash(eDirector, "checkin off"); m.Text != i18n.EN.T("checkin.err.leaders_only") {
		t.Errorf("/coach checkin off as the director = %q, want the refusal", m.Text)
	}

	// Lee's forget: the note and the comment leave the file; dana's path stays.
	for _, c := range []string{onlyForLee, sharedByLee} {
		if w.fileCount(c) == 0 {
			t.Fatalf("%q is not in the file before forget: the scan proves nothing", c)
		}
	}
	ask := w.slash(eLeader, "forget")
	c, err := w.sim.As(eLeader).Click(ctx, ask, "data.forget.confirm")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitResponse(ctx); err != nil {
		t.Fatalf("no answer to the confirmation: %v", err)
	}
	for _, word := range []string{onlyForLee, sharedByLee, sharedLetGo} {
		if n := w.fileCount(word); n != 0 {
			t.Errorf("after lee's forget the file holds %q %d times, want 0", word, n)
		}
	}
	if w.path(eDirector, eLeader) == nil {
		t.Errorf("lee's forget erased dana's path with lee")
	}
}

// forgeClick sends the block_actions payload Slack would send when user
// clicks a button actionID with value on their App Home, and waits for its
// ack: a button the bot never showed them.
func (w *world) forgeClick(user, actionID, value string) {
	w.t.Helper()
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "team": map[string]any{"id": w.sim.TeamID()},
		"user":       map[string]any{"id": user, "team_id": w.sim.TeamID()},
		"api_app_id": w.sim.AppID(), "trigger_id": forgedTrigger(w, user), "container": map[string]any{"type": "view"},
		"actions": []map[string]any{{"type": "button", "action_id": actionID, "block_id": "forged", "value": value, "action_ts": "1.2"}},
	})
	if _, err := w.sim.WaitAck(w.ctx(), w.sim.Send("interactive", payload)); err != nil {
		w.t.Fatalf("forged click of %s not acked: %v", actionID, err)
	}
}

// forgedTrigger is a trigger_id no other payload of the test has: the bot
// takes a repeated one for Slack's redelivery of the same click.
func forgedTrigger(w *world, user string) string {
	return fmt.Sprintf("9%d.%s.forged", w.sim.Seq(), user)
}

// forgeComment sends a comment form's submission by user about director.
func (w *world) forgeComment(user, director, text string) {
	w.t.Helper()
	meta, _ := json.Marshal(slackapp.CommentMeta{Director: coach.UserID(director), Lang: "en"})
	payload, _ := json.Marshal(map[string]any{
		"type": "view_submission", "team": map[string]any{"id": w.sim.TeamID()},
		"user":       map[string]any{"id": user, "team_id": w.sim.TeamID()},
		"api_app_id": w.sim.AppID(), "trigger_id": forgedTrigger(w, user),
		"view": map[string]any{"id": "V0FORGED1", "type": "modal", "callback_id": slackapp.ViewComment, "private_metadata": string(meta),
			"state": map[string]any{"values": map[string]any{
				slackapp.BlockComment: map[string]any{slackapp.BlockComment: map[string]any{"type": "plain_text_input", "value": text}}}}},
	})
	if _, err := w.sim.WaitAck(w.ctx(), w.sim.Send("interactive", payload)); err != nil {
		w.t.Fatalf("forged comment not acked: %v", err)
	}
}

// TestE2ELeaderAuthorization is the authorization matrix with the Lean
// leaders, through Slack: as each Lean leader (lee of dana, lotte of daan)
// and as dana, the admin and a stranger, every admin command, `/coach
// path` with each Lean leader, the path card's buttons and the comment
// form forged for a pair that is not theirs, a comment's delete forged for
// one that is not theirs, and `/coach checkin off`. What is allowed is
// what the role table and the pairs say; a refusal opens no form and
// changes nothing. Wrong allows: 0.
func TestE2ELeaderAuthorization(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	ctx := w.ctx()
	db := w.bot.db
	if _, err := w.bot.bot.Paths.SetPath(ctx, eDirector, eLeader, coach.PathInput{Style: coach.Coaching, Phase: coach.SelfKnowledge,
		Next: coach.Step{Responsibility: "Runs the weekly review", Target: pathToday().AddDays(30)}}); err != nil {
		t.Fatal(err)
	}
	leeComment, err := w.bot.bot.Leaders.AddComment(ctx, eLeader, eDirector, "lee's own comment")
	if err != nil {
		t.Fatal(err)
	}
	state := func() string {
		ps, _ := db.ListPaths(ctx, "")
		cs, _ := db.ListComments(ctx, coach.Pair{})
		ds, _ := db.Directors(ctx)
		ss, _ := db.Schedules(ctx)
		as, _ := db.Admins(ctx)
		log, _ := db.AuditLog(ctx, 0)
		var prefs []coach.Prefs
		for _, u := range []coach.UserID{eLeader, eLeader2, eDirector, eAdmin, eOther} {
			p, _ := db.Prefs(ctx, u)
			prefs = append(prefs, p)
		}
		raw, _ := json.Marshal([]any{ps, cs, ds, ss, as, len(log), prefs})
		return string(raw)
	}
	type attempt struct {
		name    string
		allowed []string // who may
		do      func(user string) (allowed bool)
	}
	// answered waits until the bot has answered u after seq: a form
	// opened, a Home redrawn or a message shown to u; it returns what.
	answered := func(seq int64, u string) slacksim.EventKind {
		ev, err := w.sim.WaitEvent(ctx, seq, func(ev slacksim.Event) bool {
			return ev.User == u && (ev.Kind == slacksim.EventEphemeral || ev.Kind == slacksim.EventViewOpened || ev.Kind == slacksim.EventHomePublished)
		})
		if err != nil {
			t.Fatalf("the bot never answered %s: %v", u, err)
		}
		return ev.Kind
	}
	// pathCommand types /coach text as u and reports whether a form
	// opened: it waits for the form or the reply, whichever comes.
	pathCommand := func(u, text string) bool {
		seq := w.sim.Seq()
		r, err := w.sim.As(u).Slash(ctx, "/coach", text)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := w.sim.WaitEvent(ctx, seq, func(ev slacksim.Event) bool {
			return (ev.Kind == slacksim.EventResponse && ev.EnvelopeID == r.EnvelopeID) || (ev.Kind == slacksim.EventViewOpened && ev.User == u)
		})
		if err != nil {
			t.Fatalf("/coach %s as %s: no answer: %v", text, u, err)
		}
		return ev.Kind == slacksim.EventViewOpened
	}
	closeTop := func(u string) {
		if v, ok := w.sim.TopView(u); ok {
			_, _ = w.sim.As(u).Close(ctx, v.ID)
		}
	}
	attempts := []attempt{
		{"/coach path with lee", []string{eDirector}, func(u string) bool {
			defer closeTop(u)
			return pathCommand(u, "path <@"+eLeader+"|lee>")
		}},
		{"/coach path with lotte", nil, func(u string) bool {
			defer closeTop(u)
			return pathCommand(u, "path <@"+eLeader2+"|lotte>")
		}},
		{"the card's Review now for lee", []string{eDirector}, func(u string) bool {
			var home slacksim.View
			if u == eDirector {
				home = w.homeOf(u)
			}
			seq := w.sim.Seq()
			if u == eDirector { // dana's own Home
				if _, err := w.sim.As(u).Click(ctx, home, slackapp.ActionPathReview, slacksim.InBlock("path_"+eLeader)); err != nil {
					t.Fatal(err)
				}
			} else { // anyone else has no such button: forged
				w.forgeClick(u, slackapp.ActionPathReview, eLeader)
			}
			defer closeTop(u)
			return answered(seq, u) == slacksim.EventViewOpened
		}},
		{"a comment on dana's path", []string{eLeader}, func(u string) bool {
			before, _ := db.ListComments(ctx, coach.Pair{Director: eDirector})
			seq := w.sim.Seq()
			w.forgeComment(u, eDirector, "forged by "+u)
			answered(seq, u)
			after, _ := db.ListComments(ctx, coach.Pair{Director: eDirector})
			if len(after) > len(before) {
				last := after[len(after)-1]
				if err := db.DeleteComment(ctx, last.Pair, last.ID); err != nil {
					t.Fatal(err)
				}
				return true
			}
			return false
		}},
		{"deleting lee's comment", []string{eLeader}, func(u string) bool {
			seq := w.sim.Seq()
			w.forgeClick(u, slackapp.ActionCommentDelete, eDirector+"|"+leeComment.ID)
			answered(seq, u)
			if cs, _ := db.ListComments(ctx, coach.Pair{Director: eDirector, Leader: eLeader}); len(cs) == 0 {
				leeComment, err = w.bot.bot.Leaders.AddComment(ctx, eLeader, eDirector, "lee's own comment")
				if err != nil {
					t.Fatal(err)
				}
				return true
			}
			return false
		}},
		{"/coach checkin off", []string{eLeader, eLeader2}, func(u string) bool {
			m := w.slash(u, "checkin off")
			if m.Text == i18n.EN.T("leader.checkin.off") || m.Text == i18n.NL.T("leader.checkin.off") {
				w.slash(u, "checkin on")
				return true
			}
			return false
		}},
	}
	for _, c := range coach.AdminCommands() {
		text := c
		switch c {
		case "director add":
			text = "director add <@" + eOther + "|otto> leader <@" + eLeader + "|lee>"
		case "director remove":
			text = "director remove <@" + eDirectorN + "|daan>"
		case "channel":
			text = "channel <#" + eKudos + "|kudos>"
		case "schedule add":
			text = "schedule add standup weekdays 08:45 to all"
		case "schedule remove", "schedule pause", "schedule resume":
			text = c + " s1"
		case "send":
			text = "send standup <@" + eDirector + "|dana>"
		case "admin add", "admin remove":
			text = c + " <@" + eOther + "|otto>"
		}
		attempts = append(attempts, attempt{"/coach " + c, []string{eAdmin}, func(u string) bool {
			return !refused(w.slash(u, text).Text, c)
		}})
	}
	// The admin is left out: their commands change the workspace, and
	// their allows are TestE2EAuthorizationMatrix's.
	subjects := []string{eLeader, eLeader2, eDirector, eOther}
	cells, wrongAllows, wrongDenies := 0, 0, 0
	for _, a := range attempts {
		for _, u := range subjects {
			cells++
			before := state()
			allowed := a.do(u)
			want := false
			for _, ok := range a.allowed {
				want = want || ok == u
			}
			switch {
			case allowed && !want:
				wrongAllows++
				t.Errorf("%s by %s was allowed", a.name, u)
			case !allowed && want:
				wrongDenies++
				t.Errorf("%s by %s was refused", a.name, u)
			case !allowed:
				if after := state(); after != before {
					t.Errorf("%s by %s was refused but changed something:\n%s\n%s", a.name, u, before, after)
				}
			}
		}
	}
	t.Logf("end-to-end authorization matrix with Lean leaders: %d cells (%d attempts x %d subjects), %d wrong allows, %d wrong denies",
		cells, len(attempts), len(subjects), wrongAllows, wrongDenies)
	if wrongAllows != 0 || wrongDenies != 0 {
		t.Fatalf("wrong allows = %d, wrong denies = %d; want 0", wrongAllows, wrongDenies)
	}
}
