package slackapp

import (
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// DigestMessage renders the weekly digest: the week's prompts with their
// outcomes, what the director noted and what their Lean leaders came up
// with (digestNoteBlocks), then the streak changes per habit.
func DigestMessage(lang i18n.Lang, dg coach.Digest) (string, []slack.Block) {
	summary := lang.T("digest.summary", dg.Done, dg.Decided, len(dg.Lines))
	blocks := []slack.Block{
		slack.NewHeaderBlock(ptText(lang.T("digest.title", lang.DateRange(dg.From, dg.To)))),
		mdSection(summary),
		slack.NewDividerBlock(),
	}
	lines := []string{"*" + lang.T("digest.prompts") + "*"}
	for _, l := range dg.Lines {
		lines = append(lines, lang.T("digest.line", homeMark(l.Mark), lang.Date(l.Due), lang.T(l.NameKey()),
			lang.T("digest.mark."+string(l.Mark))))
	}
	blocks = append(blocks, mdSections(lines)...)
	blocks = append(blocks, digestNoteBlocks(lang, dg.Notes)...)
	streaks := []string{"*" + lang.T("digest.streaks") + "*"}
	for _, h := range dg.Habits {
		key := "digest.streak.same"
		switch {
		case h.After > h.Before:
			key = "digest.streak.up"
		case h.After < h.Before:
			key = "digest.streak.down"
		}
		streaks = append(streaks, lang.T(key, lang.T(h.NameKey()), h.Before, h.After, h.Best))
	}
	blocks = append(blocks, mdSections(streaks)...)
	blocks = append(blocks, slack.NewContextBlock("", mdText(lang.T("digest.footer"))))
	return lang.T("digest.fallback", dg.Done, dg.Decided), blocks
}
