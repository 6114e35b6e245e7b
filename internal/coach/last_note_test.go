package coach_test

import (
	"fmt"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
)

// A habit's next prompt brings back the note of its last answer with one:
// the latest done answer's, not a later Not today's; a stand-up's
// observation too; none for the question (it has its own) or the path,
// none when the notes are further back than the look-back.
func TestLastNoteBefore(t *testing.T) {
	f := newFixture(t).withDirector(t)
	ctx := t.Context()
	at := f.clock.Now()
	put := func(h coach.Habit, day int, a *coach.Answer) coach.Occurrence {
		t.Helper()
		o := coach.Occurrence{Key: coach.NewOccurrenceKey("s1", director, fmt.Sprintf("%s-%03d", h, day)), Schedule: "s1",
			Director: director, Habit: h, Due: at.AddDate(0, 0, day-60), State: coach.Sent, Answer: a}
		if _, _, err := f.db.CreateOccurrence(ctx, o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	note := func(o coach.Occurrence) string {
		t.Helper()
		n, err := coach.LastNoteBefore(ctx, f.db, o)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := note(put(coach.Gemba, 1, nil)); n != "" {
		t.Errorf("first gemba prompt shows %q, want nothing", n)
	}
	put(coach.Gemba, 2, &coach.Answer{Outcome: coach.Done, Note: "Line 3 waits for parts."})
	put(coach.Gemba, 3, &coach.Answer{Outcome: coach.NotToday})
	put(coach.Gemba, 4, &coach.Answer{Outcome: coach.Done})
	next := put(coach.Gemba, 5, nil)
	if n := note(next); n != "Line 3 waits for parts." {
		t.Errorf("gemba prompt shows %q, want the last note", n)
	}
	put(coach.Standup, 1, &coach.Answer{Outcome: coach.Done, Observation: "Quiet start.", Note: "Ask about the board."})
	if n := note(put(coach.Standup, 2, nil)); n != "Quiet start. · Ask about the board." {
		t.Errorf("stand-up prompt shows %q, want the observation and the note", n)
	}
	put(coach.Question, 1, &coach.Answer{Outcome: coach.Done, Note: "She came up with a plan."})
	if n := note(put(coach.Question, 2, nil)); n != "" {
		t.Errorf("question prompt shows %q as last note, want none (it follows up its own way)", n)
	}
	// Beyond the look-back, a note is not searched for.
	put(coach.Feedback, 1, &coach.Answer{Outcome: coach.Done, Note: "Long ago."})
	for d := 2; d <= 14; d++ {
		put(coach.Feedback, d, &coach.Answer{Outcome: coach.Done})
	}
	if n := note(put(coach.Feedback, 15, nil)); n != "" {
		t.Errorf("feedback prompt shows %q, a note 14 prompts back; want none", n)
	}
	// Answered, the prompt keeps showing it.
	a, err := f.svc.Snooze(ctx, director, next.Key, coach.SnoozeHour)
	if err != nil || a.LastNote != "Line 3 waits for parts." {
		t.Errorf("snoozed gemba prompt: LastNote %q, %v; want the last note", a.LastNote, err)
	}
}
