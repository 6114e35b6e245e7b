package slackapp

import (
	"strings"

	"github.com/leancoach/leancoach/internal/coach"
)

// Slack writes a person in a slash command's text as <@U123|name> (or
// <@U123> when it has no label) and a channel as <#C123|name>. The domain
// takes the bare IDs; these read them out.

// parseUserMention accepts a Slack mention ("<@U123>", "<@U123|name>") or
// a bare ID ("U123").
func parseUserMention(s string) (coach.UserID, bool) {
	return coach.ParseUserID(refID(s, '@'))
}

// parseChannelMention accepts a Slack channel reference ("<#C123>",
// "<#C123|kudos>") or a bare ID ("C123").
func parseChannelMention(s string) (coach.ChannelID, bool) {
	return coach.ParseChannelID(refID(s, '#'))
}

// refID is the ID inside the reference <sigil ID> or <sigil ID|label>, or
// s itself when s is no such reference.
func refID(s string, sigil byte) string {
	if len(s) > 3 && s[0] == '<' && s[1] == sigil && s[len(s)-1] == '>' {
		s = s[2 : len(s)-1]
		if i := strings.IndexByte(s, '|'); i >= 0 {
			s = s[:i]
		}
	}
	return s
}
