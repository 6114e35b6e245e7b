package slacksim_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// TestCorpusEnvelopesParse injects Slack's real envelopes and checks that slack-go
// receives each one as its declared type.
func TestCorpusEnvelopesParse(t *testing.T) {
	files := []struct {
		file string
		want socketmode.EventType
	}{
		{"envelope-slash-command.json", socketmode.EventTypeSlashCommand},
		{"envelope-slash-command-real.json", socketmode.EventTypeSlashCommand},
		{"envelope-interactive-block-actions.json", socketmode.EventTypeInteractive},
		{"envelope-interactive-shortcut.json", socketmode.EventTypeInteractive},
		{"envelope-events-api-app-mention.json", socketmode.EventTypeEventsAPI},
		{"envelope-events-api-message-im.json", socketmode.EventTypeEventsAPI},
		{"envelope-events-api-retry-timeout.json", socketmode.EventTypeEventsAPI},
	}
	s := newSim(t)
	got := make(chan socketmode.EventType, len(files))
	startBot(t, s, func(_ context.Context, _ *slack.Client, evt socketmode.Event, ack func(any)) {
		ack(nil)
		got <- evt.Type
	})
	for _, f := range files {
		t.Run(f.file, func(t *testing.T) {
			var env struct {
				Type    string          `json:"type"`
				Payload json.RawMessage `json:"payload"`
			}
			readJSON(t, f.file, &env)
			id := s.Send(env.Type, env.Payload)
			if _, err := s.WaitAck(ctxT(t), id); err != nil {
				t.Fatalf("WaitAck = %v", err)
			}
			if typ := <-got; typ != f.want {
				t.Errorf("slack-go event type = %s, want %s", typ, f.want)
			}
		})
	}
}

func payloadOf(t *testing.T, s *slacksim.Server, envelopeID string) map[string]any {
	t.Helper()
	env, ok := s.EnvelopeStatus(envelopeID)
	if !ok {
		t.Fatalf("no envelope %s", envelopeID)
	}
	var p map[string]any
	if err := json.Unmarshal(env.Payload, &p); err != nil {
		t.Fatalf("payload: %v", err)
	}
	return p
}

// TestBuiltPayloadsHaveCorpusKeys compares the payloads the driver builds with real ones.
func TestBuiltPayloadsHaveCorpusKeys(t *testing.T) {
	// No bot runs: envelopes are recorded and time out quickly.
	s := newSim(t, func(o *slacksim.Options) { o.AckTimeout = 50 * time.Millisecond; o.RetryDelays = []time.Duration{} })
	ctx := ctxT(t)
	u := s.As("U1")
	dm := s.DMChannel("U1")
	call(t, s, "chat.postMessage", map[string][]string{"channel": {dm}, "text": {"q"},
		"blocks": {`[{"type":"actions","block_id":"b","elements":[` + button("a", "Click Me!", "underlying") + `]}]`}})
	msg := s.Messages(dm)[0]
	slash, _ := u.Slash(ctx, "/coach", "")
	click, _ := u.Click(ctx, msg, "a")
	opened := call(t, s, "views.open", map[string][]string{"trigger_id": {slash.TriggerID},
		"view": {modal(`,"submit":{"type":"plain_text","text":"Go"},"callback_id":"c","private_metadata":"m"`, input)}})
	viewID := opened["view"].(map[string]any)["id"].(string)
	submit, err := u.Submit(ctx, viewID, slacksim.Values{"n": "text"})
	if submit == nil {
		t.Fatalf("Submit = %v", err)
	}
	call(t, s, "views.publish", map[string][]string{"user_id": {"U1"}, "view": {`{"type":"home","blocks":[]}`}})
	home, _ := u.OpenHome(ctx)
	say, _ := u.Say(ctx, "hello")

	envelope := func(file string) map[string]any {
		var env struct{ Payload map[string]any }
		readJSON(t, file, &env)
		return env.Payload
	}
	bare := func(file string) map[string]any {
		var p map[string]any
		readJSON(t, file, &p)
		return p
	}
	tests := []struct {
		name     string
		want     map[string]any
		envelope string
		nested   []string
		except   []string
	}{
		{"slash", envelope("envelope-slash-command.json"), slash.EnvelopeID, nil, nil},
		{"block_actions", envelope("envelope-interactive-block-actions.json"), click.EnvelopeID, []string{"container", "message", "user", "team", "channel"}, []string{"team"}},
		{"view_submission", bare("interactive-view-submission.json"), submit.EnvelopeID, []string{"view", "user", "team"}, nil},
		{"app_home_opened", bare("events-api-app-home-opened.json"), home.EnvelopeID, []string{"event"}, nil},
		{"message.im", envelope("envelope-events-api-message-im.json"), say.EnvelopeID, []string{"event"}, []string{"authed_teams"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := payloadOf(t, s, tt.envelope)
			if m := missing(tt.want, got, tt.except...); len(m) > 0 {
				t.Errorf("payload lacks %v", m)
			}
			for _, k := range tt.nested {
				w, _ := tt.want[k].(map[string]any)
				g, _ := got[k].(map[string]any)
				if m := missing(w, g); len(m) > 0 {
					t.Errorf("payload.%s lacks %v", k, m)
				}
			}
		})
	}
	// And slack-go reads them as the right Go types.
	var sc slack.SlashCommand
	if err := json.Unmarshal(mustPayload(t, s, slash.EnvelopeID), &sc); err != nil || sc.Command != "/coach" || sc.UserID != "U1" {
		t.Errorf("SlashCommand = %+v, %v", sc, err)
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal(mustPayload(t, s, click.EnvelopeID), &cb); err != nil ||
		cb.ActionCallback.BlockActions[0].Value != "underlying" || cb.Container.MessageTs != msg.TS || cb.ResponseURL == "" {
		t.Errorf("block_actions = %+v, %v", cb, err)
	}
	var sub slack.InteractionCallback
	if err := json.Unmarshal(mustPayload(t, s, submit.EnvelopeID), &sub); err != nil ||
		sub.View.State.Values["i"]["n"].Value != "text" || sub.View.CallbackID != "c" || sub.View.PrivateMetadata != "m" {
		t.Errorf("view_submission = %+v, %v", sub.View, err)
	}
	for _, id := range []string{home.EnvelopeID, say.EnvelopeID} {
		ev, err := slackevents.ParseEvent(mustPayload(t, s, id), slackevents.OptionNoVerifyToken())
		if err != nil || ev.Type != slackevents.CallbackEvent {
			t.Errorf("ParseEvent = %+v, %v", ev, err)
		}
	}
}

func mustPayload(t *testing.T, s *slacksim.Server, id string) []byte {
	t.Helper()
	env, ok := s.EnvelopeStatus(id)
	if !ok {
		t.Fatalf("no envelope %s", id)
	}
	return env.Payload
}

// TestHelloHasCorpusKeys compares hello with socket-hello.json.
func TestHelloHasCorpusKeys(t *testing.T) {
	s := newSim(t)
	_, hello := dial(t, s, "")
	var want map[string]any
	readJSON(t, "socket-hello.json", &want)
	if m := missing(want, hello); len(m) > 0 {
		t.Errorf("hello lacks %v", m)
	}
	for _, k := range []string{"debug_info", "connection_info"} {
		if m := missing(want[k].(map[string]any), hello[k].(map[string]any)); len(m) > 0 {
			t.Errorf("hello.%s lacks %v", k, m)
		}
	}
}
