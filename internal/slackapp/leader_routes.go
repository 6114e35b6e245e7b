package slackapp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
)

// LeaderDeps wires LeaderForms. Leaders, Slack, LangOf and Team are
// required.
type LeaderDeps struct {
	Leaders *coach.LeaderService
	Slack   PathAPI
	LangOf  func(ctx context.Context, u coach.UserID) i18n.Lang
	Team    coach.TeamID // payloads from any other team are refused
	// RefreshHome, if set, republishes a user's App Home: the Lean
	// leader's and the director's after a comment changed.
	RefreshHome func(ctx context.Context, u coach.UserID) error
	Logger      zerolog.Logger
	// Now is the clock a trigger_id lives by: Slack's, the wall clock (the
	// default), not the bot's.
	Now func() time.Time
}

// LeaderForms is the Slack side of the Lean leader's use cases:
// `/coach checkin on|off`, and the comment form opened from the Lean
// leader's App Home with its "Delete" buttons.
type LeaderForms struct {
	leaders *coach.LeaderService
	api     PathAPI
	langOf  func(ctx context.Context, u coach.UserID) i18n.Lang
	team    coach.TeamID
	refresh func(ctx context.Context, u coach.UserID) error
	log     zerolog.Logger
	opener  viewOpener
}

// NewLeaderForms returns LeaderForms; it fails when a required field is
// missing.
func NewLeaderForms(d LeaderDeps) (*LeaderForms, error) {
	switch {
	case d.Leaders == nil:
		return nil, errors.New("new leader forms: no leader service")
	case d.Slack == nil:
		return nil, errors.New("new leader forms: no slack client")
	case d.LangOf == nil:
		return nil, errors.New("new leader forms: no language lookup")
	case d.Team == "":
		return nil, errors.New("new leader forms: no team")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	log := d.Logger.With().Str("component", "leader").Logger()
	return &LeaderForms{leaders: d.Leaders, api: d.Slack, langOf: d.LangOf, team: d.Team, refresh: d.RefreshHome,
		log: log, opener: viewOpener{api: d.Slack, now: d.Now, log: log}}, nil
}

// Register routes `/coach checkin` (and its aliases), the Home's comment
// buttons and the comment form.
func (l *LeaderForms) Register(r *slackio.Router) {
	for _, w := range []string{"checkin", "check-in", "checkins"} {
		r.Subcommand("/coach", w, l.command)
	}
	r.Action(ActionCommentAdd, l.onAddClick)
	r.Action(ActionCommentDelete, l.onDeleteClick)
	r.View(ViewComment, slackio.ViewHandler{Validate: l.validateComment, Handle: l.onCommentForm})
}

// command answers `/coach checkin`, `/coach checkin on` and `/coach
// checkin off`.
func (l *LeaderForms) command(ctx context.Context, cmd slack.SlashCommand) (slackio.Reply, error) {
	if coach.TeamID(cmd.TeamID) != l.team {
		return slackio.Reply{}, coach.Errorf(coach.EFORBIDDEN, "access.err.other_team")
	}
	c, err := ParseCheckInCommand(cmd.Text)
	if err != nil {
		return slackio.Reply{}, err
	}
	actor := coach.UserID(cmd.UserID)
	lang := l.langOf(ctx, actor)
	if !c.Set {
		on, err := l.leaders.CheckIns(ctx, actor)
		if err != nil {
			return slackio.Reply{}, err
		}
		return CheckInReply(lang, on, false), nil
	}
	changed, err := l.leaders.SetCheckIns(ctx, actor, c.On)
	if err != nil {
		return slackio.Reply{}, err
	}
	if changed {
		l.refreshHome(ctx, actor)
	}
	return CheckInReply(lang, c.On, changed), nil
}

// onAddClick opens the comment form from the Home's "Add a comment". The
// service decides on submit; here the director must lead the clicker now,
// so that a Home drawn before a change opens nothing. A refusal is told in
// the clicker's DM (the Home has no reply URL).
func (l *LeaderForms) onAddClick(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
	if coach.TeamID(cb.Team.ID) != l.team {
		return coach.Errorf(coach.EFORBIDDEN, "access.err.other_team")
	}
	director, ok := coach.ParseUserID(act.Value)
	if !ok {
		return fmt.Errorf("comment click: unexpected value %q", act.Value)
	}
	actor := coach.UserID(cb.User.ID)
	lang := l.langOf(ctx, actor)
	if _, err := l.leaders.CheckInContext(ctx, actor, director, l.leaders.Month(ctx, actor)); err != nil {
		l.tell(ctx, actor, ErrorText(lang, err))
		return err
	}
	if err := l.opener.open(ctx, act.ActionTs, cb.TriggerID, CommentFormView(lang, director)); err != nil {
		l.log.Warn().Err(err).Msg("comment form did not open")
		l.tell(ctx, actor, lang.T("leader.err.form_not_opened"))
		return fmt.Errorf("%w (%w)", coach.Errorf(coach.ECONFLICT, "leader.err.form_not_opened"), err)
	}
	return nil
}

// onDeleteClick deletes one of the clicker's comments from their Home.
func (l *LeaderForms) onDeleteClick(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
	if coach.TeamID(cb.Team.ID) != l.team {
		return coach.Errorf(coach.EFORBIDDEN, "access.err.other_team")
	}
	d, id, ok := strings.Cut(act.Value, "|")
	director, okD := coach.ParseUserID(d)
	if !ok || !okD {
		return fmt.Errorf("comment delete: unexpected value %q", act.Value)
	}
	actor := coach.UserID(cb.User.ID)
	if err := l.leaders.DeleteComment(ctx, actor, director, id); err != nil {
		l.tell(ctx, actor, ErrorText(l.langOf(ctx, actor), err))
		return err
	}
	l.refreshHome(ctx, actor)
	l.refreshHome(ctx, director)
	return nil
}

// validateComment runs before the ack: an empty or too long comment keeps
// the form open. A submission that is not one of ours is left to
// onCommentForm, which refuses it.
func (l *LeaderForms) validateComment(cb slack.InteractionCallback) map[string]string {
	_, _, errs, err := CheckCommentForm(cb)
	if err != nil {
		return nil
	}
	return errs
}

// onCommentForm stores a submitted comment. The form has closed by now,
// so a refusal (the director no longer leads the Lean leader) is told in
// their DM; a comment saved redraws both people's Home.
func (l *LeaderForms) onCommentForm(ctx context.Context, cb slack.InteractionCallback) error {
	if coach.TeamID(cb.Team.ID) != l.team {
		return coach.Errorf(coach.EFORBIDDEN, "access.err.other_team")
	}
	actor := coach.UserID(cb.User.ID)
	lang := l.langOf(ctx, actor)
	m, text, _, err := CheckCommentForm(cb)
	if err != nil {
		l.tell(ctx, actor, lang.T("leader.comment.form_gone"))
		return fmt.Errorf("comment form: %w", err)
	}
	if _, err := l.leaders.AddComment(ctx, actor, m.Director, text); err != nil {
		l.tell(ctx, actor, ErrorText(lang, err))
		return err
	}
	l.refreshHome(ctx, actor)
	l.refreshHome(ctx, m.Director)
	return nil
}

// refreshHome republishes u's App Home; a failure is logged only, since
// the change happened and the next visit redraws it.
func (l *LeaderForms) refreshHome(ctx context.Context, u coach.UserID) {
	if l.refresh == nil {
		return
	}
	if err := l.refresh(ctx, u); err != nil {
		l.log.Warn().Err(err).Str("user_id", string(u)).Msg("home refresh after a Lean leader's change failed")
	}
}

// tell shows text to actor ephemerally in their DM with the bot. A
// failure is logged only.
func (l *LeaderForms) tell(ctx context.Context, actor coach.UserID, text string) {
	if err := tellEphemeral(ctx, l.api, actor, "", text); err != nil {
		l.log.Warn().Err(err).Str("user_id", string(actor)).Msg("telling a Lean leader failed")
	}
}
