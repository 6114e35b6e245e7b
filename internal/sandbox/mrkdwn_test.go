package sandbox_test

import (
	"testing"

	"github.com/leancoach/leancoach/internal/sandbox"
)

func TestMrkdwn(t *testing.T) {
	names := sandbox.Names{
		Users:    map[string]string{"U1": "Maarten Jansen"},
		Channels: map[string]string{"C1": "kudos"},
	}
	tests := []struct {
		name, in, want string
	}{
		{"plain", "hello", "hello"},
		{"bold", "*Give a compliment*", "<b>Give a compliment</b>"},
		{"italic", "an _important_ day", "an <i>important</i> day"},
		{"strike", "~old~ new", "<s>old</s> new"},
		{"code", "type `/coach help`", "type <code>/coach help</code>"},
		{"code is not formatted", "`*a*`", "<code>*a*</code>"},
		{"nested", "*bold _and italic_*", "<b>bold <i>and italic</i></b>"},
		{"not a marker inside a word", "2*3*4 snake_case_name", "2*3*4 snake_case_name"},
		{"unclosed marker", "*bold", "*bold"},
		{"marker needs text", "* not bold *", "* not bold *"},
		{"line breaks", "a\nb", "a<br>b"},
		{"entities", "a &lt;b&gt; &amp; c", "a &lt;b&gt; &amp; c"},
		{"raw html is text", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"quote chars", `"it's"`, "&#34;it&#39;s&#34;"},
		{"user mention", "for <@U1>", `for <span class="bk-mention">@Maarten Jansen</span>`},
		{"user mention with label", "<@U9|tom>", `<span class="bk-mention">@tom</span>`},
		{"unknown user", "<@U9>", `<span class="bk-mention">@U9</span>`},
		{"channel mention", "in <#C1>", `in <span class="bk-mention">#kudos</span>`},
		{"channel with label", "<#C9|general>", `<span class="bk-mention">#general</span>`},
		{"here", "<!here> hi", `<span class="bk-mention bk-broadcast">@here</span> hi`},
		{"date fallback", "<!date^1392734382^{date}|Feb 18>", "Feb 18"},
		{"link", "<https://example.com/a?b=1&amp;c=2|the docs>",
			`<a class="bk-link" href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the docs</a>`},
		{"bare link", "<https://example.com>",
			`<a class="bk-link" href="https://example.com" target="_blank" rel="noopener noreferrer">https://example.com</a>`},
		{"javascript link is text", "<javascript:alert(1)|click>", "click"},
		{"link label is escaped", `<https://x.test|a"><b>>`, `<a class="bk-link" href="https://x.test" target="_blank" rel="noopener noreferrer">a&#34;</a>&lt;b&gt;&gt;`},
		{"bold mention", "*<@U1>*", `<b><span class="bk-mention">@Maarten Jansen</span></b>`},
		{"marker inside link label", "<https://x.test|a*b>", `<a class="bk-link" href="https://x.test" target="_blank" rel="noopener noreferrer">a*b</a>`},
		{"emoji", "well done :tada:", "well done 🎉"},
		{"unknown emoji", ":not_an_emoji:", ":not_an_emoji:"},
		{"quote", "&gt; quoted\nafter", `<blockquote class="bk-quote">quoted</blockquote>after`},
		{"quote without space", "from <@U1>:\n&gt;Great dagstart!\n&gt;Second line", `from <span class="bk-mention">@Maarten Jansen</span>:<blockquote class="bk-quote">Great dagstart!<br>Second line</blockquote>`},
		{"quote of the rest", "intro\n&gt;&gt;&gt; one\ntwo", `intro<blockquote class="bk-quote">one<br>two</blockquote>`},
		{"escaped controls stay text", "&lt;!channel&gt; &lt;@U1&gt; &lt;https://evil.example|innocent&gt; &amp;amp; ok",
			"&lt;!channel&gt; &lt;@U1&gt; &lt;https://evil.example|innocent&gt; &amp;amp; ok"},
		{"preformatted", "```a *b*\n<c>```", "<pre class=\"bk-pre\">a *b*\n&lt;c&gt;</pre>"},
		{"placeholder runes dropped", "a\uE000b", "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := names.Mrkdwn(tt.in); got != tt.want {
				t.Errorf("Mrkdwn(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPlain(t *testing.T) {
	n := sandbox.Names{}
	tests := []struct {
		in    string
		emoji bool
		want  string
	}{
		{"*not bold* <b>", true, "*not bold* &lt;b&gt;"},
		{"a\nb", false, "a<br>b"},
		{":tada:", true, "🎉"},
		{":tada:", false, ":tada:"},
	}
	for _, tt := range tests {
		if got := n.Plain(tt.in, tt.emoji); got != tt.want {
			t.Errorf("Plain(%q, %v) = %q, want %q", tt.in, tt.emoji, got, tt.want)
		}
	}
}
