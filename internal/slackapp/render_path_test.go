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

// The path's golden files render the surfaces' fixed world (sfNow: Friday
// 4 December 2026 in Amsterdam) with director sfDir and three Lean
// leaders: Lotte without a path, Lars with most of a year of history, and
// Lieke whose target date passed two weeks ago with no review yet.
var (
	pathNone    = coach.UserID("ULOTTE001")
	pathHistory = coach.UserID("ULARS0001")
	pathOverdue = coach.UserID("ULIEKE001")
)

// sfDay is noon on day d of the fixed world's year, in Amsterdam.
func sfDay(m time.Month, d int) (time.Time, coach.Date) {
	at := time.Date(2026, m, d, 12, 0, 0, 0, sfNow.Location())
	return at, coach.DateOf(at)
}

// sfHistoryPath is Lars's path: set in March as directing in phase 1, five
// reviews since (handed over, partly, not yet, handed over, partly), the
// style moved to coaching and then facilitating, the phase to 2.
func sfHistoryPath() coach.Path {
	p := coach.Path{Pair: coach.Pair{Director: sfDir, Leader: pathHistory}}
	at, day := sfDay(time.March, 2)
	p = p.Set(coach.PathInput{Style: coach.Directing, Phase: coach.SelfAcceptance,
		Next: coach.Step{Responsibility: "Prepares the weekly review's agenda", Target: day.AddDays(30)}}, at, day)
	reviews := []struct {
		m     time.Month
		d     int
		in    coach.ReviewInput
		style coach.Style
	}{
		{time.April, 1, coach.ReviewInput{Outcome: coach.Handed, Saw: "The agenda was there on Monday & complete.",
			Next: coach.Step{Responsibility: "Runs the weekly review on his own", DoneLooksLike: "The team brings its numbers; I only listen",
				Target: coach.NewDate(2026, 6, 1)}}, coach.Coaching},
		{time.June, 3, coach.ReviewInput{Outcome: coach.Partly, Saw: "Ran it twice, asked me to step in once."}, ""},
		{time.July, 6, coach.ReviewInput{Outcome: coach.NotYet, Phase: coach.SelfKnowledge}, ""},
		{time.September, 7, coach.ReviewInput{Outcome: coach.Handed, Next: coach.Step{Responsibility: "Decides on small improvements <without> asking me",
			DoneLooksLike: "Two improvements a month, and I hear of them afterwards", Target: coach.NewDate(2027, 1, 15)}}, coach.Facilitating},
		{time.November, 9, coach.ReviewInput{Outcome: coach.Partly, Saw: "One so far."}, ""},
	}
	for _, r := range reviews {
		at, day := sfDay(r.m, r.d)
		r.in.Rev, r.in.Style = p.Rev, r.style
		p = p.Apply(r.in, at, day)
	}
	return p
}

// sfOverduePath is Lieke's path: set on 1 October with a target of 20
// November, never reviewed.
func sfOverduePath() coach.Path {
	p := coach.Path{Pair: coach.Pair{Director: sfDir, Leader: pathOverdue}}
	at, day := sfDay(time.October, 1)
	return p.Set(coach.PathInput{Style: coach.Delegating, Phase: coach.Development, PhaseSince: coach.NewDate(2025, 5, 12),
		Next: coach.Step{Responsibility: "Leads the quarterly planning", Target: coach.NewDate(2026, 11, 20)}}, at, day)
}

// sfPathViews are the three Lean leaders' paths as the director sees them.
func sfPathViews() []coach.PathView {
	d := coach.Director{ID: sfDir, Leaders: []coach.UserID{pathNone, pathHistory, pathOverdue}}
	return coach.PathViews(d, []coach.Path{sfOverduePath(), sfHistoryPath()}, coach.DateOf(sfNow), sfNow.Location())
}

// sfPathHome is the director's App Home with only the paths of leaders.
func sfPathHome(leaders ...coach.UserID) coach.Home {
	d := coach.Director{ID: sfDir, Leaders: leaders}
	return coach.BuildHome(coach.HomeInput{User: sfDir, Now: sfNow, Loc: sfNow.Location(), Director: &d,
		Paths: []coach.Path{sfOverduePath(), sfHistoryPath()}})
}

// checkPathText fails when out shows a catalog key of the path (a missing
// text) or a formatting error.
func checkPathText(t *testing.T, name, out string) {
	t.Helper()
	if strings.Contains(out, "%!") {
		t.Errorf("%s: has a formatting error: %s", name, out)
	}
	for _, k := range i18n.Keys(i18n.EN) {
		for _, prefix := range []string{"path.", "style.", "phase.", "audit.", "report."} {
			if strings.HasPrefix(k, prefix) && strings.Contains(out, k) {
				t.Errorf("%s: shows the key %q", name, k)
			}
		}
	}
}

func TestPathFormViews(t *testing.T) {
	views := sfPathViews()
	for _, l := range i18n.Langs() {
		for name, v := range map[string]coach.PathView{"path_form_new": views[0], "path_form_set": views[1]} {
			t.Run(name+"."+string(l), func(t *testing.T) {
				view := slackapp.PathFormView(l, v, slackapp.NewPathMeta(v, l, "D0DIRANNA"))
				checkView(t, name+"."+string(l), view)
				raw := readableJSON(view)
				checkPathText(t, name, raw)
			})
		}
		t.Run("path_review."+string(l), func(t *testing.T) {
			view := slackapp.ReviewFormView(l, views[1], "", slackapp.NewPathMeta(views[1], l, ""))
			checkView(t, "path_review."+string(l), view)
			raw := readableJSON(view)
			checkPathText(t, "path_review", raw)
		})
	}
}

// TestPathFormPrefilled: the form shows the path as it stands, its
// selects show each style's and phase's one-line hint, and the review
// form preselects the outcome it was opened with and shows the plan
// escaped.
func TestPathFormPrefilled(t *testing.T) {
	v := sfPathViews()[1]
	s := readableJSON(slackapp.PathFormView(i18n.EN, v, slackapp.NewPathMeta(v, i18n.EN, "")))
	for _, want := range []string{
		`"initial_option":{"text":{"type":"plain_text","text":"Facilitating","emoji":false},"value":"facilitating"`,
		`"value":"2","description":{"type":"plain_text","text":"` + i18n.EN.T("phase.2.hint") + `","emoji":false}`,
		`"initial_value":"Decides on small improvements <without> asking me"`,
		`"initial_date":"2027-01-15"`,
		i18n.EN.T("style.delegating.hint"),
	} {
		if !strings.Contains(s, want) {
			t.Errorf("path form lacks %s:\n%s", want, s)
		}
	}
	for _, o := range coach.ReviewOutcomes() {
		s := readableJSON(slackapp.ReviewFormView(i18n.NL, v, o, slackapp.NewPathMeta(v, i18n.NL, "")))
		if !strings.Contains(s, `"initial_option":{"text":{"type":"plain_text","text":"`+i18n.NL.T("path.review.outcome."+string(o))+`","emoji":false},"value":"`+string(o)+`"`) {
			t.Errorf("review form opened with %s does not preselect it:\n%s", o, s)
		}
		if strings.Contains(s, "<without>") || !strings.Contains(s, "&lt;without&gt;") {
			t.Errorf("review form shows the plan unescaped:\n%s", s)
		}
	}
}

func TestPathHomeCards(t *testing.T) {
	for _, l := range i18n.Langs() {
		for name, h := range map[string]coach.Home{
			"home_path_none":    sfPathHome(pathNone),
			"home_path_history": sfPathHome(pathHistory),
			"home_path_overdue": sfPathHome(pathOverdue),
		} {
			t.Run(name+"."+string(l), func(t *testing.T) {
				v := slackapp.HomeView(l, h)
				checkHomeView(t, name+"."+string(l), v)
				raw := readableJSON(v)
				checkPathText(t, name, raw)
			})
		}
	}
	s := readableJSON(slackapp.HomeView(i18n.EN, sfPathHome(pathNone, pathHistory, pathOverdue)))
	for _, want := range []string{
		`"text":{"type":"plain_text","text":"Set a path","emoji":true},"action_id":"path.edit","value":"ULOTTE001"`, // Lotte
		"Reviews: ✅◐▫️✅◐ · last review 25 days ago",                                                                 // Lars
		"Past 12 months: 2 responsibilities handed over · 2 style changes",                                          // Lars
		"Decides on small improvements &lt;without&gt; asking me, by Friday 15 January 2027",
		"Leads the quarterly planning, by Friday 20 November · ⚠️ 14 days past the target date", // Lieke
		"No review yet · path set 64 days ago",
		i18n.EN.T("path.card.due.monthly"),
	} {
		if !strings.Contains(s, want) {
			t.Errorf("Home with three paths lacks %q:\n%s", want, s)
		}
	}
	if n := strings.Count(s, `"action_id":"path.review"`); n != 2 {
		t.Errorf("Home with two paths has %d Review now buttons, want 2", n)
	}
}

func TestPathListReplies(t *testing.T) {
	for _, l := range i18n.Langs() {
		for name, vs := range map[string][]coach.PathView{"path_list": sfPathViews(), "path_list_empty": nil} {
			t.Run(name+"."+string(l), func(t *testing.T) {
				r := slackapp.PathListReply(l, vs)
				checkMessage(t, name+"."+string(l), r.Text, r.Blocks)
				raw := readableJSON(r.Blocks)
				checkPathText(t, name, raw)
			})
		}
	}
}

// TestPathReportLines: the report and the admins' Home count the paths and
// show no text of one.
func TestPathReportLines(t *testing.T) {
	r := sfReport()
	r.Paths = coach.CountPaths([]coach.Director{{ID: sfDir, Leaders: []coach.UserID{pathNone, pathHistory, pathOverdue}}},
		[]coach.Path{sfHistoryPath(), sfOverduePath()}, sfNow)
	admin := coach.BuildHome(coach.HomeInput{User: sfAdmin, Now: sfNow, Loc: sfNow.Location(), IsAdmin: true,
		Week: sfWeek(), Counts: &r.Paths, Admins: coach.AdminList{Listed: []coach.UserID{sfAdmin}}})
	for _, l := range i18n.Langs() {
		t.Run(string(l), func(t *testing.T) {
			rep := slackapp.ReportReply(l, r, sfNow.Location())
			checkSurfaceMessage(t, "report_paths."+string(l), rep.Text, rep.Blocks)
			v := slackapp.HomeView(l, admin)
			checkHomeView(t, "home_admin_paths."+string(l), v)
			raw := readableJSON(v)
			out := readableJSON(rep.Blocks)
			for _, s := range []string{raw, out} {
				checkPathText(t, "report_paths", s)
				for _, text := range []string{"weekly review", "improvements", "quarterly planning", "agenda", "One so far"} {
					if strings.Contains(s, text) {
						t.Errorf("%s: an admin surface shows path text %q", l, text)
					}
				}
			}
			if want := l.T("path.counts.pairs", 2, 3, 1); !strings.Contains(out, want) || !strings.Contains(raw, want) {
				t.Errorf("%s: report or admin Home lacks %q", l, want)
			}
		})
	}
}

// formSubmission is what Slack sends when view is submitted with values
// (keyed by block_id; each input's action_id is its block_id).
func formSubmission(view slack.ModalViewRequest, user string, values map[string]string) slack.InteractionCallback {
	st := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{}}
	for block, v := range values {
		a := slack.BlockAction{ActionID: block}
		switch block {
		case string(coach.FieldStyle), string(coach.FieldPhase), string(coach.FieldOutcome):
			a.SelectedOption = slack.OptionBlockObject{Value: v}
		case string(coach.FieldTarget), string(coach.FieldPhaseSince):
			a.SelectedDate = v
		default:
			a.Value = v
		}
		st.Values[block] = map[string]slack.BlockAction{block: a}
	}
	var cb slack.InteractionCallback
	cb.Type = slack.InteractionTypeViewSubmission
	cb.User.ID = user
	cb.View.CallbackID, cb.View.PrivateMetadata, cb.View.State = view.CallbackID, view.PrivateMetadata, st
	return cb
}

// TestCheckPathForm: each bad input comes back beside its field, in the
// form's language, on the director's day in their zone.
func TestCheckPathForm(t *testing.T) {
	zone := func(name string) *time.Location { return mustLoc(name) }
	views := sfPathViews()
	good := map[string]string{"style": "coaching", "phase": "2", "responsibility": "Runs the stand-up", "target": "2026-12-18"}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range good {
			m[a] = b
		}
		m[k] = v
		return m
	}
	// 23:30 UTC on 4 December is already 5 December in Amsterdam: a target
	// of the 4th has passed there.
	late := time.Date(2026, 12, 4, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		name   string
		v      coach.PathView
		values map[string]string
		now    time.Time
		block  string // "" = valid
	}{
		{"valid new", views[0], good, sfNow, ""},
		{"target today", views[0], with("target", "2026-12-04"), sfNow, ""},
		{"target passed in the director's zone", views[0], with("target", "2026-12-04"), late, "target"},
		{"target in the past", views[0], with("target", "2026-11-30"), sfNow, "target"},
		{"no target", views[0], with("target", ""), sfNow, "target"},
		{"target too far", views[0], with("target", "2029-01-01"), sfNow, "target"},
		{"empty responsibility", views[0], with("responsibility", "  \u200b "), sfNow, "responsibility"},
		{"responsibility too long", views[0], with("responsibility", strings.Repeat("x", coach.MaxTextLen+1)), sfNow, "responsibility"},
		{"no style", views[0], with("style", ""), sfNow, "style"},
		{"phase 5", views[0], with("phase", "5"), sfNow, "phase"},
		{"phase since in the future", views[0], with("phase_since", "2026-12-05"), sfNow, "phase_since"},
		// Lieke's target passed; keeping it while editing is fine.
		{"overdue target kept", views[2], map[string]string{"style": "delegating", "phase": "3", "responsibility": "Leads the quarterly planning", "target": "2026-11-20"}, sfNow, ""},
		{"another past target", views[2], map[string]string{"style": "delegating", "phase": "3", "responsibility": "Leads it", "target": "2026-11-21"}, sfNow, "target"},
		// Lars's phase 2 began on 6 July, after phase 1 on 2 March.
		{"phase 2 start moved before phase 1", views[1], map[string]string{"style": "facilitating", "phase": "2", "phase_since": "2026-02-01",
			"responsibility": "x", "target": "2027-01-15"}, sfNow, "phase_since"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := map[i18n.Lang]string{}
			for _, l := range i18n.Langs() {
				view := slackapp.PathFormView(l, tt.v, slackapp.NewPathMeta(tt.v, l, ""))
				m, in, errs, err := slackapp.CheckPathForm(formSubmission(view, string(sfDir), tt.values), tt.now, zone)
				if err != nil {
					t.Fatalf("CheckPathForm = %v, want our form read", err)
				}
				if m.Leader != tt.v.Leader || (tt.v.Path != nil && in.Rev != tt.v.Path.Rev) {
					t.Errorf("CheckPathForm read leader %s rev %d, want %s and the path's rev", m.Leader, in.Rev, tt.v.Leader)
				}
				if tt.block == "" {
					if errs != nil {
						t.Errorf("CheckPathForm errors = %v, want none", errs)
					}
					continue
				}
				msg, ok := errs[tt.block]
				if len(errs) != 1 || !ok || msg == "" {
					t.Errorf("CheckPathForm(%s) errors = %v, want one message beside %s", l, errs, tt.block)
				}
				checkPathText(t, tt.name, msg)
				msgs[l] = msg
			}
			if tt.block != "" && msgs[i18n.EN] == msgs[i18n.NL] {
				t.Errorf("CheckPathForm says %q in both languages, want each form's own", msgs[i18n.EN])
			}
		})
	}
}

func TestCheckReviewForm(t *testing.T) {
	zone := func(name string) *time.Location { return mustLoc(name) }
	v := sfPathViews()[1]
	view := slackapp.ReviewFormView(i18n.EN, v, "", slackapp.NewPathMeta(v, i18n.EN, ""))
	tests := []struct {
		name   string
		values map[string]string
		block  string
	}{
		{"partly, keep all", map[string]string{"outcome": "partly", "style": "keep", "phase": "keep"}, ""},
		{"handed over with a next step", map[string]string{"outcome": "handed_over", "responsibility": "Owns the budget", "target": "2027-03-01", "style": "delegating", "phase": "keep"}, ""},
		{"handed over without a next step", map[string]string{"outcome": "handed_over", "style": "keep", "phase": "keep"}, "responsibility"},
		{"no outcome", map[string]string{"style": "keep", "phase": "keep"}, "outcome"},
		{"new step in the past", map[string]string{"outcome": "not_yet", "responsibility": "x", "target": "2026-12-01", "style": "keep", "phase": "keep"}, "target"},
		{"new step without a date", map[string]string{"outcome": "not_yet", "responsibility": "x", "style": "keep", "phase": "keep"}, "target"},
		{"a bad phase", map[string]string{"outcome": "partly", "style": "keep", "phase": "9"}, "phase"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, in, errs, err := slackapp.CheckReviewForm(formSubmission(view, string(sfDir), tt.values), sfNow, zone)
			if err != nil {
				t.Fatalf("CheckReviewForm = %v", err)
			}
			if tt.block == "" {
				if errs != nil || in.Rev != v.Path.Rev {
					t.Errorf("CheckReviewForm = rev %d, errors %v; want rev %d, none", in.Rev, errs, v.Path.Rev)
				}
				if tt.values["style"] == "keep" && in.Style != "" {
					t.Errorf("keep style read as %q", in.Style)
				}
				return
			}
			if _, ok := errs[tt.block]; len(errs) != 1 || !ok {
				t.Errorf("CheckReviewForm errors = %v, want one beside %s", errs, tt.block)
			}
		})
	}
	// A path form's submission under the review form's callback, and
	// tampered metadata, are not ours.
	bad := view
	bad.PrivateMetadata = `{"u":"<!channel>","r":3,"z":"UTC","l":"en"}`
	if _, _, _, err := slackapp.CheckReviewForm(formSubmission(bad, string(sfDir), nil), sfNow, zone); err == nil {
		t.Errorf("CheckReviewForm(tampered metadata) = nil error")
	}
	bad = view
	bad.CallbackID = slackapp.ViewPathForm
	if _, _, _, err := slackapp.CheckReviewForm(formSubmission(bad, string(sfDir), nil), sfNow, zone); err == nil {
		t.Errorf("CheckReviewForm(path form) = nil error")
	}
}

// FuzzParsePathMeta: no metadata panics the parser, and what it accepts
// names a well-formed Lean leader, a valid phase and dates.
func FuzzParsePathMeta(f *testing.F) {
	for _, l := range i18n.Langs() {
		for _, v := range sfPathViews() {
			f.Add(slackapp.PathFormView(l, v, slackapp.NewPathMeta(v, l, "D0DIRANNA")).PrivateMetadata)
		}
	}
	for _, s := range []string{"", "{}", `{"u":"U1","r":-1}`, `{"u":"U1","r":1,"p":7,"z":"UTC"}`, `{"u":"<@U1>","z":"UTC"}`,
		`{"u":"ULEE1","r":0,"z":"UTC","t":"2026-02-30"}`, `{"u":"ULEE1","r":2,"p":2,"z":"Mars/Olympus","c":"#x"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := slackapp.ParsePathMeta(s)
		if err != nil {
			return
		}
		if _, ok := coach.ParseUserID(string(m.Leader)); !ok {
			t.Fatalf("ParsePathMeta(%q) leader %q", s, m.Leader)
		}
		if m.Rev < 0 || (m.Phase != 0 && !coach.Phase(m.Phase).Valid()) {
			t.Fatalf("ParsePathMeta(%q) rev %d phase %d", s, m.Rev, m.Phase)
		}
		if _, ok := i18n.ParseLang(string(m.Lang)); !ok {
			t.Fatalf("ParsePathMeta(%q) language %q", s, m.Lang)
		}
	})
}

// TestPathViewsWithinLimits: forty Lean leaders with long texts full of
// what Slack would read as markup keep the Home and the list valid.
func TestPathViewsWithinLimits(t *testing.T) {
	long := strings.Repeat("<&> *x* ", coach.MaxTextLen/8)
	d := coach.Director{ID: sfDir}
	var ps []coach.Path
	for i := range 40 {
		l := coach.UserID("ULEAD" + strings.Repeat("0", 3) + string(rune('A'+i%26)) + string(rune('A'+i/26)))
		d.Leaders = append(d.Leaders, l)
		p := coach.Path{Pair: coach.Pair{Director: sfDir, Leader: l}}
		at, day := sfDay(time.June, 1)
		p = p.Set(coach.PathInput{Style: coach.Coaching, Phase: coach.SelfKnowledge, Next: coach.Step{Responsibility: long, DoneLooksLike: long, Target: day.AddDays(30)}}, at, day)
		ps = append(ps, p)
	}
	views := coach.PathViews(d, ps, coach.DateOf(sfNow), sfNow.Location())
	h := coach.BuildHome(coach.HomeInput{User: sfDir, Now: sfNow, Loc: sfNow.Location(), Director: &d, Paths: ps,
		History: sfHistory(sfDir), Schedules: sfSchedules(), Rules: sfRules{}})
	for _, l := range i18n.Langs() {
		raw, _ := json.Marshal(slackapp.HomeView(l, h))
		for _, p := range slacksim.ValidateView(raw) {
			t.Errorf("HomeView(%s, 40 paths): Block Kit: %s", l, p)
		}
		r := slackapp.PathListReply(l, views)
		raw, _ = json.Marshal(r.Blocks)
		for _, p := range slacksim.ValidateMessageBlocks(raw) {
			t.Errorf("PathListReply(%s, 40 paths): Block Kit: %s", l, p)
		}
		if strings.Contains(readableJSON(r.Blocks), "<&>") {
			t.Errorf("PathListReply(%s) shows the text unescaped", l)
		}
		raw, _ = json.Marshal(slackapp.ReviewFormView(l, views[0], coach.Partly, slackapp.NewPathMeta(views[0], l, "")))
		for _, p := range slacksim.ValidateView(raw) {
			t.Errorf("ReviewFormView(%s, long texts): Block Kit: %s", l, p)
		}
	}
}

// readableJSON is v as JSON with Slack's own HTML escaping of <, > and &
// undone, so a test reads what a person would.
func readableJSON(v any) string {
	return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(plainJSON(v))
}
