package slackapp

import (
	"strings"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// slackMsg is m with the people it names (coach.Named, coach.Names), also
// in the messages nested in it, shown as Slack shows people: mentions.
// The domain names people by ID only.
func slackMsg(m i18n.Msg) i18n.Msg {
	if len(m.Args) == 0 {
		return m
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		switch a := a.(type) {
		case coach.Named:
			args[i] = userRef(coach.UserID(a))
		case coach.Names:
			refs := make([]string, len(a))
			for j, u := range a {
				refs[j] = userRef(u)
			}
			args[i] = strings.Join(refs, ", ")
		case i18n.Msg:
			args[i] = slackMsg(a)
		default:
			args[i] = a
		}
	}
	return i18n.Msg{Key: m.Key, Args: args}
}

// ErrorText is err's user-safe message (coach.ErrorMessage) in lang, as
// Slack shows it.
func ErrorText(lang i18n.Lang, err error) string {
	return lang.Render(slackMsg(coach.ErrorMessage(err)))
}
