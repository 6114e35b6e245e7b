package slackapp

import (
	"context"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/wait"
)

// MessengerAPI is the part of the Slack Web API the Messenger uses;
// *slack.Client has it.
type MessengerAPI interface {
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	JoinConversationContext(ctx context.Context, channelID string) (*slack.Channel, string, []string, error)
}

// InteractionMetrics counts the steps of a click or a modal that Slack did
// not carry out; *metrics.Metrics has it.
type InteractionMetrics interface {
	InteractionFailed(step, reason string)
}

// MessengerConfig wires a Messenger. Slack and LangOf are required.
type MessengerConfig struct {
	Slack  MessengerAPI
	LangOf func(ctx context.Context, u coach.UserID) i18n.Lang
}

// Messenger implements coach.Messenger with the Slack Web API: what the use
// cases do in Slack themselves (post kudos, join the kudos channel).
// Showing an answered prompt is the routes' (promptShow).
type Messenger struct {
	api    MessengerAPI
	langOf func(ctx context.Context, u coach.UserID) i18n.Lang
}

var _ coach.Messenger = (*Messenger)(nil)

// NewMessenger returns a Messenger.
func NewMessenger(c MessengerConfig) *Messenger {
	return &Messenger{api: c.Slack, langOf: c.LangOf}
}

type noInteractionMetrics struct{}

func (noInteractionMetrics) InteractionFailed(string, string) {}

// whenLimited runs call, and again after Slack's Retry-After for as long as
// Slack answers 429 and the waits add up to at most budget. It returns the
// last error.
func whenLimited(ctx context.Context, budget time.Duration, call func() error) error {
	for {
		err := call()
		if err == nil {
			return nil
		}
		pause, limited := slackio.RetryAfter(err)
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
	if _, limited := slackio.RetryAfter(err); limited {
		return "ratelimited"
	}
	if code := slackio.ErrorCode(err); code != "" {
		return code
	}
	return "unclear"
}

// How long a rate-limited call waits for Slack in all, Retry-After after
// Retry-After: telling a director their answer is recorded (only the
// message waits), and a kudos post (a kudos channel takes about one
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
		switch slackio.ErrorCode(err) {
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
	switch slackio.ErrorCode(err) {
	case "method_not_supported_for_channel_type", "channel_not_found", "is_archived", "is_private", "missing_scope", "restricted_action":
		return coach.Errorf(coach.EFORBIDDEN, "svc.err.not_in_channel", channelRef(ch))
	}
	return fmt.Errorf("conversations.join %s: %w", ch, err)
}
