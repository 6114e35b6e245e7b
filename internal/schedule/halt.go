package schedule

import (
	"context"
	"errors"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

// A refused token halts the loop. Slack refusing the bot token (an error
// whose TokenRefused() is true, as *slackio.AuthError's) means that no
// prompt can go until an operator fixes the token and restarts the bot, and
// the process is stopping on it (cmd/bot exits on the slackio.TokenGuard).
// So the loop gives up at once: no retry pause, no further plan, reminder or
// ad-hoc prompt, and no reconcile of what it was sending, which stays
// recorded Sending for the next process to reconcile and send, once.
// A halted loop stays halted: Run then only waits for its ctx.

// tokenRefused reports whether err says Slack refused the bot token.
func tokenRefused(err error) bool {
	var r interface{ TokenRefused() bool }
	return errors.As(err, &r) && r.TokenRefused()
}

// haltingPoster is the Poster the loop calls: every answer passes here, so
// the loop learns of a refused token in one place.
type haltingPoster struct {
	Poster
	halt func(error)
}

func (p haltingPoster) Post(ctx context.Context, o coach.Occurrence, ref string) (coach.ChannelID, string, error) {
	ch, ts, err := p.Poster.Post(ctx, o, ref)
	p.halt(err)
	return ch, ts, err
}

func (p haltingPoster) Find(ctx context.Context, o coach.Occurrence, ref string, since time.Time) (coach.ChannelID, string, bool, error) {
	ch, ts, found, err := p.Poster.Find(ctx, o, ref, since)
	p.halt(err)
	return ch, ts, found, err
}

// halt halts the loop when err is a refused token; the first refusal is
// kept and logged once.
func (l *Loop) halt(err error) {
	if err == nil || !tokenRefused(err) {
		return
	}
	l.haltOnce.Do(func() {
		l.haltErr = err
		close(l.halted)
		l.log.Warn().Err(err).Msg("due-loop halted: slack refused the bot token; unsent prompts stay pending for a restart")
	})
}

// isHalted reports whether a refused token halted the loop.
func (l *Loop) isHalted() bool {
	select {
	case <-l.halted:
		return true
	default:
		return false
	}
}

// Halted is closed once Slack refused the bot token to the loop.
func (l *Loop) Halted() <-chan struct{} { return l.halted }
