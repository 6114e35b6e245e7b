package coach

import (
	"context"
	"fmt"
	"time"
)

// AnswerHistory is what reading a director's question context needs: their
// question prompts, their Lean leaders and their delegation paths.
type AnswerHistory interface {
	History(ctx context.Context, d UserID, h Habit, since time.Time) ([]Occurrence, error)
	Director(ctx context.Context, id UserID) (Director, error)
	ReadSnapshot(ctx context.Context, fn func(s Snapshot) error) error
}

// LoadQuestionContext reads what SelectQuestion takes into account for
// director d, in one read transaction: the last answered question prompt
// and what the Lean leader came up with then, and the delegation path that
// steers the themes: the one with the Lean leader that answer was about,
// when known, else the first of d's Lean leaders with a path (see
// questionPath).
func LoadQuestionContext(ctx context.Context, st AnswerHistory, d UserID) (QuestionContext, error) {
	var qc QuestionContext
	err := st.ReadSnapshot(ctx, func(sn Snapshot) error {
		qc = QuestionContext{}
		dir, err := directorIn(sn, d)
		if err != nil {
			return err
		}
		err = sn.HistoryBack(d, Question, endOfTime, func(x Occurrence) bool {
			if x.Answer == nil || x.Answer.Outcome != Done {
				return true
			}
			qc.Last = lastAnswerOf(x, dir)
			return false
		})
		if err != nil {
			return err
		}
		ps, err := sn.Paths(d)
		if err != nil {
			return err
		}
		qc.Path = questionPath(dir, ps, qc.Last.Leader)
		return nil
	})
	if err != nil {
		return QuestionContext{}, fmt.Errorf("question context of %s: %w", d, err)
	}
	return qc, nil
}

// endOfTime is after every prompt's due time.
var endOfTime = time.Date(9999, time.December, 31, 0, 0, 0, 0, time.UTC)

// LastAnswerBefore is what a follow-up prompt o shows: the last question
// prompt of o's director answered before o was due, and what the Lean leader
// came up with then. It is zero when o is not a follow-up.
func LastAnswerBefore(ctx context.Context, st AnswerHistory, o Occurrence) (LastAnswer, error) {
	if o.Habit != Question || !IsFollowUp(o.QuestionID) {
		return LastAnswer{}, nil
	}
	last, err := lastAnswer(ctx, st, o.Director, func(x Occurrence) bool {
		return x.Key != o.Key && !x.Due.After(o.Due)
	})
	if err != nil {
		return LastAnswer{}, fmt.Errorf("last answer before %s: %w", o.Key, err)
	}
	return last, nil
}

// lastAnswer finds d's latest question prompt answered done among those
// that pass keep. Its Leader is the director's only Lean leader, if they
// have exactly one.
func lastAnswer(ctx context.Context, st AnswerHistory, d UserID, keep func(Occurrence) bool) (LastAnswer, error) {
	hist, err := st.History(ctx, d, Question, time.Time{})
	if err != nil {
		return LastAnswer{}, err
	}
	var last LastAnswer
	found := false
	for _, o := range hist { // ordered by Due: the latest wins
		if o.Answer == nil || o.Answer.Outcome != Done || !keep(o) {
			continue
		}
		id := o.Answer.QuestionID
		if id == "" {
			id = o.QuestionID
		}
		last, found = LastAnswer{QuestionID: id, CameUpWith: o.Answer.Note}, true
	}
	if !found {
		return LastAnswer{}, nil
	}
	dir, err := st.Director(ctx, d)
	switch {
	case ErrorCode(err) == ENOTFOUND:
	case err != nil:
		return LastAnswer{}, err
	case len(dir.Leaders) == 1:
		last.Leader = dir.Leaders[0]
	}
	return last, nil
}
