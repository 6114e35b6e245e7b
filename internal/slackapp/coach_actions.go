package slackapp

import (
	"context"
	"errors"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackio"
)

// The prompt buttons. Each records first (a RecordHandler: the Service,
// which checks the clicked key against the store and the acting user, in
// one write and one read) and returns how to show the result: the prompt
// replaced through the click's response_url, or a form opened. Refusals go
// back to the user ephemerally through the core (the response_url).

// onAnswer records the prompt as done at once, one click; the updated
// message then offers "Add a note". Only the compliment needs its text
// first: its button opens the compliment form, after checking that the
// clicker may answer the prompt, so nobody else even sees the form.
func (c *coachRoutes) onAnswer(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) (slackio.Followup, error) {
	if err := c.checkTeam(cb.Team.ID); err != nil {
		return nil, err
	}
	actor, key := coach.UserID(cb.User.ID), coach.OccurrenceKey(act.Value)
	a, err := c.clicks.Done(ctx, actor, key)
	if !errors.Is(err, coach.ErrComplimentFirst) {
		return c.shown(cb, a, err)
	}
	f, err := c.forms.ComplimentForm(ctx, actor, key)
	if err != nil {
		return nil, err
	}
	// Nothing is recorded until the form is submitted.
	open := c.formOpener(cb, act, f.Occurrence, "answer_modal", "prompt.err.form_not_opened", f.Lang)
	return func(ctx context.Context) error {
		leaders := c.named(ctx, f.Leaders)
		info := ModalInfo{Leaders: leaders, Leader: f.Leader, KudosChannel: f.KudosChannel}
		return open(ctx, RenderAnswerModal(f.Lang, f.Occurrence, info))
	}, nil
}

// named fills in the names the profile cache did not have, from Slack,
// within nameLookupBudget (a click's trigger waits for the form).
func (c *coachRoutes) named(ctx context.Context, ps []coach.Person) []coach.Person {
	ctx, cancel := context.WithTimeout(ctx, nameLookupBudget)
	defer cancel()
	out := make([]coach.Person, len(ps))
	for i, p := range ps {
		out[i] = p
		if p.Name != "" {
			continue
		}
		if prof, err := c.names.Profile(ctx, p.ID); err == nil {
			out[i].Name = prof.Name
		}
	}
	return out
}

// onNote opens the form of a done answer's private note, after checking
// that the clicker may add one.
func (c *coachRoutes) onNote(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) (slackio.Followup, error) {
	if err := c.checkTeam(cb.Team.ID); err != nil {
		return nil, err
	}
	f, err := c.forms.NoteForm(ctx, coach.UserID(cb.User.ID), coach.OccurrenceKey(act.Value))
	if err != nil {
		return nil, err
	}
	// The answer is recorded already; only the note waits for the form.
	open := c.formOpener(cb, act, f.Occurrence, "note_modal", "prompt.err.note_form_not_opened", f.Lang)
	view := RenderAnswerModal(f.Lang, f.Occurrence, ModalInfo{})
	return func(ctx context.Context) error { return open(ctx, view) }, nil
}

func (c *coachRoutes) onNotToday(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) (slackio.Followup, error) {
	if err := c.checkTeam(cb.Team.ID); err != nil {
		return nil, err
	}
	a, err := c.clicks.Answer(ctx, coach.UserID(cb.User.ID), coach.OccurrenceKey(act.Value), coach.AnswerInput{Outcome: coach.NotToday})
	return c.shown(cb, a, err)
}

func (c *coachRoutes) onSnooze(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) (slackio.Followup, error) {
	if err := c.checkTeam(cb.Team.ID); err != nil {
		return nil, err
	}
	choice, key, ok := ParseSnoozeValue(act.SelectedOption.Value)
	if !ok {
		return nil, coach.Errorf(coach.EINVALID, "svc.err.bad_snooze")
	}
	a, err := c.clicks.Snooze(ctx, coach.UserID(cb.User.ID), key, choice)
	return c.shown(cb, a, err)
}

func (c *coachRoutes) onAnother(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) (slackio.Followup, error) {
	if err := c.checkTeam(cb.Team.ID); err != nil {
		return nil, err
	}
	a, err := c.clicks.AnotherQuestion(ctx, coach.UserID(cb.User.ID), coach.OccurrenceKey(act.Value))
	return c.shown(cb, a, err)
}

// shown is the Followup that shows a anew through the click's
// response_url. A refusal (nothing written) is returned to be told; a
// failure after the write (reading what shows it) is logged, and a shown
// with what the Service could give.
func (c *coachRoutes) shown(cb slack.InteractionCallback, a coach.Answered, err error) (slackio.Followup, error) {
	if err != nil {
		if a.Key == "" || coach.ErrorCode(err) != coach.EINTERNAL {
			return nil, err
		}
		c.log.Error().Err(err).Str("occ", string(a.Key)).Msg("recorded; showing it with what could be read")
	}
	url := responseURLOf(cb)
	return func(ctx context.Context) error { return c.show.show(ctx, url, a) }, nil
}
