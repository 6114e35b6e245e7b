package coach

import (
	"context"
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
// sent to actor (else EFORBIDDEN) and is still open (else ECONFLICT).
func (s *Service) Prompt(ctx context.Context, actor UserID, key OccurrenceKey) (Occurrence, error) {
	o, err := s.occurrence(ctx, key)
	if err != nil {
		return Occurrence{}, err
	}
	return o, answerable(o, actor)
}

// Done records actor's one click on the primary button of prompt key: the
// habit done, with no note yet (AddNote adds one). A compliment is answered
// with its text, from its form: for a compliment prompt nothing is recorded
// and the error is ErrComplimentFirst (open ComplimentForm instead). One
// write and one read.
func (s *Service) Done(ctx context.Context, actor UserID, key OccurrenceKey) (Answered, error) {
	ans, err := s.answerFromInput(AnswerInput{Outcome: Done})
	if err != nil {
		return Answered{}, err
	}
	ans.By = actor
	return s.answer(ctx, actor, key, ans, func(o *Occurrence) error {
		if o.Habit == Compliment {
			return ErrComplimentFirst
		}
		return nil
	})
}

// Answer records actor's answer to the prompt key, durably, and returns
// the prompt as it is now to be shown (Answered). Only the director the
// prompt was sent to may answer (EFORBIDDEN) and only once (ECONFLICT
// "already recorded": a double click or a redelivered submission changes
// nothing). Nothing is said in Slack here: a compliment answered done (to
// one of the director's own Lean leaders, with a kudos channel set) comes
// back with its Kudos, which PublishKudos posts. Not today and a habit done
// without its form cost one write and one read.
//
// When the error is not an *Error with a user-safe code but the returned
// Answered has an Answer, the answer was recorded and reading what shows it
// failed: the Answered has the defaults (no streak, the workspace's
// language and zone).
func (s *Service) Answer(ctx context.Context, actor UserID, key OccurrenceKey, in AnswerInput) (Answered, error) {
	ans, err := s.answerFromInput(in)
	if err != nil {
		return Answered{}, err
	}
	ans.By = actor
	var k *Kudos
	if in.Outcome == Done && (in.Leader != "" || in.Text != "") {
		// A compliment's text (from its form): whose prompt it is first,
		// then the compliment, before anything is recorded.
		cur, err := s.Prompt(ctx, actor, key)
		if err != nil {
			return Answered{}, err
		}
		if cur.Habit == Compliment {
			if k, err = s.kudosFor(ctx, actor, ans); err != nil {
				return Answered{}, err
			}
		}
	}
	a, err := s.answer(ctx, actor, key, ans, func(o *Occurrence) error {
		if o.Habit == Compliment && ans.Outcome == Done && k == nil {
			return Errorf(EINVALID, "svc.err.kudos_incomplete")
		}
		return nil
	})
	if a.Answer != nil && a.Habit == Compliment && k != nil {
		kudos := *k
		kudos.Occ = a.Key
		a.Kudos = &kudos
	}
	return a, err
}

// kudosFor checks a compliment's answer (a Lean leader of actor's, a text, a
// kudos channel) and returns its kudos, to be posted once it is recorded.
func (s *Service) kudosFor(ctx context.Context, actor UserID, ans Answer) (*Kudos, error) {
	if ans.Leader == "" || ans.Text == "" {
		return nil, Errorf(EINVALID, "svc.err.kudos_incomplete")
	}
	if ans.Leader == actor {
		return nil, Errorf(EINVALID, "svc.err.kudos_self")
	}
	if err := s.mayCompliment(ctx, actor, ans.Leader); err != nil {
		return nil, err
	}
	ch, err := s.kudosChannelFor(ctx, actor)
	if err != nil {
		return nil, err
	}
	return &Kudos{From: actor, To: ans.Leader, Text: ans.Text, At: ans.At, Channel: ch}, nil
}

// answer records ans on the prompt key if actor may answer it and check
// (given the occurrence as stored) allows it, then reads how to show it.
func (s *Service) answer(ctx context.Context, actor UserID, key OccurrenceKey, ans Answer, check func(*Occurrence) error) (Answered, error) {
	o, err := s.record(ctx, actor, key, func(x *Occurrence, _ Snapshot) error {
		if err := check(x); err != nil {
			return err
		}
		a := ans
		if x.Habit == Question && a.Outcome == Done {
			a.QuestionID = x.QuestionID
		}
		x.Answer = &a
		return nil
	})
	if err != nil {
		return Answered{}, err
	}
	return s.answered(ctx, o)
}

// Snooze puts the prompt off: for an hour, or until tomorrow morning in the
// director's zone (their cached Slack profile's, read in the write that
// records the snooze). The prompt stays open (Snoozed is not final) and comes
// back at SnoozeUntil. Same checks as Answer; one write and one read.
func (s *Service) Snooze(ctx context.Context, actor UserID, key OccurrenceKey, c SnoozeChoice) (Answered, error) {
	if _, ok := ParseSnoozeChoice(string(c)); !ok {
		return Answered{}, Errorf(EINVALID, "svc.err.bad_snooze")
	}
	now := s.clock.Now()
	o, err := s.record(ctx, actor, key, func(x *Occurrence, sn Snapshot) error {
		until := now.Add(time.Hour)
		if c == SnoozeMorning {
			_, prof, err := sn.User(actor)
			if err != nil {
				return err
			}
			until = TomorrowMorning(now, s.zones.of(prof.TZ, s.tz))
		}
		x.Answer = &Answer{Outcome: Snoozed, At: now.UTC(), By: actor, SnoozeUntil: until.UTC()}
		return nil
	})
	if err != nil {
		return Answered{}, err
	}
	return s.answered(ctx, o)
}

// TomorrowMorning is MorningHour:MorningMinute of the day after now, in loc.
// On a day whose morning falls in a DST gap Go moves it forward, which is
// what a person would expect.
func TomorrowMorning(now time.Time, loc *time.Location) time.Time {
	l := now.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day()+1, MorningHour, MorningMinute, 0, 0, loc)
}

// AnotherQuestion swaps the question of an open question prompt for the next
// one of the library and returns the prompt to show. Same checks as Answer.
func (s *Service) AnotherQuestion(ctx context.Context, actor UserID, key OccurrenceKey) (Answered, error) {
	cur, err := s.occurrence(ctx, key)
	if err != nil {
		return Answered{}, err
	}
	if err := answerable(cur, actor); err != nil {
		return Answered{}, err
	}
	if cur.Habit != Question {
		return Answered{}, Errorf(EINVALID, "svc.err.not_a_question")
	}
	next, err := s.nextQuestion(ctx, actor)
	if err != nil {
		return Answered{}, err
	}
	o, err := s.record(ctx, actor, key, func(x *Occurrence, _ Snapshot) error {
		x.QuestionID = next
		return nil
	})
	if err != nil {
		return Answered{}, err
	}
	if err := s.store.AddAskedQuestion(ctx, actor, next); err != nil {
		return Answered{Occurrence: o}, fmt.Errorf("another question: %w", err)
	}
	return s.answered(ctx, o)
}

// record changes the prompt key in one write transaction that re-checks who
// may answer and that it is still open, so of two concurrent answers exactly
// one is recorded; change decides on the occurrence as stored (and may read
// the rest of the store through the snapshot).
func (s *Service) record(ctx context.Context, actor UserID, key OccurrenceKey, change func(x *Occurrence, sn Snapshot) error) (Occurrence, error) {
	o, err := s.store.RecordAnswer(ctx, key, func(x *Occurrence, sn Snapshot) error {
		if err := answerable(*x, actor); err != nil {
			return err
		}
		return change(x, sn)
	})
	if err != nil {
		return Occurrence{}, recordError("record answer", err)
	}
	return o, nil
}

// recordError is a failed write of a prompt as users are told it: a missing
// prompt in their words, refusals as they are, the rest prefixed with op.
func recordError(op string, err error) error {
	if ErrorCode(err) == ENOTFOUND {
		return Errorf(ENOTFOUND, "svc.err.prompt_not_found")
	}
	return wrapUnlessSafe(op, err)
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

// wrapUnlessSafe adds an operation prefix to internal errors and passes
// user-safe *Errors through unchanged.
func wrapUnlessSafe(op string, err error) error {
	if c := ErrorCode(err); c != EINTERNAL {
		return err
	}
	return fmt.Errorf("%s: %w", op, err)
}
