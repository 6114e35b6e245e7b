package slackapp

import (
	"strings"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// The monthly path review prompt (the `path` habit): below the prompt's
// text, one block per Lean leader (coach.LoadPathPrompt's order: the paths
// reviewed least recently first, then the Lean leaders without one), each
// with the path as the Home card shows it and one click for each outcome,
// which opens the review form with that outcome chosen; a Lean leader
// without a path gets a button to set one. Submitting either form records
// the prompt done. A button's value is "<Lean leader>:<prompt key>": a
// claim the handler checks against the store.

// The action_ids of the path prompt's buttons: one per outcome
// (pathPromptAction), and one to set a path.
const (
	actionPathPromptPrefix = "lc_path_prompt."
	ActionPathPromptSet    = actionPathPromptPrefix + "set"
)

// maxPromptPaths bounds the Lean leaders a path prompt shows (two blocks
// each), within a message's 50 blocks; the rest are on the App Home.
const maxPromptPaths = 10

// PathPromptAction is the action_id of the path prompt's button for
// outcome o.
func PathPromptAction(o coach.ReviewOutcome) string { return actionPathPromptPrefix + string(o) }

// pathPromptValue is a path prompt button's value.
func pathPromptValue(l coach.UserID, k coach.OccurrenceKey) string {
	return string(l) + ":" + string(k)
}

// ParsePathPromptValue splits a path prompt button's value into the Lean
// leader and the prompt's key, checking their shapes.
func ParsePathPromptValue(v string) (coach.UserID, coach.OccurrenceKey, bool) {
	l, k, ok := strings.Cut(v, ":")
	if !ok || !validKey(k) {
		return "", "", false
	}
	leader, ok := coach.ParseUserID(l)
	if !ok {
		return "", "", false
	}
	return leader, coach.OccurrenceKey(k), true
}

// pathPromptBlocks are the per-Lean-leader blocks of path prompt o.
func pathPromptBlocks(lang i18n.Lang, o coach.Occurrence, views []coach.PathView) []slack.Block {
	if len(views) == 0 {
		return nil
	}
	blocks := []slack.Block{slack.NewDividerBlock()}
	for i, v := range views {
		if i == maxPromptPaths {
			blocks = append(blocks, mrkdwnContext(lang.T("path.prompt.more", len(views)-maxPromptPaths)))
			break
		}
		value := pathPromptValue(v.Leader, o.Key)
		block := "path_prompt_" + string(v.Leader)
		if v.Path == nil {
			set := slack.NewButtonBlockElement(ActionPathPromptSet, value, ptText(lang.T("path.button.set")))
			set.Style = slack.StylePrimary
			blocks = append(blocks,
				mrkdwnSection("*"+mentionOf(v.Leader)+"*\n"+lang.T("path.card.none", mentionOf(v.Leader)), false),
				slack.NewActionBlock(block, set))
			continue
		}
		var buttons []slack.BlockElement
		for _, out := range coach.ReviewOutcomes() {
			buttons = append(buttons, slack.NewButtonBlockElement(PathPromptAction(out), value, ptText(lang.T("path.review.outcome."+string(out)))))
		}
		text := strings.Join(pathLines(lang, v), "\n") + "\n" + lang.T("path.prompt.ask")
		blocks = append(blocks, mrkdwnSection(fitSection(text), true), slack.NewActionBlock(block, buttons...))
	}
	return blocks
}

// fitSection cuts s to a section's 3000 characters: a path's lines are
// capped one by one, and this is the last guard.
func fitSection(s string) string {
	if r := []rune(s); len(r) > sectionTextMax {
		return string(r[:sectionTextMax-1]) + "…"
	}
	return s
}
