package campaign_test

import (
	"encoding/json"
	"testing"

	"github.com/leancoach/leancoach/internal/campaign"
)

func TestLiveTokens(t *testing.T) {
	allowed := map[string]bool{"<@U0LDR00000>": true}
	section := func(text string, verbatim bool) json.RawMessage {
		b, _ := json.Marshal([]any{map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": text, "verbatim": verbatim}}})
		return b
	}
	tests := []struct {
		name string
		o    campaign.Outgoing
		bad  int
	}{
		{"escaped", campaign.Outgoing{Blocks: section("&lt;!channel&gt; &lt;@U1&gt;", true)}, 0},
		{"broadcast in blocks", campaign.Outgoing{Blocks: section("hi <!channel>", true)}, 1},
		{"subteam in text", campaign.Outgoing{Text: "<!subteam^S1|@team>"}, 1},
		{"allowed mention with label", campaign.Outgoing{Text: "for <@U0LDR00000|lee>"}, 0},
		{"unrequested mention", campaign.Outgoing{Blocks: section("<@U1>", true)}, 1},
		{"link", campaign.Outgoing{Blocks: section("<https://evil|x>", true)}, 1},
		{"date", campaign.Outgoing{Text: "<!date^1700000000^{date}|Nov 14>"}, 0},
		{"plain @here verbatim", campaign.Outgoing{Blocks: section("@here", true)}, 0},
		{"plain @here parsed", campaign.Outgoing{Blocks: section("@here", false)}, 1},
		{"broken blocks", campaign.Outgoing{Blocks: json.RawMessage("{")}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := campaign.LiveTokens(tt.o, allowed); len(got) != tt.bad {
				t.Errorf("LiveTokens(%+v) = %q, want %d finding(s)", tt.o, got, tt.bad)
			}
		})
	}
}
