package coach_test

import (
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

// The digest brings back what the director wrote that week: the notes of
// the answers done, oldest first, a stand-up's observation and note as
// one; what a Lean leader came up with (a question's note) marked as such;
// nothing of the week before, of prompts not done, or without text; at
// most MaxDigestNotes, the newest.
func TestBuildDigestNotes(t *testing.T) {
	ams := mustLoc(t, "Europe/Amsterdam")
	start, occs := digestWeek(t, pMember)
	now := start.AddDate(0, 0, 4).Add(16 * time.Hour)
	q := pOcc(pMember, coach.Question, start.AddDate(0, 0, 2).Add(10*time.Hour), coach.Done, "")
	q.Answer.Note = "She will ask the team for the target first."
	skipped := pOcc(pMember, coach.Gemba, start.AddDate(0, 0, 1).Add(13*time.Hour), coach.NotToday, "not shown")
	occs = append(occs, q, skipped)
	dg, ok := coach.BuildDigest(coach.Director{ID: pMember}, occs, now, ams)
	if !ok {
		t.Fatal("BuildDigest = not ok")
	}
	want := []coach.DigestNote{
		{Habit: coach.Standup, Due: start.Add(8*time.Hour + 45*time.Minute), Text: "walrus · walrus"},
		{Habit: coach.Question, Due: start.AddDate(0, 0, 2).Add(10 * time.Hour), Text: "She will ask the team for the target first.", CameUpWith: true},
		{Habit: coach.Compliment, Due: start.AddDate(0, 0, 3).Add(15 * time.Hour), Text: "walrus · walrus"},
	}
	if len(dg.Notes) != len(want) {
		t.Fatalf("digest notes = %+v, want %+v", dg.Notes, want)
	}
	for i, n := range dg.Notes {
		if n.Habit != want[i].Habit || !n.Due.Equal(want[i].Due) || n.Text != want[i].Text || n.CameUpWith != want[i].CameUpWith ||
			n.Due.Location() != ams {
			t.Errorf("note %d = %+v, want %+v in Amsterdam", i, n, want[i])
		}
	}

	// A week of many notes keeps the newest.
	var many []coach.Occurrence
	for i := range coach.MaxDigestNotes + 5 {
		o := pOcc(pMember, coach.Gemba, start.Add(time.Duration(i)*time.Hour), coach.Done, "")
		o.Key = coach.OccurrenceKey(strings.Repeat("k", i+1))
		o.Answer.Note = strings.Repeat("n", i+1)
		many = append(many, o)
	}
	dg, _ = coach.BuildDigest(coach.Director{ID: pMember}, many, now, ams)
	if len(dg.Notes) != coach.MaxDigestNotes || dg.Notes[len(dg.Notes)-1].Text != strings.Repeat("n", coach.MaxDigestNotes+5) {
		t.Errorf("digest of %d notes kept %d ending with %+v; want the newest %d", coach.MaxDigestNotes+5, len(dg.Notes),
			dg.Notes[len(dg.Notes)-1], coach.MaxDigestNotes)
	}
}
