package coach

import (
	"context"
	"fmt"
	"time"
)

// openPromptWindow is how far back /coach kudos looks for an open compliment
// prompt to answer.
const openPromptWindow = 14 * 24 * time.Hour

// KudosResult tells what /coach kudos did.
type KudosResult struct {
	Kudos    Kudos
	Answered *Occurrence // the open compliment prompt it answered, if any
}

// GiveKudos posts a public compliment from actor to leader in the kudos
// channel. If actor has an open compliment prompt, the compliment answers it
// (recorded durably first, exactly as if the prompt's modal had been used) so
// it counts for the habit. Directors and admins only.
func (s *Service) GiveKudos(ctx context.Context, actor, leader UserID, text string) (KudosResult, error) {
	if leader == actor {
		return KudosResult{}, Errorf(EINVALID, "svc.err.kudos_self")
	}
	if len([]rune(text)) > MaxTextLen {
		return KudosResult{}, Errorf(EINVALID, "svc.err.text_too_long", MaxTextLen)
	}
	text = Clean(text, MaxTextLen)
	if text == "" {
		return KudosResult{}, usage("cmd.wrong.missing_text", "cmd.example.kudos")
	}
	if _, err := s.store.Director(ctx, actor); err != nil {
		if ErrorCode(err) != ENOTFOUND {
			return KudosResult{}, fmt.Errorf("kudos: %w", err)
		}
		if !s.IsAdmin(ctx, actor) {
			return KudosResult{}, notDirector(ctx, s.store, s.isAdmin, actor, EFORBIDDEN, "svc.err.directors_only")
		}
	}
	ch, err := s.kudosChannelFor(ctx, actor)
	if err != nil {
		return KudosResult{}, err
	}
	open, err := s.openPrompt(ctx, actor, Compliment)
	if err != nil {
		return KudosResult{}, err
	}
	if open != nil {
		o, err := s.Answer(ctx, actor, open.Key, AnswerInput{Outcome: Done, Leader: leader, Text: text})
		switch {
		case err == nil:
			return KudosResult{Kudos: Kudos{From: actor, To: leader, Text: text, Occ: o.Key, Channel: ch, At: o.Answer.At}, Answered: &o}, nil
		case o.Answer != nil: // recorded; a later step failed
			return KudosResult{Answered: &o}, err
		case ErrorCode(err) != ECONFLICT:
			return KudosResult{}, err
		}
		// Answered in the meantime by a click: post the kudos on its own.
	}
	k := Kudos{From: actor, To: leader, Text: text, At: s.clock.Now().UTC(), Channel: ch}
	k, err = s.postKudos(ctx, k)
	return KudosResult{Kudos: k}, err
}

// postKudos posts k and then keeps it with its ts. The post comes first: a
// kudos record always names a message that exists.
func (s *Service) postKudos(ctx context.Context, k Kudos) (Kudos, error) {
	ts, err := s.msg.PostKudos(ctx, k)
	if err != nil {
		return k, fmt.Errorf("post kudos: %w", err)
	}
	k.TS = ts
	if err := s.store.AddKudos(ctx, k); err != nil {
		return k, fmt.Errorf("keep kudos: %w", err)
	}
	return k, nil
}

// openPrompt returns d's most recent open prompt of habit h, or nil.
func (s *Service) openPrompt(ctx context.Context, d UserID, h Habit) (*Occurrence, error) {
	hist, err := s.store.History(ctx, d, h, s.clock.Now().Add(-openPromptWindow))
	if err != nil {
		return nil, fmt.Errorf("open prompt: %w", err)
	}
	for i := len(hist) - 1; i >= 0; i-- {
		if hist[i].Open() {
			o := hist[i]
			return &o, nil
		}
	}
	return nil, nil
}
