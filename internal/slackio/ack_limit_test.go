package slackio_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/slacksim"
)

const mention = `{"type":"event_callback","event_id":"Ev0","event":{"type":"app_mention"}}`

// A Validate whose errors would make an ack over Slack's 20 KB limit still
// gets an ack that keeps the modal open: slack-go refuses an oversize ack,
// which would leave the submission unanswered ("trouble connecting").
func TestOversizeViewErrorsAreCutToFitTheAck(t *testing.T) {
	huge := map[string]string{}
	for i := range 100 {
		huge[fmt.Sprintf("block_%03d", i)] = strings.Repeat("é", 1000)
	}
	r := slackio.NewRouter()
	r.View("cb", slackio.ViewHandler{
		Validate: func(slack.InteractionCallback) map[string]string { return huge },
		Handle:   func(context.Context, slack.InteractionCallback) error { return nil },
	})
	h := start(t, slacksim.Options{}, r, slackio.Config{})
	sub := json.RawMessage(`{"type":"view_submission","team":{"id":"T0SIM0001"},"user":{"id":"U0TEST001"},
		"api_app_id":"A0SIM0001","trigger_id":"t1","view":{"id":"V1","type":"modal","callback_id":"cb","blocks":[],"state":{"values":{}}}}`)
	env, err := h.sim.WaitAck(deadline(t, 5*time.Second), h.sim.Send("interactive", sub))
	if err != nil {
		t.Fatalf("submission with 100 KB of errors not acked: %v", err)
	}
	var ack struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
	}
	if err := json.Unmarshal(env.AckPayload, &ack); err != nil || ack.ResponseAction != "errors" || len(ack.Errors) == 0 {
		t.Errorf("ack payload = %.200s, want response_action errors with at least one error", env.AckPayload)
	}
	if msg := ack.Errors["block_000"]; len([]rune(msg)) > 300 {
		t.Errorf("error for block_000 has %d runes, want it cut to at most 300", len([]rune(msg)))
	}
	if n := h.sim.DroppedAcks(); n != 0 {
		t.Errorf("DroppedAcks = %d, want 0", n)
	}
	t.Logf("ack of %d bytes kept %d of %d errors", len(env.AckPayload), len(ack.Errors), len(huge))
}

// Frames that are not JSON leave slack-go's socket up; the App must not
// report itself disconnected (its /readyz) because of them.
func TestUnreadableFramesKeepTheAppConnected(t *testing.T) {
	h := start(t, slacksim.Options{}, slackio.NewRouter(), slackio.Config{})
	seq := h.sim.Seq()
	for range 3 {
		h.sim.SendFrame([]byte("{not json"))
	}
	if _, err := h.sim.WaitAck(deadline(t, 5*time.Second), h.sim.Send("events_api", json.RawMessage(mention))); err != nil {
		t.Fatalf("envelope after unreadable frames not acked: %v", err)
	}
	for _, ev := range h.sim.Events() {
		if ev.Seq > seq && ev.Kind == slacksim.EventConnClosed {
			t.Fatalf("socket closed after 3 unreadable frames, want it kept")
		}
	}
	if !h.app.Connected() {
		t.Errorf("Connected() = false after unreadable frames on a live socket, want true")
	}
}

// A frame over Config.ReadLimit makes the client drop the socket and dial a
// new one instead of buffering it.
func TestFrameOverReadLimitReconnects(t *testing.T) {
	h := start(t, slacksim.Options{}, slackio.NewRouter(), slackio.Config{ReadLimit: 64 << 10})
	seq := h.sim.Seq()
	big, _ := json.Marshal(map[string]any{"envelope_id": "e-big", "type": "events_api",
		"payload": json.RawMessage(`{"type":"event_callback","event":{"type":"app_mention","text":"` + strings.Repeat("x", 100<<10) + `"}}`)})
	h.sim.SendFrame(big)
	if _, err := h.sim.WaitEvent(deadline(t, 10*time.Second), seq, func(ev slacksim.Event) bool {
		return ev.Kind == slacksim.EventConnClosed
	}); err != nil {
		t.Fatalf("socket kept after a frame over the read limit: %v", err)
	}
	if err := h.sim.WaitConnected(deadline(t, 10*time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.sim.WaitAck(deadline(t, 5*time.Second), h.sim.Send("events_api", json.RawMessage(mention))); err != nil {
		t.Errorf("envelope after the reconnect not acked: %v", err)
	}
}

// floodUntilNewSocket sends events until a new socket says hello (or limit
// were sent, then it waits up to wait for the hello) and returns how many it
// sent. Slack, not reading, may notice the old socket's end only later.
func floodUntilNewSocket(t *testing.T, sim *slacksim.Server, limit int, wait time.Duration) int {
	t.Helper()
	feed, cancel := sim.Subscribe()
	defer cancel()
	seq := sim.Seq()
	for sent := 1; sent <= limit; sent++ {
		sim.Send("events_api", json.RawMessage(mention))
		for drained := false; !drained; {
			select {
			case ev, ok := <-feed:
				if ok && ev.Kind == slacksim.EventConnOpened {
					return sent
				}
				drained = !ok
			default:
				drained = true
			}
		}
	}
	if _, err := sim.WaitEvent(deadline(t, wait), seq, func(ev slacksim.Event) bool {
		return ev.Kind == slacksim.EventConnOpened
	}); err != nil {
		t.Fatalf("stalled socket kept after %d envelopes: %v", limit, err)
	}
	return limit
}

// Slack stops reading the socket: once the TCP window is full, acks cannot
// be queued (AckCtx times out). The App must drop that socket and dial a new
// one rather than keep a socket that delivers envelopes but whose acks are
// lost; slack-go's own ping watchdog does not fire while pings still arrive.
func TestStalledSocketIsReplaced(t *testing.T) {
	// A fixed small send buffer, so the acks that fit before AckCtx blocks
	// do not depend on this machine's TCP autotuning.
	// No pings (slack-go's watchdog allows 30 s): a pong into the full window
	// would hold slack-go's reader, and the socket would end another way.
	m := &metricsLog{}
	h := start(t, slacksim.Options{SmallTCPWindow: true, AckTimeout: time.Minute, RetryDelays: []time.Duration{}, PingInterval: -1},
		slackio.NewRouter(), slackio.Config{AckTimeout: 200 * time.Millisecond, Metrics: m, SendBuffer: 4096})
	if n := h.sim.StopReading(); n != 1 {
		t.Fatalf("StopReading = %d sockets, want 1", n)
	}
	sent := floodUntilNewSocket(t, h.sim, 10_000, 15*time.Second)
	h.sim.ResumeReading() // Slack then finds the old socket closed and stops routing to it
	if err := h.sim.WaitFor(deadline(t, 10*time.Second), func() bool { return h.sim.Connections() == 1 }); err != nil {
		t.Fatalf("old socket still open: %v", err)
	}
	if _, err := h.sim.WaitAck(deadline(t, 5*time.Second), h.sim.Send("events_api", json.RawMessage(mention))); err != nil {
		t.Errorf("envelope on the new socket not acked: %v", err)
	}
	if got := m.reconnects(); len(got) != 1 || got[0] != "ack_timeout" {
		t.Errorf("reconnect causes = %v, want [ack_timeout] (the App dropping the socket)", got)
	}
	t.Logf("socket replaced after %d envelopes", sent)
}
