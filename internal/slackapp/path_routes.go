package slackapp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
)

// PathAPI is the part of the Slack Web API the path's surfaces use;
// *slack.Client has it.
type PathAPI interface {
	OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
	OpenConversationContext(ctx context.Context, params *slack.OpenConversationParameters) (*slack.Channel, bool, bool, error)
}

// PathDeps wires PathForms. Paths, Slack, LangOf, Team and Clock are
// required.
type PathDeps struct {
	Paths  *coach.PathService
	Slack  PathAPI
	LangOf func(ctx context.Context, u coach.UserID) i18n.Lang
	Team   coach.TeamID // payloads from any other team are refused
	// Clock is the bot's: the day a form's dates are checked against.
	Clock coach.Clock
	// RefreshHome, if set, republishes a director's App Home after a change
	// to one of their paths.
	RefreshHome func(ctx context.Context, u coach.UserID) error
	Logger      zerolog.Logger
	// Now is the clock a trigger_id lives by: Slack's, the wall clock (the
	// default), not the bot's.
	Now func() time.Time
}

// PathForms is the Slack side of the delegation path: `/coach path`, the
// path form, the review form, and the App Home card's buttons.
type PathForms struct {
	paths   *coach.PathService
	api     PathAPI
	langOf  func(ctx context.Context, u coach.UserID) i18n.Lang
	team    coach.TeamID
	clock   coach.Clock
	refresh func(ctx context.Context, u coach.UserID) error
	log     zerolog.Logger
	opener  viewOpener
	prompts PathPrompts
	updates *PromptUpdates

	zones sync.Map // zone name -> *time.Location, only names that loaded
}

// NewPathForms returns PathForms; it fails when a required field is missing.
func NewPathForms(d PathDeps) (*PathForms, error) {
	switch {
	case d.Paths == nil:
		return nil, errors.New("new path forms: no path service")
	case d.Slack == nil:
		return nil, errors.New("new path forms: no slack client")
	case d.LangOf == nil:
		return nil, errors.New("new path forms: no language lookup")
	case d.Team == "":
		return nil, errors.New("new path forms: no team")
	case d.Clock == nil:
		return nil, errors.New("new path forms: no clock")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	log := d.Logger.With().Str("component", "path").Logger()
	return &PathForms{paths: d.Paths, api: d.Slack, langOf: d.LangOf, team: d.Team, clock: d.Clock,
		refresh: d.RefreshHome, log: log, opener: viewOpener{api: d.Slack, now: d.Now, log: log}}, nil
}

// Register routes `/coach path` (and `/coach paths`), the Home card's
// buttons and the two forms.
func (p *PathForms) Register(r *slackio.Router) {
	r.Subcommand("/coach", "path", p.command)
	r.Subcommand("/coach", "paths", p.command)
	r.Action(ActionPathEdit, p.onEditClick)
	p.registerPrompt(r) // the path prompt's buttons
	r.Action(ActionPathReview, p.onReviewClick)
	r.View(ViewPathForm, slackio.ViewHandler{Validate: p.validatePathForm, Handle: p.onPathForm})
	r.View(ViewPathReview, slackio.ViewHandler{Validate: p.validateReviewForm, Handle: p.onReviewForm})
}

// Trigger is what opens a form: a click's or a slash command's trigger_id,
// the click's action_ts ("" for a slash command), the channel it came
// from ("" for the App Home), where the outcome of the form is told, and
// the path prompt it came from ("" for none), which the form's submission
// records done.
type Trigger struct {
	ID       string
	ActionTS string
	Channel  coach.ChannelID
	Prompt   coach.OccurrenceKey
}

// OpenPathForm opens the path form of director with leader, prefilled with
// their path. Who may is PathService's to say: the error of a refusal, or
// of a form that did not open, carries a message for the director.
func (p *PathForms) OpenPathForm(ctx context.Context, t Trigger, director, leader coach.UserID) error {
	v, err := p.paths.Path(ctx, director, coach.Pair{Director: director, Leader: leader})
	if err != nil {
		return err
	}
	lang := p.langOf(ctx, director)
	m := NewPathMeta(v, lang, t.Channel)
	m.Prompt = t.Prompt
	return p.open(ctx, t, PathFormView(lang, v, m))
}

// OpenReviewForm opens the review form of director's path with leader,
// with outcome preselected ("" for none): from the App Home's "Review
// now", and from the monthly review prompt's one-click answers. Errors are
// as for OpenPathForm; without a path it is ENOTFOUND, saying how to set
// one.
func (p *PathForms) OpenReviewForm(ctx context.Context, t Trigger, director, leader coach.UserID, outcome coach.ReviewOutcome) error {
	v, err := p.paths.Path(ctx, director, coach.Pair{Director: director, Leader: leader})
	if err != nil {
		return err
	}
	if v.Path == nil {
		return coach.Errorf(coach.ENOTFOUND, "path.err.no_path", mentionOf(leader))
	}
	if !outcome.Valid() {
		outcome = ""
	}
	lang := p.langOf(ctx, director)
	m := NewPathMeta(v, lang, t.Channel)
	m.Prompt = t.Prompt
	return p.open(ctx, t, ReviewFormView(lang, v, outcome, m))
}

// open opens view with t; a failure is a user-safe error, the cause
// logged.
func (p *PathForms) open(ctx context.Context, t Trigger, view slack.ModalViewRequest) error {
	if err := p.opener.open(ctx, t.ActionTS, t.ID, view); err != nil {
		p.log.Warn().Err(err).Str("callback_id", view.CallbackID).Msg("path form did not open")
		return fmt.Errorf("%w (%w)", coach.Errorf(coach.ECONFLICT, "path.err.form_not_opened"), err)
	}
	return nil
}

// command answers `/coach path`: the list of the director's paths, or,
// with a Lean leader named, the path form.
func (p *PathForms) command(ctx context.Context, cmd slack.SlashCommand) (slackio.Reply, error) {
	if coach.TeamID(cmd.TeamID) != p.team {
		return slackio.Reply{}, coach.Errorf(coach.EFORBIDDEN, "access.err.other_team")
	}
	pc, err := ParsePathCommand(cmd.Text)
	if err != nil {
		return slackio.Reply{}, err
	}
	actor := coach.UserID(cmd.UserID)
	if pc.Leader == "" {
		vs, err := p.paths.Paths(ctx, actor)
		if err != nil {
			return slackio.Reply{}, err
		}
		return PathListReply(p.langOf(ctx, actor), vs), nil
	}
	ch, _ := coach.ParseChannelID(cmd.ChannelID)
	return slackio.Reply{}, p.OpenPathForm(ctx, Trigger{ID: cmd.TriggerID, Channel: ch}, actor, pc.Leader)
}

// onEditClick opens the path form from the App Home's "Edit path" or "Set
// a path".
func (p *PathForms) onEditClick(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
	return p.onCardClick(ctx, cb, act, func(t Trigger, director, leader coach.UserID) error {
		return p.OpenPathForm(ctx, t, director, leader)
	})
}

// onReviewClick opens the review form from the App Home's "Review now".
func (p *PathForms) onReviewClick(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
	return p.onCardClick(ctx, cb, act, func(t Trigger, director, leader coach.UserID) error {
		return p.OpenReviewForm(ctx, t, director, leader, "")
	})
}

// onCardClick reads a Home card button's Lean leader and runs open for
// the director who clicked; a refusal or a form that did not open is told
// in their DM (the Home has no reply URL).
func (p *PathForms) onCardClick(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction,
	open func(t Trigger, director, leader coach.UserID) error) error {
	if coach.TeamID(cb.Team.ID) != p.team {
		return coach.Errorf(coach.EFORBIDDEN, "access.err.other_team")
	}
	leader, ok := coach.ParseUserID(act.Value)
	if !ok {
		return fmt.Errorf("path card click: unexpected value %q", act.Value)
	}
	actor := coach.UserID(cb.User.ID)
	ch, _ := coach.ParseChannelID(cb.Channel.ID)
	err := open(Trigger{ID: cb.TriggerID, ActionTS: act.ActionTs, Channel: ch}, actor, leader)
	if err != nil {
		p.tell(ctx, actor, ch, ErrorText(p.langOf(ctx, actor), err))
	}
	return err
}

// validatePathForm runs before the ack: field errors keep the form open.
// A submission that is not one of ours is left to onPathForm, which
// refuses it.
func (p *PathForms) validatePathForm(cb slack.InteractionCallback) map[string]string {
	_, _, errs, err := CheckPathForm(cb, p.clock.Now(), p.zone)
	if err != nil {
		return nil
	}
	return errs
}

// validateReviewForm is validatePathForm for the review form.
func (p *PathForms) validateReviewForm(cb slack.InteractionCallback) map[string]string {
	_, _, errs, err := CheckReviewForm(cb, p.clock.Now(), p.zone)
	if err != nil {
		return nil
	}
	return errs
}

// onPathForm sets the path from a submitted path form. The form has closed
// by now, so a refusal (the path changed meanwhile, the Lean leader is no
// longer the director's) is told ephemerally where the form was opened.
func (p *PathForms) onPathForm(ctx context.Context, cb slack.InteractionCallback) error {
	if coach.TeamID(cb.Team.ID) != p.team {
		return coach.Errorf(coach.EFORBIDDEN, "access.err.other_team")
	}
	actor := coach.UserID(cb.User.ID)
	m, in, _, err := CheckPathForm(cb, p.clock.Now(), p.zone)
	if err != nil {
		p.tell(ctx, actor, "", p.langOf(ctx, actor).T("path.err.form_gone"))
		return fmt.Errorf("path form: %w", err)
	}
	// Whatever the check said, the service decides: it checks again
	// against the path as stored now.
	v, err := p.paths.SetPath(ctx, actor, m.Leader, in)
	return p.after(ctx, actor, m, v, err, func(lang i18n.Lang, s coach.Step) string {
		return lang.T("path.saved", mentionOf(m.Leader), userText(s.Responsibility, pathTextShort), pathDate(lang, s.Target, v.Today))
	})
}

// onReviewForm records a submitted review, as onPathForm.
func (p *PathForms) onReviewForm(ctx context.Context, cb slack.InteractionCallback) error {
	if coach.TeamID(cb.Team.ID) != p.team {
		return coach.Errorf(coach.EFORBIDDEN, "access.err.other_team")
	}
	actor := coach.UserID(cb.User.ID)
	m, in, _, err := CheckReviewForm(cb, p.clock.Now(), p.zone)
	if err != nil {
		p.tell(ctx, actor, "", p.langOf(ctx, actor).T("path.err.form_gone"))
		return fmt.Errorf("review form: %w", err)
	}
	v, err := p.paths.ReviewPath(ctx, actor, m.Leader, in)
	if err == nil && m.Prompt == "" {
		// A review from the App Home answers the director's open path
		// prompt too, as one from the prompt's own buttons does.
		m.Prompt = p.openPrompt(ctx, actor)
	}
	return p.after(ctx, actor, m, v, err, func(lang i18n.Lang, s coach.Step) string {
		return lang.T("path.reviewed", mentionOf(m.Leader), lang.T(in.Outcome.NameKey()),
			userText(s.Responsibility, pathTextShort), pathDate(lang, s.Target, v.Today))
	})
}

// after tells the director how a submitted form went: a refusal or a failure
// where the form was opened from (their DM for the App Home); a change refreshes
// their App Home, and is confirmed in the channel a command or a prompt
// opened the form from.
func (p *PathForms) after(ctx context.Context, actor coach.UserID, m PathMeta, v coach.PathView, err error,
	saved func(lang i18n.Lang, next coach.Step) string) error {
	lang := p.langOf(ctx, actor)
	if err != nil {
		// The form has closed: even a failure of ours is told (as the
		// generic apology), or the director would think it saved.
		p.tell(ctx, actor, m.Channel, ErrorText(lang, err))
		return err
	}
	p.promptDone(ctx, actor, m.Prompt)
	if p.refresh != nil {
		if rerr := p.refresh(ctx, actor); rerr != nil {
			p.log.Warn().Err(rerr).Str("user_id", string(actor)).Msg("home refresh after a path change failed")
		}
	}
	if m.Channel != "" && v.Path != nil {
		p.tell(ctx, actor, m.Channel, saved(lang, v.Path.Next))
	}
	return nil
}

// tell shows text to actor ephemerally in channel, or in their DM with
// the bot when channel is "" or the bot cannot post there. A failure is
// logged only: what it tells has happened either way.
func (p *PathForms) tell(ctx context.Context, actor coach.UserID, channel coach.ChannelID, text string) {
	if err := tellEphemeral(ctx, p.api, actor, channel, text); err != nil {
		p.log.Warn().Err(err).Str("user_id", string(actor)).Msg("telling the director about their path failed")
	}
}

// tellEphemeral shows text to actor ephemerally in channel, or in their DM
// with the bot when channel is "" or the bot cannot post there.
func tellEphemeral(ctx context.Context, api PathAPI, actor coach.UserID, channel coach.ChannelID, text string) error {
	opt := slack.MsgOptionText(text, false)
	if channel != "" {
		if _, err := api.PostEphemeralContext(ctx, string(channel), string(actor), opt); err == nil {
			return nil
		}
	}
	ch, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{string(actor)}, ReturnIM: true})
	if err == nil {
		_, err = api.PostEphemeralContext(ctx, ch.ID, string(actor), opt)
	}
	return err
}

// zone loads a form's zone once; a name that does not load is UTC (the
// service checks again with the director's zone).
func (p *PathForms) zone(name string) *time.Location {
	if l, ok := p.zones.Load(name); ok {
		return l.(*time.Location)
	}
	loc, err := time.LoadLocation(strings.TrimSpace(name))
	if err != nil {
		return time.UTC
	}
	p.zones.Store(name, loc)
	return loc
}
