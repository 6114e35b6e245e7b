// Package i18n holds every user-visible text of leancoach in English and Dutch,
// and formats numbers, plurals, dates and times per language.
//
// Texts live in catalogs: one file per area of the product (catalog_<area>.go),
// each defining the same keys in both languages. Messages use fmt verbs with
// explicit argument indexes (%[1]s) so a translation can reorder arguments.
// Plurals are two keys, "<key>.one" and "<key>.other", chosen by Plural.
package i18n

import (
	"fmt"
	"strings"
)

// Lang is a supported language.
type Lang string

const (
	EN Lang = "en"
	NL Lang = "nl"
)

// Langs lists the supported languages, the default first.
func Langs() []Lang { return []Lang{EN, NL} }

// ParseLang accepts "en", "nl" and Slack locales such as "nl-NL", "en-US",
// "nl_BE"; ok is false for anything else.
func ParseLang(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	switch Lang(s) {
	case EN, NL:
		return Lang(s), true
	}
	return "", false
}

// Msg is a message not yet rendered: a catalog key and its arguments. Domain
// code returns Msgs; the Slack edge renders them in the reader's language.
type Msg struct {
	Key  string
	Args []any
}

// M builds a Msg.
func M(key string, args ...any) Msg { return Msg{Key: key, Args: args} }

// T renders the message with key in language l. A key missing from l falls
// back to English; a key missing everywhere renders as the key itself so the
// gap is visible (and caught by the catalog tests).
func (l Lang) T(key string, args ...any) string {
	s, ok := lookup(l, key)
	if !ok {
		return key
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Render renders m in language l. Args that are themselves Msgs are rendered
// first, in the same language.
func (l Lang) Render(m Msg) string {
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		if inner, ok := a.(Msg); ok {
			args[i] = l.Render(inner)
			continue
		}
		args[i] = a
	}
	return l.T(m.Key, args...)
}

// Plural renders "<key>.one" when n == 1 and "<key>.other" otherwise (the rule
// is the same for English and Dutch). n is passed as the first argument,
// followed by args.
func (l Lang) Plural(key string, n int, args ...any) string {
	form := key + ".other"
	if n == 1 {
		form = key + ".one"
	}
	return l.T(form, append([]any{n}, args...)...)
}

func lookup(l Lang, key string) (string, bool) {
	if s, ok := catalog(l)[key]; ok {
		return s, true
	}
	s, ok := catalog(EN)[key]
	return s, ok
}
