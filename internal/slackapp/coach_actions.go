package slackapp

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
)

// The prompt buttons. Each handler passes the clicked key to the Service,
// which checks it against the store and the acting user; errors go back to
// the user ephemerally through the core (the payload's response_url).

// onAnswer records the prompt as done at once, one click; the updated
// message then offers "Add a note". Only the compliment needs its text
// first: its button opens the compliment form, after checking that the
// clicker may answer the prompt, so nobody else even sees the form.
func (c *coachRoutes) onAnswer(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
	if err := c.checkTeam(cb.Team.ID); err != nil {
		return err
	}
	actor := coach.UserID(cb.User.ID)
	o, err := c.svc.Prompt(ctx, actor, coach.OccurrenceKey(act.Value))
	if err != nil {
		return err
	}
	if o.Habit != coach.Compliment {
		_, err := c.svc.Answer(ctx, actor, o.Key, coach.AnswerInput{Outcome: coach.Done})
		return err
	}
	leaders, err := c.svc.ComplimentLeaders(ctx, actor)
	if err != nil {
		return err
	}
	info := ModalInfo{Leaders: leaders, Leader: leaders[0].ID}
	if ch, err := c.store.Setting(ctx, coach.SettingKudosChannel); err == nil {
		info.KudosChannel = coach.ChannelID(ch)
	}
	// Nothing is recorded until the form is submitted.
	return c.openForm(ctx, cb, act, o, RenderAnswerModal(c.langOf(ctx, actor), o, info), "answer_modal", "prompt.err.form_not_opened")
}

// onNote opens the form of a done answer's private note, after checking
// that the clicker may add one.
func (c *coachRoutes) onNote(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
	if err := c.checkTeam(cb.Team.ID); err != nil {
		return err
	}
	actor := coach.UserID(cb.User.ID)
	o, err := c.svc.NotePrompt(ctx, actor, coach.OccurrenceKey(act.Value))
	if err != nil {
		return err
	}
	// The answer is recorded already; only the note waits for the form.
	return c.openForm(ctx, cb, act, o, RenderAnswerModal(c.langOf(ctx, actor), o, ModalInfo{}), "note_modal", "prompt.err.note_form_not_opened")
}

// openForm opens view, the form of prompt o, with the click's trigger. When
// it does not open, the clicker is told what failed (the catalog text
// notOpened) and that another click (a fresh trigger) will do; only when
// even that cannot be said does the failure go to the edge (the generic
// apology). what names the form in the metrics.
func (c *coachRoutes) openForm(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction, o coach.Occurrence, view slack.ModalViewRequest, what, notOpened string) error {
	actor := coach.UserID(cb.User.ID)
	err := c.openView(ctx, act.ActionTs, cb.TriggerID, view)
	if err == nil {
		return nil
	}
	if c.token.Observe("views.open", err) != nil {
		return fmt.Errorf("open %s %s: %w", what, o.Key, err) // the bot stops
	}
	reason := failureReason(err)
	c.metrics.InteractionFailed(what, reason)
	if terr := c.tellFormNotOpened(ctx, actor, o, cb.Channel.ID, notOpened); terr != nil {
		return fmt.Errorf("open %s %s: %w (%w)", what, o.Key, err, terr)
	}
	c.log.Warn().Err(err).Str("occ", string(o.Key)).Str("user_id", string(actor)).Str("reason", reason).Str("form", what).
		Msg("form not opened; told the director to click again")
	return nil
}

func (c *coachRoutes) onNotToday(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
	if err := c.checkTeam(cb.Team.ID); err != nil {
		return err
	}
	_, err := c.svc.Answer(ctx, coach.UserID(cb.User.ID), coach.OccurrenceKey(act.Value), coach.AnswerInput{Outcome: coach.NotToday})
	return err
}

func (c *coachRoutes) onSnooze(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
	if err := c.checkTeam(cb.Team.ID); err != nil {
		return err
	}
	choice, key, ok := ParseSnoozeValue(act.SelectedOption.Value)
	if !ok {
		return coach.Errorf(coach.EINVALID, "svc.err.bad_snooze")
	}
	_, err := c.svc.Snooze(ctx, coach.UserID(cb.User.ID), key, choice)
	return err
}

func (c *coachRoutes) onAnother(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
	if err := c.checkTeam(cb.Team.ID); err != nil {
		return err
	}
	_, err := c.svc.AnotherQuestion(ctx, coach.UserID(cb.User.ID), coach.OccurrenceKey(act.Value))
	return err
}
