package slackapp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
)

// CoachAPI is the part of the Slack Web API the coaching routes use beyond
// the Messenger and PromptUpdates; *slack.Client has it.
type CoachAPI interface {
	OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
}

// The coaching routes' use cases, by what they serve; *coach.Service has
// them all. Each answers with what showing its result takes, read right
// after the write (coach.Answered): the routes render and send it.
type (
	// promptClicks record a prompt's buttons.
	promptClicks interface {
		Done(ctx context.Context, actor coach.UserID, key coach.OccurrenceKey) (coach.Answered, error)
		Answer(ctx context.Context, actor coach.UserID, key coach.OccurrenceKey, in coach.AnswerInput) (coach.Answered, error)
		Snooze(ctx context.Context, actor coach.UserID, key coach.OccurrenceKey, c coach.SnoozeChoice) (coach.Answered, error)
		AnotherQuestion(ctx context.Context, actor coach.UserID, key coach.OccurrenceKey) (coach.Answered, error)
		InPerson(ctx context.Context, actor coach.UserID, key coach.OccurrenceKey) (coach.Answered, error)
	}
	// promptForms open and record a prompt's forms.
	promptForms interface {
		ComplimentForm(ctx context.Context, actor coach.UserID, key coach.OccurrenceKey) (coach.ComplimentForm, error)
		NoteForm(ctx context.Context, actor coach.UserID, key coach.OccurrenceKey) (coach.NoteForm, error)
		AddNote(ctx context.Context, actor coach.UserID, key coach.OccurrenceKey, in coach.NoteInput) (coach.Answered, error)
		PublishKudos(ctx context.Context, a coach.Answered) (coach.Answered, error)
	}
	// directorCommands are the admins' /coach director and channel.
	directorCommands interface {
		AddDirector(ctx context.Context, actor, d coach.UserID, leaders []coach.UserID) (coach.Director, error)
		RemoveDirector(ctx context.Context, actor, d coach.UserID) error
		Directors(ctx context.Context, actor coach.UserID) ([]coach.Director, error)
		SetKudosChannel(ctx context.Context, actor coach.UserID, ch coach.ChannelID) (coach.ChannelResult, error)
	}
	// coachCommands are the other /coach commands of the coaching loop.
	coachCommands interface {
		Viewer(ctx context.Context, u coach.UserID) (coach.Viewer, error)
		Send(ctx context.Context, actor coach.UserID, h coach.Habit, d coach.UserID) (coach.Occurrence, error)
		Streaks(ctx context.Context, actor coach.UserID) ([]coach.HabitStats, error)
		GiveKudos(ctx context.Context, actor, leader coach.UserID, text string) (coach.KudosResult, error)
	}
	// profileNames names users: from the profile cache, asking Slack only
	// for one it has not cached (CachedDirectory).
	profileNames interface {
		Profile(ctx context.Context, id coach.UserID) (coach.Profile, error)
	}
)

// CoachDeps is what the coaching loop's routes need. Service, Names,
// Slack, Updates and LangOf are required.
type CoachDeps struct {
	Service *coach.Service
	Names   profileNames // CachedDirectory
	Slack   CoachAPI
	// Updates updates prompts that no response_url can replace; run it
	// (PromptUpdates.Run) beside the App.
	Updates *PromptUpdates
	// HTTPClient posts to response_urls; nil = http.DefaultClient.
	HTTPClient *http.Client
	// LangOf tells the language of users the use cases did not already
	// (a command's caller).
	LangOf func(ctx context.Context, u coach.UserID) i18n.Lang
	// Team, if set, is the only workspace whose payloads are served.
	Team   coach.TeamID
	Logger zerolog.Logger
	// Metrics counts clicks whose form did not open or whose prompt was not
	// shown anew; optional.
	Metrics InteractionMetrics
	// Token, if set, is tripped when Slack refuses the bot token.
	Token *slackio.TokenGuard
	// SendCheckIn answers `/coach send checkin @leader` ((*CheckIns).SendNow);
	// nil: that command is refused.
	SendCheckIn func(ctx context.Context, actor, leader coach.UserID) (slackio.Reply, error)
	// Now is the clock a click's trigger_id and response_url live by:
	// Slack's, the wall clock (the default), not the bot's coach.Clock.
	Now func() time.Time
}

// coachRoutes serves the /coach commands of the coaching loop, the prompt
// buttons and the answer modals. The buttons and modals record first, on
// the App's recording workers, and show the result after (a Followup).
type coachRoutes struct {
	clicks    promptClicks
	forms     promptForms
	directors directorCommands
	commands  coachCommands
	names     profileNames
	api       CoachAPI
	show      *promptShow
	opened    *openedForms
	langOf    func(ctx context.Context, u coach.UserID) i18n.Lang
	team      coach.TeamID
	log       zerolog.Logger
	metrics   InteractionMetrics
	token     *slackio.TokenGuard
	now       func() time.Time
	checkIn   func(ctx context.Context, actor, leader coach.UserID) (slackio.Reply, error)
}

// coachWords are the first words of the /coach commands served here.
var coachWords = []string{"director", "directors", "channel", "send", "streak", "streaks", "kudos", "compliment", "habits", "habit"}

// RegisterCoach routes the coaching loop: the /coach sub-commands director,
// channel, send, streak, kudos and habits (and /coach with an unknown word,
// answered with what went wrong), the prompt buttons and the answer modals.
func RegisterCoach(r *slackio.Router, d CoachDeps) error {
	switch {
	case d.Service == nil:
		return errors.New("register coach: no service")
	case d.Names == nil:
		return errors.New("register coach: no profile names")
	case d.Slack == nil:
		return errors.New("register coach: no slack client")
	case d.Updates == nil:
		return errors.New("register coach: no prompt updates")
	case d.LangOf == nil:
		return errors.New("register coach: no language lookup")
	}
	if d.Metrics == nil {
		d.Metrics = noInteractionMetrics{}
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.HTTPClient == nil {
		d.HTTPClient = http.DefaultClient
	}
	log := d.Logger.With().Str("component", "coach").Logger()
	c := &coachRoutes{clicks: d.Service, forms: d.Service, directors: d.Service, commands: d.Service,
		names: d.Names, api: d.Slack, langOf: d.LangOf, team: d.Team, log: log, metrics: d.Metrics,
		token: d.Token, now: d.Now, opened: newOpenedForms(d.Now), checkIn: d.SendCheckIn,
		show: &promptShow{hc: d.HTTPClient, updates: d.Updates, log: log, metrics: d.Metrics}}
	for _, w := range coachWords {
		r.Subcommand("/coach", w, c.command)
	}
	r.Command("/coach", c.command)
	r.Record(ActionAnswer, c.onAnswer)
	r.Record(ActionNotToday, c.onNotToday)
	r.Record(ActionSnooze, c.onSnooze)
	r.Record(ActionAnother, c.onAnother)
	r.Record(ActionNote, c.onNote)
	r.Record(ActionInPerson, c.onInPerson)
	for _, id := range []string{ViewStandup, ViewCompliment, ViewQuestion, ViewDone} {
		r.View(id, slackio.ViewHandler{Validate: validateAnswerModal, Record: c.onAnswerModal})
	}
	return nil
}

func (c *coachRoutes) command(ctx context.Context, cmd slack.SlashCommand) (slackio.Reply, error) {
	if err := c.checkTeam(cmd.TeamID); err != nil {
		return slackio.Reply{}, err
	}
	actor := coach.UserID(cmd.UserID)
	parsed, err := ParseCommand(cmd.Text)
	if err != nil {
		return slackio.Reply{}, err
	}
	lang := c.langOf(ctx, actor)
	switch parsed.Kind {
	case coach.CmdHelp:
		v, _ := c.commands.Viewer(ctx, actor) // on a store failure: the roles known, never more
		return HelpReply(lang, v), nil
	case coach.CmdDirectorAdd:
		d, err := c.directors.AddDirector(ctx, actor, parsed.Director, parsed.Leaders)
		if err != nil {
			return slackio.Reply{}, err
		}
		return RenderDirectorAdded(lang, d), nil
	case coach.CmdDirectorRemove:
		if err := c.directors.RemoveDirector(ctx, actor, parsed.Director); err != nil {
			return slackio.Reply{}, err
		}
		return RenderDirectorRemoved(lang, parsed.Director), nil
	case coach.CmdDirectorList:
		ds, err := c.directors.Directors(ctx, actor)
		if err != nil {
			return slackio.Reply{}, err
		}
		return RenderDirectorList(lang, ds), nil
	case coach.CmdChannel:
		res, err := c.directors.SetKudosChannel(ctx, actor, parsed.Channel)
		if err != nil {
			return slackio.Reply{}, err
		}
		return RenderChannelSet(lang, res), nil
	case coach.CmdSend:
		o, err := c.commands.Send(ctx, actor, parsed.Habit, parsed.Director)
		if err != nil {
			return slackio.Reply{}, err
		}
		return RenderSent(lang, o), nil
	case coach.CmdSendCheckIn:
		if c.checkIn == nil {
			return slackio.Reply{}, fmt.Errorf("coach command: no check-in sender")
		}
		return c.checkIn(ctx, actor, parsed.Leaders[0])
	case coach.CmdStreak:
		st, err := c.commands.Streaks(ctx, actor)
		if err != nil {
			return slackio.Reply{}, err
		}
		return RenderStreaks(lang, st), nil
	case coach.CmdKudos:
		res, err := c.commands.GiveKudos(ctx, actor, parsed.Leaders[0], c.typedText(ctx, parsed.Text))
		if res.Answered != nil && res.Answered.Answer != nil {
			// The prompt it answered is shown anew; no click on it left a
			// response_url, so through chat.update.
			if serr := c.show.show(ctx, "", *res.Answered); serr != nil {
				c.log.Warn().Err(serr).Str("occ", string(res.Answered.Key)).Msg("prompt answered by /coach kudos not shown anew")
			}
		}
		if err != nil {
			return slackio.Reply{}, err
		}
		return RenderKudosGiven(lang, res), nil
	case coach.CmdHabits:
		v, _ := c.commands.Viewer(ctx, actor)
		return RenderHabits(lang, v.Roles), nil
	}
	return slackio.Reply{}, fmt.Errorf("coach command: unhandled kind %q", parsed.Kind)
}

func (c *coachRoutes) checkTeam(team string) error {
	if c.team != "" && coach.TeamID(team) != c.team {
		return coach.Errorf(coach.EFORBIDDEN, "svc.err.other_team")
	}
	return nil
}

// nameLookupBudget bounds asking Slack for names a reply or a form waits
// for (a click's trigger lives 3 s).
const nameLookupBudget = time.Second

// typedText is what a user typed in a command, as they saw it (TypedText),
// naming the rare mention Slack sent without its label from the profile
// cache (Slack only for one not cached, within nameLookupBudget).
func (c *coachRoutes) typedText(ctx context.Context, text string) string {
	ctx, cancel := context.WithTimeout(ctx, nameLookupBudget)
	defer cancel()
	return TypedText(text, func(u coach.UserID) string {
		p, err := c.names.Profile(ctx, u)
		if err != nil {
			return ""
		}
		return p.Name
	})
}
