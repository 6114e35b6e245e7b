package slackapp_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackapp"
)

func TestEscape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Great stand-up today!", "Great stand-up today!"},
		{"channel", "hey <!channel> look", "hey &lt;!channel&gt; look"},
		{"here", "<!here|here>", "&lt;!here|here&gt;"},
		{"everyone", "<!everyone>", "&lt;!everyone&gt;"},
		{"subteam", "<!subteam^S123|@leads>", "&lt;!subteam^S123|@leads&gt;"},
		{"user", "thanks <@U123|bob>", "thanks &lt;@U123|bob&gt;"},
		{"channel ref", "see <#C123|general>", "see &lt;#C123|general&gt;"},
		{"disguised link", "<https://evil.example|innocent>", "&lt;https://evil.example|innocent&gt;"},
		{"ampersand first", "&lt;!channel&gt;", "&amp;lt;!channel&amp;gt;"},
		{"bidi override", "good\u202Edoog", "gooddoog"},
		{"zero width", "<\u200B!channel>", "&lt;!channel&gt;"},
		{"controls", "a\x00b\x1bc\r\nd", "abc\nd"},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
		{"trim", "  hi \n", "hi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := slackapp.Escape(tt.in, 100); got != tt.want {
				t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestEscapeCapsLength(t *testing.T) {
	in := strings.Repeat("é", 50)
	got := slackapp.Escape(in, 10)
	if n := utf8.RuneCountInString(got); n != 10 {
		t.Errorf("Escape(50 runes, 10) has %d runes, want 10", n)
	}
	if !strings.HasSuffix(got, "…") {
		t.Errorf("Escape(50 runes, 10) = %q, want an ellipsis at the end", got)
	}
	// The cap applies before escaping: an entity is never cut in half.
	got = slackapp.Escape(strings.Repeat("<", 20), 5)
	if got != "&lt;&lt;&lt;&lt;…" {
		t.Errorf("Escape(20×'<', 5) = %q, want %q", got, "&lt;&lt;&lt;&lt;…")
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"<!channel>", "<!here>", "<@U1|x>", "<#C1>", "<https://x|y>",
		"&", "<\u202E!channel>", "a\xffb", "<<!!>>", "<!subteam^S1>"} {
		f.Add(s, 100)
	}
	f.Fuzz(func(t *testing.T, in string, limit int) {
		limit = limit%5000 + 1
		if limit < 1 {
			limit = -limit + 1
		}
		out := slackapp.Escape(in, limit)
		for _, live := range []string{"<!", "<@", "<#", "<http", "<", ">"} {
			if strings.Contains(out, live) {
				t.Fatalf("Escape(%q) = %q contains %q", in, out, live)
			}
		}
		if !utf8.ValidString(out) {
			t.Fatalf("Escape(%q) = %q is not valid UTF-8", in, out)
		}
		// Unescaping gives back the cleaned text: nothing but the control
		// characters was lost.
		back := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(out)
		if back != coach.Clean(in, limit) {
			t.Fatalf("unescape(Escape(%q)) = %q, want %q", in, back, coach.Clean(in, limit))
		}
		if n := utf8.RuneCountInString(coach.Clean(in, limit)); n > limit {
			t.Fatalf("Clean(%q, %d) has %d runes", in, limit, n)
		}
	})
}
