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

// The surfaces' golden files render one fixed world: a director in
// Amsterdam on Friday 4 December 2026, with a private note holding the word
// "okapi" that must never show outside the director's own prompts.
var (
	sfNow   = time.Date(2026, 12, 4, 16, 0, 0, 0, mustLoc("Europe/Amsterdam"))
	sfDir   = coach.UserID("UDIRANNA1")
	sfDir2  = coach.UserID("UDIRBART1")
	sfAdmin = coach.UserID("UADMINCE1")
)

const sfSecret = "okapi"

func sfOcc(d coach.UserID, h coach.Habit, due time.Time, out coach.Outcome) coach.Occurrence {
	o := coach.Occurrence{Key: coach.NewOccurrenceKey("s1", d, due.Format("2006-01-02")), Schedule: "s1",
		Director: d, Habit: h, LocalDate: due.Format("2006-01-02"), Due: due, State: coach.Sent}
	if out != "" {
		o.Answer = &coach.Answer{Outcome: out, At: due.Add(time.Hour), By: d, Note: sfSecret, Observation: sfSecret}
	}
	return o
}

// sfHistory is three weeks of stand-ups on weekdays at 08:45 and weekly
// compliments on Thursday, with a few misses.
func sfHistory(d coach.UserID) []coach.Occurrence {
	loc := sfNow.Location()
	var out []coach.Occurrence
	start := time.Date(2026, 11, 16, 8, 45, 0, 0, loc)
	for i := range 19 {
		day := start.AddDate(0, 0, i)
		if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			continue
		}
		outcome := coach.Done
		switch i {
		case 3:
			outcome = coach.NotToday
		case 8:
			outcome = coach.Expired
		}
		out = append(out, sfOcc(d, coach.Standup, day, outcome))
		if day.Weekday() == time.Thursday {
			out = append(out, sfOcc(d, coach.Compliment, day.Add(6*time.Hour+15*time.Minute), coach.Done))
		}
	}
	return out
}

func sfSchedules() []coach.Schedule {
	return []coach.Schedule{
		{ID: "s1", Habit: coach.Standup, When: "weekdays 08:45", ToAll: true},
		{ID: "s2", Habit: coach.Compliment, When: "weekly thu 15:00", ToAll: true},
		{ID: "s3", Habit: coach.Question, When: "tue,thu 10:00", Directors: []coach.UserID{sfDir}},
	}
}

// sfRules stands in for the schedule rules: the fixed times the golden
// files show, so they do not depend on another package's output.
type sfRules struct{}

func (sfRules) Parse(when string) (coach.Rule, error) { return sfRule(when), nil }

type sfRule string

func (r sfRule) String() string { return string(r) }

func (r sfRule) Next(after time.Time, loc *time.Location) time.Time {
	when := string(r)
	day := time.Date(after.In(loc).Year(), after.In(loc).Month(), after.In(loc).Day(), 0, 0, 0, 0, loc)
	for i := 0; i < 14; i++ {
		d := day.AddDate(0, 0, i)
		var at time.Time
		switch when {
		case "weekdays 08:45":
			if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
				at = d.Add(8*time.Hour + 45*time.Minute)
			}
		case "weekly thu 15:00":
			if d.Weekday() == time.Thursday {
				at = d.Add(15 * time.Hour)
			}
		case "tue,thu 10:00":
			if d.Weekday() == time.Tuesday || d.Weekday() == time.Thursday {
				at = d.Add(10 * time.Hour)
			}
		}
		if !at.IsZero() && at.After(after) {
			return at
		}
	}
	return time.Time{}
}

func sfDirectorHome(leave bool) coach.Home {
	d := coach.Director{ID: sfDir, Leaders: []coach.UserID{"ULEADER1"}}
	if leave {
		d.Leave = []coach.Period{{From: sfNow.Add(-time.Hour), Until: time.Date(2026, 12, 21, 0, 0, 0, 0, sfNow.Location())}}
	}
	return coach.BuildHome(coach.HomeInput{User: sfDir, Now: sfNow, Loc: sfNow.Location(), Director: &d,
		History: sfHistory(sfDir), Schedules: sfSchedules(), Rules: sfRules{}})
}

func sfWeek() *coach.Participation {
	start := coach.WeekStart(sfNow, sfNow.Location())
	hist := map[coach.UserID][]coach.Occurrence{sfDir: sfHistory(sfDir)}
	dirs := []coach.Director{{ID: sfDir}, {ID: sfDir2, Leave: []coach.Period{{From: start, Until: sfNow.AddDate(0, 0, 7)}}}}
	w := coach.BuildParticipation(dirs, hist, start, sfNow)
	return &w
}

// checkHomeView compares the Home view with its golden file and checks it
// against Slack's Block Kit rules, the catalogs and the secret.
func checkHomeView(t *testing.T, name string, v slack.HomeTabViewRequest) {
	t.Helper()
	golden(t, name, v)
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range slacksim.ValidateView(raw) {
		t.Errorf("%s: Block Kit: %s", name, p)
	}
	checkSurfaceText(t, name, string(raw))
}

func checkSurfaceMessage(t *testing.T, name, text string, blocks []slack.Block) {
	t.Helper()
	checkMessage(t, name, text, blocks)
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	checkSurfaceText(t, name, string(raw)+text)
}

func checkSurfaceText(t *testing.T, name, out string) {
	t.Helper()
	if strings.Contains(out, sfSecret) {
		t.Errorf("%s: shows a private note (%q)", name, sfSecret)
	}
	if strings.Contains(out, "%!") {
		t.Errorf("%s: has a formatting error: %s", name, out)
	}
	for _, prefix := range []string{"home.", "digest.", "report.", "admin.", "audit.", "data.", "leave.", "lang.", "access."} {
		for _, k := range i18n.Keys(i18n.EN) {
			if strings.HasPrefix(k, prefix) && strings.Contains(out, `"`+k+`"`) {
				t.Errorf("%s: shows the bare key %q", name, k)
			}
		}
	}
}

func TestHomeViews(t *testing.T) {
	admin := coach.BuildHome(coach.HomeInput{User: sfAdmin, Now: sfNow, Loc: sfNow.Location(), IsAdmin: true,
		Week: sfWeek(), Admins: coach.AdminList{Listed: []coach.UserID{sfAdmin}}})
	stranger := coach.BuildHome(coach.HomeInput{User: "UNOBODY01", Now: sfNow, Loc: sfNow.Location(),
		Admins: coach.AdminList{Listed: []coach.UserID{sfAdmin}, Added: []coach.UserID{"UADDED001"}}})
	nobodyToAsk := coach.BuildHome(coach.HomeInput{User: "UNOBODY01", Now: sfNow, Loc: sfNow.Location()})
	directorAdmin := sfDirectorHome(false)
	directorAdmin.IsAdmin, directorAdmin.Week = true, sfWeek()
	for _, l := range i18n.Langs() {
		for name, h := range map[string]coach.Home{
			"home_director":       sfDirectorHome(false),
			"home_director_leave": sfDirectorHome(true),
			"home_director_admin": directorAdmin,
			"home_admin":          admin,
			"home_stranger":       stranger,
			"home_stranger_none":  nobodyToAsk,
		} {
			t.Run(name+"."+string(l), func(t *testing.T) {
				checkHomeView(t, name+"."+string(l), slackapp.HomeView(l, h))
			})
		}
	}
}

func TestHomeViewButtons(t *testing.T) {
	raw, _ := json.Marshal(slackapp.HomeView(i18n.EN, sfDirectorHome(false)))
	for _, want := range []string{`"action_id":"home.pause.1w"`, `"value":"1w"`, `"value":"2w"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("HomeView(director) lacks %s", want)
		}
	}
	if strings.Contains(string(raw), `"home.resume"`) {
		t.Errorf("HomeView(director, not on leave) shows the resume button")
	}
	raw, _ = json.Marshal(slackapp.HomeView(i18n.EN, sfDirectorHome(true)))
	if !strings.Contains(string(raw), `"action_id":"home.resume"`) || strings.Contains(string(raw), `"home.pause"`) {
		t.Errorf("HomeView(on leave) = %s, want the resume button only", raw)
	}
}

// TestHomeViewWithinLimitsAtScale renders every habit with full rows and a
// large workspace for an admin: the view must stay valid.
func TestHomeViewWithinLimitsAtScale(t *testing.T) {
	h := sfDirectorHome(false)
	h.Habits = nil
	for _, hb := range coach.Habits() {
		st := coach.HabitStats{Habit: hb, Current: 120, Best: 365, Strength: 1}
		for range coach.LastMarks {
			st.Last = append(st.Last, coach.MarkDone)
		}
		h.Habits = append(h.Habits, st)
	}
	w := coach.Participation{Directors: 500}
	for i := range 500 {
		w.Rows = append(w.Rows, coach.ParticipationRow{Director: coach.UserID("UDIR" + strings.Repeat("X", 4) + string(rune('A'+i%26))), Sent: 10, Answered: 9, OnLeave: i%7 == 0})
	}
	h.IsAdmin, h.Week = true, &w
	for _, l := range i18n.Langs() {
		raw, err := json.Marshal(slackapp.HomeView(l, h))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range slacksim.ValidateView(raw) {
			t.Errorf("HomeView(%s, at scale): Block Kit: %s", l, p)
		}
	}
}
