package slackapp

import (
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// AuditReply renders /coach audit: newest first, one line per entry with
// the time in the reader's zone, who, the action and its IDs. Details are
// IDs and keys only (coach.SafeAuditText), shown as code so nothing in them
// can format or mention.
func AuditReply(lang i18n.Lang, es []coach.AuditEntry, loc *time.Location) Reply {
	if len(es) == 0 {
		return Reply{Text: lang.T("audit.empty")}
	}
	lines := []string{"*" + lang.T("audit.title", len(es)) + "*"}
	for _, e := range es {
		who := mentionOf(e.Actor)
		if _, ok := coach.ParseUserID(string(e.Actor)); !ok {
			who = "`" + coach.SafeAuditText(string(e.Actor)) + "`"
		}
		l := "`" + e.At.In(loc).Format("2006-01-02 15:04") + "` " + who + " `" + coach.SafeAuditText(e.Action) + "`"
		if d := coach.SafeAuditText(e.Detail); d != "" {
			l += " `" + d + "`"
		}
		lines = append(lines, l)
	}
	blocks := mdSections(lines)
	blocks = append(blocks, slack.NewContextBlock("", mdText(lang.T("audit.footer", loc.String()))))
	return Reply{Text: lang.T("audit.title", len(es)), Blocks: blocks}
}
