package slackapp_test

import (
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackapp"
)

func TestTypedText(t *testing.T) {
	names := func(u coach.UserID) string {
		if u == "U0NAMED1" {
			return "Nina"
		}
		return ""
	}
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Great dagstart!", "Great dagstart!"},
		{"the issue's example", "Great work with the R&amp;D team, 5 &gt; 3 and we &lt;3 it", "Great work with the R&D team, 5 > 3 and we <3 it"},
		{"an entity typed as text", "&amp;amp; &amp;lt;b&amp;gt;", "&amp; &lt;b&gt;"},
		{"other entities stay", "&quot;hi&quot; &nbsp;", "&quot;hi&quot; &nbsp;"},
		{"here", "<!here> look", "@here look"},
		{"here, old style", "<!here|here> and <!channel|@channel>", "@here and @channel"},
		{"channel and everyone", "<!channel> <!everyone>", "@channel @everyone"},
		{"user with label", "thanks <@U0OTTO01|otto>!", "thanks @otto!"},
		{"user with label and @", "<@W0OTTO01|@otto>", "@otto"},
		{"user without label, known", "<@U0NAMED1> helped", "@Nina helped"},
		{"user without label, unknown", "<@U0STRANGE>", "@U0STRANGE"},
		{"channel with label", "see <#C0KUDOS1|kudos>", "see #kudos"},
		{"channel with empty label", "see <#C0KUDOS1|>", "see #C0KUDOS1"},
		{"channel without label", "<#C0KUDOS1>", "#C0KUDOS1"},
		{"user group", "<!subteam^S0LEADS1|@leads> and <!subteam^S0LEADS2>", "@leads and @S0LEADS2"},
		{"date", "<!date^1392734382^{date}|Feb 18, 2014>", "Feb 18, 2014"},
		{"link", "<https://example.com/a?b=1&amp;c=2>", "https://example.com/a?b=1&c=2"},
		{"link with text", "<http://example.com|example.com> and <mailto:a@b.nl|a@b.nl>", "example.com and a@b.nl"},
		{"link text with entities", "<https://x.nl|R&amp;D &lt;3>", "R&D <3"},
		{"no closing bracket", "a <@U0OTTO01 b", "a <@U0OTTO01 b"},
		{"bracket inside", "a <b <@U0OTTO01|otto> c", "a <b @otto c"},
		{"empty sequence", "<>", ""},
		{"lines and spaces kept", "line one\n\n  <!here>  line two\t", "line one\n\n  @here  line two\t"},
		{"unicode", "👏 G&amp;T für <@U0OTTO01|Öz>", "👏 G&T für @Öz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := slackapp.TypedText(tt.in, names); got != tt.want {
				t.Errorf("TypedText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if got := slackapp.TypedText("<@U0NAMED1>", nil); got != "@U0NAMED1" {
		t.Errorf("TypedText without names = %q, want the ID", got)
	}
}
