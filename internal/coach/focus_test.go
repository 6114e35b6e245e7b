package coach_test

import (
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

var (
	fAna, fBram, fCor = coach.UserID("UANA00001"), coach.UserID("UBRAM0001"), coach.UserID("UCOR00001")
	fLeaders          = []coach.UserID{fAna, fBram, fCor}
	fStart            = time.Date(2026, time.November, 2, 9, 0, 0, 0, time.UTC) // a Monday
)

// fOcc is a prompt of h due week weeks after fStart, answered with
// outcome (none when ""), for a compliment to leader.
func fOcc(h coach.Habit, week int, outcome coach.Outcome, leader coach.UserID) coach.Occurrence {
	due := fStart.AddDate(0, 0, 7*week)
	o := coach.Occurrence{Key: coach.NewOccurrenceKey("s1", "UDIR", due.Format(time.DateOnly)), Director: "UDIR", Habit: h, Due: due, State: coach.Sent}
	if outcome != "" {
		o.Answer = &coach.Answer{Outcome: outcome, At: due.Add(time.Hour), Leader: leader}
	}
	return o
}

func TestFocusOf(t *testing.T) {
	week := func(n int) time.Time { return fStart.AddDate(0, 0, 7*n) }
	for _, tt := range []struct {
		name    string
		h       coach.Habit
		leaders []coach.UserID
		hist    []coach.Occurrence
		due     time.Time
		want    coach.Focus
		ok      bool
	}{
		{"no history: the first Lean leader, never served", coach.Compliment, fLeaders, nil, week(0),
			coach.Focus{Leader: fAna, Leaders: 3}, true},
		{"Ana 3 weeks ago, Bram twice since: Cor never first", coach.Compliment, fLeaders, []coach.Occurrence{
			fOcc(coach.Compliment, 0, coach.Done, fAna), fOcc(coach.Compliment, 1, coach.Done, fBram), fOcc(coach.Compliment, 2, coach.Done, fBram)},
			week(3), coach.Focus{Leader: fCor, Other: fBram, Count: 2, Leaders: 3}, true},
		{"no compliment for Ana in 3 weeks; Bram had two", coach.Compliment, fLeaders, []coach.Occurrence{
			fOcc(coach.Compliment, 0, coach.Done, fAna), fOcc(coach.Compliment, 0, coach.Done, fCor),
			fOcc(coach.Compliment, 1, coach.Done, fBram), fOcc(coach.Compliment, 2, coach.Done, fBram)},
			week(3).Add(2 * time.Hour), coach.Focus{Leader: fAna, Last: week(0).Add(time.Hour), Weeks: 3, Other: fBram, Count: 2, Leaders: 3}, true},
		{"Not today and unanswered serve no one: Ana again", coach.Gemba, fLeaders, []coach.Occurrence{
			fOcc(coach.Gemba, 0, coach.NotToday, ""), fOcc(coach.Gemba, 1, "", "")},
			week(2), coach.Focus{Leader: fAna, Leaders: 3}, true},
		{"a gemba done serves the Lean leader its prompt pointed at", coach.Gemba, fLeaders, []coach.Occurrence{
			fOcc(coach.Gemba, 0, coach.Done, ""), fOcc(coach.Gemba, 1, coach.NotToday, ""), fOcc(coach.Gemba, 2, coach.Done, "")},
			week(3), coach.Focus{Leader: fCor, Other: fAna, Count: 1, Leaders: 3}, true}, // a tie: the first in order
		{"a compliment to another than the one pointed at counts for that one", coach.Compliment, fLeaders, []coach.Occurrence{
			fOcc(coach.Compliment, 0, coach.Done, fCor)},
			week(1), coach.Focus{Leader: fAna, Other: fCor, Count: 1, Leaders: 3}, true},
		{"prompts at or after due are left out", coach.Spotlight, fLeaders, []coach.Occurrence{
			fOcc(coach.Spotlight, 2, coach.Done, "")}, week(2), coach.Focus{Leader: fAna, Leaders: 3}, true},
		{"other habits' history is left out", coach.Spotlight, fLeaders, []coach.Occurrence{
			fOcc(coach.Gemba, 0, coach.Done, "")}, week(2), coach.Focus{Leader: fAna, Leaders: 3}, true},
		{"the stand-up with one Lean leader names them", coach.Standup, []coach.UserID{fBram}, []coach.Occurrence{
			fOcc(coach.Standup, 0, coach.Done, "")}, week(1), coach.Focus{Leader: fBram, Last: week(0).Add(time.Hour), Weeks: 0, Leaders: 1}, true},
		{"a habit without a focus", coach.Question, fLeaders, nil, week(0), coach.Focus{}, false},
		{"no Lean leaders", coach.Compliment, nil, nil, week(0), coach.Focus{}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := coach.FocusOf(tt.h, tt.leaders, tt.hist, tt.due)
			if ok != tt.ok || got != tt.want {
				t.Errorf("FocusOf = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestFocusGoesRound: a director with three Lean leaders gets six weekly
// compliment prompts and answers each with a compliment to the Lean leader
// it points at (the form preselects them): each is pointed at twice. Run
// with the stand-up too, whose Done records no Lean leader.
func TestFocusGoesRound(t *testing.T) {
	for _, h := range []coach.Habit{coach.Compliment, coach.Standup, coach.Gemba} {
		var hist []coach.Occurrence
		pointed := map[coach.UserID]int{}
		var order []coach.UserID
		for w := range 6 {
			o := fOcc(h, w, "", "")
			f, ok := coach.FocusOf(h, fLeaders, hist, o.Due)
			if !ok {
				t.Fatalf("%s week %d: no focus", h, w)
			}
			pointed[f.Leader]++
			order = append(order, f.Leader)
			leader := coach.UserID("")
			if h == coach.Compliment {
				leader = f.Leader
			}
			hist = append(hist, fOcc(h, w, coach.Done, leader))
		}
		for _, l := range fLeaders {
			if pointed[l] != 2 {
				t.Errorf("%s: over 6 weeks %s was pointed at %d times, want 2 (order %v)", h, l, pointed[l], order)
			}
		}
	}
}

// The compliment form preselects the Lean leader served least recently:
// after a compliment to Lee, the next prompt's form offers the other.
func TestComplimentFormPreselectsFocus(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	if _, err := f.svc.AddDirector(ctx, admin, director, []coach.UserID{leader, leader2}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetKudosChannel(ctx, admin, kudosCh); err != nil {
		t.Fatal(err)
	}
	o := f.send(t, coach.Compliment)
	form, err := f.svc.ComplimentForm(ctx, director, o.Key)
	if err != nil || form.Leader != leader {
		t.Fatalf("first ComplimentForm preselects %s (%v), want %s", form.Leader, err, leader)
	}
	if _, err := f.svc.Answer(ctx, director, o.Key, coach.AnswerInput{Outcome: coach.Done, Leader: leader, Text: "Well done"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(f.clock.Now().AddDate(0, 0, 7))
	o = f.send(t, coach.Compliment)
	form, err = f.svc.ComplimentForm(ctx, director, o.Key)
	if err != nil || form.Leader != leader2 {
		t.Errorf("the next ComplimentForm preselects %s (%v), want %s, served least recently", form.Leader, err, leader2)
	}
}
