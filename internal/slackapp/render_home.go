package slackapp

import (
	"strings"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// Action IDs of the App Home and the forget confirmation.
const (
	actionPause         = "home.pause." // + the leave length, "1w" or "2w" (also the value)
	actionResume        = "home.resume" // value: unused
	actionForgetConfirm = "data.forget.confirm"
	actionForgetCancel  = "data.forget.cancel"
)

// maxHomeDirectors bounds the per-director lines of the admins' week, so the
// view stays well within its 100 blocks and each section within 3000
// characters.
const maxHomeDirectors = 25

// HomeView renders the App Home of one user: for a director the habits
// (streak, best streak, strength, the last marks), the next prompts and the
// leave buttons; for anyone else a short explanation and whom to ask; for
// admins the workspace's week at a glance besides.
func HomeView(lang i18n.Lang, h coach.Home) slack.HomeTabViewRequest {
	var blocks []slack.Block
	switch {
	case h.IsDirector || len(h.Habits) > 0:
		blocks = append(blocks, directorHome(lang, h)...)
	case h.IsLeader && h.Leader != nil:
		// A Lean leader who directs no one: their own part is their Home.
	default:
		blocks = append(blocks, strangerHome(lang, h)...)
	}
	if h.IsLeader {
		if len(blocks) > 0 {
			blocks = append(blocks, slack.NewDividerBlock())
		}
		blocks = append(blocks, leaderHome(lang, h)...)
	}
	if h.IsAdmin && h.Week != nil {
		blocks = append(blocks, adminWeek(lang, *h.Week)...)
	}
	if h.IsAdmin && h.PathCounts != nil {
		blocks = append(blocks, adminPaths(lang, h)...)
	}
	blocks = append(blocks, slack.NewContextBlock("", mdText(lang.T("home.footer"))))
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}, CallbackID: "home"}
}

func directorHome(lang i18n.Lang, h coach.Home) []slack.Block {
	blocks := []slack.Block{slack.NewHeaderBlock(ptText(lang.T("home.title")))}
	if h.Leave != nil {
		resume := slack.NewButtonBlockElement(actionResume, "resume", ptText(lang.T("home.button.resume")))
		resume.Style = slack.StylePrimary
		blocks = append(blocks,
			slack.NewSectionBlock(mdText(":palm_tree: "+lang.T("home.leave", lang.Date(h.Leave.Until))), nil, nil),
			slack.NewActionBlock("home_leave", resume))
	} else if h.IsDirector {
		blocks = append(blocks,
			mdSection(lang.T("home.active")),
			slack.NewActionBlock("home_leave",
				slack.NewButtonBlockElement(actionPause+"1w", "1w", ptText(lang.T("home.button.pause_1w"))),
				slack.NewButtonBlockElement(actionPause+"2w", "2w", ptText(lang.T("home.button.pause_2w")))),
			slack.NewContextBlock("", mdText(lang.T("home.pause_hint", coach.ExampleDate(h.Now)))))
	}
	if h.IsDirector {
		blocks = append(blocks, slack.NewDividerBlock())
		blocks = append(blocks, pathCards(lang, h.Paths)...)
	}
	blocks = append(blocks, slack.NewDividerBlock())
	if len(h.Habits) == 0 {
		blocks = append(blocks, mdSection(lang.T("home.no_habits")))
	}
	for _, st := range h.Habits {
		line := "*" + lang.T(st.NameKey()) + "*\n"
		if len(st.Last) == 0 {
			line += lang.T("home.habit.first")
		} else {
			line += lang.T("home.habit.stats", st.Current, st.Best, lang.Percent(st.Strength)) + "\n" + homeMarks(st.Last)
		}
		blocks = append(blocks, mdSection(line))
	}
	if len(h.Habits) > 0 {
		blocks = append(blocks, slack.NewContextBlock("", mdText(lang.T("home.legend",
			homeMark(coach.MarkDone), homeMark(coach.MarkNotToday), homeMark(coach.MarkMissed),
			homeMark(coach.MarkOpen), homeMark(coach.MarkLeave), homeMark(coach.MarkSkipped))),
			mdText(lang.T("home.strength"))))
	}
	if h.IsDirector {
		blocks = append(blocks, slack.NewDividerBlock())
		lines := []string{"*" + lang.T("home.next.title") + "*"}
		if len(h.Next) == 0 {
			lines = append(lines, lang.T("home.next.none"))
		}
		for _, n := range h.Next {
			lines = append(lines, lang.T("home.next.line", lang.DateTime(n.At), lang.T(n.Habit.NameKey())))
		}
		blocks = append(blocks, mdSection(strings.Join(lines, "\n")))
		blocks = append(blocks, slack.NewContextBlock("", mdText(lang.T("home.next.zone", h.Now.Location().String()))))
	}
	return blocks
}

// adminPaths is the admins' view of the delegation paths and the Lean
// leaders' check-ins: counts only.
func adminPaths(lang i18n.Lang, h coach.Home) []slack.Block {
	lines := pathCountLines(lang, *h.PathCounts)
	private := lang.T("path.counts.private")
	if h.CheckInCounts != nil && len(h.CheckInCounts.Months) > 0 {
		lines = append(lines, checkInCountLines(lang, *h.CheckInCounts, coach.DateOf(h.Now))...)
		private += " " + lang.T("checkin.counts.private")
	}
	return []slack.Block{
		mdSection(strings.Join(lines, "\n")),
		slack.NewContextBlock("", mdText(private)),
	}
}

func strangerHome(lang i18n.Lang, h coach.Home) []slack.Block {
	ask := lang.T("home.stranger.ask_workspace")
	if names := append(append([]coach.UserID{}, h.Admins.Listed...), h.Admins.Added...); len(names) > 0 {
		ask = lang.T("home.stranger.ask", adminMentions(lang, names))
	}
	switch {
	case h.IsAdmin:
		ask = lang.T("home.stranger.admin")
	case h.IsLeader:
		ask = lang.T("home.stranger.leader")
	}
	return []slack.Block{
		slack.NewHeaderBlock(ptText(lang.T("home.stranger.title"))),
		mdSection(lang.T("home.stranger.what")),
		mdSection(lang.T("home.stranger.how")),
		mdSection(ask),
	}
}

func adminWeek(lang i18n.Lang, w coach.Participation) []slack.Block {
	blocks := []slack.Block{
		slack.NewDividerBlock(),
		slack.NewHeaderBlock(ptText(lang.T("home.admin.title"))),
		mdSection(lang.T("home.admin.summary", lang.Plural("home.directors", w.Directors), w.Active, w.Answered, w.Sent)),
	}
	var lines []string
	for i, r := range w.Rows {
		if i == maxHomeDirectors {
			lines = append(lines, lang.T("home.admin.more", len(w.Rows)-maxHomeDirectors))
			break
		}
		l := lang.T("home.admin.row", mentionOf(r.Director), r.Answered, r.Sent)
		if r.OnLeave {
			l += " :palm_tree:"
		}
		lines = append(lines, l)
	}
	blocks = append(blocks, mdSections(lines)...)
	blocks = append(blocks, slack.NewContextBlock("", mdText(lang.T("home.admin.footer", lang.Date(w.WeekStart)))))
	return blocks
}

// homeMark is the emoji of one mark (the same as /coach streak uses).
func homeMark(m coach.Mark) string {
	switch m {
	case coach.MarkDone:
		return "✅"
	case coach.MarkNotToday:
		return "✖️"
	case coach.MarkMissed:
		return "▫️"
	case coach.MarkLeave:
		return "🌴"
	case coach.MarkOpen:
		return "⏳"
	case coach.MarkSkipped:
		return "➖"
	}
	return ""
}

func homeMarks(ms []coach.Mark) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(homeMark(m))
	}
	return b.String()
}
