package slackapp

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/leancoach/leancoach/internal/coach"
)

// RefreshHome publishes u's App Home as it is now: when u opens it
// (app_home_opened), and after leave and language changes made from it.
// An answer does not refresh it: views.publish is rate limited (Tier 4, and
// per user), most directors never look at their Home between two answers,
// and opening it redraws it anyway.
func (s *Surfaces) RefreshHome(ctx context.Context, u coach.UserID) error {
	h, err := s.portal.Home(ctx, u)
	if err != nil {
		return fmt.Errorf("refresh home %s: %w", u, err)
	}
	view := HomeView(s.lang(ctx, u), h)
	if _, err := s.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: string(u), View: view}); err != nil {
		return fmt.Errorf("refresh home %s: views.publish: %w", u, err)
	}
	return nil
}

// refreshAfter refreshes u's home after a change; a failure is logged only,
// since the change itself succeeded and the next app_home_opened redraws.
func (s *Surfaces) refreshAfter(ctx context.Context, u coach.UserID) {
	if err := s.RefreshHome(ctx, u); err != nil {
		s.log.Warn().Err(err).Str("user_id", string(u)).Msg("home refresh failed")
	}
}

func (s *Surfaces) onHomeOpened(ctx context.Context, ev slackevents.EventsAPIEvent) error {
	in, ok := ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent)
	if !ok || in.User == "" {
		return nil
	}
	if in.Tab != "" && in.Tab != "home" {
		return nil // the Messages tab
	}
	if ev.TeamID != "" && coach.TeamID(ev.TeamID) != s.team {
		s.log.Warn().Str("team_id", ev.TeamID).Msg("app_home_opened from another team ignored")
		return nil
	}
	return s.RefreshHome(ctx, coach.UserID(in.User))
}

// fromUs checks that an interaction comes from our team; Slack asserts the
// user, so the user is who clicked.
func (s *Surfaces) fromUs(cb slack.InteractionCallback) error {
	if coach.TeamID(cb.Team.ID) != s.team {
		return coach.Errorf(coach.EFORBIDDEN, "access.err.other_team")
	}
	return nil
}

func (s *Surfaces) onPauseClick(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
	if err := s.fromUs(cb); err != nil {
		return err
	}
	u := coach.UserID(cb.User.ID)
	if act.Value != "1w" && act.Value != "2w" {
		return fmt.Errorf("pause click: unexpected value %q", act.Value)
	}
	if _, err := s.portal.Pause(ctx, u, []string{act.Value}); err != nil {
		return err
	}
	s.refreshAfter(ctx, u)
	return nil
}

func (s *Surfaces) onResumeClick(ctx context.Context, cb slack.InteractionCallback, _ slack.BlockAction) error {
	if err := s.fromUs(cb); err != nil {
		return err
	}
	u := coach.UserID(cb.User.ID)
	err := s.portal.Resume(ctx, u)
	if err != nil && coach.ErrorCode(err) != coach.ECONFLICT { // already back: just redraw
		return err
	}
	s.refreshAfter(ctx, u)
	return nil
}
