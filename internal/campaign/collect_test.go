package campaign_test

import (
	"maps"
	"testing"

	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/slacksim"
)

func TestReplies(t *testing.T) {
	env := func(id, user, typ string) slacksim.Event {
		return slacksim.Event{Kind: slacksim.EventEnvelope, EnvelopeID: id, User: user, Detail: typ}
	}
	eph := func(user string) slacksim.Event {
		return slacksim.Event{Kind: slacksim.EventEphemeral, User: user, Channel: "D1"}
	}
	resp := func(id string) slacksim.Event {
		return slacksim.Event{Kind: slacksim.EventResponse, EnvelopeID: id}
	}
	tests := []struct {
		name   string
		events []slacksim.Event
		want   map[string]int
	}{
		{"response_url reply", []slacksim.Event{env("E1", "U1", "interactive"), resp("E1")}, map[string]int{"E1": 1}},
		{"the prompt replaced through the response_url is no reply",
			[]slacksim.Event{env("E1", "U1", "interactive"), {Kind: slacksim.EventResponse, EnvelopeID: "E1", Detail: "replaced"}}, map[string]int{}},
		{"ephemeral after a submission", []slacksim.Event{env("E1", "U1", "interactive"), eph("U1")}, map[string]int{"E1": 1}},
		{"ephemeral goes to the user's latest interaction",
			[]slacksim.Event{env("E1", "U1", "interactive"), env("E2", "U1", "interactive"), eph("U1")}, map[string]int{"E2": 1}},
		{"another user's ephemeral is not a reply",
			[]slacksim.Event{env("E1", "U1", "interactive"), eph("U2")}, map[string]int{}},
		{"ephemeral before any interaction", []slacksim.Event{eph("U1"), env("E1", "U1", "interactive")}, map[string]int{}},
		{"an ephemeral after a later command belongs to the command",
			[]slacksim.Event{env("E1", "U1", "interactive"), env("E2", "U1", "slash_commands"), eph("U1")}, map[string]int{}},
		{"a slash command's ephemeral is not counted twice",
			[]slacksim.Event{env("E1", "U1", "slash_commands"), resp("E1"), eph("U1")}, map[string]int{"E1": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := campaign.Replies(tt.events); !maps.Equal(got, tt.want) {
				t.Errorf("Replies() = %v, want %v", got, tt.want)
			}
		})
	}
}
