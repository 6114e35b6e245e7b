package coach_test

import (
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
)

// An answered prompt carries the focus it was sent with: with several
// Lean leaders the same pick and line as when it was sent (the answer to
// the Lean leader named does not move it on); with one, who they are.
func TestAnsweredKeepsFocus(t *testing.T) {
	f := newFixture(t).withDirector(t)
	ctx := t.Context()

	st := f.send(t, coach.Standup)
	a, err := f.svc.Answer(ctx, director, st.Key, coach.AnswerInput{Outcome: coach.Done})
	if err != nil {
		t.Fatal(err)
	}
	if a.Focus != (coach.Focus{Leader: leader, Leaders: 1}) {
		t.Errorf("answered stand-up of a director with one Lean leader: Focus = %+v, want %s alone", a.Focus, leader)
	}

	if _, err := f.svc.AddDirector(ctx, admin, director, []coach.UserID{leader, leader2}); err != nil {
		t.Fatal(err)
	}
	g := f.send(t, coach.Gemba)
	sent, ok, err := coach.LoadFocus(ctx, f.db, g)
	if err != nil || !ok {
		t.Fatalf("LoadFocus = %v, %v", ok, err)
	}
	a, err = f.svc.Done(ctx, director, g.Key)
	if err != nil {
		t.Fatal(err)
	}
	if a.Focus != sent || a.Focus.Leaders != 2 {
		t.Errorf("answered gemba: Focus = %+v, want %+v as sent", a.Focus, sent)
	}
}
