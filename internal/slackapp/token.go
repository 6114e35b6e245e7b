package slackapp

import (
	"sync"
	"sync/atomic"
)

// authCodes are Slack's answers that the bot token itself is no good: the
// app was uninstalled or its token revoked, expired or mistyped, or the
// bot's user or workspace deleted (account_inactive: "Authentication token
// is for a deleted user or workspace when using a bot token"). No retry and
// no other recipient can succeed; an operator must fix SLACK_BOT_TOKEN.
var authCodes = map[string]bool{
	"invalid_auth": true, "not_authed": true, "token_revoked": true, "token_expired": true,
	"account_inactive": true,
}

// AuthError is Slack refusing the bot token: the call had no effect, and
// nothing will be sent until the token is fixed and the bot restarted.
type AuthError struct {
	Method string
	Code   string // Slack's error code, e.g. "token_revoked"
}

func (e *AuthError) Error() string { return e.Method + ": slack refused the bot token: " + e.Code }

// ErrorCode returns Slack's error code.
func (e *AuthError) ErrorCode() string { return e.Code }

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

// Rejected is closed when the guard trips.
func (g *TokenGuard) Rejected() <-chan struct{} { return g.rejected }
