package slacksim_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/leancoach/leancoach/internal/slacksim"
)

func textSim(t *testing.T) *slacksim.Server {
	t.Helper()
	s := newSim(t)
	s.AddUser(slacksim.User{ID: "U3", Name: "gone", Deleted: true})
	s.AddUsergroup(slacksim.Usergroup{ID: "S1", Handle: "leads"})
	return s
}

func TestEscapeTyped(t *testing.T) {
	s := textSim(t)
	tests := []struct{ typed, want string }{
		{"Great work with the R&D team, 5 > 3 and we <3 it", "Great work with the R&amp;D team, 5 &gt; 3 and we &lt;3 it"},
		{"@here @channel @everyone", "<!here> <!channel> <!everyone>"},
		{"@HERE stays text", "@HERE stays text"},
		{"@bob and (@Anna) thanks @bob.", "<@U2|bob> and (<@U1|Anna>) thanks <@U2|bob>."},
		{"@nobody @gone me@bob", "@nobody @gone me@bob"},
		{"@leads meet in #kudos, not #nowhere", "<!subteam^S1|@leads> meet in <#C1|kudos>, not #nowhere"},
		{"see https://example.com/a?b=1&c=2.", "see <https://example.com/a?b=1&amp;c=2>."},
		{"(http://x.nl) https:// x", "(<http://x.nl>) https:// x"},
		{"line\n\n  @bob\tend", "line\n\n  <@U2|bob>\tend"},
		{"&amp; <!here>", "&amp;amp; &lt;!here&gt;"},
		{"bad \xff byte", "bad \xff byte"},
	}
	for _, tt := range tests {
		if got := s.EscapeTyped(tt.typed); got != tt.want {
			t.Errorf("EscapeTyped(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
}

func TestRead(t *testing.T) {
	s := textSim(t)
	tests := []struct {
		mrkdwn   string
		verbatim bool
		text     string
		pings    []string
	}{
		{"R&amp;D &lt;3 &gt;", true, "R&D <3 >", nil},
		{"<@U1> thanks <@U2|someone>", true, "@anna thanks @bob", []string{"U1", "U2"}},
		{"<!here> <!channel|channel> <!everyone> <!subteam^S1|@x> <!subteam^S9>", true, "@here @channel @everyone @leads @S9", []string{"here", "channel", "everyone", "subteam^S1", "subteam^S9"}},
		{"<#C1> <#C9|elsewhere> <https://x.nl|click> <https://y.nl> <!date^1^{date}|today>", true, "#kudos #elsewhere click https://y.nl today", nil},
		{"head\n>quoted &gt; line\n>", true, "head\nquoted > line\n", nil},
		{"@here and @bob, @nobody", true, "@here and @bob, @nobody", nil},
		{"@here and @bob, @nobody", false, "@here and @bob, @nobody", []string{"here", "U2"}},
		{"&lt;!here&gt;", false, "<!here>", nil},
	}
	for _, tt := range tests {
		got := s.Read(tt.mrkdwn, tt.verbatim)
		if got.Text != tt.text || !reflect.DeepEqual(got.Pings, tt.pings) {
			t.Errorf("Read(%q, %v) = %q pinging %v, want %q pinging %v", tt.mrkdwn, tt.verbatim, got.Text, got.Pings, tt.text, tt.pings)
		}
	}
}

// What a person types, escaped as Slack escapes it, reads back as typed when
// shown as Slack sent it: the two are each other's inverse.
func TestEscapeTypedReadsBack(t *testing.T) {
	s := textSim(t)
	for _, typed := range []string{"R&D 5 > 3 <3", "@bob @leads #kudos https://x.nl/?a=1&b=2 @here", "a &amp; b", "quote\n> no"} {
		wire := s.EscapeTyped(typed)
		b, _ := json.Marshal(wire)
		if got := s.Read(wire, true).Text; got != typed {
			t.Errorf("Read(EscapeTyped(%q) = %s) = %q", typed, b, got)
		}
	}
}
