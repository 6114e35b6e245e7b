package coach

import (
	"context"
	"errors"
)

// NoteInput is a private note on a recorded answer, as submitted: the
// fields of the prompt's habit are used, the others ignored.
type NoteInput struct {
	Note          string // any habit but the compliment
	Observation   string // standup
	FeedbackGiven bool   // standup
	Asked         string // question: the question as asked
}

// AddNote saves a private note onto actor's answer to the prompt key: one
// click recorded the habit as done, and the note is optional, added after.
// Only the director the prompt was sent to may, only on a done answer
// (ECONFLICT after Not today or when it expired), and not on a compliment,
// whose text is public (EINVALID). Saving the same note again changes
// nothing (Answered.Changed is false; no write is committed), so a double
// submission is harmless; a different note replaces the one before. One
// write and one read.
//
// A prompt still open (its form was opened before the click recorded it,
// by an earlier version) is recorded as done with the note, as Answer does.
func (s *Service) AddNote(ctx context.Context, actor UserID, key OccurrenceKey, in NoteInput) (Answered, error) {
	ans, err := s.answerFromInput(AnswerInput{Outcome: Done, Note: in.Note, Observation: in.Observation,
		FeedbackGiven: in.FeedbackGiven, Asked: in.Asked})
	if err != nil {
		return Answered{}, err
	}
	ans.By = actor
	o, err := s.store.RecordAnswer(ctx, key, func(x *Occurrence, _ Snapshot) error {
		if err := noteable(*x, actor); err != nil {
			return err
		}
		if x.Answer == nil || !x.Answer.Outcome.Final() {
			a := ans
			if x.Habit == Question {
				a.QuestionID = x.QuestionID
			}
			x.Answer = &a
			return nil
		}
		if x.Answer.Outcome != Done {
			return errNoteRace // answered otherwise in between: cannot happen, Done is final
		}
		a := *x.Answer
		setNote(&a, x.Habit, in)
		if a == *x.Answer {
			return errUnchanged
		}
		x.Answer = &a
		return nil
	})
	switch {
	case errors.Is(err, errUnchanged):
		return Answered{Changed: false}, nil
	case err != nil:
		return Answered{}, recordError("add note", err)
	}
	return s.answered(ctx, o)
}

var errNoteRace = errors.New("the answer changed while its note was saved")

// setNote puts the note fields of habit h from in onto a, cleaned.
func setNote(a *Answer, h Habit, in NoteInput) {
	switch h {
	case Standup:
		a.Observation, a.FeedbackGiven = Clean(in.Observation, MaxTextLen), in.FeedbackGiven
	case Question:
		a.Asked, a.Note = Clean(in.Asked, MaxTextLen), Clean(in.Note, MaxTextLen)
	default:
		a.Note = Clean(in.Note, MaxTextLen)
	}
}

// noteable says whether actor may add a note to o now: their own prompt,
// not a compliment (unless said in person: the note is what was said),
// answered done or still open.
func noteable(o Occurrence, actor UserID) error {
	switch {
	case o.Director != actor:
		return Errorf(EFORBIDDEN, "svc.err.not_your_prompt")
	case o.Habit == Compliment && (o.Answer == nil || !o.Answer.InPerson):
		return Errorf(EINVALID, "svc.err.no_note")
	case o.Answer == nil || !o.Answer.Outcome.Final():
		return answerable(o, actor)
	case o.Answer.Outcome == NotToday:
		return Errorf(ECONFLICT, "svc.err.note_not_done")
	case o.Answer.Outcome == Expired:
		return Errorf(ECONFLICT, "svc.err.prompt_expired")
	}
	return nil
}

// HasNote reports whether a holds a private note the director added.
func (a Answer) HasNote() bool { return a.Note != "" || a.Observation != "" || a.Asked != "" }
