package slackapp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/wait"
)

// Opening a modal spends the click's trigger_id, which Slack accepts once and
// for 3 s after the click. A transient failure of views.open (a 429 with a
// short Retry-After, a 5xx, a timeout, a reset) is retried while the trigger
// lives, never after: past it Slack can only answer expired_trigger_id, and
// the director is better told at once to click again.
const (
	triggerLife = 3 * time.Second
	// An attempt needs at least this long to be worth starting.
	minOpenAttempt = 250 * time.Millisecond
	// One attempt gives up after this long, so that a hanging Slack leaves
	// time for a second one within the trigger's life. A views.open that
	// took effect after all makes the second one answer
	// exchanged_trigger_id, which counts as opened.
	maxOpenAttempt   = 1500 * time.Millisecond
	firstOpenBackoff = 100 * time.Millisecond
)

// triggerDeadline is when the trigger of a click at actionTS (Slack's
// "seconds.micros") expires, by our clock: 3 s after the click, and never
// later than 3 s after now (the handler cannot have got the trigger before
// the click). An unreadable actionTS counts as a click now.
func triggerDeadline(actionTS string, now time.Time) time.Time {
	latest := now.Add(triggerLife)
	sec, frac, _ := strings.Cut(actionTS, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return latest
	}
	micros, _ := strconv.ParseInt((frac + "000000")[:6], 10, 64)
	if d := time.Unix(s, micros*1000).Add(triggerLife); d.Before(latest) {
		return d
	}
	return latest
}

// openRetryWait reports whether a failed views.open may be tried again with
// the same trigger, and after how long: a rate limit after its Retry-After,
// a 5xx, a timeout or a reset after a short backoff. Slack's refusals of the
// trigger or the view (expired_trigger_id, invalid_arguments, invalid_auth…)
// never change with a retry.
func openRetryWait(err error, backoff time.Duration) (time.Duration, bool) {
	if d, ok := slackio.RetryAfter(err); ok {
		return d, true
	}
	if e, ok := errors.AsType[slack.StatusCodeError](err); ok {
		return backoff, e.Code >= http.StatusInternalServerError
	}
	switch slackio.ErrorCode(err) {
	case "":
		return backoff, true // no answer at all: timeout, reset, refused connection
	case "internal_error", "fatal_error", "service_unavailable", "request_timeout":
		return backoff, true
	}
	return 0, false
}

// viewOpener opens modals with a click's (or a slash command's) trigger.
type viewOpener struct {
	api interface {
		OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
	}
	now func() time.Time // Slack's clock, by which the trigger lives
	log zerolog.Logger
}

// openView opens view with the click's trigger (see viewOpener.open).
func (c *coachRoutes) openView(ctx context.Context, actionTS, triggerID string, view slack.ModalViewRequest) error {
	return viewOpener{api: c.api, now: c.now, log: c.log}.open(ctx, actionTS, triggerID, view)
}

// open opens view with the trigger of a click at actionTS ("" for a slash
// command: a trigger minted now), retrying transient failures while the
// trigger lives (see triggerLife). It returns the last error when the modal
// did not open.
func (o viewOpener) open(ctx context.Context, actionTS, triggerID string, view slack.ModalViewRequest) error {
	until := triggerDeadline(actionTS, o.now())
	backoff := firstOpenBackoff
	for attempt := 1; ; attempt++ {
		// The first attempt is always made: Slack, not our clock, decides
		// whether the trigger still lives.
		now := o.now()
		end := now.Add(min(until.Sub(now), maxOpenAttempt))
		if attempt == 1 && end.Sub(now) < minOpenAttempt {
			end = now.Add(minOpenAttempt)
		}
		actx, cancel := context.WithDeadline(ctx, end)
		_, err := o.api.OpenViewContext(actx, triggerID, view)
		cancel()
		if err == nil {
			return nil
		}
		if attempt > 1 && slackio.ErrorCode(err) == "exchanged_trigger_id" {
			// An earlier attempt whose answer was lost did open it.
			return nil
		}
		pause, retry := openRetryWait(err, backoff)
		if !retry || ctx.Err() != nil || until.Sub(o.now()) < pause+minOpenAttempt {
			return fmt.Errorf("views.open (%d attempts): %w", attempt, err)
		}
		o.log.Info().Err(err).Int("attempt", attempt).Dur("wait", pause).Msg("views.open failed; retrying within the trigger's life")
		if wait.For(ctx, pause) != nil {
			return fmt.Errorf("views.open (%d attempts): %w", attempt, err)
		}
		backoff *= 2
	}
}

// tellEphemeral tells actor text ephemerally: through the interaction's
// response_url when there is one (no rate tier), else in the prompt's DM
// (chat.postEphemeral). It returns the error of telling.
func (c *coachRoutes) tellEphemeral(ctx context.Context, actor coach.UserID, responseURL string, channel coach.ChannelID, text string) error {
	if responseURL != "" {
		if err := slackio.PostReply(ctx, c.show.hc, responseURL, slackio.Reply{Text: text}); err == nil {
			return nil
		}
	}
	if channel == "" {
		return errors.New("tell: no response_url and no channel")
	}
	if _, err := c.api.PostEphemeralContext(ctx, string(channel), string(actor), slack.MsgOptionText(text, false)); err != nil {
		return fmt.Errorf("tell: %w", err)
	}
	return nil
}

// formOpener returns what opens a form of prompt o with the click's
// trigger (openForm), having remembered the click's response_url for the
// form's submission (openedForms).
func (c *coachRoutes) formOpener(cb slack.InteractionCallback, act slack.BlockAction, o coach.Occurrence, what, notOpened string, lang i18n.Lang) func(ctx context.Context, view slack.ModalViewRequest) error {
	return func(ctx context.Context, view slack.ModalViewRequest) error {
		c.opened.remember(o.Key, coach.UserID(cb.User.ID), responseURLOf(cb))
		return c.openForm(ctx, cb, act, o, view, what, notOpened, lang)
	}
}

// openForm opens view, the form of prompt o, with the click's trigger. When
// it does not open, the clicker is told what failed (the catalog text
// notOpened, in lang) and that another click (a fresh trigger) will do; only
// when even that cannot be said does the failure go to the edge (the generic
// apology). what names the form in the metrics.
func (c *coachRoutes) openForm(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction, o coach.Occurrence, view slack.ModalViewRequest, what, notOpened string, lang i18n.Lang) error {
	actor := coach.UserID(cb.User.ID)
	err := c.openView(ctx, act.ActionTs, cb.TriggerID, view)
	if err == nil {
		return nil
	}
	if c.token.Observe("views.open", err) != nil {
		return fmt.Errorf("open %s %s: %w", what, o.Key, err) // the bot stops
	}
	reason := failureReason(err)
	c.metrics.InteractionFailed(what, reason)
	channel := o.Channel
	if channel == "" {
		channel = coach.ChannelID(cb.Channel.ID)
	}
	if terr := c.tellEphemeral(ctx, actor, responseURLOf(cb), channel, lang.T(notOpened)); terr != nil {
		return fmt.Errorf("open %s %s: %w (%w)", what, o.Key, err, terr)
	}
	c.log.Warn().Err(err).Str("occ", string(o.Key)).Str("user_id", string(actor)).Str("reason", reason).Str("form", what).
		Msg("form not opened; told the director to click again")
	return nil
}
