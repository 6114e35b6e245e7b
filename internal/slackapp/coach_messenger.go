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
	"github.com/leancoach/leancoach/internal/wait"
)

// MessengerAPI is the part of the Slack Web API the Messenger uses;
// *slack.Client has it.
type MessengerAPI interface {
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error)
	JoinConversationContext(ctx context.Context, channelID string) (*slack.Channel, string, []string, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
}

// InteractionMetrics counts the steps of a click or a modal that Slack did
// not carry out; *metrics.Metrics has it.
type InteractionMetrics interface {
	InteractionFailed(step, reason string)
}

// MessengerConfig wires a Messenger. Slack, Settings and LangOf are required.
type MessengerConfig struct {
	Slack    MessengerAPI
	Settings coach.SettingStore // the kudos channel, for the answered prompt
	LangOf   func(ctx context.Context, u coach.UserID) i18n.Lang
	// LocationOf gives a user's zone for dates; nil = UTC.
	LocationOf func(ctx context.Context, u coach.UserID) *time.Location
	// Kudos, if set, is asked whether an answered compliment's kudos was
	// really posted: only then does the prompt say where it is.
	Kudos KudosLookup
	// Answers, if set, gives a follow-up question what the Lean leader came
	// up with last time, so the updated message still shows it.
	Answers coach.AnswerHistory
	// Logger and Metrics report a recorded answer whose message could not be
	// updated; both optional.
	Logger  zerolog.Logger
	Metrics InteractionMetrics
	// Token, if set, is tripped when Slack refuses the bot token.
	Token *TokenGuard
}

// KudosLookup finds the kudos a leader received since a moment.
type KudosLookup interface {
	KudosFor(ctx context.Context, leader coach.UserID, since time.Time) ([]coach.Kudos, error)
}

// Messenger implements coach.Messenger with the Slack Web API.
type Messenger struct {
	api        MessengerAPI
	settings   coach.SettingStore
	langOf     func(ctx context.Context, u coach.UserID) i18n.Lang
	locationOf func(ctx context.Context, u coach.UserID) *time.Location
	kudos      KudosLookup
	answers    coach.AnswerHistory
	log        zerolog.Logger
	metrics    InteractionMetrics
	token      *TokenGuard
}

var _ coach.Messenger = (*Messenger)(nil)

// NewMessenger returns a Messenger.
func NewMessenger(c MessengerConfig) *Messenger {
	if c.LocationOf == nil {
		c.LocationOf = func(context.Context, coach.UserID) *time.Location { return time.UTC }
	}
	if c.Metrics == nil {
		c.Metrics = noInteractionMetrics{}
	}
	return &Messenger{api: c.Slack, settings: c.Settings, langOf: c.LangOf, locationOf: c.LocationOf, kudos: c.Kudos,
		answers: c.Answers, log: c.Logger.With().Str("component", "messenger").Logger(), metrics: c.Metrics, token: c.Token}
}

type noInteractionMetrics struct{}

func (noInteractionMetrics) InteractionFailed(string, string) {}

// UpdatePrompt re-renders o's message in the director's language (chat.update).
//
// When o carries an answer (done, not today, snoozed) that answer is already
// recorded, so a failed update is not the director's failure: they are told
// ephemerally in the DM that what they chose is recorded, the failure is
// logged and counted, and UpdatePrompt returns nil. The stale message keeps
// its buttons; a later click on them gets "already recorded" from the
// Service. Only an unanswered prompt's failed update (another question)
// is returned as an error, or an answered one's when the director could not
// be told either.
func (m *Messenger) UpdatePrompt(ctx context.Context, o coach.Occurrence, streak int) error {
	ch, err := m.settings.Setting(ctx, coach.SettingKudosChannel)
	if err != nil {
		return fmt.Errorf("update prompt: %w", err)
	}
	info := AnsweredInfo{Streak: streak, Loc: m.locationOf(ctx, o.Director), KudosChannel: coach.ChannelID(ch)}
	if m.kudos != nil && o.Habit == coach.Compliment && o.Answer != nil && o.Answer.Leader != "" {
		// Say where the compliment is only if it was posted there.
		info.KudosChannel = m.postedIn(ctx, o)
	}
	if m.answers != nil {
		// What the leader came up with is shown with the question; without
		// it the message is still right, so a failed read is only logged.
		last, err := coach.LastAnswerBefore(ctx, m.answers, o)
		if err != nil {
			m.log.Warn().Err(err).Str("occ", string(o.Key)).Msg("follow-up shown without the last note")
		}
		info.Last = last
	}
	lang := m.langOf(ctx, o.Director)
	text, blocks := RenderOccurrence(lang, o, info)
	err = m.update(ctx, o, text, blocks)
	if err == nil || o.Answer == nil {
		return err
	}
	if m.token.Observe("chat.update", err) != nil {
		return err // nothing can be told with a refused token; the bot stops
	}
	reason := failureReason(err)
	m.metrics.InteractionFailed("prompt_update", reason)
	note := lang.T("prompt.recorded_not_updated", outcomeText(lang, o, info))
	_, terr := m.api.PostEphemeralContext(ctx, string(o.Channel), string(o.Director), slack.MsgOptionText(note, false))
	if terr != nil {
		return fmt.Errorf("update prompt %s: %w (and telling the director it is recorded: %w)", o.Key, err, terr)
	}
	m.log.Error().Err(err).Str("occ", string(o.Key)).Str("user_id", string(o.Director)).Str("reason", reason).
		Msg("answered prompt not updated; told the director it is recorded")
	return nil
}

// update runs chat.update. The answer is already recorded: a rate-limited
// update waits its Retry-After (a few times, within the handler's deadline)
// rather than giving up at once.
func (m *Messenger) update(ctx context.Context, o coach.Occurrence, text string, blocks []slack.Block) error {
	err := whenLimited(ctx, updateWaitBudget, func() error {
		_, _, _, err := m.api.UpdateMessageContext(ctx, string(o.Channel), o.TS,
			slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...))
		return err
	})
	if err != nil {
		return fmt.Errorf("chat.update %s: %w", o.Key, err)
	}
	return nil
}

// whenLimited runs call, and again after Slack's Retry-After for as long as
// Slack answers 429 and the waits add up to at most budget. It returns the
// last error.
func whenLimited(ctx context.Context, budget time.Duration, call func() error) error {
	for {
		err := call()
		if err == nil {
			return nil
		}
		pause, limited := RetryAfter(err)
		if !limited || pause > budget {
			return err
		}
		budget -= pause
		if wait.For(ctx, pause) != nil {
			return err
		}
	}
}

// failureReason is a short fixed word for a failed Web API call, for
// metrics and logs: Slack's error code, "ratelimited", or "unclear" (a
// timeout, a 5xx, a reset).
func failureReason(err error) string {
	if _, limited := RetryAfter(err); limited {
		return "ratelimited"
	}
	if code := slackError(err); code != "" {
		return code
	}
	return "unclear"
}

// How long a rate-limited call waits for Slack in all, Retry-After after
// Retry-After: the update of an answered prompt (the answer is recorded;
// only the message waits), and a kudos post (a kudos channel takes about one
// message a second, so kudos given at the same moment take turns; a post
// answered 429 was not made, so trying again cannot post twice).
const (
	updateWaitBudget = 10 * time.Second
	kudosWaitBudget  = 30 * time.Second
)

// PostKudos posts k in k.Channel in the giver's language, with unfurling
// off. Slack refusing the channel is EFORBIDDEN with a message saying how to
// invite the bot.
func (m *Messenger) PostKudos(ctx context.Context, k coach.Kudos) (string, error) {
	text, blocks := RenderKudos(m.langOf(ctx, k.From), k)
	var ts string
	err := whenLimited(ctx, kudosWaitBudget, func() (err error) {
		_, ts, err = m.api.PostMessageContext(ctx, string(k.Channel),
			slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...),
			slack.MsgOptionDisableLinkUnfurl(), slack.MsgOptionDisableMediaUnfurl())
		return err
	})
	if err != nil {
		switch slackError(err) {
		case "not_in_channel", "channel_not_found", "is_archived", "restricted_action":
			return "", fmt.Errorf("post kudos: %w", coach.Errorf(coach.EFORBIDDEN, "svc.err.not_in_channel", channelRef(k.Channel)))
		}
		return "", fmt.Errorf("post kudos: %w", err)
	}
	return ts, nil
}

// JoinChannel joins ch (conversations.join). Channels the bot cannot join by
// itself (private, archived, unknown to it) are EFORBIDDEN.
func (m *Messenger) JoinChannel(ctx context.Context, ch coach.ChannelID) error {
	_, _, _, err := m.api.JoinConversationContext(ctx, string(ch))
	if err == nil {
		return nil
	}
	switch slackError(err) {
	case "method_not_supported_for_channel_type", "channel_not_found", "is_archived", "is_private", "missing_scope", "restricted_action":
		return coach.Errorf(coach.EFORBIDDEN, "svc.err.not_in_channel", channelRef(ch))
	}
	return fmt.Errorf("conversations.join %s: %w", ch, err)
}

// slackError returns the Slack error code of err ("not_in_channel"), or "".
func slackError(err error) string {
	if e, ok := errors.AsType[slack.SlackErrorResponse](err); ok {
		return e.Err
	}
	if e, ok := errors.AsType[*slack.SlackErrorResponse](err); ok {
		return e.Err
	}
	return ""
}

// postedIn returns the channel of the kudos posted for compliment prompt o,
// or "" when none was (the post failed after the answer was recorded).
func (m *Messenger) postedIn(ctx context.Context, o coach.Occurrence) coach.ChannelID {
	ks, err := m.kudos.KudosFor(ctx, o.Answer.Leader, o.Answer.At.Add(-time.Minute))
	if err != nil {
		return ""
	}
	for _, k := range ks {
		if k.Occ == o.Key && k.TS != "" {
			return k.Channel
		}
	}
	return ""
}
