package sandbox_test

import (
	"testing"

	"github.com/leancoach/leancoach/internal/sandbox"
	"github.com/leancoach/leancoach/internal/slacksim"
)

func TestEscape(t *testing.T) {
	users := []slacksim.User{{ID: "U1", Name: "maarten"}, {ID: "U2", Name: "fatima"}, {ID: "U3", Name: "gone", Deleted: true}}
	channels := []slacksim.Channel{{ID: "C1", Name: "kudos"}, {ID: "D1", IsIM: true}}
	tests := []struct{ in, want string }{
		{"help", "help"},
		{"director add @maarten leader @fatima", "director add <@U1|maarten> leader <@U2|fatima>"},
		{"director add @Maarten", "director add <@U1|Maarten>"},
		{"channel #kudos", "channel <#C1|kudos>"},
		{"channel #nope", "channel #nope"},
		{"kudos @fatima great work, thanks @maarten.", "kudos <@U2|fatima> great work, thanks <@U1|maarten>."},
		{"@nobody hi", "@nobody hi"},
		{"@gone", "@gone"},
		{"mail me@maarten", "mail me@maarten"},
		{"a <b> & c", "a &lt;b&gt; &amp; c"},
		{"<@U1> typed by hand", "&lt;@U1&gt; typed by hand"},
		{"@here look", "<!here> look"},
		{"(@fatima)", "(<@U2|fatima>)"},
	}
	for _, tt := range tests {
		if got := sandbox.Escape(tt.in, users, channels); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
