package coach

import (
	"context"
	"fmt"

	"github.com/leancoach/leancoach/internal/i18n"
)

// ParseLanguage reads the word after "/coach language": "en" or "nl" (a
// Slack locale such as "nl-NL" works too). EINVALID otherwise.
func ParseLanguage(args []string) (i18n.Lang, error) {
	if len(args) != 1 {
		return "", Errorf(EINVALID, "lang.err.usage")
	}
	l, ok := i18n.ParseLang(args[0])
	if !ok {
		return "", Errorf(EINVALID, "lang.err.usage")
	}
	return l, nil
}

// SetLanguage makes l the language leancoach uses with u. Anyone may.
func (p *Portal) SetLanguage(ctx context.Context, u UserID, l i18n.Lang) error {
	prefs, err := p.store.Prefs(ctx, u)
	if err != nil {
		return fmt.Errorf("set language: %w", err)
	}
	prefs.Lang = l
	if err := p.store.PutPrefs(ctx, u, prefs); err != nil {
		return fmt.Errorf("set language: %w", err)
	}
	return nil
}
