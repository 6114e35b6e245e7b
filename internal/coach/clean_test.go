package coach_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leancoach/leancoach/internal/coach"
)

// Clean keeps what a person wrote and drops what can disguise it; it
// escapes nothing (showing text safely is each adapter's job).
func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Great stand-up today!", "Great stand-up today!"},
		{"markup kept", "R&D <3 & 5 > 3", "R&D <3 & 5 > 3"},
		{"bidi override", "good\u202Edoog", "gooddoog"},
		{"zero width", "a\u200Bb\uFEFFc\u00ADd", "abcd"},
		{"controls", "a\x00b\x1bc\r\nd\te", "abc\nd\te"},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
		{"trim", "  hi \n", "hi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := coach.Clean(tt.in, 100); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCleanCapsLength(t *testing.T) {
	got := coach.Clean(strings.Repeat("é", 50), 10)
	if n := utf8.RuneCountInString(got); n != 10 || !strings.HasSuffix(got, "…") {
		t.Errorf("Clean(50 runes, 10) = %q (%d runes), want 10 runes ending in an ellipsis", got, n)
	}
	if got := coach.Clean(strings.Repeat("é", 50), 0); got != strings.Repeat("é", 50) {
		t.Errorf("Clean(50 runes, 0) = %q, want it uncut", got)
	}
}
