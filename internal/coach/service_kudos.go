package coach

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/leancoach/leancoach/internal/i18n"
)

// openPromptWindow is how far back /coach kudos looks for an open compliment
// prompt to answer.
const openPromptWindow = 14 * 24 * time.Hour

// KudosResult tells what /coach kudos did.
type KudosResult struct {
	Kudos    Kudos
	Answered *Answered // the open compliment prompt it answered, if any, to show anew
}

// GiveKudos posts a public compliment from actor to leader in the kudos
// channel. If actor has an open compliment prompt, the compliment answers it
// (recorded durably first, exactly as if the prompt's modal had been used) so
// it counts for the habit. A director compliments their own Lean leaders; an
// admin who directs no one, any Lean leader (see mayCompliment).
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
	if err := s.mayCompliment(ctx, actor, leader); err != nil {
		return KudosResult{}, err
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
		a, err := s.Answer(ctx, actor, open.Key, AnswerInput{Outcome: Done, Leader: leader, Text: text})
		if err == nil || a.Answer != nil {
			a, perr := s.PublishKudos(ctx, a)
			if err = errors.Join(err, perr); err != nil {
				return KudosResult{Answered: &a}, err // recorded; a later step failed
			}
			return KudosResult{Kudos: *a.Kudos, Answered: &a}, nil
		}
		if ErrorCode(err) != ECONFLICT {
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
	return s.openPromptWithin(ctx, d, h, openPromptWindow)
}

// openPromptWithin returns d's most recent open prompt of habit h sent in
// the last window, or nil.
func (s *Service) openPromptWithin(ctx context.Context, d UserID, h Habit, window time.Duration) (*Occurrence, error) {
	hist, err := s.store.History(ctx, d, h, s.clock.Now().Add(-window))
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

// mayCompliment checks that actor may compliment leader in public: a
// director only their own Lean leaders (EINVALID naming them otherwise), an
// admin who directs no one any Lean leader of a director, nobody else
// (EFORBIDDEN). A compliment for someone else would tell the whole channel
// that a director coaches a person they don't.
func (s *Service) mayCompliment(ctx context.Context, actor, leader UserID) error {
	d, err := s.store.Director(ctx, actor)
	switch {
	case err == nil:
		if slices.Contains(d.Leaders, leader) {
			return nil
		}
		if len(d.Leaders) == 0 {
			return Errorf(EINVALID, "svc.err.no_leaders")
		}
		return Errorf(EINVALID, "svc.err.not_your_leader", mention(leader), mentionList(d.Leaders))
	case ErrorCode(err) != ENOTFOUND:
		return fmt.Errorf("kudos: %w", err)
	case !s.IsAdmin(ctx, actor):
		return notDirector(ctx, s.store, s.isAdmin, actor, EFORBIDDEN, "svc.err.directors_only")
	}
	ds, err := s.store.Directors(ctx)
	if err != nil {
		return fmt.Errorf("kudos: %w", err)
	}
	for _, d := range ds {
		if slices.Contains(d.Leaders, leader) {
			return nil
		}
	}
	return Errorf(EINVALID, "svc.err.not_a_leader", mention(leader))
}

// Person is a user and the name to show for them in a list to pick from.
type Person struct {
	ID   UserID
	Name string // "" when Slack could not say
}

// mentionList names us as a list in the reader's language.
func mentionList(us []UserID) any {
	switch len(us) {
	case 0:
		return ""
	case 1:
		return mention(us[0])
	}
	return i18n.M("cmd.list.and", Names(us[:len(us)-1]), mention(us[len(us)-1]))
}
