package slackapp

import (
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// RenderKudos renders a public compliment for the kudos channel. The only
// mentions in it are the leader's and the director's, built here from IDs;
// the director's text is escaped (coach.Escape) and shown verbatim, so
// nothing typed in it can ping a channel, a group or anyone else, or
// disguise a link. Post it with unfurling off.
func RenderKudos(lang i18n.Lang, k coach.Kudos) (string, []slack.Block) {
	head := lang.T("kudos.message", userRef(k.To), userRef(k.From))
	body := quoteLines(coach.Escape(k.Text, coach.MaxTextLen))
	blocks := []slack.Block{mrkdwnSection(head+"\n"+body, true)}
	return lang.T("kudos.fallback", userRef(k.To), userRef(k.From)), blocks
}
