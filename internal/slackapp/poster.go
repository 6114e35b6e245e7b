package slackapp

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackio"
)

// MetadataEventType marks the bot's prompt messages; their metadata payload
// holds the message ref under "occ" (the occurrence key, or key+"#rN" for a
// snooze reminder). It is how an unclear send is reconciled: Slack has no
// idempotency key for chat.postMessage, so the Poster looks for the ref in
// the DM's history before anything is posted again.
const MetadataEventType = "leancoach_prompt"

// RenderFunc renders a prompt: the notification text and the blocks.
// (*PromptRenderer).Render is one.
type RenderFunc func(ctx context.Context, o coach.Occurrence) (text string, blocks []slack.Block, err error)

// PosterOptions configure a Poster. The zero value is ready to use.
type PosterOptions struct {
	Limits  map[string]slackio.Rate // nil: slackio.DefaultLimits()
	Timeout time.Duration           // per Web API call; default 10s
	Now     func() time.Time
	// Token is tripped when Slack refuses the bot token; nil = a guard of
	// the Poster's own (see Poster.Token).
	Token *slackio.TokenGuard
}

// Poster is the Web API side of sending prompts (schedule.Poster): it posts a
// prompt into the director's DM with its ref in the message metadata, finds
// it again after an unclear outcome, paces its calls under Slack's rate
// limits and classifies Slack's errors. Safe for concurrent use.
type Poster struct {
	api     *slack.Client
	render  RenderFunc
	timeout time.Duration
	lim     *slackio.Limiter
	token   *slackio.TokenGuard

	mu  sync.Mutex
	dms map[coach.UserID]coach.ChannelID // DM channel per director, learnt from Slack
}

// NewPoster returns a Poster that calls Slack through api. api should not
// retry on connection errors (slack-go's OptionRetry handlers for "EOF" and
// "connection reset"): a retried chat.postMessage can post twice.
func NewPoster(api *slack.Client, render RenderFunc, opts PosterOptions) *Poster {
	if opts.Limits == nil {
		opts.Limits = slackio.DefaultLimits()
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Token == nil {
		opts.Token = slackio.NewTokenGuard()
	}
	return &Poster{api: api, render: render, timeout: opts.Timeout, token: opts.Token,
		lim: slackio.NewLimiter(opts.Limits, opts.Now), dms: map[coach.UserID]coach.ChannelID{}}
}

// Token is the guard the Poster trips when Slack refuses the bot token.
func (p *Poster) Token() *slackio.TokenGuard { return p.token }

// Post posts o's prompt (or its reminder, by ref) into the director's DM. It
// posts to the DM channel when known, and otherwise to the director's user
// ID, which Slack resolves to the app's DM with them: this saves a
// conversations.open (Tier 3, 50/min) per director, which would otherwise
// bound a morning's prompts to 50 a minute. Errors: see SlackError,
// RateLimitError and AuthError (after which the Poster calls Slack no more);
// anything else is an unclear outcome.
func (p *Poster) Post(ctx context.Context, o coach.Occurrence, ref string) (coach.ChannelID, string, error) {
	if err := p.token.Err(); err != nil {
		return "", "", fmt.Errorf("post %s: %w", ref, err)
	}
	text, blocks, err := p.render(ctx, o)
	if err != nil {
		return "", "", fmt.Errorf("post %s: %w", ref, err)
	}
	return p.postTo(ctx, o.Director, ref, text, blocks)
}

// postTo posts a message with ref in its metadata into u's DM.
func (p *Poster) postTo(ctx context.Context, u coach.UserID, ref, text string, blocks []slack.Block) (coach.ChannelID, string, error) {
	target := string(u)
	if ch, ok := p.dm(u); ok {
		target = string(ch)
	}
	if err := p.lim.Wait(ctx, [2]string{slackio.LimitPost}, [2]string{slackio.LimitPerChannel, target}); err != nil {
		return "", "", fmt.Errorf("post %s: %w", ref, err)
	}
	cctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	opts := []slack.MsgOption{
		slack.MsgOptionText(text, false),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: MetadataEventType, EventPayload: map[string]any{"occ": ref}}),
	}
	if len(blocks) > 0 {
		opts = append(opts, slack.MsgOptionBlocks(blocks...))
	}
	ch, ts, err := p.api.PostMessageContext(cctx, target, opts...)
	if err != nil {
		return "", "", p.classify(ctx, "chat.postMessage", slackio.LimitPost, ref, err)
	}
	if ch == "" || ts == "" {
		return "", "", fmt.Errorf("post %s: slack answered ok without channel or ts", ref)
	}
	p.remember(u, coach.ChannelID(ch))
	return coach.ChannelID(ch), ts, nil
}

// Find looks for the message with ref in the director's DM, posted after
// since (conversations.history with include_all_metadata).
func (p *Poster) Find(ctx context.Context, o coach.Occurrence, ref string, since time.Time) (coach.ChannelID, string, bool, error) {
	if err := p.token.Err(); err != nil {
		return "", "", false, fmt.Errorf("find %s: %w", ref, err)
	}
	ch, err := p.openDM(ctx, o.Director)
	if err != nil {
		return "", "", false, fmt.Errorf("find %s: %w", ref, err)
	}
	params := &slack.GetConversationHistoryParameters{ChannelID: string(ch), Limit: 200,
		Oldest: slackTS(since), Inclusive: true, IncludeAllMetadata: true}
	for range 50 { // 10,000 messages: far more than a DM gets between attempts
		if err := p.lim.Wait(ctx, [2]string{slackio.LimitHistory}); err != nil {
			return "", "", false, fmt.Errorf("find %s: %w", ref, err)
		}
		cctx, cancel := context.WithTimeout(ctx, p.timeout)
		resp, err := p.api.GetConversationHistoryContext(cctx, params)
		cancel()
		if err != nil {
			return "", "", false, p.classify(ctx, "conversations.history", slackio.LimitHistory, ref, err)
		}
		for _, m := range resp.Messages {
			if m.Metadata.EventType == MetadataEventType && m.Metadata.EventPayload["occ"] == ref {
				return ch, m.Timestamp, true, nil
			}
		}
		if !resp.HasMore || resp.ResponseMetaData.NextCursor == "" {
			return "", "", false, nil
		}
		params.Cursor = resp.ResponseMetaData.NextCursor
	}
	return "", "", false, fmt.Errorf("find %s: history of %s too long", ref, ch)
}

// openDM returns the director's DM channel, from the cache or
// conversations.open.
func (p *Poster) openDM(ctx context.Context, d coach.UserID) (coach.ChannelID, error) {
	if ch, ok := p.dm(d); ok {
		return ch, nil
	}
	if err := p.lim.Wait(ctx, [2]string{slackio.LimitOpen}); err != nil {
		return "", err
	}
	cctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	c, _, _, err := p.api.OpenConversationContext(cctx, &slack.OpenConversationParameters{Users: []string{string(d)}})
	if err != nil {
		return "", p.classify(ctx, "conversations.open", slackio.LimitOpen, string(d), err)
	}
	if c == nil || c.ID == "" {
		return "", fmt.Errorf("conversations.open %s: no channel in the answer", d)
	}
	p.remember(d, coach.ChannelID(c.ID))
	return coach.ChannelID(c.ID), nil
}

func (p *Poster) dm(d coach.UserID) (coach.ChannelID, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ch, ok := p.dms[d]
	return ch, ok
}

func (p *Poster) remember(d coach.UserID, ch coach.ChannelID) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dms[d] = ch
}

// slackTS formats t as a Slack ts ("seconds.micros"); zero is "".
func slackTS(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.FormatInt(t.Unix(), 10) + "." + fmt.Sprintf("%06d", t.Nanosecond()/1000)
}

// classify turns a slack-go error into the Poster's error types, holds the
// method back after a 429, and trips the token guard when Slack refused the
// bot token.
func (p *Poster) classify(ctx context.Context, method, limitKey, ref string, err error) error {
	if ae, ok := errors.AsType[*slackio.AuthError](err); ok {
		return ae // refused before (the token guard's Transport): nothing was sent
	}
	if d, ok := slackio.RetryAfter(err); ok {
		p.lim.Block(limitKey, d)
		return &slackio.RateLimitError{Method: method, Wait: d, Err: err}
	}
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) {
		return fmt.Errorf("%s %s: %w", method, ref, err) // unclear: timeout, 5xx, reset
	}
	if !slackio.IsAuthCode(se.Err) {
		return &slackio.SlackError{Method: method, Code: se.Err}
	}
	if se.Err == "account_inactive" {
		// Slack documents it as the token's (its user or workspace
		// deleted), and posting to a deactivated person succeeds; but a
		// wrong guess would stop the bot for one person, so auth.test
		// settles it: a token it accepts is not the problem.
		switch refused, terr := p.tokenRefused(ctx); {
		case terr != nil:
			// Unclear: the prompt stays Sending and is tried again later.
			return fmt.Errorf("%s %s: %s, and auth.test: %w", method, ref, se.Err, terr)
		case !refused:
			return &slackio.SlackError{Method: method, Code: se.Err}
		}
	}
	ae := &slackio.AuthError{Method: method, Code: se.Err}
	p.token.Trip(ae)
	return ae
}

// tokenRefused asks Slack whether it accepts the bot token (auth.test).
func (p *Poster) tokenRefused(ctx context.Context) (bool, error) {
	cctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	_, err := p.api.AuthTestContext(cctx)
	if err == nil {
		return false, nil
	}
	if _, ok := errors.AsType[*slackio.AuthError](err); ok || slackio.IsAuthCode(slackio.ErrorCode(err)) {
		return true, nil
	}
	return false, err
}
