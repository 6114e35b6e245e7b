package slackapp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// CoachAPI is the part of the Slack Web API the coaching routes use beyond
// the Messenger; *slack.Client has it.
type CoachAPI interface {
	OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
}

// CoachDeps is what the coaching loop's routes need. Service, Store, Slack
// and LangOf are required.
type CoachDeps struct {
	Service *coach.Service
	Store   coach.Store
	Slack   CoachAPI
	LangOf  func(ctx context.Context, u coach.UserID) i18n.Lang
	// Team, if set, is the only workspace whose payloads are served.
	Team   coach.TeamID
	Logger zerolog.Logger
	// Metrics counts clicks whose answer form did not open; optional.
	Metrics InteractionMetrics
	// Token, if set, is tripped when Slack refuses the bot token.
	Token *TokenGuard
	// Now is the clock a click's trigger_id lives by: Slack's, the wall
	// clock (the default), not the bot's coach.Clock.
	Now func() time.Time
}

// coachRoutes serves the /coach commands of the coaching loop, the prompt
// buttons and the answer modals.
type coachRoutes struct {
	svc     *coach.Service
	store   coach.Store
	api     CoachAPI
	langOf  func(ctx context.Context, u coach.UserID) i18n.Lang
	team    coach.TeamID
	log     zerolog.Logger
	metrics InteractionMetrics
	token   *TokenGuard
	now     func() time.Time
}

// coachWords are the first words of the /coach commands served here.
var coachWords = []string{"director", "directors", "channel", "send", "streak", "streaks", "kudos", "compliment", "habits", "habit"}

// RegisterCoach routes the coaching loop: the /coach sub-commands director,
// channel, send, streak, kudos and habits (and /coach with an unknown word,
// answered with what went wrong), the prompt buttons and the answer modals.
func RegisterCoach(r *Router, d CoachDeps) error {
	switch {
	case d.Service == nil:
		return errors.New("register coach: no service")
	case d.Store == nil:
		return errors.New("register coach: no store")
	case d.Slack == nil:
		return errors.New("register coach: no slack client")
	case d.LangOf == nil:
		return errors.New("register coach: no language lookup")
	}
	if d.Metrics == nil {
		d.Metrics = noInteractionMetrics{}
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	c := &coachRoutes{svc: d.Service, store: d.Store, api: d.Slack, langOf: d.LangOf, team: d.Team,
		log: d.Logger.With().Str("component", "coach").Logger(), metrics: d.Metrics, token: d.Token, now: d.Now}
	for _, w := range coachWords {
		r.Subcommand("/coach", w, c.command)
	}
	r.Command("/coach", c.command)
	r.Action(ActionAnswer, c.onAnswer)
	r.Action(ActionNotToday, c.onNotToday)
	r.Action(ActionSnooze, c.onSnooze)
	r.Action(ActionAnother, c.onAnother)
	r.Action(ActionNote, c.onNote)
	for _, id := range []string{ViewStandup, ViewCompliment, ViewQuestion, ViewDone} {
		r.View(id, ViewHandler{Validate: validateAnswerModal, Handle: c.onAnswerModal})
	}
	return nil
}

func (c *coachRoutes) command(ctx context.Context, cmd slack.SlashCommand) (Reply, error) {
	if err := c.checkTeam(cmd.TeamID); err != nil {
		return Reply{}, err
	}
	actor := coach.UserID(cmd.UserID)
	parsed, err := coach.ParseCommand(cmd.Text)
	if err != nil {
		return Reply{}, err
	}
	lang := c.langOf(ctx, actor)
	switch parsed.Kind {
	case coach.CmdHelp:
		v, _ := c.svc.Viewer(ctx, actor) // on a store failure: the roles known, never more
		return HelpReply(lang, v), nil
	case coach.CmdDirectorAdd:
		d, err := c.svc.AddDirector(ctx, actor, parsed.Director, parsed.Leaders)
		if err != nil {
			return Reply{}, err
		}
		return RenderDirectorAdded(lang, d), nil
	case coach.CmdDirectorRemove:
		if err := c.svc.RemoveDirector(ctx, actor, parsed.Director); err != nil {
			return Reply{}, err
		}
		return RenderDirectorRemoved(lang, parsed.Director), nil
	case coach.CmdDirectorList:
		ds, err := c.svc.Directors(ctx, actor)
		if err != nil {
			return Reply{}, err
		}
		return RenderDirectorList(lang, ds), nil
	case coach.CmdChannel:
		res, err := c.svc.SetKudosChannel(ctx, actor, parsed.Channel)
		if err != nil {
			return Reply{}, err
		}
		return RenderChannelSet(lang, res), nil
	case coach.CmdSend:
		o, err := c.svc.Send(ctx, actor, parsed.Habit, parsed.Director)
		if err != nil {
			return Reply{}, err
		}
		return RenderSent(lang, o), nil
	case coach.CmdStreak:
		st, err := c.svc.Streaks(ctx, actor)
		if err != nil {
			return Reply{}, err
		}
		return RenderStreaks(lang, st), nil
	case coach.CmdKudos:
		res, err := c.svc.GiveKudos(ctx, actor, parsed.Leaders[0], TypedText(parsed.Text, c.cachedName(ctx)))
		if err != nil {
			return Reply{}, err
		}
		return RenderKudosGiven(lang, res), nil
	case coach.CmdHabits:
		v, _ := c.svc.Viewer(ctx, actor)
		return RenderHabits(lang, v.Roles), nil
	}
	return Reply{}, fmt.Errorf("coach command: unhandled kind %q", parsed.Kind)
}

func (c *coachRoutes) checkTeam(team string) error {
	if c.team != "" && coach.TeamID(team) != c.team {
		return coach.Errorf(coach.EFORBIDDEN, "svc.err.other_team")
	}
	return nil
}

// cachedName names users from the profiles already cached, without asking
// Slack: for the rare mention Slack sent without its label.
func (c *coachRoutes) cachedName(ctx context.Context) func(coach.UserID) string {
	return func(u coach.UserID) string {
		p, err := c.store.CachedProfile(ctx, u)
		if err != nil {
			return ""
		}
		return p.Name
	}
}
