package coach_test

import (
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

// "I said it in person" records the compliment done with no public post
// and no kudos; a note of what was said can follow; it counts toward the
// streak; only a compliment prompt may, and only once.
func TestInPerson(t *testing.T) {
	f := newFixture(t).withDirector(t)
	ctx := t.Context()

	gemba := f.send(t, coach.Gemba)
	if _, err := f.svc.InPerson(ctx, director, gemba.Key); coach.ErrorCode(err) != coach.EINVALID {
		t.Errorf("InPerson on a gemba prompt = %v, want EINVALID", err)
	}
	if o := f.stored(t, gemba.Key); o.Answer != nil {
		t.Errorf("a refused InPerson recorded %+v", o.Answer)
	}

	o := f.send(t, coach.Compliment)
	if _, err := f.svc.InPerson(ctx, leader, o.Key); coach.ErrorCode(err) != coach.EFORBIDDEN {
		t.Errorf("InPerson by the Lean leader = %v, want EFORBIDDEN", err)
	}
	a, err := f.svc.InPerson(ctx, director, o.Key)
	if err != nil || a.Answer == nil || a.Answer.Outcome != coach.Done || !a.Answer.InPerson || a.Kudos != nil || a.Streak != 1 {
		t.Fatalf("InPerson = %+v, %v; want done in person, no kudos, streak 1", a, err)
	}
	if got := f.stored(t, o.Key); got.Answer == nil || !got.Answer.InPerson || got.Answer.Text != "" || got.Answer.Leader != "" {
		t.Errorf("stored answer = %+v, want in person without a public text", got.Answer)
	}
	if len(f.msg.kudos) != 0 {
		t.Errorf("InPerson posted kudos: %+v", f.msg.kudos)
	}
	if ks, err := f.db.KudosFor(ctx, leader, time.Time{}); err != nil || len(ks) != 0 {
		t.Errorf("kudos for the Lean leader after InPerson = %v, %v; want none", ks, err)
	}
	if _, err := f.svc.InPerson(ctx, director, o.Key); coach.ErrorCode(err) != coach.ECONFLICT {
		t.Errorf("InPerson twice = %v, want ECONFLICT", err)
	}

	// The note of what was said.
	if _, err := f.svc.NoteForm(ctx, director, o.Key); err != nil {
		t.Fatalf("NoteForm after InPerson = %v", err)
	}
	if _, err := f.svc.AddNote(ctx, director, o.Key, coach.NoteInput{Note: "Told her the demo was calm and clear."}); err != nil {
		t.Fatalf("AddNote after InPerson = %v", err)
	}
	if got := f.stored(t, o.Key); got.Answer.Note != "Told her the demo was calm and clear." || !got.Answer.InPerson {
		t.Errorf("stored answer after the note = %+v", got.Answer)
	}

	// A compliment posted publicly still takes no private note.
	posted := f.send(t, coach.Compliment)
	if _, err := f.svc.Answer(ctx, director, posted.Key, coach.AnswerInput{Outcome: coach.Done, Leader: leader, Text: "Well done"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddNote(ctx, director, posted.Key, coach.NoteInput{Note: "x"}); coach.ErrorCode(err) != coach.EINVALID {
		t.Errorf("AddNote on a posted compliment = %v, want EINVALID", err)
	}
}
