package slackapp

import (
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// focusBlock is the prompt's line about the Lean leader it points at
// (coach.Focus): the stand-up's observer question about them, and for the
// compliment, gemba and spotlight of a director with several Lean leaders
// who is next and who had more ("No compliment for Ana in 3 weeks; Bram
// had two"). Nil when there is nothing to say.
func focusBlock(lang i18n.Lang, h coach.Habit, f coach.Focus) slack.Block {
	if f.Leader == "" {
		return nil
	}
	who := userRef(f.Leader)
	if h == coach.Standup {
		key := "focus.standup"
		if f.Leaders > 1 {
			key = "focus.standup.rotate"
		}
		return mrkdwnSection(lang.T(key, who), false)
	}
	if f.Leaders < 2 {
		return nil
	}
	base := "focus." + string(h)
	var line string
	switch {
	case f.Never():
		line = lang.T(base+".never", who)
	case f.Weeks > 0:
		line = lang.Plural(base+".weeks", f.Weeks, who)
	default:
		line = lang.T(base+".recent", who)
	}
	if f.Other != "" {
		line = lang.T("focus.join", line, lang.Plural(base+".other", f.Count, userRef(f.Other)))
	} else {
		line = lang.T("focus.end", line)
	}
	return mrkdwnContext(line)
}
