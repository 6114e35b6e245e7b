package coach

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// maxAdHocPerDay bounds /coach send per director and local day, so a typo in
// a loop cannot flood someone's DMs.
const maxAdHocPerDay = 20

// Send delivers habit h's prompt to director d now (a demo or a make-up),
// through the Prompter so it is recorded before it is sent. Its occurrence
// key is ad hoc: "send|<d>|<local date>.<n>". Admins only; ENOTFOUND when d is
// not a director.
func (s *Service) Send(ctx context.Context, actor UserID, h Habit, d UserID) (Occurrence, error) {
	if err := s.requireAdmin(ctx, actor, "send"); err != nil {
		return Occurrence{}, err
	}
	if _, err := s.store.Director(ctx, d); err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return Occurrence{}, Errorf(ENOTFOUND, "svc.err.not_a_director", mention(d))
		}
		return Occurrence{}, fmt.Errorf("send %s: %w", h, err)
	}
	now := s.clock.Now()
	date := now.In(s.Location(ctx, d)).Format("2006-01-02")
	n, err := s.adHocToday(ctx, d, date)
	if err != nil {
		return Occurrence{}, fmt.Errorf("send %s: %w", h, err)
	}
	o := Occurrence{Schedule: AdHoc, Director: d, Habit: h, LocalDate: date, Due: now.UTC()}
	if h == Question {
		if o.QuestionID, err = s.nextQuestion(ctx, d); err != nil {
			return Occurrence{}, fmt.Errorf("send %s: %w", h, err)
		}
	}
	// Two sends racing for the same sequence number: the loser's Deliver
	// reports ECONFLICT and it takes the next one.
	for ; n < maxAdHocPerDay; n++ {
		o.Key = NewOccurrenceKey(AdHoc, d, date+"."+strconv.Itoa(n+1))
		got, err := s.prompter.Deliver(ctx, o)
		if ErrorCode(err) == ECONFLICT {
			continue
		}
		if err != nil {
			return got, fmt.Errorf("send %s to %s: %w", h, d, err)
		}
		if h == Question {
			if err := s.store.AddAskedQuestion(ctx, d, o.QuestionID); err != nil {
				return got, fmt.Errorf("send %s: %w", h, err)
			}
		}
		return got, s.audit(ctx, actor, ActionPromptSend, string(o.Key)+" habit="+string(h))
	}
	return Occurrence{}, Errorf(ECONFLICT, "svc.err.send_limit", maxAdHocPerDay)
}

// adHocToday counts d's ad-hoc prompts of the local date.
func (s *Service) adHocToday(ctx context.Context, d UserID, date string) (int, error) {
	since := s.clock.Now().UTC().AddDate(0, 0, -2) // a local date spans at most ±14h of UTC
	hist, err := s.store.History(ctx, d, "", since)
	if err != nil {
		return 0, err
	}
	prefix := string(NewOccurrenceKey(AdHoc, d, date)) + "."
	n := 0
	for _, o := range hist {
		if strings.HasPrefix(string(o.Key), prefix) {
			n++
		}
	}
	return n, nil
}

// nextQuestion picks the question d gets next (see SelectQuestion).
func (s *Service) nextQuestion(ctx context.Context, d UserID) (string, error) {
	id, err := chooseQuestion(ctx, s.store, d, s.pick)
	if err != nil {
		return "", fmt.Errorf("next question: %w", err)
	}
	return id, nil
}

// chooseQuestion reads d's shown questions and question context and
// selects the next question (SelectQuestion).
func chooseQuestion(ctx context.Context, st QuestionStore, d UserID, pick func(n int) int) (string, error) {
	asked, err := st.AskedQuestions(ctx, d)
	if err != nil {
		return "", err
	}
	qc, err := LoadQuestionContext(ctx, st, d)
	if err != nil {
		return "", err
	}
	return SelectQuestion(asked, qc, pick), nil
}

// EnsureQuestion gives a question-habit occurrence its question if it has
// none yet (the due-loop creates occurrences without one), durably and before
// the prompt is rendered, so the buttons and the modal agree on the question.
// Other occurrences are returned as they are.
func (s *Service) EnsureQuestion(ctx context.Context, o Occurrence) (Occurrence, error) {
	return EnsureQuestion(ctx, s.store, o, s.pick)
}

// QuestionStore is what EnsureQuestion and PickQuestion need.
type QuestionStore interface {
	AnswerHistory
	UpdateOccurrence(ctx context.Context, key OccurrenceKey, fn func(*Occurrence) error) (Occurrence, error)
	AskedQuestions(ctx context.Context, d UserID) ([]string, error)
	AddAskedQuestion(ctx context.Context, d UserID, questionID string) error
}

// EnsureQuestion is Service.EnsureQuestion for callers that sit below the
// Service (the prompt renderer the Prompter uses). pick is as for
// NextQuestion; the question is chosen by SelectQuestion. An occurrence that is not stored (a preview) gets a question
// without it being kept.
func EnsureQuestion(ctx context.Context, st QuestionStore, o Occurrence, pick func(n int) int) (Occurrence, error) {
	if o.Habit != Question || o.QuestionID != "" {
		return o, nil
	}
	id, err := chooseQuestion(ctx, st, o.Director, pick)
	if err != nil {
		return o, fmt.Errorf("ensure question %s: %w", o.Key, err)
	}
	// fn may run again (group commit, see OccurrenceStore): assigned is set
	// on every run, so it tells what the run that committed did.
	var assigned bool
	got, err := st.UpdateOccurrence(ctx, o.Key, func(x *Occurrence) error {
		assigned = x.QuestionID == ""
		if assigned {
			x.QuestionID = id
		}
		return nil
	})
	switch {
	case ErrorCode(err) == ENOTFOUND:
		o.QuestionID = id
		return o, nil
	case err != nil:
		return o, fmt.Errorf("ensure question %s: %w", o.Key, err)
	}
	if assigned {
		if err := st.AddAskedQuestion(ctx, o.Director, id); err != nil {
			return got, fmt.Errorf("ensure question %s: %w", o.Key, err)
		}
	}
	return got, nil
}

// PickQuestion chooses d's next question (see SelectQuestion) and records it
// as shown, for the due-loop, which asks for one before it sends a question
// prompt (schedule.Deps.Questions).
func PickQuestion(ctx context.Context, st QuestionStore, d UserID, pick func(n int) int) (string, error) {
	id, err := chooseQuestion(ctx, st, d, pick)
	if err != nil {
		return "", fmt.Errorf("pick question: %w", err)
	}
	if err := st.AddAskedQuestion(ctx, d, id); err != nil {
		return "", fmt.Errorf("pick question: %w", err)
	}
	return id, nil
}
