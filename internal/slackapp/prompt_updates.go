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
	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/wait"
)

// UpdateAPI is the part of the Slack Web API PromptUpdates uses;
// *slack.Client has it.
type UpdateAPI interface {
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
}

// PromptUpdatesConfig wires PromptUpdates. Slack is required.
type PromptUpdatesConfig struct {
	Slack UpdateAPI
	// Rate paces chat.update; the zero Rate is 45 a minute with a burst of
	// 5, under Slack's Tier 3 (50 a minute per workspace).
	Rate slackio.Rate
	// Queue bounds the updates waiting; default 1024. A full queue tells the
	// director at once that the answer is recorded.
	Queue int
	// Budget bounds how long one update keeps trying (Retry-After after
	// Retry-After, and errors Slack may get over); default 2 minutes.
	Budget time.Duration
	// Drain bounds the work left when Run's ctx is done; default 5 s.
	Drain   time.Duration
	Now     func() time.Time
	Logger  zerolog.Logger
	Metrics InteractionMetrics
	// Token, if set, is tripped when Slack refuses the bot token.
	Token *slackio.TokenGuard
}

// PromptUpdates updates prompt messages no interaction can replace, with
// chat.update: one at a time, paced under its tier, each tried again after
// Slack's Retry-After and after a failure Slack may get over, within a
// budget. An update that cannot be made is told to the director
// ephemerally: their answer is recorded, only the message is stale (a later
// click on its buttons gets "already recorded"). Show never blocks; Run
// works the queue until its ctx is done, then gives what is left Drain.
type PromptUpdates struct {
	api     UpdateAPI
	queue   chan queuedUpdate
	lim     *slackio.Limiter
	budget  time.Duration
	drain   time.Duration
	now     func() time.Time
	log     zerolog.Logger
	metrics InteractionMetrics
	token   *slackio.TokenGuard
}

type queuedUpdate struct {
	a coach.Answered
}

// limitUpdate is PromptUpdates' limiter key.
const limitUpdate = "chat.update"

// NewPromptUpdates returns PromptUpdates; call Run to work its queue.
func NewPromptUpdates(c PromptUpdatesConfig) *PromptUpdates {
	if c.Rate == (slackio.Rate{}) {
		c.Rate = slackio.Rate{PerSecond: 45.0 / 60, Burst: 5}
	}
	if c.Queue <= 0 {
		c.Queue = 1024
	}
	if c.Budget <= 0 {
		c.Budget = 2 * time.Minute
	}
	if c.Drain <= 0 {
		c.Drain = 5 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Metrics == nil {
		c.Metrics = noInteractionMetrics{}
	}
	return &PromptUpdates{api: c.Slack, queue: make(chan queuedUpdate, c.Queue),
		lim: slackio.NewLimiter(map[string]slackio.Rate{limitUpdate: c.Rate}, c.Now), budget: c.Budget, drain: c.Drain,
		now: c.Now, log: c.Logger.With().Str("component", "prompt_updates").Logger(), metrics: c.Metrics, token: c.Token}
}

// Show queues the update of a's message. When the queue is full the
// director is told at once, with ctx, that the answer is recorded.
func (u *PromptUpdates) Show(ctx context.Context, a coach.Answered) error {
	if a.Channel == "" || a.TS == "" {
		return nil // never posted: nothing to update
	}
	select {
	case u.queue <- queuedUpdate{a: a}:
		return nil
	default:
		return u.failed(ctx, a, errors.New("update queue full"))
	}
}

// Run updates the queued messages until ctx is done, then works what is
// left for at most Drain and returns.
func (u *PromptUpdates) Run(ctx context.Context) {
	for {
		select {
		case q := <-u.queue:
			u.update(ctx, q.a)
		case <-ctx.Done():
			u.drainLeft()
			return
		}
	}
}

// drainLeft works the queue for at most Drain after a stop.
func (u *PromptUpdates) drainLeft() {
	ctx, cancel := context.WithTimeout(context.Background(), u.drain)
	defer cancel()
	for {
		select {
		case q := <-u.queue:
			u.update(ctx, q.a)
		default:
			return
		}
		if ctx.Err() != nil {
			if n := len(u.queue); n > 0 {
				u.log.Warn().Int("left", n).Msg("stopping with prompt updates not made; their answers are recorded")
			}
			return
		}
	}
}

// update makes one update, paced and tried again within the budget; what
// cannot be made is told.
func (u *PromptUpdates) update(ctx context.Context, a coach.Answered) {
	text, blocks := renderAnswered(a)
	end := u.now().Add(u.budget)
	bctx, cancel := context.WithDeadline(ctx, end)
	defer cancel()
	backoff := time.Second
	for {
		err := u.lim.Wait(bctx, [2]string{limitUpdate})
		if err == nil {
			_, _, _, err = u.api.UpdateMessageContext(bctx, string(a.Channel), a.TS,
				slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...))
		}
		if err == nil {
			return
		}
		if u.token.Observe("chat.update", err) != nil {
			return // the bot stops; nothing can be told
		}
		pause, again := updateRetryWait(err, backoff)
		if d, limited := slackio.RetryAfter(err); limited {
			u.lim.Block(limitUpdate, d)
		}
		if !again || bctx.Err() != nil || u.now().Add(pause).After(end) {
			if ferr := u.failed(ctx, a, err); ferr != nil {
				u.log.Error().Err(ferr).Str("occ", string(a.Key)).Msg("prompt not updated, and the director not told")
			}
			return
		}
		if err := wait.For(bctx, pause); err != nil {
			continue // the budget ran out: the next round tells
		}
		backoff = min(2*backoff, 30*time.Second)
	}
}

// updateRetryWait says whether a failed chat.update may be tried again and
// after how long: after a rate limit's Retry-After, after a 5xx, a timeout
// or a reset; never after Slack's refusal of the message.
func updateRetryWait(err error, backoff time.Duration) (time.Duration, bool) {
	if d, ok := slackio.RetryAfter(err); ok {
		return d, true
	}
	return openRetryWait(err, backoff)
}

// failed tells the director ephemerally that a is recorded though its
// message was not updated (only for a recorded answer; a new question is
// no answer), and logs and counts the failure.
func (u *PromptUpdates) failed(ctx context.Context, a coach.Answered, cause error) error {
	reason := failureReason(cause)
	u.metrics.InteractionFailed("prompt_update", reason)
	if a.Answer == nil {
		u.log.Error().Err(cause).Str("occ", string(a.Key)).Str("reason", reason).Msg("prompt not updated")
		return nil
	}
	if err := tellRecorded(ctx, u.api, a); err != nil {
		return fmt.Errorf("update prompt %s: %w (and telling the director it is recorded: %w)", a.Key, cause, err)
	}
	u.log.Error().Err(cause).Str("occ", string(a.Key)).Str("user_id", string(a.Director)).Str("reason", reason).
		Msg("answered prompt not updated; told the director it is recorded")
	return nil
}

// tellRecorded tells the director ephemerally, in the prompt's DM, that
// what they chose is recorded though the message could not be updated.
func tellRecorded(ctx context.Context, api UpdateAPI, a coach.Answered) error {
	lang := a.Lang
	if lang == "" {
		lang = i18n.EN
	}
	note := lang.T("prompt.recorded_not_updated", outcomeText(lang, a.Occurrence,
		AnsweredInfo{Streak: a.Streak, Loc: a.Zone, KudosChannel: a.KudosChannel}))
	return whenLimited(ctx, updateWaitBudget, func() error {
		_, err := api.PostEphemeralContext(ctx, string(a.Channel), string(a.Director), slack.MsgOptionText(note, false))
		return err
	})
}
