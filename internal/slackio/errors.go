package slackio

import (
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"
)

// ErrorCode returns the Slack error code of err ("not_in_channel"), or "".
func ErrorCode(err error) string {
	if e, ok := errors.AsType[slack.SlackErrorResponse](err); ok {
		return e.Err
	}
	if e, ok := errors.AsType[*slack.SlackErrorResponse](err); ok {
		return e.Err
	}
	return ""
}

// SlackError is an ok:false answer from Slack: the call had no effect.
type SlackError struct {
	Method string
	Code   string // Slack's error code, e.g. "user_not_found"
}

func (e *SlackError) Error() string { return e.Method + ": slack error " + e.Code }

// ErrorCode returns Slack's error code.
func (e *SlackError) ErrorCode() string { return e.Code }

// Permanent reports whether retrying can never help (see IsPermanent).
func (e *SlackError) Permanent() bool { return permanentCodes[e.Code] }

// RateLimitError is a 429 (or ok:false "ratelimited"): nothing happened; try
// again after Wait.
type RateLimitError struct {
	Method string
	Wait   time.Duration
	Err    error
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("%s: rate limited, retry after %s", e.Method, e.Wait)
}

func (e *RateLimitError) Unwrap() error { return e.Err }

// RetryAfter returns how long to wait before trying again.
func (e *RateLimitError) RetryAfter() time.Duration { return e.Wait }

// permanentCodes are Slack errors for which the same message to the same
// recipient will never succeed: the recipient or the DM is gone or closed to
// the bot, or the message itself is invalid. Auth errors (invalid_auth,
// token_revoked…, see authCodes) are not among them: they are the bot's
// fault, fixed by the operator, after which the prompts can still go. The
// Poster takes account_inactive as the recipient's only when auth.test
// accepts the token (see classify).
var permanentCodes = map[string]bool{
	"user_not_found": true, "user_disabled": true, "account_inactive": true, "user_not_visible": true,
	"channel_not_found": true, "is_archived": true, "cannot_dm_bot": true, "not_in_channel": true,
	"messages_tab_disabled": true, "restricted_action": true, "invalid_blocks": true,
	"invalid_blocks_format": true, "msg_blocks_too_long": true, "no_text": true,
	"too_many_attachments": true, "invalid_metadata_format": true, "invalid_metadata_schema": true,
	"metadata_too_large": true,
}

// IsPermanent reports whether err is a Slack error that retrying can never
// fix (user_not_found, account_inactive, channel_not_found, is_archived,
// cannot_dm_bot, not_in_channel, invalid_blocks…).
func IsPermanent(err error) bool {
	if se, ok := errors.AsType[*SlackError](err); ok {
		return se.Permanent()
	}
	var raw slack.SlackErrorResponse
	return errors.As(err, &raw) && permanentCodes[raw.Err]
}

// RetryAfter reports whether err is a rate limit and how long to wait: a
// *slack.RateLimitedError (HTTP 429 with Retry-After), a RateLimitError, an
// HTTP 429 without Retry-After (30 s), or ok:false "ratelimited" /
// "rate_limited" (30 s).
func RetryAfter(err error) (time.Duration, bool) {
	const fallback = 30 * time.Second
	if e, ok := errors.AsType[*RateLimitError](err); ok {
		return e.Wait, true
	}
	if e, ok := errors.AsType[*slack.RateLimitedError](err); ok {
		return max(e.RetryAfter, time.Second), true
	}
	if e, ok := errors.AsType[slack.StatusCodeError](err); ok && e.Code == 429 {
		return fallback, true
	}
	var raw slack.SlackErrorResponse
	if errors.As(err, &raw) && (raw.Err == "ratelimited" || raw.Err == "rate_limited") {
		return fallback, true
	}
	return 0, false
}
