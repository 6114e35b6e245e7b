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

// onAnswer opens the habit's answer modal, after checking that the clicker
// may answer the prompt, so nobody else even sees the form.
func (c *coachRoutes) onAnswer(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
	if err := c.checkTeam(cb.Team.ID); err != nil {
		return err
	}
	actor := coach.UserID(cb.User.ID)
	o, err := c.svc.Prompt(ctx, actor, coach.OccurrenceKey(act.Value))
	if err != nil {
		return err
	}
	info := ModalInfo{}
	if o.Habit == coach.Compliment {
		leaders, err := c.svc.ComplimentLeaders(ctx, actor)
		if err != nil {
			return err
		}
		info.Leaders, info.Leader = leaders, leaders[0].ID
		if ch, err := c.store.Setting(ctx, coach.SettingKudosChannel); err == nil {
			info.KudosChannel = coach.ChannelID(ch)
		}
	}
	view := RenderAnswerModal(c.langOf(ctx, actor), o, info)
	err = c.openView(ctx, act.ActionTs, cb.TriggerID, view)
	if err == nil {
		return nil
	}
	if c.token.Observe("views.open", err) != nil {
		return fmt.Errorf("open answer modal %s: %w", o.Key, err) // the bot stops
	}
	// Nothing is recorded until the form is submitted: say so, and that
	// another click (a fresh trigger) will do. Only when even that cannot
	// be said does the failure go to the edge (the generic apology).
	reason := failureReason(err)
	c.metrics.InteractionFailed("answer_modal", reason)
	if terr := c.tellFormNotOpened(ctx, actor, o, cb.Channel.ID); terr != nil {
		return fmt.Errorf("open answer modal %s: %w (%w)", o.Key, err, terr)
	}
	c.log.Warn().Err(err).Str("occ", string(o.Key)).Str("user_id", string(actor)).Str("reason", reason).
		Msg("answer modal not opened; told the director to click again")
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
