package coach_test

import (
	"context"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

// rerunStore is a QuestionStore whose UpdateOccurrence runs fn twice, as
// group commit does after a failed group: the first run sees the prompt
// without a question, the second (the one that commits) sees the question
// another writer gave it meanwhile.
type rerunStore struct {
	asked []string
}

func (s *rerunStore) History(context.Context, coach.UserID, coach.Habit, time.Time) ([]coach.Occurrence, error) {
	return nil, nil
}

func (s *rerunStore) Director(context.Context, coach.UserID) (coach.Director, error) {
	return coach.Director{}, coach.Errorf(coach.ENOTFOUND, "test.none")
}

// ReadSnapshot reads an empty store.
func (s *rerunStore) ReadSnapshot(_ context.Context, fn func(coach.Snapshot) error) error {
	return fn(emptySnapshot{})
}

// emptySnapshot is a coach.Snapshot of an empty store.
type emptySnapshot struct{}

func (emptySnapshot) Occurrence(coach.OccurrenceKey) (coach.Occurrence, error) {
	return coach.Occurrence{}, coach.Errorf(coach.ENOTFOUND, "test.none")
}
func (emptySnapshot) HistoryBack(coach.UserID, coach.Habit, time.Time, func(coach.Occurrence) bool) error {
	return nil
}
func (emptySnapshot) Director(coach.UserID) (coach.Director, error) {
	return coach.Director{}, coach.Errorf(coach.ENOTFOUND, "test.none")
}
func (emptySnapshot) User(coach.UserID) (coach.Prefs, coach.Profile, error) {
	return coach.Prefs{}, coach.Profile{}, nil
}
func (emptySnapshot) Setting(string) (string, error)           { return "", nil }
func (emptySnapshot) Paths(coach.UserID) ([]coach.Path, error) { return nil, nil }

func (s *rerunStore) AskedQuestions(context.Context, coach.UserID) ([]string, error) { return nil, nil }

func (s *rerunStore) AddAskedQuestion(_ context.Context, _ coach.UserID, id string) error {
	s.asked = append(s.asked, id)
	return nil
}

func (s *rerunStore) UpdateOccurrence(_ context.Context, key coach.OccurrenceKey, fn func(*coach.Occurrence) error) (coach.Occurrence, error) {
	first := coach.Occurrence{Key: key, Director: director, Habit: coach.Question}
	if err := fn(&first); err != nil {
		return coach.Occurrence{}, err
	}
	second := coach.Occurrence{Key: key, Director: director, Habit: coach.Question, QuestionID: "theirs"}
	if err := fn(&second); err != nil {
		return coach.Occurrence{}, err
	}
	return second, nil
}

// A question given by the run that committed is the only one recorded as
// asked: a run rolled back must not leave its "assigned" behind.
func TestEnsureQuestionReportsTheCommittedRun(t *testing.T) {
	st := &rerunStore{}
	o := coach.Occurrence{Key: "s1|UDIR001|2026-12-07", Director: director, Habit: coach.Question}
	got, err := coach.EnsureQuestion(t.Context(), st, o, func(int) int { return 0 })
	if err != nil {
		t.Fatalf("EnsureQuestion: %v", err)
	}
	if got.QuestionID != "theirs" {
		t.Errorf("EnsureQuestion = question %q, want the committed %q", got.QuestionID, "theirs")
	}
	if len(st.asked) != 0 {
		t.Errorf("recorded as asked: %v; want nothing (the committed run kept the other writer's question)", st.asked)
	}
}
