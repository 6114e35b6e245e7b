package slackapp

import (
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
)

// maxReportSections bounds the section blocks of the director lines, so the
// message stays within Block Kit's 50 blocks (5 more are header, summary,
// path counts, divider and footer); directors beyond it are counted in an "and N more"
// line, and in the summary.
const maxReportSections = 45

// ReportReply renders /coach report: a summary line for the workspace, then
// the delegation paths and the Lean leaders' check-ins counted, then per
// director the completion over the window and the current streak per
// habit. It shows counts only: the report never holds private notes, what
// a path says, or who answered what in a check-in.
func ReportReply(lang i18n.Lang, r coach.Report, loc *time.Location) slackio.Reply {
	summary := lang.T("report.summary", lang.Plural("home.directors", len(r.Rows)), r.Active, r.Total.Done, r.Total.Decided, lang.Percent(r.Total.Rate()))
	blocks := []slack.Block{
		slack.NewHeaderBlock(ptText(lang.T("report.title"))),
		mdSection(summary),
		mdSection(strings.Join(append(pathCountLines(lang, r.Paths), checkInCountLines(lang, r.CheckIns, coach.DateOf(r.To.In(loc)))...), "\n")),
	}
	if len(r.Rows) == 0 {
		blocks = append(blocks, mdSection(lang.T("report.no_directors")))
	} else {
		blocks = append(blocks, slack.NewDividerBlock())
		lines := make([]string, len(r.Rows))
		for i, row := range r.Rows {
			lines[i] = reportLine(lang, row)
		}
		blocks = append(blocks, cappedSections(lines, maxReportSections, func(n int) string {
			return lang.T("report.more", n)
		})...)
	}
	period := lang.T("report.period", lang.DateRange(r.From.In(loc), r.To.In(loc)))
	blocks = append(blocks, slack.NewContextBlock("", mdText(period+" · "+lang.T("report.private"))))
	return slackio.Reply{Text: lang.T("report.title"), Blocks: blocks}
}

func reportLine(lang i18n.Lang, row coach.ReportRow) string {
	var b strings.Builder
	b.WriteString(mentionOf(row.Director) + " · ")
	if row.Decided == 0 {
		b.WriteString(lang.T("report.row.none"))
	} else {
		b.WriteString(lang.T("report.row.completion", lang.Percent(row.Rate()), row.Done, row.Decided))
	}
	if row.OnLeave {
		b.WriteString(" · :palm_tree: " + lang.T("report.row.leave"))
	}
	if len(row.Streaks) > 0 {
		parts := make([]string, len(row.Streaks))
		for i, st := range row.Streaks {
			parts[i] = lang.T(st.NameKey()) + " " + strconv.Itoa(st.Current)
		}
		b.WriteString("\n        " + lang.T("report.row.streaks", strings.Join(parts, " · ")))
	}
	return b.String()
}

// cappedSections packs lines into at most maxBlocks section blocks of at
// most 2900 bytes each (Slack allows 3000 characters). Lines that do not
// fit are left out and counted in a last line, more(left).
func cappedSections(lines []string, maxBlocks int, more func(left int) string) []slack.Block {
	const limit, reserve = 2900, 200 // reserve: room for the "more" line
	var out []slack.Block
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, mdSection(b.String()))
			b.Reset()
		}
	}
	for i, l := range lines {
		if len(l) > limit-reserve {
			l = l[:limit-reserve]
		}
		room := limit
		if len(out) == maxBlocks-1 {
			room = limit - reserve
		}
		if b.Len() > 0 && b.Len()+1+len(l) > room {
			if len(out) == maxBlocks-1 {
				b.WriteString("\n" + more(len(lines)-i))
				flush()
				return out
			}
			flush()
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
	}
	flush()
	return out
}
