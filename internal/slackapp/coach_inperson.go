package slackapp

import (
	"context"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackio"
)

// onInPerson records a compliment prompt as given in person: done, with
// no public post; the updated message offers "Add a note" for what was
// said.
func (c *coachRoutes) onInPerson(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) (slackio.Followup, error) {
	if err := c.checkTeam(cb.Team.ID); err != nil {
		return nil, err
	}
	a, err := c.clicks.InPerson(ctx, coach.UserID(cb.User.ID), coach.OccurrenceKey(act.Value))
	return c.shown(cb, a, err)
}
