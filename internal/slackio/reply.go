package slackio

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/slack-go/slack"
)

// Respond posts r to a response_url.
func (a *App) Respond(ctx context.Context, responseURL string, r Reply) error {
	return PostReply(ctx, a.cfg.HTTPClient, responseURL, r)
}

// Reply is a handler's answer to the user who acted.
type Reply struct {
	Text            string
	Blocks          []slack.Block
	InChannel       bool
	ReplaceOriginal bool
	DeleteOriginal  bool
}

// replyTimeout bounds one response_url post.
const replyTimeout = 10 * time.Second

// PostReply posts r to a response_url with hc.
func PostReply(ctx context.Context, hc *http.Client, responseURL string, r Reply) error {
	if responseURL == "" {
		return fmt.Errorf("respond: no response_url")
	}
	msg := &slack.WebhookMessage{
		Text:            r.Text,
		ReplaceOriginal: r.ReplaceOriginal,
		DeleteOriginal:  r.DeleteOriginal,
		ResponseType:    slack.ResponseTypeEphemeral,
	}
	if r.InChannel {
		msg.ResponseType = slack.ResponseTypeInChannel
	}
	if len(r.Blocks) > 0 {
		msg.Blocks = &slack.Blocks{BlockSet: r.Blocks}
	}
	ctx, cancel := context.WithTimeout(ctx, replyTimeout)
	defer cancel()
	if err := slack.PostWebhookCustomHTTPContext(ctx, responseURL, hc, msg); err != nil {
		return fmt.Errorf("respond: %w", err)
	}
	return nil
}
