package slackapp

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackio"
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
// onto its answer, and returns how to show it: a compliment's kudos posted,
// then the prompt replaced through the response_url of the click that
// opened the form (a submission has none of its own), or with chat.update.
// The modal has closed by now (the ack), so a refusal (not your prompt,
// already recorded) is told to the user ephemerally, in the prompt's DM.
func (c *coachRoutes) onAnswerModal(ctx context.Context, cb slack.InteractionCallback) (slackio.Followup, error) {
	if err := c.checkTeam(cb.Team.ID); err != nil {
		return nil, err
	}
	ans, errs, err := ReadAnswerModal(cb)
	if err != nil {
		return nil, fmt.Errorf("answer modal: %w", err)
	}
	if errs != nil { // Validate keeps such a modal open: cannot happen
		return nil, fmt.Errorf("answer modal %s: invalid input after validation", ans.Meta.Key)
	}
	actor, meta := coach.UserID(cb.User.ID), ans.Meta
	var a coach.Answered
	if cb.View.CallbackID == ViewCompliment {
		a, err = c.clicks.Answer(ctx, actor, meta.Key, ans.In)
	} else {
		in := ans.In
		a, err = c.forms.AddNote(ctx, actor, meta.Key, coach.NoteInput{Note: in.Note, Observation: in.Observation, FeedbackGiven: in.FeedbackGiven, Asked: in.Asked})
	}
	url := c.opened.take(meta.Key, actor)
	if err != nil && (a.Key == "" || coach.ErrorCode(err) != coach.EINTERNAL) {
		// Refused: nothing recorded. Told in the prompt; logged by the core.
		return func(ctx context.Context) error {
			c.tellInPrompt(ctx, actor, meta, url, err)
			return nil
		}, err
	}
	if err != nil {
		c.log.Error().Err(err).Str("occ", string(a.Key)).Msg("recorded; showing it with what could be read")
	}
	return func(ctx context.Context) error {
		var perr error
		if a.Kudos != nil {
			a, perr = c.forms.PublishKudos(ctx, a)
		}
		err := c.show.show(ctx, url, a)
		if perr != nil {
			// Recorded; the post failed. A reason the user can act on (the
			// bot not in the channel) is told; the rest is logged.
			if coach.ErrorCode(perr) != coach.EINTERNAL {
				c.tellInPrompt(ctx, actor, meta, "", perr)
			}
			c.log.Warn().Err(perr).Str("occ", string(a.Key)).Msg("compliment recorded, kudos not posted")
		}
		return err
	}, nil
}

// tellInPrompt shows err's user-safe message to actor, ephemerally: through
// url (the response_url of the click that opened the form) when there is
// one, else in the DM of the prompt the form was for (its metadata).
func (c *coachRoutes) tellInPrompt(ctx context.Context, actor coach.UserID, meta ModalMeta, url string, err error) {
	text := ErrorText(meta.Lang, err)
	if terr := c.tellEphemeral(ctx, actor, url, meta.Channel, text); terr != nil {
		c.log.Warn().Err(terr).Str("user_id", string(actor)).Msg("tell answer failure")
	}
}
