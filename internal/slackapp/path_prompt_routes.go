package slackapp

import (
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackio"
)

// PathPrompts is what the path prompt's buttons need of the prompts:
// whether the clicker may answer it (Prompt), recording it done once a
// form opened from it is submitted (Done), and the director's open one a
// review from the App Home answers (OpenPathPrompt). *coach.Service has
// them.
type PathPrompts interface {
	Prompt(ctx context.Context, actor coach.UserID, key coach.OccurrenceKey) (coach.Occurrence, error)
	Done(ctx context.Context, actor coach.UserID, key coach.OccurrenceKey) (coach.Answered, error)
	OpenPathPrompt(ctx context.Context, actor coach.UserID) (coach.OccurrenceKey, error)
}

// ServePrompts makes the monthly path prompt's buttons work: prompts
// checks who may answer the prompt and records it done when a form opened
// from it is submitted; updates (if not nil) shows it anew. Call it before
// Register; without it the buttons are not routed.
func (p *PathForms) ServePrompts(prompts PathPrompts, updates *PromptUpdates) {
	p.prompts, p.updates = prompts, updates
}

// registerPrompt routes the path prompt's buttons, once ServePrompts set
// what they need.
func (p *PathForms) registerPrompt(r *slackio.Router) {
	if p.prompts == nil {
		return
	}
	for _, o := range coach.ReviewOutcomes() {
		r.Action(PathPromptAction(o), p.onPromptReview)
	}
	r.Action(ActionPathPromptSet, p.onPromptSet)
}

// onPromptReview opens the review form from a path prompt's "Handed
// over", "Partly" or "Not yet", with that outcome chosen.
func (p *PathForms) onPromptReview(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
	outcome := coach.ReviewOutcome(strings.TrimPrefix(act.ActionID, actionPathPromptPrefix))
	return p.onPromptClick(ctx, cb, act, func(t Trigger, director, leader coach.UserID) error {
		return p.OpenReviewForm(ctx, t, director, leader, outcome)
	})
}

// onPromptSet opens the path form from a path prompt's "Set a path".
func (p *PathForms) onPromptSet(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
	return p.onPromptClick(ctx, cb, act, func(t Trigger, director, leader coach.UserID) error {
		return p.OpenPathForm(ctx, t, director, leader)
	})
}

// onPromptClick checks a path prompt button's claim (the clicker's own
// path prompt, still open) and runs open with a Trigger that carries the
// prompt, so that the form's submission records it done. A refusal is told
// ephemerally in the DM.
func (p *PathForms) onPromptClick(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction,
	open func(t Trigger, director, leader coach.UserID) error) error {
	if coach.TeamID(cb.Team.ID) != p.team {
		return coach.Errorf(coach.EFORBIDDEN, "access.err.other_team")
	}
	leader, key, ok := ParsePathPromptValue(act.Value)
	if !ok {
		return fmt.Errorf("path prompt click: unexpected value %q", act.Value)
	}
	actor := coach.UserID(cb.User.ID)
	ch, _ := coach.ParseChannelID(cb.Channel.ID)
	err := p.checkPrompt(ctx, actor, key)
	if err == nil {
		err = open(Trigger{ID: cb.TriggerID, ActionTS: act.ActionTs, Channel: ch, Prompt: key}, actor, leader)
	}
	if err != nil {
		p.tell(ctx, actor, ch, p.langOf(ctx, actor).Render(coach.ErrorMessage(err)))
	}
	return err
}

// checkPrompt checks that actor may answer path prompt key now.
func (p *PathForms) checkPrompt(ctx context.Context, actor coach.UserID, key coach.OccurrenceKey) error {
	o, err := p.prompts.Prompt(ctx, actor, key)
	if err != nil {
		return err
	}
	if o.Habit != coach.PathReview {
		return coach.Errorf(coach.EINVALID, "svc.err.prompt_not_found")
	}
	return nil
}

// openPrompt returns actor's open path prompt, "" when there is none or
// when it cannot be read (the review is saved either way; only the prompt
// stays open).
func (p *PathForms) openPrompt(ctx context.Context, actor coach.UserID) coach.OccurrenceKey {
	if p.prompts == nil {
		return ""
	}
	key, err := p.prompts.OpenPathPrompt(ctx, actor)
	if err != nil {
		p.log.Warn().Err(err).Str("user_id", string(actor)).Msg("open path prompt not read after a review")
	}
	return key
}

// promptDone records the path prompt a submitted form was opened from as
// done, and shows it anew. A prompt answered already (a second Lean
// leader's review from the same prompt) or closed meanwhile stays as it
// is: the review is saved either way.
func (p *PathForms) promptDone(ctx context.Context, actor coach.UserID, key coach.OccurrenceKey) {
	if key == "" || p.prompts == nil {
		return
	}
	a, err := p.prompts.Done(ctx, actor, key)
	switch code := coach.ErrorCode(err); {
	case err == nil:
	case code != coach.EINTERNAL:
		return
	case a.Key == "":
		p.log.Error().Err(err).Str("occ", string(key)).Msg("path prompt not recorded after its form")
		return
	}
	if p.updates == nil {
		return
	}
	if err := p.updates.Show(ctx, a); err != nil {
		p.log.Warn().Err(err).Str("occ", string(key)).Msg("path prompt recorded, not shown anew")
	}
}
