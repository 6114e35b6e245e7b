package coach_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

// pOcc builds an occurrence of habit h for director d due at due, sent, and
// answered with out ("" = unanswered). Done answers carry a private note
// with secret in it, so tests can check it never leaks.
func pOcc(d coach.UserID, h coach.Habit, due time.Time, out coach.Outcome, secret string) coach.Occurrence {
	o := coach.Occurrence{
		Key:      coach.NewOccurrenceKey("s1", d, due.Format("2006-01-02")),
		Schedule: "s1", Director: d, Habit: h, LocalDate: due.Format("2006-01-02"), Due: due,
		State: coach.Sent, SentAt: due, Channel: "D0DM00001", TS: "1700000000.000100",
	}
	if out != "" {
		o.Answer = &coach.Answer{Outcome: out, At: due.Add(time.Hour), By: d, Note: secret, Observation: secret}
	}
	return o
}

func TestBuildReport(t *testing.T) {
	now := time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC) // a Friday
	day := func(n int) time.Time { return now.AddDate(0, 0, -n).Add(-8 * time.Hour) }
	a, b, c := coach.UserID("UDIRA0001"), coach.UserID("UDIRB0001"), coach.UserID("UDIRC0001")
	dirs := []coach.Director{
		{ID: a, Leaders: []coach.UserID{"ULEAD0001", "ULEAD0002"}},
		{ID: b, Leaders: []coach.UserID{"ULEAD0003"}, Leave: []coach.Period{{From: day(3), Until: now.Add(time.Hour)}}},
		{ID: c, Leaders: []coach.UserID{"ULEAD0004"}},
	}
	hist := map[coach.UserID][]coach.Occurrence{
		a: {
			pOcc(a, coach.Standup, day(40), coach.Done, "zebra"), // before the window: streak only
			pOcc(a, coach.Standup, day(4), coach.Done, "zebra"),
			pOcc(a, coach.Standup, day(3), coach.NotToday, ""),
			pOcc(a, coach.Standup, day(2), coach.Done, "zebra"),
			pOcc(a, coach.Standup, day(1), coach.Done, "zebra"),
			pOcc(a, coach.Compliment, day(5), coach.Done, "zebra"),
			pOcc(a, coach.Standup, day(0), "", ""), // open: not decided
		},
		b: {
			pOcc(b, coach.Standup, day(5), coach.Done, ""),
			pOcc(b, coach.Standup, day(2), coach.Expired, ""), // on leave: not counted
		},
	}
	r := coach.BuildReport(dirs, hist, now)
	if len(r.Rows) != 3 {
		t.Fatalf("BuildReport rows = %d, want 3", len(r.Rows))
	}
	ra, rb, rc := r.Rows[0], r.Rows[1], r.Rows[2]
	if ra.Done != 4 || ra.Decided != 5 {
		t.Errorf("row A completion = %d of %d, want 4 of 5", ra.Done, ra.Decided)
	}
	if got := ra.Rate(); got != 0.8 {
		t.Errorf("row A Rate() = %v, want 0.8", got)
	}
	if len(ra.Streaks) != 2 || ra.Streaks[0].Habit != coach.Standup || ra.Streaks[0].Current != 2 || ra.Streaks[0].Best != 2 {
		t.Errorf("row A streaks = %+v, want standup current 2 best 2 first", ra.Streaks)
	}
	if ra.Leaders != 2 || ra.OnLeave {
		t.Errorf("row A leaders/leave = %d/%v, want 2/false", ra.Leaders, ra.OnLeave)
	}
	if rb.Done != 1 || rb.Decided != 1 || !rb.OnLeave {
		t.Errorf("row B = %d of %d, leave %v; want 1 of 1 on leave", rb.Done, rb.Decided, rb.OnLeave)
	}
	if rc.Decided != 0 || rc.Rate() != 0 || len(rc.Streaks) != 0 {
		t.Errorf("row C = %+v, want empty", rc)
	}
	if r.Total.Done != 5 || r.Total.Decided != 6 || r.Active != 2 {
		t.Errorf("total = %d of %d, active %d; want 5 of 6, active 2", r.Total.Done, r.Total.Decided, r.Active)
	}
	if !r.From.Equal(now.Add(-coach.ReportWindow)) || !r.To.Equal(now) {
		t.Errorf("window = %v..%v, want 28 days to now", r.From, r.To)
	}
	raw, _ := json.Marshal(r)
	if strings.Contains(string(raw), "zebra") {
		t.Errorf("the report holds a private note: %s", raw)
	}
}

func TestPortalReportAdminsOnly(t *testing.T) {
	f := newPortalFix(t)
	ctx := t.Context()
	if err := f.db.PutDirector(ctx, coach.Director{ID: pMember, Leaders: []coach.UserID{"ULEAD0001"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.portal.Report(ctx, pMember); coach.ErrorCode(err) != coach.EFORBIDDEN {
		t.Errorf("Report(member) = %v, want EFORBIDDEN", err)
	}
	r, err := f.portal.Report(ctx, pOwner)
	if err != nil {
		t.Fatalf("Report(owner) = %v", err)
	}
	if len(r.Rows) != 1 || r.Rows[0].Director != pMember {
		t.Errorf("Report rows = %+v, want the one director", r.Rows)
	}
	if r.Paths.Pairs != 1 || r.Paths.WithPath != 0 {
		t.Errorf("Report paths = %+v, want one pair without a path", r.Paths)
	}
	setTestPath(t, f, coach.Pair{Director: pMember, Leader: "ULEAD0001"}, coach.Spreading, "leads the gemba walk")
	if r, err = f.portal.Report(ctx, pOwner); err != nil || r.Paths.WithPath != 1 || r.Paths.PerPhase[coach.Spreading] != 1 {
		t.Errorf("Report(owner) after a path = %+v, %v; want one pair with a path in phase 4", r.Paths, err)
	}
}

// yearOf returns a year of weekday stand-ups and weekly compliments for d,
// answered done except every seventh stand-up.
func yearOf(d coach.UserID, end time.Time) []coach.Occurrence {
	var out []coach.Occurrence
	for i := 365; i > 0; i-- {
		day := end.AddDate(0, 0, -i)
		if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			continue
		}
		out = append(out, pOcc(d, coach.Standup, day, map[bool]coach.Outcome{true: coach.NotToday, false: coach.Done}[i%7 == 0], ""))
		if day.Weekday() == time.Thursday {
			out = append(out, pOcc(d, coach.Compliment, day.Add(6*time.Hour), coach.Done, ""))
		}
	}
	return out
}

// BenchmarkBuildReport measures /coach report's computation for 200
// directors with a year of history each (about 300 prompts per director).
func BenchmarkBuildReport(b *testing.B) {
	now := time.Date(2026, 12, 4, 16, 0, 0, 0, time.UTC)
	var dirs []coach.Director
	hist := map[coach.UserID][]coach.Occurrence{}
	for i := range 200 {
		id := coach.UserID(fmt.Sprintf("UDIR%05d", i))
		dirs = append(dirs, coach.Director{ID: id})
		hist[id] = yearOf(id, now)
	}
	b.ResetTimer()
	for b.Loop() {
		coach.BuildReport(dirs, hist, now)
	}
}
