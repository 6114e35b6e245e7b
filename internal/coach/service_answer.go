package coach

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// AnswerInput is a director's answer to a prompt, as submitted.
type AnswerInput struct {
	Outcome Outcome // Done or NotToday

	Note          string // any habit: private
	Observation   string // standup: private
	FeedbackGiven bool   // standup
	Leader        UserID // compliment: who gets the kudos
	Text          string // compliment: the public text
	Asked         string // question: as asked (private)
}

// SnoozeChoice is how long a prompt is put off.
type SnoozeChoice string

const (
	SnoozeHour    SnoozeChoice = "hour"    // one hour from now
	SnoozeMorning SnoozeChoice = "morning" // tomorrow at MorningHour:MorningMinute, local
)

// The local time a "tomorrow morning" snooze comes back.
const (
	MorningHour   = 8
	MorningMinute = 30
)

// ParseSnoozeChoice accepts the choices' string values.
func ParseSnoozeChoice(s string) (SnoozeChoice, bool) {
	switch SnoozeChoice(s) {
	case SnoozeHour, SnoozeMorning:
		return SnoozeChoice(s), true
	}
	return "", false
}

// Prompt returns the occurrence with key if actor may answer it now: it was
// sent to actor (else EFORBIDDEN) and is still open (else ECONFLICT). Handlers
// call it before opening a modal.
func (s *Service) Prompt(ctx context.Context, actor UserID, key OccurrenceKey) (Occurrence, error) {
	o, err := s.occurrence(ctx, key)
	if err != nil {
		return Occurrence{}, err
	}
	return o, answerable(o, actor)
}

// Answer records actor's answer to the prompt key, durably, and only then
// updates the prompt message and, for a compliment, posts the kudos. Only
// the director the prompt was sent to may answer (EFORBIDDEN) and only once
// (ECONFLICT "already recorded": a double click or a redelivered submission
// changes nothing and posts nothing).
//
// When the returned error is not an *Error with a user-safe code but the
// returned Occurrence has an Answer, the answer was recorded and a later step
// (the kudos post or the message update) failed.
func (s *Service) Answer(ctx context.Context, actor UserID, key OccurrenceKey, in AnswerInput) (Occurrence, error) {
	ans, err := s.answerFromInput(in)
	if err != nil {
		return Occurrence{}, err
	}
	ans.By = actor
	var ch ChannelID
	cur, err := s.occurrence(ctx, key)
	if err != nil {
		return Occurrence{}, err
	}
	if err := answerable(cur, actor); err != nil {
		return Occurrence{}, err
	}
	kudos := cur.Habit == Compliment && ans.Outcome == Done
	if kudos {
		if ans.Leader == "" || ans.Text == "" {
			return Occurrence{}, Errorf(EINVALID, "svc.err.kudos_incomplete")
		}
		if ans.Leader == actor {
			return Occurrence{}, Errorf(EINVALID, "svc.err.kudos_self")
		}
		if err := s.mayCompliment(ctx, actor, ans.Leader); err != nil {
			return Occurrence{}, err
		}
		if ch, err = s.kudosChannelFor(ctx, actor); err != nil {
			return Occurrence{}, err
		}
	}
	if cur.Habit == Question && ans.Outcome == Done {
		ans.QuestionID = cur.QuestionID
	}
	o, err := s.record(ctx, actor, key, ans)
	if err != nil {
		return Occurrence{}, err
	}
	var errs []error
	if kudos {
		_, err := s.postKudos(ctx, Kudos{From: actor, To: ans.Leader, Text: ans.Text, At: ans.At, Occ: o.Key, Channel: ch})
		errs = append(errs, err)
	}
	errs = append(errs, s.updatePrompt(ctx, o))
	return o, errors.Join(errs...)
}

// Snooze puts the prompt off: for an hour, or until tomorrow morning in the
// director's zone. The prompt stays open (Snoozed is not final) and comes back
// at SnoozeUntil. Same checks as Answer.
func (s *Service) Snooze(ctx context.Context, actor UserID, key OccurrenceKey, c SnoozeChoice) (Occurrence, error) {
	now := s.clock.Now()
	var until time.Time
	switch c {
	case SnoozeHour:
		until = now.Add(time.Hour)
	case SnoozeMorning:
		until = TomorrowMorning(now, s.Location(ctx, actor))
	default:
		return Occurrence{}, Errorf(EINVALID, "svc.err.bad_snooze")
	}
	o, err := s.record(ctx, actor, key, Answer{Outcome: Snoozed, At: now.UTC(), By: actor, SnoozeUntil: until.UTC()})
	if err != nil {
		return Occurrence{}, err
	}
	return o, s.updatePrompt(ctx, o)
}

// TomorrowMorning is MorningHour:MorningMinute of the day after now, in loc.
// On a day whose morning falls in a DST gap Go moves it forward, which is
// what a person would expect.
func TomorrowMorning(now time.Time, loc *time.Location) time.Time {
	l := now.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day()+1, MorningHour, MorningMinute, 0, 0, loc)
}

// AnotherQuestion swaps the question of an open question prompt for the next
// one of the library and updates the message. Same checks as Answer.
func (s *Service) AnotherQuestion(ctx context.Context, actor UserID, key OccurrenceKey) (Occurrence, error) {
	cur, err := s.occurrence(ctx, key)
	if err != nil {
		return Occurrence{}, err
	}
	if err := answerable(cur, actor); err != nil {
		return Occurrence{}, err
	}
	if cur.Habit != Question {
		return Occurrence{}, Errorf(EINVALID, "svc.err.not_a_question")
	}
	next, err := s.nextQuestion(ctx, actor)
	if err != nil {
		return Occurrence{}, err
	}
	o, err := s.store.UpdateOccurrence(ctx, key, func(x *Occurrence) error {
		if err := answerable(*x, actor); err != nil {
			return err
		}
		x.QuestionID = next
		return nil
	})
	if err != nil {
		return Occurrence{}, wrapUnlessSafe("another question", err)
	}
	if err := s.store.AddAskedQuestion(ctx, actor, next); err != nil {
		return o, fmt.Errorf("another question: %w", err)
	}
	return o, s.updatePrompt(ctx, o)
}

// record stores ans on the occurrence in one transaction that re-checks who
// may answer and that it is still open, so of two concurrent answers exactly
// one is recorded.
func (s *Service) record(ctx context.Context, actor UserID, key OccurrenceKey, ans Answer) (Occurrence, error) {
	o, err := s.store.UpdateOccurrence(ctx, key, func(x *Occurrence) error {
		if err := answerable(*x, actor); err != nil {
			return err
		}
		a := ans
		x.Answer = &a
		return nil
	})
	if err != nil {
		return Occurrence{}, wrapUnlessSafe("record answer", err)
	}
	return o, nil
}

// answerable says whether actor may answer o now.
func answerable(o Occurrence, actor UserID) error {
	if o.Director != actor {
		return Errorf(EFORBIDDEN, "svc.err.not_your_prompt")
	}
	if o.Answer != nil && o.Answer.Outcome.Final() {
		if o.Answer.Outcome == Expired {
			return Errorf(ECONFLICT, "svc.err.prompt_expired")
		}
		return Errorf(ECONFLICT, "svc.err.already_recorded")
	}
	// Sending is answerable too: someone clicked the prompt, so Slack has it
	// even if the due-loop has not yet marked it sent (an unclear post is
	// still being reconciled). Failed and Missed prompts never reached the
	// director.
	if o.State != Sent && o.State != Sending {
		return Errorf(ECONFLICT, "svc.err.prompt_closed")
	}
	return nil
}

func (s *Service) answerFromInput(in AnswerInput) (Answer, error) {
	if in.Outcome != Done && in.Outcome != NotToday {
		return Answer{}, Errorf(EINVALID, "svc.err.bad_outcome")
	}
	for _, t := range []string{in.Note, in.Observation, in.Text, in.Asked} {
		if len([]rune(t)) > MaxTextLen {
			return Answer{}, Errorf(EINVALID, "svc.err.text_too_long", MaxTextLen)
		}
	}
	return Answer{
		Outcome:       in.Outcome,
		At:            s.clock.Now().UTC(),
		Note:          Clean(in.Note, MaxTextLen),
		Observation:   Clean(in.Observation, MaxTextLen),
		FeedbackGiven: in.FeedbackGiven,
		Leader:        in.Leader,
		Text:          Clean(in.Text, MaxTextLen),
		Asked:         Clean(in.Asked, MaxTextLen),
	}, nil
}

func (s *Service) occurrence(ctx context.Context, key OccurrenceKey) (Occurrence, error) {
	o, err := s.store.Occurrence(ctx, key)
	if err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return Occurrence{}, Errorf(ENOTFOUND, "svc.err.prompt_not_found")
		}
		return Occurrence{}, fmt.Errorf("get prompt %s: %w", key, err)
	}
	return o, nil
}

// updatePrompt re-renders the prompt message with the director's streak.
func (s *Service) updatePrompt(ctx context.Context, o Occurrence) error {
	if o.Channel == "" || o.TS == "" {
		return nil // never posted (cannot happen for an answerable prompt)
	}
	streak, err := s.HabitStreak(ctx, o.Director, o.Habit)
	if err != nil {
		return fmt.Errorf("update prompt %s: %w", o.Key, err)
	}
	if err := s.msg.UpdatePrompt(ctx, o, streak); err != nil {
		return fmt.Errorf("update prompt %s: %w", o.Key, err)
	}
	return nil
}

// wrapUnlessSafe adds an operation prefix to internal errors and passes
// user-safe *Errors through unchanged.
func wrapUnlessSafe(op string, err error) error {
	if c := ErrorCode(err); c != EINTERNAL {
		return err
	}
	return fmt.Errorf("%s: %w", op, err)
}
