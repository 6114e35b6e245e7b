package coach

import "context"

// InPerson records actor's compliment prompt key as done without a public
// post: the director gave the compliment in person. No kudos is posted or
// counted, and the kudos channel is not needed; a private note of what was
// said can follow (AddNote). Only a compliment prompt may (EINVALID);
// otherwise the checks are Answer's. One write and one read.
func (s *Service) InPerson(ctx context.Context, actor UserID, key OccurrenceKey) (Answered, error) {
	ans, err := s.answerFromInput(AnswerInput{Outcome: Done})
	if err != nil {
		return Answered{}, err
	}
	ans.By, ans.InPerson = actor, true
	return s.answer(ctx, actor, key, ans, func(o *Occurrence) error {
		if o.Habit != Compliment {
			return Errorf(EINVALID, "svc.err.not_compliment")
		}
		return nil
	})
}
