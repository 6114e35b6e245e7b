package coach_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
)

// One click records the habit done; AddNote then saves the private note
// onto that answer: only the director's own, only a done answer, within
// the length limit, and the same note twice updates the prompt once.
func TestAddNote(t *testing.T) {
	f := newFixture(t).withDirector(t)
	ctx := t.Context()
	o := f.send(t, coach.Standup)
	if _, err := f.svc.Answer(ctx, director, o.Key, coach.AnswerInput{Outcome: coach.Done}); err != nil {
		t.Fatalf("one click: %v", err)
	}
	in := coach.NoteInput{Observation: " Calm,\u200b two stayed silent. ", FeedbackGiven: true, Note: "ignored for a standup"}

	_, err := f.svc.AddNote(ctx, other, o.Key, in)
	wantCode(t, "AddNote by someone else", err, coach.EFORBIDDEN)
	_, err = f.svc.AddNote(ctx, director, o.Key, coach.NoteInput{Observation: strings.Repeat("x", coach.MaxTextLen+1)})
	wantCode(t, "AddNote too long", err, coach.EINVALID)
	_, err = f.svc.AddNote(ctx, director, "send|UDIR001|2026-01-01.1", in)
	wantCode(t, "AddNote to an unknown prompt", err, coach.ENOTFOUND)
	if a := f.stored(t, o.Key).Answer; a.HasNote() || a.FeedbackGiven {
		t.Fatalf("refused notes changed the answer: %+v", a)
	}

	var wg sync.WaitGroup
	var mu sync.Mutex
	changed := 0
	for range 8 { // a burst of the same submission
		wg.Go(func() {
			a, err := f.svc.AddNote(ctx, director, o.Key, in)
			if err != nil {
				t.Errorf("AddNote: %v", err)
			}
			if a.Changed {
				mu.Lock()
				changed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	a := f.stored(t, o.Key).Answer
	if a.Outcome != coach.Done || !a.FeedbackGiven || a.Observation != "Calm, two stayed silent." || a.Note != "" {
		t.Errorf("answer after the note = %+v, want done with the cleaned observation and feedback", a)
	}
	if changed != 1 {
		t.Errorf("the same note 8 times changed the prompt %d times, want 1", changed)
	}
	if _, err := f.svc.AddNote(ctx, director, o.Key, coach.NoteInput{Observation: "Changed my mind."}); err != nil {
		t.Fatal(err)
	}
	if a := f.stored(t, o.Key).Answer; a.Observation != "Changed my mind." || a.FeedbackGiven {
		t.Errorf("a second note = %+v, want it to replace the first", a)
	}

	// Not today has no note; a compliment's text is public, not a note.
	nt := f.send(t, coach.Gemba)
	if _, err := f.svc.Answer(ctx, director, nt.Key, coach.AnswerInput{Outcome: coach.NotToday}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.AddNote(ctx, director, nt.Key, coach.NoteInput{Note: "x"})
	wantCode(t, "AddNote after not today", err, coach.ECONFLICT)
	_, err = f.svc.NoteForm(ctx, director, nt.Key)
	wantCode(t, "NoteForm after not today", err, coach.ECONFLICT)
	c := f.send(t, coach.Compliment)
	_, err = f.svc.NoteForm(ctx, director, c.Key)
	wantCode(t, "NoteForm of a compliment", err, coach.EINVALID)
}

// The note form of a prompt still open (opened before one click recorded
// prompts) records it done with the note, once.
func TestAddNoteToOpenPrompt(t *testing.T) {
	f := newFixture(t).withDirector(t)
	ctx := t.Context()
	o := f.send(t, coach.Question)
	if o.QuestionID == "" {
		t.Fatal("question prompt without a question")
	}
	if _, err := f.svc.NoteForm(ctx, director, o.Key); err != nil {
		t.Fatalf("NoteForm of an open prompt: %v", err)
	}
	got, err := f.svc.AddNote(ctx, director, o.Key, coach.NoteInput{Asked: "What would you try first?", Note: "A 5-minute check."})
	if err != nil {
		t.Fatal(err)
	}
	if a := got.Answer; a == nil || a.Outcome != coach.Done || a.QuestionID != o.QuestionID || a.Asked != "What would you try first?" || a.Note != "A 5-minute check." {
		t.Errorf("answer = %+v, want done for question %s with the note", a, o.QuestionID)
	}
}
