package slackio

import (
	"errors"
	"sync"
	"sync/atomic"
)

// tokenCodes are the authCodes that can only mean the token: a Web API
// user other than the Poster trips the guard on these alone, leaving the
// rarer account_inactive to the Poster's auth.test.
var tokenCodes = map[string]bool{"invalid_auth": true, "not_authed": true, "token_revoked": true, "token_expired": true}

// authCodes are Slack's answers that the bot token itself is no good: the
// app was uninstalled or its token revoked, expired or mistyped, or the
// bot's user or workspace deleted (account_inactive: "Authentication token
// is for a deleted user or workspace when using a bot token"). No retry and
// no other recipient can succeed; an operator must fix SLACK_BOT_TOKEN.
var authCodes = map[string]bool{
	"invalid_auth": true, "not_authed": true, "token_revoked": true, "token_expired": true,
	"account_inactive": true,
}

// IsAuthCode reports whether Slack's error code says the bot token itself
// is no good (see authCodes).
func IsAuthCode(code string) bool { return authCodes[code] }

// AuthError is Slack refusing the bot token: the call had no effect, and
// nothing will be sent until the token is fixed and the bot restarted.
type AuthError struct {
	Method string
	Code   string // Slack's error code, e.g. "token_revoked"
}

func (e *AuthError) Error() string { return e.Method + ": slack refused the bot token: " + e.Code }

// ErrorCode returns Slack's error code.
func (e *AuthError) ErrorCode() string { return e.Code }

// TokenRefused is always true: it is how a package that must not import
// slackapp (schedule) tells this error from an unclear outcome, with
// errors.As on interface{ TokenRefused() bool }.
func (e *AuthError) TokenRefused() bool { return true }

// TokenGuard remembers that Slack refused the bot token. Once tripped it
// stays tripped for the life of the process: the Poster then fails every
// call at once with the same *AuthError instead of calling Slack, so a
// morning of prompts is not a burst of refused calls, and the prompts stay
// recorded Sending, to be reconciled and sent by the next process once the
// token is fixed. The zero value is not usable; see NewTokenGuard. Safe for
// concurrent use.
type TokenGuard struct {
	once     sync.Once
	rejected chan struct{}
	err      atomic.Pointer[AuthError]
}

// NewTokenGuard returns an untripped guard.
func NewTokenGuard() *TokenGuard { return &TokenGuard{rejected: make(chan struct{})} }

// Trip records e; only the first call counts.
func (g *TokenGuard) Trip(e *AuthError) {
	g.once.Do(func() {
		g.err.Store(e)
		close(g.rejected)
	})
}

// Err is the *AuthError that tripped the guard, or nil while the token is
// good. It suits a readiness check.
func (g *TokenGuard) Err() error {
	if e := g.err.Load(); e != nil {
		return e
	}
	return nil
}

// Observe trips g when err is Slack refusing the bot token for sure
// (invalid_auth, not_authed, token_revoked, token_expired) on method, or
// an *AuthError (the guard's Transport failing a call after the trip), and
// returns the *AuthError then. A nil g observes nothing.
func (g *TokenGuard) Observe(method string, err error) *AuthError {
	if g == nil {
		return nil
	}
	if e, ok := errors.AsType[*AuthError](err); ok {
		g.Trip(e)
		return e
	}
	if !tokenCodes[ErrorCode(err)] {
		return nil
	}
	e := &AuthError{Method: method, Code: ErrorCode(err)}
	g.Trip(e)
	return e
}

// Rejected is closed when the guard trips.
func (g *TokenGuard) Rejected() <-chan struct{} { return g.rejected }
