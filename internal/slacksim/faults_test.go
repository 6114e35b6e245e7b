package slacksim_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// waitReconnect waits until, after seq, a socket closed and a new one said hello.
func waitReconnect(t *testing.T, s *slacksim.Server, after int64) {
	t.Helper()
	for _, kind := range []slacksim.EventKind{slacksim.EventConnClosed, slacksim.EventConnOpened} {
		if _, err := s.WaitEvent(ctxT(t), after, func(e slacksim.Event) bool { return e.Kind == kind }); err != nil {
			t.Fatalf("no reconnect (%s): %v", kind, err)
		}
	}
}

func TestDisconnectReasonsReconnect(t *testing.T) {
	// slack-go treats every reason alike, "warning" included: it closes and reconnects.
	for _, reason := range []string{"warning", "refresh_requested", "link_disabled", "too_many_websockets"} {
		t.Run(reason, func(t *testing.T) {
			s := newSim(t)
			startBot(t, s, ackAll)
			seq := s.Seq()
			s.Disconnect(reason)
			waitReconnect(t, s, seq)
			r, err := s.As("U1").Slash(ctxT(t), "/coach", "help")
			if err != nil || !r.Acked() {
				t.Errorf("Slash after %s reconnect = %v", reason, err)
			}
		})
	}
}

func TestDisconnectOldestLeavesTheOthers(t *testing.T) {
	s := newSim(t)
	if s.DisconnectOldest("refresh_requested") {
		t.Fatal("DisconnectOldest with no socket open = true, want false")
	}
	old, _ := dial(t, s, "")
	young, _ := dial(t, s, "")
	if !s.DisconnectOldest("refresh_requested") {
		t.Fatal("DisconnectOldest = false with two sockets open")
	}
	var msg map[string]any
	_ = old.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err := old.ReadJSON(&msg); err != nil || msg["type"] != "disconnect" || msg["reason"] != "refresh_requested" {
		t.Fatalf("oldest socket read %v (%v), want a refresh_requested disconnect", msg, err)
	}
	if n := s.Connections(); n != 1 {
		t.Errorf("Connections() = %d after refreshing the oldest, want 1 (the younger one)", n)
	}
	// Envelopes now go to the younger socket only.
	id := s.Send("events_api", json.RawMessage(appMention))
	_ = young.SetReadDeadline(time.Now().Add(5 * time.Second))
	var env struct {
		EnvelopeID string `json:"envelope_id"`
		Type       string `json:"type"`
	}
	if err := young.ReadJSON(&env); err != nil || env.EnvelopeID != id {
		t.Fatalf("younger socket read %+v (%v), want envelope %s", env, err, id)
	}
}

func TestDropConnectionsReconnects(t *testing.T) {
	s := newSim(t)
	startBot(t, s, ackAll)
	seq := s.Seq()
	s.DropConnections()
	waitReconnect(t, s, seq)
}

func TestStopPingsTriggersWatchdog(t *testing.T) {
	s := newSim(t, func(o *slacksim.Options) { o.PingInterval = 50 * time.Millisecond })
	startBot(t, s, ackAll, socketmode.OptionPingInterval(300*time.Millisecond))
	seq := s.Seq()
	s.StopPings()
	if _, err := s.WaitEvent(ctxT(t), seq, func(e slacksim.Event) bool { return e.Kind == slacksim.EventConnClosed }); err != nil {
		t.Fatalf("watchdog did not drop the socket: %v", err)
	}
	s.ResumePings()
	waitReconnect(t, s, seq)
}

func TestUnackedEventsAreRedelivered(t *testing.T) {
	s := newSim(t, func(o *slacksim.Options) { o.AckTimeout = 100 * time.Millisecond })
	var seen atomic.Int32
	b := startBot(t, s, func(_ context.Context, _ *slack.Client, evt socketmode.Event, ack func(any)) {
		if evt.Type == socketmode.EventTypeEventsAPI {
			seen.Add(1)
			return // never acks
		}
		ack(nil)
	})
	ctx := ctxT(t)
	if _, err := s.As("U1").Say(ctx, "hi"); !errors.Is(err, slacksim.ErrNotAcked) {
		t.Fatalf("Say = %v, want ErrNotAcked", err)
	}
	// Three retries follow; the last one times out too.
	err := s.WaitFor(ctx, func() bool {
		es := s.Envelopes()
		return len(es) == 4 && es[3].Status == slacksim.StatusTimedOut
	})
	if err != nil {
		t.Fatalf("retries: %v (envelopes %+v)", err, s.Envelopes())
	}
	reqs := b.requests()
	if len(reqs) != 4 {
		t.Fatalf("bot saw %d envelopes, want 4", len(reqs))
	}
	ids := map[string]bool{}
	var eventID string
	for i, r := range reqs {
		reason := ""
		if i > 0 {
			reason = "timeout"
		}
		if r.RetryAttempt != i || r.RetryReason != reason {
			t.Errorf("envelope %d: retry_attempt %d reason %q, want %d %q", i, r.RetryAttempt, r.RetryReason, i, reason)
		}
		ids[r.EnvelopeID] = true
		var p struct {
			EventID string `json:"event_id"`
		}
		_ = json.Unmarshal(r.Payload, &p)
		if i == 0 {
			eventID = p.EventID
		} else if p.EventID != eventID {
			t.Errorf("envelope %d: event_id %s, want the same %s", i, p.EventID, eventID)
		}
	}
	if len(ids) != 4 {
		t.Errorf("envelope ids not all new: %v", ids)
	}
}

func TestRedeliverAndLateAck(t *testing.T) {
	s := newSim(t)
	b := startBot(t, s, ackAll)
	ctx := ctxT(t)
	r, err := s.As("U1").Say(ctx, "hi")
	if err != nil {
		t.Fatalf("Say = %v", err)
	}
	id, err := s.Redeliver(r.EnvelopeID)
	if err != nil {
		t.Fatalf("Redeliver = %v", err)
	}
	env, err := s.WaitAck(ctx, id)
	if err != nil || env.Attempt != 1 || env.RetryReason != "timeout" {
		t.Errorf("redelivered = %+v, %v", env, err)
	}
	if reqs := b.requests(); len(reqs) != 2 || reqs[1].RetryAttempt != 1 {
		t.Errorf("bot saw %d envelopes", len(reqs))
	}
	if _, err := s.Redeliver("nope"); !errors.Is(err, slacksim.ErrNotFound) {
		t.Errorf("Redeliver(nope) = %v, want ErrNotFound", err)
	}
}

func TestFailNext(t *testing.T) {
	s := newSim(t)
	a := api(s)
	ctx := ctxT(t)
	post := func() error {
		_, _, err := a.PostMessageContext(ctx, "U1", slack.MsgOptionText("x", false))
		return err
	}
	s.FailNext("chat.postMessage", 1, slacksim.Fault{Status: 429, RetryAfter: 2 * time.Second})
	var rl *slack.RateLimitedError
	if err := post(); !errors.As(err, &rl) || rl.RetryAfter != 2*time.Second {
		t.Errorf("after 429 fault = %v, want RateLimitedError 2s", err)
	}
	s.FailNext("chat.postMessage", 1, slacksim.Fault{Status: 503, AfterProcessing: true})
	var sc slack.StatusCodeError
	if err := post(); !errors.As(err, &sc) || sc.Code != 503 {
		t.Errorf("after 503 fault = %v, want StatusCodeError 503", err)
	}
	if n := len(s.Messages(s.DMChannel("U1"))); n != 1 {
		t.Errorf("messages after AfterProcessing 503 = %d, want 1 (it was posted)", n)
	}
	s.FailNext("chat.postMessage", 1, slacksim.Fault{Status: 500})
	if err := post(); !errors.As(err, &sc) || sc.Code != 500 {
		t.Errorf("after 500 fault = %v, want StatusCodeError 500", err)
	}
	if n := len(s.Messages(s.DMChannel("U1"))); n != 1 {
		t.Errorf("messages after plain 500 = %d, want still 1", n)
	}
	s.FailNext("users.info", 2, slacksim.Fault{Error: "user_not_found"})
	for range 2 {
		if _, err := a.GetUserInfoContext(ctx, "U1"); !isSlackErr(err, "user_not_found") {
			t.Errorf("users.info fault = %v", err)
		}
	}
	if _, err := a.GetUserInfoContext(ctx, "U1"); err != nil {
		t.Errorf("users.info after faults = %v", err)
	}
	s.FailNext("auth.test", 1, slacksim.Fault{Hang: true})
	hctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := a.AuthTestContext(hctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("hanging auth.test = %v, want deadline exceeded", err)
	}
	if post() != nil {
		t.Errorf("post after faults failed")
	}
	last := s.Calls()[len(s.Calls())-2]
	if last.Method != "auth.test" || last.Status != http.StatusServiceUnavailable {
		t.Errorf("hung call logged as %+v", last)
	}
}

func TestConnectionsOpenErrorInvalidAuthStopsClient(t *testing.T) {
	s := newSim(t)
	s.ConnectionsOpenError(&slacksim.Fault{Error: "invalid_auth"})
	c := socketmode.New(api(s))
	go func() {
		for range c.Events { //nolint:revive // drain
		}
	}()
	err := c.RunContext(ctxT(t))
	if !isSlackErr(err, "invalid_auth") {
		t.Errorf("RunContext = %v, want invalid_auth", err)
	}
}

func TestConnectionsOpen500IsRetried(t *testing.T) {
	s := newSim(t)
	s.FailNext("apps.connections.open", 2, slacksim.Fault{Status: 500})
	startBot(t, s, ackAll)
	if n := len(s.CallsTo("apps.connections.open")); n < 3 {
		t.Errorf("apps.connections.open calls = %d, want ≥3", n)
	}
}

func TestRateLimits(t *testing.T) {
	s := newSim(t, func(o *slacksim.Options) {
		o.RateLimits = slacksim.Limits{"chat.postMessage": {{PerMinute: 60, Burst: 2, Per: slacksim.PerChannel}}}
	})
	a := api(s)
	ctx := ctxT(t)
	for i := range 2 {
		if _, _, err := a.PostMessageContext(ctx, "U1", slack.MsgOptionText("x", false)); err != nil {
			t.Fatalf("post %d = %v", i, err)
		}
	}
	// The DM by its D id shares the bucket of its U id.
	var rl *slack.RateLimitedError
	if _, _, err := a.PostMessageContext(ctx, s.DMChannel("U1"), slack.MsgOptionText("x", false)); !errors.As(err, &rl) {
		t.Errorf("third post = %v, want RateLimitedError", err)
	}
	// Another channel has its own bucket.
	if _, _, err := a.PostMessageContext(ctx, "U2", slack.MsgOptionText("x", false)); err != nil {
		t.Errorf("post to U2 = %v", err)
	}
	if n := s.RateLimited("chat.postMessage"); n != 1 {
		t.Errorf("RateLimited = %d, want 1", n)
	}
}

// dial opens a raw Socket Mode connection and returns it with its hello.
func dial(t *testing.T, s *slacksim.Server, query string) (*websocket.Conn, map[string]any) {
	t.Helper()
	got := callTok(t, s, "apps.connections.open", s.AppToken(), nil)
	u, _ := got["url"].(string)
	ws, resp, err := websocket.DefaultDialer.DialContext(ctxT(t), u+query, http.Header{"Origin": {"https://api.slack.com"}})
	if err != nil {
		t.Fatalf("dial %s: %v", u, err)
	}
	resp.Body.Close()
	t.Cleanup(func() { ws.Close() })
	var hello map[string]any
	if err := ws.ReadJSON(&hello); err != nil {
		t.Fatalf("read hello: %v", err)
	}
	return ws, hello
}

func TestTicketsAreSingleUse(t *testing.T) {
	s := newSim(t)
	got := callTok(t, s, "apps.connections.open", s.AppToken(), nil)
	u, _ := got["url"].(string)
	ws, resp, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		t.Fatalf("first dial: %v", err)
	}
	resp.Body.Close()
	defer ws.Close()
	if _, resp, err := websocket.DefaultDialer.Dial(u, nil); err == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("second dial of one ticket = %v, want 401", err)
	}
}

func TestHelloAndTooManyWebsockets(t *testing.T) {
	s := newSim(t, func(o *slacksim.Options) { o.MaxConnections = 1 })
	_, hello := dial(t, s, "&debug_reconnects=true")
	info, _ := hello["debug_info"].(map[string]any)
	if hello["type"] != "hello" || hello["num_connections"] != 1.0 || info["approximate_connection_time"] != 360.0 {
		t.Errorf("hello = %v", hello)
	}
	ws2, msg := dial(t, s, "")
	if msg["type"] != "disconnect" || msg["reason"] != "too_many_websockets" {
		t.Errorf("second connection got %v, want disconnect too_many_websockets", msg)
	}
	_ = ws2
}

func TestOversizeAckIsDropped(t *testing.T) {
	s := newSim(t, func(o *slacksim.Options) { o.AckTimeout = 200 * time.Millisecond; o.RetryDelays = []time.Duration{} })
	ws, _ := dial(t, s, "")
	id := s.Send("events_api", json.RawMessage(`{"type":"event_callback","event":{"type":"app_mention"}}`))
	var env map[string]any
	if err := ws.ReadJSON(&env); err != nil || env["envelope_id"] != id {
		t.Fatalf("read envelope = %v %v", env, err)
	}
	big := `{"envelope_id":"` + id + `","payload":{"text":"` + strings.Repeat("x", 21000) + `"}}`
	if err := ws.WriteMessage(websocket.TextMessage, []byte(big)); err != nil {
		t.Fatal(err)
	}
	got, err := s.WaitAck(ctxT(t), id)
	if !errors.Is(err, slacksim.ErrNotAcked) || got.Status != slacksim.StatusTimedOut {
		t.Errorf("WaitAck after oversize ack = %+v, %v; want timed_out", got, err)
	}
	// A late ack is recorded as late and changes nothing.
	if err := ws.WriteJSON(map[string]string{"envelope_id": id}); err != nil {
		t.Fatal(err)
	}
	err = s.WaitFor(ctxT(t), func() bool { return len(s.Acks()) == 2 })
	acks := s.Acks()
	if err != nil || !acks[0].Dropped || !acks[1].Late {
		t.Errorf("Acks = %+v, %v; want dropped then late", acks, err)
	}
}

func TestEchoBotMessages(t *testing.T) {
	s := newSim(t, func(o *slacksim.Options) { o.EchoBotMessages = true })
	b := startBot(t, s, ackAll)
	call(t, s, "chat.postMessage", url.Values{"channel": {"U1"}, "text": {"hello"}})
	if err := s.WaitFor(ctxT(t), func() bool { return len(b.requests()) == 1 }); err != nil {
		t.Fatalf("no echo: %v", err)
	}
	if err := s.WaitFor(ctxT(t), func() bool { return len(s.Acks()) == 1 }); err != nil {
		t.Fatalf("echo not acked: %v", err)
	}
}

func TestSubscribeFeed(t *testing.T) {
	s := newSim(t)
	feed, cancel := s.Subscribe()
	call(t, s, "chat.postMessage", url.Values{"channel": {"U1"}, "text": {"hello"}})
	for ev := range feed {
		if ev.Kind == slacksim.EventMessage {
			if ev.Channel != s.DMChannel("U1") || ev.TS == "" {
				t.Errorf("message event = %+v", ev)
			}
			break
		}
	}
	cancel()
	for range feed { // ends only because cancel closed the feed
	}
}

func TestEnvelopesSpreadOverSockets(t *testing.T) {
	s := newSim(t)
	ws1, _ := dial(t, s, "")
	ws2, _ := dial(t, s, "")
	id1 := s.Send("events_api", json.RawMessage(`{"type":"event_callback","event":{"type":"app_mention"}}`))
	id2 := s.Send("events_api", json.RawMessage(`{"type":"event_callback","event":{"type":"app_mention"}}`))
	var e1, e2 map[string]any
	if err := ws1.ReadJSON(&e1); err != nil {
		t.Fatal(err)
	}
	if err := ws2.ReadJSON(&e2); err != nil {
		t.Fatal(err)
	}
	if e1["envelope_id"] != id1 || e2["envelope_id"] != id2 {
		t.Errorf("socket 1 got %v, socket 2 got %v; want one envelope each", e1["envelope_id"], e2["envelope_id"])
	}
	// An ack on the other socket counts by default and is flagged.
	if err := ws2.WriteJSON(map[string]string{"envelope_id": id1}); err != nil {
		t.Fatal(err)
	}
	if env, err := s.WaitAck(ctxT(t), id1); err != nil || env.Status != slacksim.StatusAcked || !s.Acks()[0].OtherConn {
		t.Errorf("cross-socket ack = %+v, %v, %+v", env, err, s.Acks())
	}
}

func TestRejectCrossConnectionAcks(t *testing.T) {
	s := newSim(t, func(o *slacksim.Options) {
		o.RejectCrossConnectionAcks = true
		o.AckTimeout = 100 * time.Millisecond
		o.RetryDelays = []time.Duration{}
	})
	ws1, _ := dial(t, s, "")
	ws2, _ := dial(t, s, "")
	id := s.Send("events_api", json.RawMessage(`{"type":"event_callback","event":{"type":"app_mention"}}`))
	var e map[string]any
	if err := ws1.ReadJSON(&e); err != nil {
		t.Fatal(err)
	}
	if err := ws2.WriteJSON(map[string]string{"envelope_id": id}); err != nil {
		t.Fatal(err)
	}
	if env, err := s.WaitAck(ctxT(t), id); !errors.Is(err, slacksim.ErrNotAcked) {
		t.Errorf("WaitAck = %+v, %v; want ErrNotAcked", env, err)
	}
}

func TestConnectionLifetimeRecyclesSockets(t *testing.T) {
	s := newSim(t, func(o *slacksim.Options) { o.ConnectionLifetime = 100 * time.Millisecond })
	startBot(t, s, ackAll)
	seq := s.Seq()
	if _, err := s.WaitEvent(ctxT(t), seq, func(e slacksim.Event) bool {
		return e.Kind == slacksim.EventDisconnectSent && e.Detail == "refresh_requested"
	}); err != nil {
		t.Fatalf("no refresh: %v", err)
	}
	waitReconnect(t, s, seq)
}

func TestConnectionsOpenErrorStickyUntilCleared(t *testing.T) {
	s := newSim(t)
	startBot(t, s, ackAll)
	s.ConnectionsOpenError(&slacksim.Fault{Status: 500})
	seq := s.Seq()
	s.Disconnect("link_disabled")
	// The client keeps retrying apps.connections.open while it fails.
	if err := s.WaitFor(ctxT(t), func() bool {
		n := 0
		for _, c := range s.CallsTo("apps.connections.open") {
			if c.Status == 500 {
				n++
			}
		}
		return n >= 2
	}); err != nil {
		t.Fatalf("no failing retries: %v", err)
	}
	s.ConnectionsOpenError(nil)
	waitReconnect(t, s, seq)
}
