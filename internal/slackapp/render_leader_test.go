package slackapp_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// The Lean leader's golden files render the surfaces' fixed world (sfNow:
// Friday 4 December 2026 in Amsterdam) from Lars's side: his path with
// director sfDir (sfHistoryPath), a second director sfDir2 without a path,
// three check-ins and two comments. leaderSecret is the note Lars kept for
// himself: it must never show on a surface of the director or an admin.
const leaderSecret = "wombatonlyforlars"

var (
	nov2026 = coach.NewMonth(2026, time.November)
	oct2026 = coach.NewMonth(2026, time.October)
	dec2026 = coach.NewMonth(2026, time.December)
)

// sfCheckIns are Lars's check-ins: October with sfDir matched; November
// with sfDir needed facilitating and got directing, with a note only for
// him; December with sfDir2 half answered; and November with sfDir2 with a
// shared note.
func sfCheckIns() []coach.CheckIn {
	at, _ := sfDay(time.November, 20)
	pair, pair2 := coach.Pair{Director: sfDir, Leader: pathHistory}, coach.Pair{Director: sfDir2, Leader: pathHistory}
	return []coach.CheckIn{
		{Pair: pair, Month: oct2026, Opened: at.AddDate(0, -1, 0), Needed: coach.Coaching, Got: coach.Coaching, Answered: at.AddDate(0, -1, 1), Updated: at.AddDate(0, -1, 1)},
		{Pair: pair, Month: nov2026, Opened: at, Needed: coach.Facilitating, Got: coach.Directing, Note: "The Monday numbers: " + leaderSecret,
			Private: true, Answered: at.Add(time.Hour), Updated: at.Add(time.Hour)},
		{Pair: pair2, Month: dec2026, Opened: sfNow, Needed: coach.Delegating},
		{Pair: pair2, Month: nov2026, Opened: at, Needed: coach.Coaching, Got: coach.Directing, Note: "The <weekly> planning, & its agenda",
			Answered: at.Add(2 * time.Hour), Updated: at.Add(2 * time.Hour)},
	}
}

// sfComments are Lars's comments on his path with sfDir.
func sfComments() []coach.Comment {
	at, _ := sfDay(time.November, 25)
	pair := coach.Pair{Director: sfDir, Leader: pathHistory}
	return []coach.Comment{
		{Pair: pair, ID: "c1", At: at, Text: "I'd like to run the review without notes <!channel>"},
		{Pair: pair, ID: "c2", At: at.AddDate(0, 0, 3), Text: "Could we look at the improvements together first?"},
	}
}

// sfLeaderHome is Lars's App Home: a Lean leader who directs no one.
func sfLeaderHome() coach.Home {
	loc := sfNow.Location()
	today := coach.DateOf(sfNow)
	p := sfHistoryPath().ForLeader()
	v1 := coach.ViewPath(coach.Pair{Director: sfDir, Leader: pathHistory}, &p, today, loc)
	v2 := coach.ViewPath(coach.Pair{Director: sfDir2, Leader: pathHistory}, nil, today, loc)
	views := coach.WithVoices([]coach.PathView{v1, v2}, sfCheckIns(), sfComments())
	cs := sfCheckIns()
	lh := &coach.LeaderHome{Paths: views, CheckIns: []coach.CheckIn{cs[2], cs[1], cs[3], cs[0]}, Month: dec2026,
		Kudos: []coach.Kudos{
			{ID: "k2", From: sfDir, To: pathHistory, Text: "Calm & clear at the stand-up <@UOTHER>", At: sfNow.Add(-26 * time.Hour)},
			{ID: "k1", From: sfDir2, To: pathHistory, Text: "", At: sfNow.AddDate(0, -8, 0)},
		}}
	return coach.BuildHome(coach.HomeInput{User: pathHistory, Now: sfNow, Loc: loc, IsLeader: true, Leader: lh})
}

// sfVoiceHome is the director's App Home with Lars's card, showing what he
// shared.
func sfVoiceHome() coach.Home {
	d := coach.Director{ID: sfDir, Leaders: []coach.UserID{pathHistory}}
	return coach.BuildHome(coach.HomeInput{User: sfDir, Now: sfNow, Loc: sfNow.Location(), Director: &d,
		Paths: []coach.Path{sfHistoryPath()}, CheckIns: sfCheckIns(), Comments: sfComments()})
}

// checkNoSecret fails when out shows the Lean leader's private note.
func checkNoSecret(t *testing.T, name, out string) {
	t.Helper()
	if strings.Contains(out, leaderSecret) {
		t.Errorf("%s shows what the Lean leader kept for themselves (%q)", name, leaderSecret)
	}
}

func TestLeaderHomeViews(t *testing.T) {
	for _, l := range i18n.Langs() {
		t.Run(string(l), func(t *testing.T) {
			name := "home_leader." + string(l)
			v := slackapp.HomeView(l, sfLeaderHome())
			checkHomeView(t, name, v)
			raw := readableJSON(v)
			checkPathText(t, name, raw)
			for _, key := range []string{"leader.", "checkin."} {
				if strings.Contains(raw, `"text":"`+key) {
					t.Errorf("%s shows a bare key:\n%s", name, raw)
				}
			}
		})
	}
	s := readableJSON(slackapp.HomeView(i18n.EN, sfLeaderHome()))
	for _, want := range []string{
		"*Your path with <@UDIRANNA1>*",
		"Decides on small improvements &lt;without&gt; asking me, by Friday 15 January 2027",
		"Reviews: ✅◐▫️✅◐ · last review 25 days ago",
		"Your last check-in (November): needed *facilitating* · got *directing*",
		"💬 Saturday 28 November: Could we look at the improvements together first?",
		"I'd like to run the review without notes &lt;!channel&gt;",
		`"action_id":"leader.comment.add","value":"UDIRANNA1"`,
		`"action_id":"leader.comment.delete","value":"UDIRANNA1|c1"`,
		"<@UDIRBART1> has not plotted a path with you yet",
		"*December* · <@UDIRBART1>: not answered yet",
		"*November* · <@UDIRANNA1>: needed *facilitating* · got *directing*",
		"🔒 The Monday numbers: " + leaderSecret, // his own, marked only for him
		"👁 The &lt;weekly&gt; planning, &amp; its agenda",
		"<@UDIRANNA1> · Thursday 3 December: Calm &amp; clear at the stand-up &lt;@UOTHER&gt;",
		"the text was removed after the retention period",
		"Check-ins are on. `/coach checkin off` stops them.",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the Lean leader's Home lacks %q:\n%s", want, s)
		}
	}
	// What the director saw at a review is not in the Lean leader's view.
	for _, saw := range []string{"One so far", "asked me to step in", "complete."} {
		if strings.Contains(s, saw) {
			t.Errorf("the Lean leader's Home shows what the director saw (%q)", saw)
		}
	}
	if strings.Contains(s, "Review now") || strings.Contains(s, `"path.edit"`) {
		t.Errorf("the Lean leader's Home has a button to change the path")
	}
}

func TestDirectorSeesTheVoice(t *testing.T) {
	for _, l := range i18n.Langs() {
		t.Run(string(l), func(t *testing.T) {
			name := "home_path_voice." + string(l)
			v := slackapp.HomeView(l, sfVoiceHome())
			checkHomeView(t, name, v)
			raw := readableJSON(v)
			checkPathText(t, name, raw)
			checkNoSecret(t, name, raw)
			views := coach.WithVoices(sfPathViews(), sfCheckIns(), sfComments())
			form := slackapp.ReviewFormView(l, views[1], "", slackapp.NewPathMeta(views[1], l, ""))
			checkView(t, "path_review_voice."+string(l), form)
			checkNoSecret(t, "path_review_voice", readableJSON(form))
		})
	}
	for _, tt := range []struct {
		lang i18n.Lang
		want []string
	}{
		{i18n.EN, []string{"Check-in (November): needed *facilitating* · got *directing*", i18n.EN.T("checkin.contrast.differs"),
			"💬 <@ULARS0001>, Saturday 28 November: Could we look at the improvements together first?"}},
		{i18n.NL, []string{"Check-in (november): nodig *faciliteren* · gekregen *sturen*", i18n.NL.T("checkin.contrast.differs")}},
	} {
		s := readableJSON(slackapp.HomeView(tt.lang, sfVoiceHome()))
		for _, w := range tt.want {
			if !strings.Contains(s, w) {
				t.Errorf("%s: the director's card lacks %q:\n%s", tt.lang, w, s)
			}
		}
	}
	// A run of months is shown as it is, with the neutral line.
	cs := append(sfCheckIns(), coach.CheckIn{Pair: coach.Pair{Director: sfDir, Leader: pathHistory}, Month: dec2026,
		Needed: coach.Facilitating, Got: coach.Directing, Note: "let go of the agenda", Answered: sfNow})
	d := coach.Director{ID: sfDir, Leaders: []coach.UserID{pathHistory}}
	h := coach.BuildHome(coach.HomeInput{User: sfDir, Now: sfNow, Loc: sfNow.Location(), Director: &d, Paths: []coach.Path{sfHistoryPath()}, CheckIns: cs})
	s := readableJSON(slackapp.HomeView(i18n.EN, h))
	if want := i18n.EN.T("checkin.contrast.run", 2); !strings.Contains(s, want) || !strings.Contains(s, "<@ULARS0001> on what you could let go of: let go of the agenda") {
		t.Errorf("a run of two with a shared note: card lacks %q or the note:\n%s", want, s)
	}
}

func TestCommentForm(t *testing.T) {
	for _, l := range i18n.Langs() {
		name := "modal_comment." + string(l)
		v := slackapp.CommentFormView(l, sfDir)
		checkView(t, name, v)
		if m, err := slackapp.ParseCommentMeta(v.PrivateMetadata); err != nil || m.Director != sfDir || m.Lang != l {
			t.Errorf("%s metadata = %+v, %v", name, m, err)
		}
	}
	submit := func(meta, text string) slack.InteractionCallback {
		var cb slack.InteractionCallback
		cb.View.CallbackID = slackapp.ViewComment
		cb.View.PrivateMetadata = meta
		cb.View.State = &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
			slackapp.BlockComment: {slackapp.BlockComment: {Value: text}}}}
		return cb
	}
	meta := slackapp.CommentFormView(i18n.NL, sfDir).PrivateMetadata
	if _, text, errs, err := slackapp.CheckCommentForm(submit(meta, "  fine  ")); err != nil || errs != nil || text != "  fine  " {
		t.Errorf("a good comment: %q, %v, %v", text, errs, err)
	}
	if _, _, errs, _ := slackapp.CheckCommentForm(submit(meta, "   ")); errs[slackapp.BlockComment] != i18n.NL.T("comment.err.empty") {
		t.Errorf("an empty comment: errors %v, want the Dutch error beside the field", errs)
	}
	if _, _, errs, _ := slackapp.CheckCommentForm(submit(meta, strings.Repeat("x", coach.MaxCommentLen+1))); errs[slackapp.BlockComment] == "" {
		t.Errorf("a too long comment was accepted")
	}
	for _, bad := range []string{"", "{", `{"d":"not a user","l":"en"}`, strings.Repeat("x", 3001)} {
		if _, _, _, err := slackapp.CheckCommentForm(submit(bad, "hi")); err == nil {
			t.Errorf("metadata %.20q was accepted", bad)
		}
	}
}

// TestCheckInReportLines: the report and the admins' Home count the
// check-ins per month and name no one.
func TestCheckInReportLines(t *testing.T) {
	r := sfReport()
	r.CheckIns = coach.CountCheckIns(sfCheckIns(), dec2026)
	admin := coach.BuildHome(coach.HomeInput{User: sfAdmin, Now: sfNow, Loc: sfNow.Location(), IsAdmin: true,
		Week: sfWeek(), Counts: &r.Paths, CheckInCounts: &r.CheckIns, Admins: coach.AdminList{Listed: []coach.UserID{sfAdmin}}})
	for _, l := range i18n.Langs() {
		t.Run(string(l), func(t *testing.T) {
			rep := slackapp.ReportReply(l, r, sfNow.Location())
			checkSurfaceMessage(t, "report_checkins."+string(l), rep.Text, rep.Blocks)
			v := slackapp.HomeView(l, admin)
			checkHomeView(t, "home_admin_checkins."+string(l), v)
			for name, s := range map[string]string{"report": readableJSON(rep.Blocks), "admin Home": readableJSON(v)} {
				checkNoSecret(t, name, s)
				for _, text := range []string{"planning", "Monday numbers", string(pathHistory)} {
					if strings.Contains(s, text) {
						t.Errorf("%s %s names who answered what (%q)", l, name, text)
					}
				}
				if want := l.T("checkin.counts.month", l.Month(time.November), 2, 2, 2); !strings.Contains(s, want) {
					t.Errorf("%s %s lacks %q", l, name, want)
				}
			}
		})
	}
}

func TestCheckInReplies(t *testing.T) {
	for _, tt := range []struct {
		on, changed bool
		key         string
	}{{true, true, "leader.checkin.on"}, {false, true, "leader.checkin.off"}, {true, false, "leader.checkin.status.on"},
		{false, false, "leader.checkin.status.off"}} {
		for _, l := range i18n.Langs() {
			if r := slackapp.CheckInReply(l, tt.on, tt.changed); r.Text != l.T(tt.key) {
				t.Errorf("CheckInReply(%s, on %v, changed %v) = %q, want %s", l, tt.on, tt.changed, r.Text, tt.key)
			}
		}
	}
}

// TestLeaderHomeWithinLimits: many directors, comments and check-ins keep
// the view valid.
func TestLeaderHomeWithinLimits(t *testing.T) {
	h := sfLeaderHome()
	for i := range 12 {
		v := h.Leader.Paths[0]
		v.Director = coach.UserID("UDIRX" + strings.Repeat("Y", 3) + string(rune('A'+i)))
		v.Voice.Comments = append(v.Voice.Comments, v.Voice.Comments...)[:coach.MaxVoiceComments]
		v.Voice.AllComments = 90
		h.Leader.Paths = append(h.Leader.Paths, v)
	}
	long := strings.Repeat("ö", coach.MaxCheckInNote)
	for range 10 {
		h.Leader.CheckIns = append(h.Leader.CheckIns, coach.CheckIn{Pair: coach.Pair{Director: sfDir, Leader: pathHistory},
			Month: nov2026, Needed: coach.Coaching, Got: coach.Coaching, Note: long})
	}
	h.Leader.CheckIns = h.Leader.CheckIns[:coach.LeaderHomeCheckIns]
	for _, l := range i18n.Langs() {
		raw, err := json.Marshal(slackapp.HomeView(l, h))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range slacksim.ValidateView(raw) {
			t.Errorf("HomeView(%s, many paths): Block Kit: %s", l, p)
		}
	}
}
