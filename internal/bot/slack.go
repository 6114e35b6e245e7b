package bot

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/schedule"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slackio"
)

// What a user in Slack (or a test acting as one) sees of the bot: the ids
// of a prompt's buttons and of its forms, the marks on the bot's messages.
// The campaign drives the bot through the local Slack with these, and
// reaches the Slack side only through the assembly.
const (
	ActionAnswer      = slackapp.ActionAnswer      // a prompt's primary button: records it done
	ActionNotToday    = slackapp.ActionNotToday    // records not today
	ActionNote        = slackapp.ActionNote        // after a done answer: opens the note form
	ViewDone          = slackapp.ViewDone          // the callback_id of the done answer's note form
	BlockNote         = slackapp.BlockNote         // the note's input block in that form
	MetadataEventType = slackapp.MetadataEventType // the metadata event type of a prompt message
	DigestEventType   = slackapp.DigestEventType   // the metadata event type of a weekly digest
)

// ModalMeta is the private metadata of a prompt's forms.
type ModalMeta = slackapp.ModalMeta

// Rate is a pace of Web API calls (Options.Limits, Options.ConnectRate).
type Rate = slackio.Rate

// LimitPost is the Options.Limits key of chat.postMessage's workspace pace.
const LimitPost = slackio.LimitPost

// DefaultLimits are the paces Options.Limits defaults to.
func DefaultLimits() map[string]Rate { return slackio.DefaultLimits() }

// ConnectRate is the default Options.ConnectRate of a bot with n sockets.
func ConnectRate(n int) Rate { return slackio.ConnectRate(n) }

// AuthError is Slack refusing the bot token, as Stop and Run report it.
type AuthError = slackio.AuthError

// CheckInPlan is the schedule ID under which the due store keeps the Lean
// leaders' monthly check-in plans, beside the directors' prompt plans.
const CheckInPlan = schedule.CheckInPlan

// Tick is the due-loop's longest sleep: a prompt due is recorded within
// one Tick of its time.
const Tick = schedule.DefaultTick

// ParseWhen parses a schedule's recurrence rule as the due-loop reads it.
func ParseWhen(when string) (schedule.Rule, error) { return schedule.ParseWhen(when) }

// PostPrompt posts o in its director's DM as the bot's sender does (the
// prompt rendered in English, the occurrence key in its metadata), but
// unpaced: for tests and tools that put prompts in a Slack as though the
// bot had sent them.
func PostPrompt(ctx context.Context, api *slack.Client, o coach.Occurrence) (channel, ts string, err error) {
	text, blocks := slackapp.RenderPrompt(i18n.EN, o)
	channel, ts, err = api.PostMessageContext(ctx, string(o.Director), slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: MetadataEventType, EventPayload: map[string]any{"occ": string(o.Key)}}))
	if err != nil {
		return "", "", fmt.Errorf("post prompt %s: %w", o.Key, err)
	}
	return channel, ts, nil
}
