package slackapp

import (
	"context"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
)

// Voice is the transport's slackio.Voice for the coaching surfaces: it
// tells the domain's errors (coach.Error) in each user's language and sorts
// them for the log.
type Voice struct {
	// LangOf tells the language to answer a user in; nil = English.
	LangOf func(ctx context.Context, u coach.UserID) i18n.Lang
}

var _ slackio.Voice = Voice{}

// ErrorText is err's user-safe message (coach.ErrorMessage) in user's
// language.
func (v Voice) ErrorText(ctx context.Context, user string, err error) string {
	return ErrorText(v.lang(ctx, user), err)
}

// Busy tells user the bot could not take what they sent.
func (v Voice) Busy(ctx context.Context, user string) string {
	return v.lang(ctx, user).T("error.busy")
}

// Sort tells a user's mistake (EINVALID, EFORBIDDEN, ENOTFOUND, ECONFLICT)
// from a failure of the bot (EINTERNAL, and any error that is no
// coach.Error) and from the rest (logged at warn).
func (Voice) Sort(err error) slackio.Failure {
	code := coach.ErrorCode(err)
	switch code {
	case coach.EINVALID, coach.EFORBIDDEN, coach.ENOTFOUND, coach.ECONFLICT:
		return slackio.Failure{Code: code, Refused: true, Key: coach.ErrorMessage(err).Key}
	case coach.EINTERNAL:
		return slackio.Failure{Code: code, Internal: true}
	}
	return slackio.Failure{Code: code}
}

func (v Voice) lang(ctx context.Context, user string) i18n.Lang {
	if v.LangOf == nil || user == "" {
		return i18n.EN
	}
	return v.LangOf(ctx, coach.UserID(user))
}
