package coach

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxTextLen is the longest free text (a note, a compliment) leancoach keeps,
// in runes; it matches the max_length of the modals' inputs.
const MaxTextLen = 2000

// Clean normalises user text before it is stored: invalid UTF-8 becomes
// U+FFFD, control characters other than newline and tab are dropped, and so
// are bidi overrides and zero-width characters (they can disguise a name or
// reverse what a public message appears to say). The result is trimmed and
// cut to at most limit runes (an ellipsis marks the cut).
func Clean(s string, limit int) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if invisible(r) {
			continue
		}
		if r == '\r' {
			continue
		}
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			continue
		}
		b.WriteRune(r)
	}
	out := strings.TrimSpace(b.String())
	if limit > 0 && utf8.RuneCountInString(out) > limit {
		runes := []rune(out)
		out = strings.TrimSpace(string(runes[:limit-1])) + "…"
	}
	return out
}

// invisible reports bidi controls and zero-width characters.
func invisible(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, // LRE, RLE, PDF, LRO, RLO
		r >= 0x2066 && r <= 0x2069,            // LRI, RLI, FSI, PDI
		r == 0x200E, r == 0x200F, r == 0x061C, // LRM, RLM, ALM
		r >= 0x200B && r <= 0x200D,                         // zero-width space, non-joiner, joiner
		r == 0x2060, r == 0xFEFF, r == 0x180E, r == 0x00AD: // word joiner, BOM, Mongolian vowel separator, soft hyphen
		return true
	}
	return false
}
