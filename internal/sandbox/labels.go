package sandbox

import (
	"strings"

	"github.com/leancoach/leancoach/internal/i18n"
)

// Labels are the page's own words (the Slack client's chrome, not the bot's
// texts) in one language, from the i18n catalog's "sandbox." keys.
type Labels struct{ Lang i18n.Lang }

// T renders the sandbox text key ("optional" for "sandbox.optional").
func (l Labels) T(key string, args ...any) string {
	lang := l.Lang
	if lang == "" {
		lang = i18n.EN
	}
	return lang.T("sandbox."+key, args...)
}

// pageKeys are the texts the page's script draws, sent with every state.
var pageKeys = []string{
	"title", "be", "channels", "direct_messages", "home", "messages", "about",
	"only_you", "edited", "message_to", "send", "clock", "send_due", "tomorrow",
	"now", "required", "close", "submit", "cancel", "app", "failed", "connecting",
	"empty_home", "empty_channel", "hint", "offline",
}

// page returns the page texts keyed without the "sandbox." prefix.
func (l Labels) page() map[string]string {
	out := make(map[string]string, len(pageKeys))
	for _, k := range pageKeys {
		out[k] = l.T(k)
	}
	return out
}

// langOf maps a Slack locale ("nl-NL") to a catalog language, English by default.
func langOf(locale string) i18n.Lang {
	if l, ok := i18n.ParseLang(strings.TrimSpace(locale)); ok {
		return l
	}
	return i18n.EN
}
