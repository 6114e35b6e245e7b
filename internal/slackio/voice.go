package slackio

import (
	"context"

	"github.com/leancoach/leancoach/internal/i18n"
)

// Voice is what the App says to a user on its own (a handler's error, an
// overload) and how it sorts a handler's error for the log. The transport
// knows no domain: the assembly hands in the surfaces' Voice, which knows
// the domain's errors and each user's language.
type Voice interface {
	// ErrorText is err's user-safe message for user, in their language:
	// never the error's own text unless it is safe to show.
	ErrorText(ctx context.Context, user string, err error) string
	// Busy tells user the bot could not take what they sent; try again.
	Busy(ctx context.Context, user string) string
	// Sort tells how err is logged.
	Sort(err error) Failure
}

// Failure is how a handler's error is logged.
type Failure struct {
	Code string // logged as "code"
	// Refused marks a user's mistake: logged at info as "request refused"
	// with Key (the message key) and without the error's text.
	Refused bool
	Key     string
	// Internal marks the bot's own failure, logged at error; neither flag:
	// at warn.
	Internal bool
}

// plainVoice is the Voice of an App given none: English, and every error
// an internal failure whose text is never shown.
type plainVoice struct{}

func (plainVoice) ErrorText(context.Context, string, error) string {
	return i18n.EN.T("error.internal")
}
func (plainVoice) Busy(context.Context, string) string { return i18n.EN.T("error.busy") }
func (plainVoice) Sort(error) Failure                  { return Failure{Internal: true} }
