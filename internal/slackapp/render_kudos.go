package slackapp

import (
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// RenderKudos renders a public compliment for the kudos channel. The only
// mentions in it are the leader's and the director's, built here from IDs;
// the director's text is escaped (Escape) and shown verbatim, so
// nothing typed in it can ping a channel, a group or anyone else, or
// disguise a link. Post it with unfurling off.
func RenderKudos(lang i18n.Lang, k coach.Kudos) (string, []slack.Block) {
	head := lang.T("kudos.message", userRef(k.To), userRef(k.From))
	body := fitQuoted(Escape(k.Text, coach.MaxTextLen), sectionTextMax-utf8.RuneCountInString(head)-1)
	blocks := []slack.Block{mrkdwnSection(head+"\n"+body, true)}
	return lang.T("kudos.fallback", userRef(k.To), userRef(k.From)), blocks
}

// sectionTextMax is Slack's limit for a section's text, in characters.
const sectionTextMax = 3000

// fitQuoted quotes escaped text line by line (quoteLines) within limit
// characters. Escaping can make a text of coach.MaxTextLen characters five
// times longer ("&" is "&amp;"), and quoting adds one per line; what does not
// fit is cut, never inside an entity, and ends with "…".
func fitQuoted(escaped string, limit int) string {
	if q := quoteLines(escaped); utf8.RuneCountInString(q) <= limit {
		return q
	}
	r := []rune(escaped)
	// The longest prefix whose quoted form, with the "…", fits: quoting a
	// longer prefix is never shorter, so bisect.
	fits := func(n int) bool { return utf8.RuneCountInString(quoteLines(string(r[:n])))+1 <= limit }
	n, over := 0, len(r) // fits(n); !fits(over), since the whole did not fit
	for over-n > 1 {
		if mid := (n + over) / 2; fits(mid) {
			n = mid
		} else {
			over = mid
		}
	}
	// Back off from a cut entity: an '&' in the last four runes with no ';'
	// after it.
	for i := n - 1; i >= 0 && i >= n-4; i-- {
		if r[i] == ';' {
			break
		}
		if r[i] == '&' {
			n = i
			break
		}
	}
	return quoteLines(string(r[:n]) + "…")
}
