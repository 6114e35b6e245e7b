package slackapp

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
)

// validateAnswerModal runs before the ack: input errors keep the modal open
// with the message beside the field. A payload that is not one of our modals
// at all is left to onAnswerModal, which refuses it.
func validateAnswerModal(cb slack.InteractionCallback) map[string]string {
	_, errs, err := ReadAnswerModal(cb)
	if err != nil {
		return nil
	}
	return errs
}

// onAnswerModal records a submitted compliment, or saves a submitted note
// onto its answer. The modal has closed by now (the ack), so a refusal (not
// your prompt, already recorded) is told to the user ephemerally in the
// prompt's DM.
func (c *coachRoutes) onAnswerModal(ctx context.Context, cb slack.InteractionCallback) error {
	if err := c.checkTeam(cb.Team.ID); err != nil {
		return err
	}
	ans, errs, err := ReadAnswerModal(cb)
	if err != nil {
		return fmt.Errorf("answer modal: %w", err)
	}
	if errs != nil { // Validate keeps such a modal open: cannot happen
		return fmt.Errorf("answer modal %s: invalid input after validation", ans.Meta.Key)
	}
	actor := coach.UserID(cb.User.ID)
	var o coach.Occurrence
	if cb.View.CallbackID == ViewCompliment {
		o, err = c.svc.Answer(ctx, actor, ans.Meta.Key, ans.In)
	} else {
		in := ans.In
		o, err = c.svc.AddNote(ctx, actor, ans.Meta.Key, coach.NoteInput{Note: in.Note, Observation: in.Observation, FeedbackGiven: in.FeedbackGiven, Asked: in.Asked})
	}
	// Tell refusals; after a recorded answer, also a later step that failed
	// for a reason the user can act on (the bot not being in the kudos
	// channel). Internal failures after recording are only logged: the
	// answer is safe and the message says so.
	if err != nil && (o.Answer == nil || coach.ErrorCode(err) != coach.EINTERNAL) {
		c.tellInPrompt(ctx, actor, ans.Meta.Key, err)
	}
	return err
}

// tellInPrompt shows err's user-safe message to actor, ephemerally, in the
// DM of the prompt key, if that prompt is actor's own.
func (c *coachRoutes) tellInPrompt(ctx context.Context, actor coach.UserID, key coach.OccurrenceKey, err error) {
	o, oerr := c.store.Occurrence(ctx, key)
	if oerr != nil || o.Director != actor || o.Channel == "" {
		return
	}
	text := c.langOf(ctx, actor).Render(coach.ErrorMessage(err))
	if _, perr := c.api.PostEphemeralContext(ctx, string(o.Channel), string(actor), slack.MsgOptionText(text, false)); perr != nil {
		c.log.Warn().Err(perr).Str("user_id", string(actor)).Msg("tell answer failure")
	}
}
