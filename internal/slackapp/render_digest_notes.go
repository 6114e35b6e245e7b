package slackapp

import (
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// digestNoteMax bounds, in characters, each note a digest shows: with at
// most coach.MaxDigestNotes of them, a section stays under Slack's 3000.
const digestNoteMax = 200

// digestNoteBlocks are the digest's notes: what the Lean leaders came up
// with, then what the director noted, each one line with the habit and the
// day, the text as typed (escaped, verbatim); none without notes.
func digestNoteBlocks(lang i18n.Lang, notes []coach.DigestNote) []slack.Block {
	var cameUp, noted []string
	for _, n := range notes {
		line := "• " + lang.T("digest.note.line", lang.T(n.NameKey()), lang.Date(n.Due), userText(n.Text, digestNoteMax))
		if n.CameUpWith {
			cameUp = append(cameUp, line)
		} else {
			noted = append(noted, line)
		}
	}
	var blocks []slack.Block
	for _, g := range []struct {
		title string
		lines []string
	}{{"digest.came_up", cameUp}, {"digest.notes", noted}} {
		if len(g.lines) == 0 {
			continue
		}
		text := "*" + lang.T(g.title) + "*"
		for _, l := range g.lines {
			text += "\n" + l
		}
		blocks = append(blocks, mrkdwnSection(fitSection(text), true))
	}
	if len(blocks) > 0 {
		blocks = append(blocks, mrkdwnContext(lang.T("digest.notes.private")))
	}
	return blocks
}
