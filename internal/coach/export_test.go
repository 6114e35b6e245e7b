package coach_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

// exportSample is an export of everyone with every field of the layout set
// somewhere: a director on leave who is also an added admin, with answered
// and open prompts and kudos both ways and a delegation path, a Lean leader
// with a language and that path, and the workspace's schedules and audit
// log.
func exportSample() coach.Export {
	at := time.Date(2026, 12, 7, 8, 45, 0, 0, time.UTC)
	dir := coach.UserData{
		User: "UDIRANNA1",
		Director: &coach.Director{ID: "UDIRANNA1", Leaders: []coach.UserID{"ULEADER01", "ULEADER02"}, AddedBy: "UADMIN001",
			AddedAt: at.AddDate(0, -1, 0), Leave: []coach.Period{{From: at.AddDate(0, 0, -20), Until: at.AddDate(0, 0, -13)}}},
		LeaderOf: []coach.UserID{"UDIRBOSS1"},
		Prefs:    coach.Prefs{Lang: i18n.NL},
		Profile: &coach.Profile{ID: "UDIRANNA1", TeamID: "T0TEAM001", Name: "anna", TZ: "Europe/Amsterdam", Locale: "nl-NL",
			IsAdmin: true, FetchedAt: at.Add(-time.Hour)},
		Admin: &coach.AdminGrant{By: "UADMIN001", At: at.AddDate(0, 0, -2)},
		Occurrences: []coach.Occurrence{
			{Key: "s1|UDIRANNA1|2026-12-07", Schedule: "s1", Director: "UDIRANNA1", Habit: coach.Standup, LocalDate: "2026-12-07",
				Due: at, State: coach.Sent, Attempts: 1, StartedAt: at, SentAt: at.Add(time.Second), Channel: "DDIRANNA1",
				TS: "1765097100.000100", Answer: &coach.Answer{Outcome: coach.Done, At: at.Add(time.Hour), By: "UDIRANNA1",
					Observation: "the board was clear", FeedbackGiven: true, Note: "ask about the red card"}},
			{Key: "s2|UDIRANNA1|2026-12-07", Schedule: "s2", Director: "UDIRANNA1", Habit: coach.Question, LocalDate: "2026-12-07",
				Due: at, State: coach.Sent, Attempts: 1, SentAt: at, Channel: "DDIRANNA1", TS: "1765097101.000100", QuestionID: "q7",
				Answer: &coach.Answer{Outcome: coach.Snoozed, At: at.Add(time.Minute), By: "UDIRANNA1", SnoozeUntil: at.Add(time.Hour),
					QuestionID: "q7", Asked: "what would you try first?"}},
			{Key: "send|UDIRANNA1|2026-12-07.1", Schedule: coach.AdHoc, Director: "UDIRANNA1", Habit: coach.Compliment,
				LocalDate: "2026-12-07", Due: at, State: coach.Sent, SentAt: at, Channel: "DDIRANNA1", TS: "1765097102.000100",
				Answer: &coach.Answer{Outcome: coach.Done, At: at.Add(2 * time.Hour), By: "UDIRANNA1", Leader: "ULEADER01", Text: "calm stand-up"}},
			{Key: "s1|UDIRANNA1|2026-12-08", Schedule: "s1", Director: "UDIRANNA1", Habit: coach.Standup, LocalDate: "2026-12-08",
				Due: at.AddDate(0, 0, 1), State: coach.Failed, Attempts: 3, FailReason: "channel_not_found"},
		},
		KudosGiven: []coach.Kudos{{ID: "k1", From: "UDIRANNA1", To: "ULEADER01", Text: "calm stand-up", At: at.Add(2 * time.Hour),
			Occ: "send|UDIRANNA1|2026-12-07.1", Channel: "CKUDOS001", TS: "1765104300.000100"}},
		KudosReceived:  []coach.Kudos{{ID: "k0", From: "UDIRBOSS1", To: "UDIRANNA1", Text: "well led", At: at.AddDate(0, 0, -1), Channel: "CKUDOS001", TS: "1765010700.000100"}},
		QuestionsAsked: []string{"q3", "q7"},
		Audit:          []coach.AuditEntry{{At: at.AddDate(0, 0, -3), Actor: "UDIRANNA1", Action: coach.ActionChannelSet, Detail: "CKUDOS001"}},
	}
	today := coach.DateOf(at)
	path := coach.Path{Pair: coach.Pair{Director: "UDIRANNA1", Leader: "ULEADER01"}, Rev: 3,
		Styles:     []coach.Spell[coach.Style]{{Value: coach.Directing, Since: today.AddDays(-60)}, {Value: coach.Coaching, Since: today.AddDays(-5)}},
		Phases:     []coach.Spell[coach.Phase]{{Value: coach.SelfKnowledge, Since: today.AddDays(-200)}, {Value: coach.Development, Since: today.AddDays(-5)}},
		Next:       coach.Step{Responsibility: "plans the team's week", DoneLooksLike: "the plan is up before Monday", Target: today.AddDays(30)},
		HandedOver: []coach.Handover{{What: "runs the stand-up", On: today.AddDays(-5), At: at.AddDate(0, 0, -5)}},
		Reviews: []coach.Review{
			{At: at.AddDate(0, 0, -35), On: today.AddDays(-35), Planned: coach.Step{Responsibility: "runs the stand-up", Target: today.AddDays(-40)},
				Outcome: coach.Partly, Saw: "led it twice, I stepped in once", Next: coach.Step{Responsibility: "runs the stand-up", Target: today.AddDays(-10)}},
			{At: at.AddDate(0, 0, -5), On: today.AddDays(-5), Planned: coach.Step{Responsibility: "runs the stand-up", Target: today.AddDays(-10)},
				Outcome: coach.Handed, Saw: "ran it all week", Next: coach.Step{Responsibility: "plans the team's week",
					DoneLooksLike: "the plan is up before Monday", Target: today.AddDays(30)}, Style: coach.Coaching, Phase: coach.Development},
		},
		Created: at.AddDate(0, 0, -60), Updated: at.AddDate(0, 0, -5)}
	dir.Paths = []coach.Path{path}
	pair := path.Pair
	checkIns := []coach.CheckIn{
		{Pair: pair, Month: coach.NewMonth(2026, time.October), Opened: at.AddDate(0, -2, 0), Needed: coach.Facilitating,
			Got: coach.Directing, Note: "the Monday numbers", Answered: at.AddDate(0, -2, 1), Updated: at.AddDate(0, -2, 1)},
		{Pair: pair, Month: coach.NewMonth(2026, time.November), Opened: at.AddDate(0, -1, 0), Needed: coach.Facilitating,
			Got: coach.Coaching, Note: "only mine to read", Private: true, Answered: at.AddDate(0, -1, 2), Updated: at.AddDate(0, -1, 3)},
	}
	comments := []coach.Comment{{Pair: pair, ID: "c3", At: at.AddDate(0, 0, -2), Text: "I'd like to plan the week myself"}}
	dir.CheckInsAboutMe, dir.CommentsReceived = coach.SharedCheckIns(checkIns), comments
	leader := coach.UserData{User: "ULEADER01", LeaderOf: []coach.UserID{"UDIRANNA1"},
		Prefs: coach.Prefs{Lang: i18n.EN, CheckInsOff: true}, PathsAsLeader: []coach.Path{path.ForLeader()},
		CheckIns: checkIns, Comments: comments}
	ws := &coach.Workspace{
		Schedules: []coach.Schedule{
			{ID: "s1", Habit: coach.Standup, When: "weekdays 08:45", ToAll: true, CreatedBy: "UADMIN001", CreatedAt: at.AddDate(0, -1, 0)},
			{ID: "s2", Habit: coach.Question, When: "mon,wed,fri 09:00", Directors: []coach.UserID{"UDIRANNA1"}, Paused: true,
				CreatedBy: "UADMIN001", CreatedAt: at.AddDate(0, 0, -7)},
		},
		Audit: []coach.AuditEntry{{At: at.AddDate(0, -1, 0), Actor: "UADMIN001", Action: coach.ActionDirectorAdd,
			Detail: "UDIRANNA1 leaders=ULEADER01,ULEADER02"}},
	}
	return coach.NewExport(at.Add(3*time.Hour), []coach.UserData{dir, leader}, ws)
}

// TestExportGolden pins the export layout (docs/export.md).
func TestExportGolden(t *testing.T) {
	got, err := exportSample().JSON()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "export.golden.json")
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s (run go test -update to create it): %v", path, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the export differs from %s (run go test -update and review the diff; a change of layout needs a new schema_version):\n%s", path, got)
	}
}

// exportKeys returns every object key in a JSON document, at any depth.
func exportKeys(t *testing.T, doc []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	seen := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				seen[k] = true
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestExportKeysAreSnakeCaseAndDocumented: every key of the export is
// snake_case, and docs/export.md describes each one.
func TestExportKeysAreSnakeCaseAndDocumented(t *testing.T) {
	doc, err := exportSample().JSON()
	if err != nil {
		t.Fatal(err)
	}
	keys := exportKeys(t, doc)
	if len(keys) < 50 {
		t.Fatalf("the sample export has %d keys, want every key of the layout", len(keys))
	}
	snake := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	docs, err := os.ReadFile(filepath.Join("..", "..", "docs", "export.md"))
	if err != nil {
		t.Fatalf("read the export's documentation: %v", err)
	}
	for _, k := range keys {
		if !snake.MatchString(k) {
			t.Errorf("export key %q is not snake_case", k)
		}
		if !strings.Contains(string(docs), "`"+k+"`") {
			t.Errorf("docs/export.md does not describe the key `%s`", k)
		}
	}
	if !strings.Contains(string(docs), "schema_version") || !slices.Contains(keys, "schema_version") {
		t.Errorf("the export or its documentation lacks schema_version")
	}
}
