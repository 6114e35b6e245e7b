package slackio_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// With two sockets, Slack replacing one (its refresh every few hours) is
// invisible: a command typed right after the disconnect goes to the other
// socket and is acked and answered, the App never reports itself
// disconnected, and afterwards both sockets are up again. With one socket
// each of these commands would fail (no connection to send it on).
func TestSecondSocketCarriesARefresh(t *testing.T) {
	r := slackio.NewRouter()
	rec := newRecorder()
	r.Command("/coach", func(ctx context.Context, cmd slack.SlashCommand) (slackio.Reply, error) {
		rec.add(cmd.TriggerID)
		return slackio.Reply{}, nil
	})
	m := &metricsLog{}
	h := startSockets(t, 2, slacksim.Options{}, r, slackio.Config{Metrics: m})
	if err := waitUntil(deadline(t, 10*time.Second), func() bool { return h.app.ConnectedSockets() == 2 }); err != nil {
		t.Fatalf("the App never saw both sockets up: %v", err)
	}
	const refreshes = 5
	for i := range refreshes {
		if !h.sim.DisconnectOldest("refresh_requested") {
			t.Fatalf("refresh %d: no socket open", i)
		}
		id := h.sim.Send("slash_commands", slashPayload("help", fmt.Sprintf("tr-refresh-%d", i)))
		if env, err := h.sim.WaitAck(deadline(t, 5*time.Second), id); err != nil {
			t.Fatalf("refresh %d: command right after one socket's refresh: %v (status %s), want acked on the other socket", i, err, env.Status)
		}
		if !h.app.Connected() {
			t.Errorf("refresh %d: App.Connected() = false while the other socket is up", i)
		}
		// Both up again, as the App sees them, before the next refresh:
		// Slack refreshes a connection hours after it opened.
		if err := waitUntil(deadline(t, 10*time.Second), func() bool {
			return h.app.ConnectedSockets() == 2 && h.sim.Connections() == 2
		}); err != nil {
			t.Fatalf("refresh %d: the refreshed socket never came back: %v", i, err)
		}
	}
	if err := rec.waitN(deadline(t, 5*time.Second), refreshes); err != nil {
		t.Errorf("commands answered: %v", err)
	}
	if ups, downs := m.counts(); downs != 0 || ups != 1 {
		t.Errorf("SetConnected: %d× true, %d× false; want true once and never false (a socket was up throughout)", ups, downs)
	}
	// Up to 2 at the start (through 1, unless both came up at once), then
	// 2 → 1 → 2 on each refresh.
	want := []int{2}
	for range refreshes {
		want = append(want, 1, 2)
	}
	got := m.socketsSeen()
	if len(got) > 0 && got[0] == 1 {
		got = got[1:]
	}
	if !slices.Equal(got, want) {
		t.Errorf("SetSocketsUp reports %v (after the first up), want %v", m.socketsSeen(), want)
	}
}

// Slack replaces each socket a lifetime after its hello. Two sockets that
// said hello together would be replaced together, leaving a moment with no
// socket; so the App refreshes one of them early, once, and Slack's
// refreshes then fall half a lifetime apart. Commands sent all along are
// all acked.
func TestSocketsRefreshedApart(t *testing.T) {
	const life = 2 * time.Second // the local Slack's per-socket lifetime
	r := slackio.NewRouter()
	r.Command("/coach", func(ctx context.Context, cmd slack.SlashCommand) (slackio.Reply, error) {
		return slackio.Reply{}, nil
	})
	m := &metricsLog{}
	h := startSockets(t, 2, slacksim.Options{ConnectionLifetime: life}, r, slackio.Config{Metrics: m})
	start := h.sim.Seq()

	// A command every 20 ms through the early refresh (at life/2) and both
	// of Slack's (at life and 1.5 × life).
	var ids []string
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	end := time.After(life*3/2 + 500*time.Millisecond)
stream:
	for i := 0; ; i++ {
		select {
		case <-tick.C:
			ids = append(ids, h.sim.Send("slash_commands", slashPayload("help", fmt.Sprintf("tr-apart-%d", i))))
		case <-end:
			break stream
		}
	}
	lost := 0
	for _, id := range ids {
		if _, err := h.sim.WaitAck(deadline(t, 5*time.Second), id); err != nil {
			lost++
		}
	}
	// The early refresh closes a socket Slack still routes to: a command
	// in flight on it in that instant is lost (at 50 a second here, about
	// one run in three; directors click a few times a minute).
	if lost > 1 {
		t.Errorf("%d of %d commands not acked across the refreshes, want at most 1", lost, len(ids))
	}

	var refreshes []time.Time
	for _, ev := range h.sim.Events() {
		if ev.Seq > start && ev.Kind == slacksim.EventDisconnectSent && ev.Detail == "refresh_requested" {
			refreshes = append(refreshes, ev.Time)
		}
	}
	if len(refreshes) < 2 {
		t.Fatalf("Slack refreshed %d sockets, want both (the run covers 1.5 lifetimes)", len(refreshes))
	}
	for i := 1; i < len(refreshes); i++ {
		if gap := refreshes[i].Sub(refreshes[i-1]); gap < life/4 {
			t.Errorf("Slack refreshed two sockets %v apart, want ≥ %v (the App staggers them)", gap, life/4)
		}
	}
	if got := m.reconnects(); slices.Index(got, "stagger") < 0 {
		t.Errorf("reconnect causes %v, want one early refresh (stagger)", got)
	}
	var gaps []time.Duration
	for i := 1; i < len(refreshes); i++ {
		gaps = append(gaps, refreshes[i].Sub(refreshes[i-1]).Round(time.Millisecond))
	}
	t.Logf("FIGURE stagger: lifetime %v; Slack's refreshes %v apart; %d of %d commands not acked", life, gaps, lost, len(ids))
}

// waitUntil polls cond every few milliseconds until it holds or ctx ends.
func waitUntil(ctx context.Context, cond func() bool) error {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}

// metricsLog keeps what the App reports to its Metrics.
type metricsLog struct {
	mu         sync.Mutex
	ups, downs int      // SetConnected(true), SetConnected(false)
	sockets    []int    // SetSocketsUp, in order
	causes     []string // Reconnect, in order
}

func (m *metricsLog) SetConnected(up bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if up {
		m.ups++
	} else {
		m.downs++
	}
}

func (m *metricsLog) SetSocketsUp(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sockets = append(m.sockets, n)
}

func (m *metricsLog) Reconnect(cause string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.causes = append(m.causes, cause)
}

func (m *metricsLog) Envelope(string)          {}
func (m *metricsLog) AckLatency(time.Duration) {}

func (m *metricsLog) counts() (ups, downs int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ups, m.downs
}

func (m *metricsLog) socketsSeen() []int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.sockets)
}

func (m *metricsLog) reconnects() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.causes)
}

// An ack slack-go wrote on a socket it had just closed (for an envelope
// Slack sent right before its disconnect) comes back to the lane, which
// sends it again on the socket that is up, payload and all.
func TestAckTakenBackGoesOutAgain(t *testing.T) {
	h := start(t, slacksim.Options{}, slackio.NewRouter(), slackio.Config{})
	h.app.TakeBack(0, []byte(`{"envelope_id":"e-back","payload":{"text":"hi"}}`))
	h.app.TakeBack(0, []byte(`not json`))
	var got slacksim.Ack
	if err := h.sim.WaitFor(deadline(t, 5*time.Second), func() bool {
		for _, a := range h.sim.Acks() {
			if a.EnvelopeID == "e-back" {
				got = a
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("the ack taken back never reached Slack: %v", err)
	}
	if string(got.Payload) != `{"text":"hi"}` {
		t.Errorf("ack payload %s, want {\"text\":\"hi\"}", got.Payload)
	}
	if n := len(h.sim.Acks()); n != 1 {
		t.Errorf("Slack got %d acks, want only the one taken back", n)
	}
}
