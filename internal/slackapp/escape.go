package slackapp

import (
	"strings"

	"github.com/leancoach/leancoach/internal/coach"
)

// Escape makes user text inert in Slack mrkdwn: it cleans it (see
// coach.Clean) and entity-escapes &, < and >, Slack's only control
// characters, so nothing a user typed (<!channel>, <!here>, <!subteam^S1>,
// <@U1>, <#C1>, <https://x|y>) can become a mention, a channel link or a
// disguised link. The output never contains '<' or '>'. Render it in mrkdwn
// with verbatim: true (or as plain_text) so Slack does not auto-link it
// either.
func Escape(s string, limit int) string {
	s = coach.Clean(s, limit)
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	return mrkdwnEscaper.Replace(s)
}

var mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
