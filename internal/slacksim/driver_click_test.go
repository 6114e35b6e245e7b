package slacksim_test

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/slack-go/slack"
)

// TestClickEveryElementParses clicks each interactive element type in a Home tab and
// checks slack-go decodes the block_actions payload with the chosen value.
func TestClickEveryElementParses(t *testing.T) {
	opts := `"options":[` + opt("One", "1") + `,` + opt("Two", "2") + `]`
	tests := []struct {
		el     string
		choose []string
		check  func(a *slack.BlockAction) string
	}{
		{`{"type":"button","action_id":"x","text":{"type":"plain_text","text":"B"},"value":"v"}`, nil,
			func(a *slack.BlockAction) string { return a.Value }},
		{`{"type":"overflow","action_id":"x",` + opts + `}`, []string{"2"},
			func(a *slack.BlockAction) string { return a.SelectedOption.Value }},
		{`{"type":"static_select","action_id":"x",` + opts + `}`, []string{"2"},
			func(a *slack.BlockAction) string { return a.SelectedOption.Value }},
		{`{"type":"radio_buttons","action_id":"x",` + opts + `}`, []string{"2"},
			func(a *slack.BlockAction) string { return a.SelectedOption.Value }},
		{`{"type":"checkboxes","action_id":"x",` + opts + `}`, []string{"1", "2"},
			func(a *slack.BlockAction) string { return a.SelectedOptions[1].Value }},
		{`{"type":"multi_static_select","action_id":"x",` + opts + `}`, []string{"2"},
			func(a *slack.BlockAction) string { return a.SelectedOptions[0].Value }},
		{`{"type":"users_select","action_id":"x"}`, []string{"U2"},
			func(a *slack.BlockAction) string { return a.SelectedUser }},
		{`{"type":"multi_users_select","action_id":"x"}`, []string{"U2"},
			func(a *slack.BlockAction) string { return a.SelectedUsers[0] }},
		{`{"type":"conversations_select","action_id":"x"}`, []string{"C1"},
			func(a *slack.BlockAction) string { return a.SelectedConversation }},
		{`{"type":"channels_select","action_id":"x"}`, []string{"C1"},
			func(a *slack.BlockAction) string { return a.SelectedChannel }},
		{`{"type":"datepicker","action_id":"x"}`, []string{"2026-03-29"},
			func(a *slack.BlockAction) string { return a.SelectedDate }},
		{`{"type":"timepicker","action_id":"x"}`, []string{"09:30"},
			func(a *slack.BlockAction) string { return a.SelectedTime }},
	}
	// One Home per element type for one user, at once: faster than Slack's
	// limits allow (views.publish per user); this test is about the click
	// payloads, so the limits are off.
	s := newSim(t, func(o *slacksim.Options) { o.RateLimits = slacksim.Limits{} })
	for _, tt := range tests {
		var typ struct{ Type string }
		_ = json.Unmarshal([]byte(tt.el), &typ)
		t.Run(typ.Type, func(t *testing.T) {
			view := `{"type":"home","blocks":[{"type":"actions","block_id":"b","elements":[` + tt.el + `]}]}`
			if got := call(t, s, "views.publish", url.Values{"user_id": {"U1"}, "view": {view}}); got["ok"] != true {
				t.Fatalf("views.publish = %v", got)
			}
			home, _ := s.Home("U1")
			// No bot is connected: the envelope is recorded, then dispatch fails.
			r, _ := s.As("U1").Click(ctxT(t), home, "x", slacksim.Choose(tt.choose...))
			if r == nil {
				t.Fatal("Click returned no result")
			}
			var cb slack.InteractionCallback
			if err := json.Unmarshal(mustPayload(t, s, r.EnvelopeID), &cb); err != nil {
				t.Fatalf("slack-go decode: %v", err)
			}
			want := "v"
			if len(tt.choose) > 0 {
				want = tt.choose[len(tt.choose)-1]
			}
			if got := tt.check(cb.ActionCallback.BlockActions[0]); got != want {
				t.Errorf("action value = %q, want %q", got, want)
			}
		})
	}
}
