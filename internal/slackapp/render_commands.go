package slackapp

import (
	"strings"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
)

// Replies to the /coach commands of the coaching loop. All ephemeral.

// RenderDirectorAdded answers /coach director add.
func RenderDirectorAdded(lang i18n.Lang, d coach.Director) slackio.Reply {
	return textReply(lang.T("cmd.director.added", userRef(d.ID), mentionsText(lang, d.Leaders)))
}

// RenderDirectorRemoved answers /coach director remove.
func RenderDirectorRemoved(lang i18n.Lang, d coach.UserID) slackio.Reply {
	return textReply(lang.T("cmd.director.removed", userRef(d)))
}

// RenderDirectorList answers /coach director list.
func RenderDirectorList(lang i18n.Lang, ds []coach.Director) slackio.Reply {
	if len(ds) == 0 {
		return textReply(lang.T("cmd.director.list.empty"))
	}
	title := lang.T("cmd.director.list.title")
	blocks := []slack.Block{slack.NewHeaderBlock(plain(title))}
	// A section holds at most 3000 characters: one line per director, in
	// chunks well below that.
	var b strings.Builder
	for _, d := range ds {
		line := "• " + lang.T("cmd.director.list.line", userRef(d.ID), mentionsText(lang, d.Leaders)) + "\n"
		if b.Len()+len(line) > 2800 {
			blocks = append(blocks, mrkdwnSection(strings.TrimSpace(b.String()), false))
			b.Reset()
		}
		b.WriteString(line)
	}
	blocks = append(blocks, mrkdwnSection(strings.TrimSpace(b.String()), false))
	return slackio.Reply{Text: title, Blocks: capBlocks(blocks)}
}

// RenderChannelSet answers /coach channel.
func RenderChannelSet(lang i18n.Lang, r coach.ChannelResult) slackio.Reply {
	if r.Joined {
		return textReply(lang.T("cmd.channel.joined", channelRef(r.Channel)))
	}
	return textReply(lang.T("cmd.channel.invite", channelRef(r.Channel)))
}

// RenderSent answers /coach send.
func RenderSent(lang i18n.Lang, o coach.Occurrence) slackio.Reply {
	name := lang.T(o.Habit.NameKey())
	if o.State == coach.Failed {
		return textReply(lang.T("cmd.send.failed", name, userRef(o.Director), Escape(o.FailReason, 80)))
	}
	return textReply(lang.T("cmd.send.sent", name, userRef(o.Director)))
}

// RenderKudosGiven answers /coach kudos.
func RenderKudosGiven(lang i18n.Lang, r coach.KudosResult) slackio.Reply {
	if r.Answered != nil {
		return textReply(lang.T("cmd.kudos.counted", userRef(r.Kudos.To), channelRef(r.Kudos.Channel)))
	}
	return textReply(lang.T("cmd.kudos.posted", userRef(r.Kudos.To), channelRef(r.Kudos.Channel)))
}

// RenderStreaks answers /coach streak: per habit the streak, best streak,
// strength and the last marks.
func RenderStreaks(lang i18n.Lang, stats []coach.HabitStats) slackio.Reply {
	if len(stats) == 0 {
		return textReply(lang.T("cmd.streak.empty"))
	}
	title := lang.T("cmd.streak.title")
	blocks := []slack.Block{slack.NewHeaderBlock(plain(title))}
	for _, st := range stats {
		line := lang.T("cmd.streak.line", lang.T(st.Habit.NameKey()), st.Current, st.Best, lang.Percent(st.Strength))
		if marks := homeMarks(st.Last); marks != "" { // the App Home's marks
			line += "\n" + marks
		}
		blocks = append(blocks, mrkdwnSection(line, false))
	}
	blocks = append(blocks, slack.NewContextBlock("", mrkdwn(lang.T("cmd.streak.legend"), false), mrkdwn(lang.T("home.strength"), false)))
	return slackio.Reply{Text: title, Blocks: capBlocks(blocks)}
}

// RenderHabits answers /coach habits; its footer, how to send one now, is
// for those who may (/coach send).
func RenderHabits(lang i18n.Lang, rs coach.Roles) slackio.Reply {
	title := lang.T("cmd.habits.title")
	var b strings.Builder
	for _, h := range coach.Habits() {
		b.WriteString(lang.T("cmd.habits.line", string(h), lang.T(h.NameKey()), lang.T(h.ShortKey())) + "\n")
	}
	blocks := []slack.Block{slack.NewHeaderBlock(plain(title)), mrkdwnSection(strings.TrimSpace(b.String()), false)}
	if send, ok := coach.CommandOf("send"); ok && rs.Can(send) {
		blocks = append(blocks, mrkdwnContext(lang.T("cmd.habits.footer")))
	}
	return slackio.Reply{Text: title, Blocks: blocks}
}

// mentionsText renders "<@A>, <@B> and <@C>".
func mentionsText(lang i18n.Lang, ids []coach.UserID) string {
	refs := make([]string, len(ids))
	for i, id := range ids {
		refs[i] = userRef(id)
	}
	return andList(lang, refs)
}

// andList joins items as "A, B and C" in lang.
func andList(lang i18n.Lang, items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return lang.T("cmd.list.and", strings.Join(items[:len(items)-1], ", "), items[len(items)-1])
}

// capBlocks keeps a message within Slack's 50 blocks.
func capBlocks(bs []slack.Block) []slack.Block {
	if len(bs) > 50 {
		return bs[:50]
	}
	return bs
}

func textReply(s string) slackio.Reply {
	return slackio.Reply{Text: s, Blocks: []slack.Block{mrkdwnSection(s, false)}}
}
