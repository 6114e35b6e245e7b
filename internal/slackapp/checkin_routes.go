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

// CheckInAPI is the Web API the check-in's Slack side calls.
type CheckInAPI interface {
	PathAPI
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error)
}

// CheckInSender sends one check-in now (*schedule.Loop): see
// schedule.Loop.SendCheckIn.
type CheckInSender interface {
	SendCheckIn(ctx context.Context, pair coach.Pair, m coach.Month) error
}

// CheckInDeps wires CheckIns. Leaders, Slack, LangOf and Team are
// required; without Sender `/coach send checkin` is refused.
type CheckInDeps struct {
	Leaders    *coach.LeaderService
	Slack      CheckInAPI
	HTTPClient *http.Client // for response_url; default http.DefaultClient
	LangOf     func(ctx context.Context, u coach.UserID) i18n.Lang
	Team       coach.TeamID
	Sender     CheckInSender
	// RefreshHome, if set, republishes a user's App Home after an answer.
	RefreshHome func(ctx context.Context, u coach.UserID) error
	Logger      zerolog.Logger
	// Now is the clock a trigger_id lives by: Slack's, the wall clock (the
	// default).
	Now func() time.Time
}

// CheckIns is the Slack side of the monthly check-in: the message's
// clicks, its note form, the message drawn anew after each answer, and
// `/coach send checkin @leader` (SendNow).
type CheckIns struct {
	d      CheckInDeps
	log    zerolog.Logger
	opener viewOpener
	opened *openedForms
}

// NewCheckIns returns CheckIns; it fails when a required field is missing.
func NewCheckIns(d CheckInDeps) (*CheckIns, error) {
	switch {
	case d.Leaders == nil:
		return nil, errors.New("new check-ins: no leader service")
	case d.Slack == nil:
		return nil, errors.New("new check-ins: no slack client")
	case d.LangOf == nil:
		return nil, errors.New("new check-ins: no language lookup")
	case d.Team == "":
		return nil, errors.New("new check-ins: no team")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.HTTPClient == nil {
		d.HTTPClient = http.DefaultClient
	}
	log := d.Logger.With().Str("component", "checkin").Logger()
	return &CheckIns{d: d, log: log, opener: viewOpener{api: d.Slack, now: d.Now, log: log}, opened: newOpenedForms(d.Now)}, nil
}

// Register routes the check-in message's buttons and its note form.
func (c *CheckIns) Register(r *slackio.Router) {
	for _, s := range coach.Styles() {
		r.Record(ActionCheckInNeeded+"."+string(s), c.onStyle)
		r.Record(ActionCheckInGot+"."+string(s), c.onStyle)
	}
	r.Action(ActionCheckInNote, c.onNoteClick)
	r.View(ViewCheckInNote, slackio.ViewHandler{Validate: c.validateNote, Record: c.onNoteForm})
}

// Render renders the check-in c for its Lean leader, as posted by the
// due-loop (CheckInPoster).
func (c *CheckIns) Render(ctx context.Context, ci coach.CheckIn) (string, []slack.Block, error) {
	cc, err := c.d.Leaders.CheckInContext(ctx, ci.Leader, ci.Director, ci.Month)
	if err != nil {
		return "", nil, fmt.Errorf("render check-in: %w", err)
	}
	text, blocks := RenderCheckIn(c.d.LangOf(ctx, ci.Leader), cc)
	return text, blocks, nil
}

// onStyle records one click on a style, then draws the message anew
// through the click's response_url. A click on the style already recorded
// (a second click, a redelivery) records it again as it was: the check-in
// keeps one answer per question.
func (c *CheckIns) onStyle(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) (slackio.Followup, error) {
	if coach.TeamID(cb.Team.ID) != c.d.Team {
		return nil, coach.Errorf(coach.EFORBIDDEN, "access.err.other_team")
	}
	ch, ok := coach.ParseCheckInChoice(act.Value)
	if !ok || ch.Style == "" {
		return nil, fmt.Errorf("check-in click: unexpected value %q", act.Value)
	}
	var a coach.CheckInAnswer
	switch act.ActionID {
	case ActionCheckInNeeded + "." + string(ch.Style):
		a.Needed = ch.Style
	case ActionCheckInGot + "." + string(ch.Style):
		a.Got = ch.Style
	default:
		return nil, fmt.Errorf("check-in click: action %q does not match its value", act.ActionID)
	}
	actor := coach.UserID(cb.User.ID)
	if _, err := c.d.Leaders.AnswerCheckIn(ctx, actor, ch.Director, ch.Month, a); err != nil {
		return nil, err
	}
	url := responseURLOf(cb)
	msg := messageOf(cb)
	return func(ctx context.Context) error { return c.show(ctx, actor, ch, url, msg) }, nil
}

// sentMessage is where a check-in message is, for chat.update.
type sentMessage struct {
	channel coach.ChannelID
	ts      string
}

func messageOf(cb slack.InteractionCallback) sentMessage {
	ch := cb.Container.ChannelID
	if ch == "" {
		ch = cb.Channel.ID
	}
	ts := cb.Container.MessageTs
	if ts == "" {
		ts = cb.Message.Timestamp
	}
	return sentMessage{channel: coach.ChannelID(ch), ts: ts}
}

// show draws actor's check-in message anew from what is stored: through
// url when there is one, else (or when it fails) with chat.update; then
// the Home, which lists the check-ins.
func (c *CheckIns) show(ctx context.Context, actor coach.UserID, ch coach.CheckInChoice, url string, msg sentMessage) error {
	cc, err := c.d.Leaders.CheckInContext(ctx, actor, ch.Director, ch.Month)
	if err != nil {
		return err
	}
	text, blocks := RenderCheckIn(c.d.LangOf(ctx, actor), cc)
	shown := false
	if url != "" {
		err := slackio.PostReply(ctx, c.d.HTTPClient, url, slackio.Reply{Text: text, Blocks: blocks, ReplaceOriginal: true})
		if err == nil {
			shown = true
		} else {
			c.log.Warn().Err(err).Msg("check-in not replaced through its response_url; updating it with chat.update")
		}
	}
	if !shown && msg.channel != "" && msg.ts != "" {
		if _, _, _, err := c.d.Slack.UpdateMessageContext(ctx, string(msg.channel), msg.ts,
			slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...)); err != nil {
			c.log.Warn().Err(err).Msg("check-in message not updated; the answer is recorded")
		}
	}
	if c.d.RefreshHome != nil {
		if err := c.d.RefreshHome(ctx, actor); err != nil {
			c.log.Warn().Err(err).Msg("home refresh after a check-in answer failed")
		}
	}
	return nil
}

// onNoteClick opens the note form, with the note as written so far.
func (c *CheckIns) onNoteClick(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
	if coach.TeamID(cb.Team.ID) != c.d.Team {
		return coach.Errorf(coach.EFORBIDDEN, "access.err.other_team")
	}
	ch, ok := coach.ParseCheckInChoice(act.Value)
	if !ok {
		return fmt.Errorf("check-in note click: unexpected value %q", act.Value)
	}
	actor := coach.UserID(cb.User.ID)
	lang := c.d.LangOf(ctx, actor)
	cc, err := c.d.Leaders.CheckInContext(ctx, actor, ch.Director, ch.Month)
	if err == nil {
		err = coach.CheckMonth(ch.Month, c.d.Leaders.Month(ctx, actor))
	}
	if err != nil {
		c.tell(ctx, actor, lang.Render(coach.ErrorMessage(err)))
		return err
	}
	msg := messageOf(cb)
	meta := CheckInNoteMeta{Director: ch.Director, Month: ch.Month.String(), Channel: msg.channel, TS: msg.ts}
	c.opened.remember(noteFormKey(actor, ch), actor, responseURLOf(cb))
	if err := c.opener.open(ctx, act.ActionTs, cb.TriggerID, CheckInNoteView(lang, meta, cc.CheckIn)); err != nil {
		c.log.Warn().Err(err).Msg("check-in form did not open")
		c.tell(ctx, actor, lang.T("leader.err.form_not_opened"))
		return fmt.Errorf("%w (%w)", coach.Errorf(coach.ECONFLICT, "leader.err.form_not_opened"), err)
	}
	return nil
}

// noteFormKey is the key under which the response_url of the click that
// opened actor's note form is kept.
func noteFormKey(actor coach.UserID, ch coach.CheckInChoice) coach.OccurrenceKey {
	return coach.OccurrenceKey(coach.CheckInRef(coach.Pair{Director: ch.Director, Leader: actor}, ch.Month))
}

// validateNote runs before the ack: a too long note, or one without
// saying who sees it, keeps the form open.
func (c *CheckIns) validateNote(cb slack.InteractionCallback) map[string]string {
	_, _, _, errs, err := CheckCheckInNoteForm(cb)
	if err != nil {
		return nil
	}
	return errs
}

// onNoteForm records the note, then draws the message anew.
func (c *CheckIns) onNoteForm(ctx context.Context, cb slack.InteractionCallback) (slackio.Followup, error) {
	if coach.TeamID(cb.Team.ID) != c.d.Team {
		return nil, coach.Errorf(coach.EFORBIDDEN, "access.err.other_team")
	}
	actor := coach.UserID(cb.User.ID)
	m, month, note, _, err := CheckCheckInNoteForm(cb)
	if err != nil {
		return nil, fmt.Errorf("check-in form: %w", err)
	}
	if _, err := c.d.Leaders.AnswerCheckIn(ctx, actor, m.Director, month, coach.CheckInAnswer{Note: &note}); err != nil {
		lang := c.d.LangOf(ctx, actor)
		return func(ctx context.Context) error {
			c.tell(ctx, actor, lang.Render(coach.ErrorMessage(err)))
			return nil
		}, err
	}
	ch := coach.CheckInChoice{Director: m.Director, Month: month}
	url := c.opened.take(noteFormKey(actor, ch), actor)
	return func(ctx context.Context) error {
		return c.show(ctx, actor, ch, url, sentMessage{channel: m.Channel, ts: m.TS})
	}, nil
}

// SendNow answers `/coach send checkin @leader`: an admin sends leader
// their check-in with each director now.
func (c *CheckIns) SendNow(ctx context.Context, actor, leader coach.UserID) (slackio.Reply, error) {
	if c.d.Sender == nil {
		return slackio.Reply{}, fmt.Errorf("send check-in: no sender")
	}
	pairs, m, err := c.d.Leaders.CheckInSendTargets(ctx, actor, leader)
	if err != nil {
		return slackio.Reply{}, err
	}
	for _, p := range pairs {
		if err := c.d.Sender.SendCheckIn(ctx, p, m); err != nil {
			return slackio.Reply{}, err
		}
	}
	return CheckInSentReply(c.d.LangOf(ctx, actor), pairs), nil
}

// tell shows text to actor ephemerally in their DM with the bot.
func (c *CheckIns) tell(ctx context.Context, actor coach.UserID, text string) {
	if err := tellEphemeral(ctx, c.d.Slack, actor, "", text); err != nil {
		c.log.Warn().Err(err).Str("user_id", string(actor)).Msg("telling a Lean leader failed")
	}
}

// CheckInPoster posts check-ins into the Lean leaders' DMs for the
// due-loop (schedule.CheckInPoster), through the Poster's rate limits and
// error classes.
type CheckInPoster struct {
	p      *Poster
	render func(ctx context.Context, c coach.CheckIn) (string, []slack.Block, error)
}

// NewCheckInPoster returns a CheckInPoster posting through p what render
// draws ((*CheckIns).Render).
func NewCheckInPoster(p *Poster, render func(ctx context.Context, c coach.CheckIn) (string, []slack.Block, error)) *CheckInPoster {
	return &CheckInPoster{p: p, render: render}
}

// PostCheckIn posts c into its Lean leader's DM with ref in its metadata.
func (cp *CheckInPoster) PostCheckIn(ctx context.Context, c coach.CheckIn, ref string) (coach.ChannelID, string, error) {
	if err := cp.p.token.Err(); err != nil {
		return "", "", fmt.Errorf("post %s: %w", ref, err)
	}
	text, blocks, err := cp.render(ctx, c)
	if err != nil {
		return "", "", fmt.Errorf("post %s: %w", ref, err)
	}
	return cp.p.postTo(ctx, c.Leader, ref, text, blocks)
}

// FindCheckIn looks for the message with ref in the Lean leader's DM.
func (cp *CheckInPoster) FindCheckIn(ctx context.Context, c coach.CheckIn, ref string, since time.Time) (coach.ChannelID, string, bool, error) {
	return cp.p.Find(ctx, coach.Occurrence{Director: c.Leader}, ref, since)
}
