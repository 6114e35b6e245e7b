package slackapp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// MessengerAPI is the part of the Slack Web API the Messenger uses;
// *slack.Client has it.
type MessengerAPI interface {
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error)
	JoinConversationContext(ctx context.Context, channelID string) (*slack.Channel, string, []string, error)
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
}

var _ coach.Messenger = (*Messenger)(nil)

// NewMessenger returns a Messenger.
func NewMessenger(c MessengerConfig) *Messenger {
	if c.LocationOf == nil {
		c.LocationOf = func(context.Context, coach.UserID) *time.Location { return time.UTC }
	}
	return &Messenger{api: c.Slack, settings: c.Settings, langOf: c.LangOf, locationOf: c.LocationOf, kudos: c.Kudos}
}

// UpdatePrompt re-renders o's message in the director's language (chat.update).
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
	text, blocks := RenderOccurrence(m.langOf(ctx, o.Director), o, info)
	// The answer is already recorded: a rate-limited update waits its
	// Retry-After (a few times, within the handler's deadline) rather than
	// telling the director their answer failed.
	for attempt := 1; ; attempt++ {
		_, _, _, err := m.api.UpdateMessageContext(ctx, string(o.Channel), o.TS,
			slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...))
		if err == nil {
			return nil
		}
		wait, limited := RetryAfter(err)
		if !limited || attempt == maxUpdateAttempts || wait > maxUpdateWait {
			return fmt.Errorf("chat.update %s: %w", o.Key, err)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("chat.update %s: %w", o.Key, err)
		case <-t.C:
		}
	}
}

// A rate-limited chat.update of an answered prompt is retried this often,
// when Slack asks to wait at most maxUpdateWait.
const (
	maxUpdateAttempts = 3
	maxUpdateWait     = 10 * time.Second
)

// PostKudos posts k in k.Channel in the giver's language, with unfurling
// off. Slack refusing the channel is EFORBIDDEN with a message saying how to
// invite the bot.
func (m *Messenger) PostKudos(ctx context.Context, k coach.Kudos) (string, error) {
	text, blocks := RenderKudos(m.langOf(ctx, k.From), k)
	_, ts, err := m.api.PostMessageContext(ctx, string(k.Channel),
		slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...),
		slack.MsgOptionDisableLinkUnfurl(), slack.MsgOptionDisableMediaUnfurl())
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
