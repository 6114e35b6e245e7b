package campaign_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/slackcorpus"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// envelopeTypes are the envelope types the fuzzer picks from: Slack's three
// and some it does not send.
var envelopeTypes = []string{"events_api", "slash_commands", "interactive", "hello", "disconnect", "", "unknown_type"}

// FuzzEnvelopeRouter sends arbitrary envelopes (any type, any JSON payload)
// through a real Socket Mode connection into the bot wired as cmd/bot wires
// it (help and coaching routes, store). reliability.md A12/E1: the bot
// never panics, acks every envelope (slacksim always gives one an
// envelope_id), and stays connected (or reconnects, after a control frame).
func FuzzEnvelopeRouter(f *testing.F) {
	for _, s := range corpusEnvelopes(f) {
		f.Add(s.typ, s.payload)
	}
	for _, p := range []string{
		`{"type":"block_actions","user":{"id":"U0DIR00000"},"team":{"id":"T0SIM0001"},"api_app_id":"A0SIM0001","actions":[{"action_id":"lc_prompt_answer","block_id":"b","type":"button","value":"s1|U0DIR00000|2026-12-07"}]}`,
		`{"type":"block_actions","user":{"id":"U0DIR00001"},"actions":[{"action_id":"lc_prompt_snooze","type":"static_select","selected_option":{"value":"hour:s1|U0DIR00000|2026-12-07"}}]}`,
		`{"type":"view_submission","user":{"id":"U0DIR00000"},"view":{"callback_id":"lc_answer_done","private_metadata":"{\"k\":\"s1|U0DIR00000|2026-12-07\"}","state":{"values":{}}}}`,
		`{"type":"view_submission","view":{"callback_id":"lc_answer_standup","private_metadata":"not json"}}`,
		`{"type":"view_closed","view":{"id":"V1"}}`,
		`{"type":"shortcut","callback_id":"x"}`,
		`null`, `[]`, `"x"`, `1`, `{}`, `{"type":1}`, `{"display_as_bot":"false"}`,
	} {
		f.Add(uint8(2), p)
	}
	for _, text := range []string{"help", "kudos <@U0LDR00000|l> <!channel>", "director add <@U0DIR00000> leader <@U0LDR00000>",
		"schedule add gemba daily 09:00 to all", "send gemba <@U0DIR00000>", "streak", "habits", "kudos", "  ", "\x00", "😀"} {
		p, _ := json.Marshal(map[string]any{"team_id": "T0SIM0001", "user_id": "U0ADMIN01", "command": "/coach", "text": text,
			"api_app_id": "A0SIM0001", "channel_id": "D0SIM", "trigger_id": "1.2.x", "response_url": ""})
		f.Add(uint8(1), string(p))
	}
	// No reconnect brake and no tier on apps.connections.open: about one
	// input in seven is a disconnect frame, hundreds a second, where Slack
	// sends one every few hours; the brake would hold each reconnect after
	// the fifth for 20 s, and the tier (Tier 1) would answer 429 with a
	// Retry-After, either past the 10 s the fuzzing engine allows an input
	// before it kills the worker as deadlocked. Both have their own
	// scenarios (transport_brake_test.go, the rate-limit tests).
	p := newInProc(f, slacksim.Options{AckTimeout: time.Second, RetryDelays: []time.Duration{},
		RateLimits: slacksim.TierLimits().Without("apps.connections.open")}, 2, nil, noLoop,
		func(c *campaign.InProcConfig) { c.ConnectRate = bot.Rate{PerSecond: -1} })
	f.Fuzz(func(t *testing.T, typ uint8, payload string) {
		if !json.Valid([]byte(payload)) {
			return // slacksim frames carry JSON; a raw bad frame is another fault (A2)
		}
		typName := envelopeTypes[int(typ)%len(envelopeTypes)]
		seq := p.sim.Seq()
		id := p.sim.Send(typName, json.RawMessage(payload))
		// hello and disconnect are Socket Mode control frames, not envelopes:
		// slack-go handles them itself (a disconnect makes it reconnect), so
		// only the connection below is owed for them.
		if typName != "hello" && typName != "disconnect" {
			if env, err := p.sim.WaitAck(waitCtx(t, 5*time.Second), id); err != nil {
				t.Errorf("envelope %s (type %q) not acked: %v (status %s); recent:%s", id, env.Type, err, env.Status, recentEvents(p.sim, 15))
			}
		}
		if logs := p.log.Bytes(); bytes.Contains(bytes.ToLower(logs), []byte("panic")) {
			t.Fatalf("bot log mentions a panic after type %q payload %.200q:\n%.2000s", typName, payload, logs)
		}
		if typName == "disconnect" {
			// Wait for the new socket and for the old one to go: until then
			// slacksim (which does not know the frame was a disconnect) may
			// still send the next envelope on the old one, which slack-go
			// has stopped reading. Real Slack stops using a socket it asked
			// to disconnect.
			if _, err := p.sim.WaitEvent(waitCtx(t, 10*time.Second), seq, func(ev slacksim.Event) bool {
				return ev.Kind == slacksim.EventConnOpened
			}); err != nil {
				t.Fatalf("no reconnect after a disconnect frame: %v", err)
			}
			if err := p.sim.WaitFor(waitCtx(t, 10*time.Second), func() bool { return p.sim.Connections() == campaign.BotSockets }); err != nil {
				t.Fatalf("old socket never closed after a disconnect frame: %v", err)
			}
		}
		if err := p.sim.WaitConnected(waitCtx(t, 5*time.Second)); err != nil {
			t.Fatalf("connection lost after type %q payload %.200q", typName, payload)
		}
	})
}

type corpusEnvelope struct {
	typ     uint8
	payload string
}

// corpusEnvelopes returns Slack's real envelopes and bare payloads from
// the corpus, for seeds. It fails the target when it finds none.
func corpusEnvelopes(f *testing.F) []corpusEnvelope {
	f.Helper()
	var out []corpusEnvelope
	envs, err := slackcorpus.Glob("envelope-*.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range envs {
		var env struct {
			Type    string          `json:"type"`
			Payload json.RawMessage `json:"payload"`
		}
		if err := json.Unmarshal(file.Data, &env); err != nil || len(env.Payload) == 0 {
			f.Fatalf("envelope %s: no payload (%v)", file.Name, err)
		}
		out = append(out, corpusEnvelope{typeIndex(env.Type), string(env.Payload)})
	}
	for _, bare := range []struct{ pattern, typ string }{
		{"interactive-*.json", "interactive"}, {"events-api-*.json", "events_api"},
	} {
		files, err := slackcorpus.Glob(bare.pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			out = append(out, corpusEnvelope{typeIndex(bare.typ), string(file.Data)})
		}
	}
	return out
}

func typeIndex(typ string) uint8 {
	for i, t := range envelopeTypes {
		if t == typ {
			return uint8(i)
		}
	}
	return uint8(len(envelopeTypes) - 1)
}

// recentEvents formats the last n events of the local Slack, for a failure.
func recentEvents(sim *slacksim.Server, n int) string {
	evs := sim.Events()
	if len(evs) > n {
		evs = evs[len(evs)-n:]
	}
	var b strings.Builder
	for _, ev := range evs {
		fmt.Fprintf(&b, "\n  %d %s %s %s %s %s", ev.Seq, ev.Time.Format("15:04:05.000"), ev.Kind, ev.EnvelopeID, ev.Method, ev.Detail)
	}
	return b.String()
}
