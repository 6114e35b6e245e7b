package slacksim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/slack-go/slack/socketmode"
)

const appMention = `{"type":"event_callback","event":{"type":"app_mention"}}`

// noReconnect fails if a socket closed after seq.
func noReconnect(t *testing.T, s *slacksim.Server, seq int64) {
	t.Helper()
	for _, ev := range s.Events() {
		if ev.Seq > seq && ev.Kind == slacksim.EventConnClosed {
			t.Errorf("socket %s closed, want the connection kept", ev.Detail)
		}
	}
}

func TestSendTruncatedFrameOnTheWire(t *testing.T) {
	for _, reset := range []bool{false, true} {
		t.Run(map[bool]string{false: "fin", true: "rst"}[reset], func(t *testing.T) {
			s := newSim(t)
			ws, _ := dial(t, s, "")
			if n := s.SendTruncatedFrame(70_000, 100, reset); n != 1 {
				t.Fatalf("SendTruncatedFrame hit %d sockets, want 1", n)
			}
			_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, _, err := ws.ReadMessage()
			// gorilla reports a stream that ends mid-frame as close 1006
			// (abnormal closure: no close frame) with "unexpected EOF".
			var ce *websocket.CloseError
			switch {
			case err == nil:
				t.Fatalf("ReadMessage read a whole frame, want it cut short")
			case errors.As(err, &ce) && (ce.Code != websocket.CloseAbnormalClosure || ce.Text != io.ErrUnexpectedEOF.Error()):
				t.Fatalf("ReadMessage = %v, want an abnormal closure mid-frame, not a close frame", err)
			case !errors.As(err, &ce) && !errors.Is(err, syscall.ECONNRESET):
				t.Fatalf("ReadMessage = %v, want unexpected EOF or connection reset", err)
			}
			t.Logf("reset %v: ReadMessage = %v", reset, err)
			if err := s.WaitFor(ctxT(t), func() bool { return s.Connections() == 0 }); err != nil {
				t.Errorf("socket still open after a truncated frame: %v", err)
			}
		})
	}
}

func TestCutStreamOnTheWire(t *testing.T) {
	for _, n := range []int{1, 3, 200} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			s := newSim(t)
			ws, _ := dial(t, s, "")
			if hit := s.CutStream(n); hit != 1 {
				t.Fatalf("CutStream hit %d sockets, want 1", hit)
			}
			nc := ws.UnderlyingConn()
			_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
			got, err := io.ReadAll(nc) // the stream after hello, up to the FIN
			if err != nil {
				t.Fatalf("reading to the end of the stream: %v, want a plain close (FIN)", err)
			}
			// A server text frame announcing 64 KiB: FIN+text, 127, then
			// a 64-bit length; the stream must end after exactly n bytes.
			head := []byte{0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0}
			if len(got) != n || !bytes.Equal(got[:min(n, len(head))], head[:min(n, len(head))]) {
				t.Fatalf("stream after hello = % x (%d bytes), want the first %d bytes of a 64 KiB text frame", got[:min(len(got), 12)], len(got), n)
			}
			if err := s.WaitFor(ctxT(t), func() bool { return s.Connections() == 0 }); err != nil {
				t.Errorf("socket still open after the stream was cut: %v", err)
			}
		})
	}
}

func TestTruncatedFrameMakesClientReconnect(t *testing.T) {
	for _, reset := range []bool{false, true} {
		t.Run(map[bool]string{false: "fin", true: "rst"}[reset], func(t *testing.T) {
			s := newSim(t)
			startBot(t, s, ackAll)
			seq := s.Seq()
			s.SendTruncatedFrame(4096, 300, reset)
			waitReconnect(t, s, seq)
			if r, err := s.As("U1").Slash(ctxT(t), "/coach", "help"); err != nil || !r.Acked() {
				t.Errorf("Slash after the truncated frame = %v, want acked", err)
			}
		})
	}
}

func TestUnreadableFramesUpToTheLimitKeepTheConnection(t *testing.T) {
	s := newSim(t)
	startBot(t, s, ackAll)
	seq := s.Seq()
	// Nine in a row are tolerated; a readable envelope resets slack-go's count.
	for round := range 2 {
		for i := range 9 {
			if n := s.SendFrame([]byte(`{"envelope_id": garbage ` + strings.Repeat("}", i))); n != 1 {
				t.Fatalf("SendFrame hit %d sockets, want 1", n)
			}
		}
		if r, err := s.As("U1").Slash(ctxT(t), "/coach", "help"); err != nil || !r.Acked() {
			t.Fatalf("round %d: Slash after 9 unreadable frames = %v, want acked", round, err)
		}
	}
	noReconnect(t, s, seq)
	// The tenth in a row makes it give up and reconnect.
	seq = s.Seq()
	ten := make([][]byte, 10)
	for i := range ten {
		ten[i] = []byte("not json")
	}
	if n := s.SendFrame(ten...); n != 1 {
		t.Fatalf("SendFrame(10 frames) hit %d sockets, want 1", n)
	}
	waitReconnect(t, s, seq)
	if r, err := s.As("U1").Slash(ctxT(t), "/coach", "help"); err != nil || !r.Acked() {
		t.Errorf("Slash after the reconnect = %v, want acked", err)
	}
}

func TestFrameOverReadLimitReconnects(t *testing.T) {
	s := newSim(t)
	startBot(t, s, ackAll, socketmode.OptionReadLimit(64<<10))
	seq := s.Seq()
	big, _ := json.Marshal(map[string]any{"envelope_id": "e-big", "type": "slash_commands",
		"payload": map[string]string{"command": "/coach", "text": strings.Repeat("x", 100<<10)}})
	s.SendFrame(big)
	waitReconnect(t, s, seq)
	if r, err := s.As("U1").Slash(ctxT(t), "/coach", "help"); err != nil || !r.Acked() {
		t.Errorf("Slash after the oversize frame = %v, want acked", err)
	}
}

func TestStopReadingBlocksClientAcks(t *testing.T) {
	// No pings: with the window full, slack-go's pong would hold its reader
	// (up to 10 s) and the next envelope would not arrive.
	s := newSim(t, func(o *slacksim.Options) {
		o.AckTimeout = 30 * time.Second
		o.RetryDelays = []time.Duration{}
		o.SmallTCPWindow = true
		o.PingInterval = -1
	})
	c := socketmode.New(api(s), socketmode.OptionPingInterval(time.Minute), socketmode.OptionDialer(smallSendBufferDialer()))
	ctx, cancel := context.WithCancel(t.Context())
	ran := make(chan struct{})
	go func() { _ = c.RunContext(ctx); close(ran) }()
	reqs := make(chan *socketmode.Request, 1000)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-c.Events:
				if ev.Request != nil && ev.Request.EnvelopeID != "" {
					reqs <- ev.Request
				}
			}
		}
	}()
	t.Cleanup(func() { cancel(); <-ran })
	if err := s.WaitConnected(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if n := s.StopReading(); n != 1 {
		t.Fatalf("StopReading stopped %d sockets, want 1", n)
	}
	// Ack every envelope as a bot would, bounded; once the TCP window is full the
	// client's 20-slot ack queue fills and AckCtx times out.
	acked, timedOut := 0, 0
	for i := 0; i < 5000 && timedOut == 0; i++ {
		s.Send("events_api", json.RawMessage(appMention))
		var req *socketmode.Request
		select {
		case req = <-reqs:
		case <-ctxT(t).Done():
			t.Fatalf("envelope %d never reached the client", i)
		}
		actx, acancel := context.WithTimeout(ctx, 200*time.Millisecond)
		err := c.AckCtx(actx, req.EnvelopeID, nil)
		acancel()
		switch {
		case errors.Is(err, context.DeadlineExceeded):
			timedOut++
		case err != nil:
			t.Fatalf("AckCtx = %v", err)
		default:
			acked++
		}
	}
	if timedOut == 0 {
		t.Fatalf("AckCtx never timed out after %d acks with the server not reading", acked)
	}
	if n := len(s.Acks()); n > 1 {
		t.Errorf("server read %d acks while stopped, want at most the one it was reading", n)
	}
	t.Logf("AckCtx blocked after %d bare acks", acked)
	s.ResumeReading()
	if err := s.WaitFor(ctxT(t), func() bool { return len(s.Acks()) == acked }); err != nil {
		t.Errorf("after ResumeReading the server read %d acks, want the %d queued: %v", len(s.Acks()), acked, err)
	}
	s.Send("events_api", json.RawMessage(appMention))
	req := <-reqs
	if err := c.AckCtx(ctxT(t), req.EnvelopeID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WaitAck(ctxT(t), req.EnvelopeID); err != nil {
		t.Errorf("ack after ResumeReading = %v", err)
	}
}

func TestDroppedAcks(t *testing.T) {
	s := newSim(t, func(o *slacksim.Options) { o.AckTimeout = 100 * time.Millisecond; o.RetryDelays = []time.Duration{} })
	ws, _ := dial(t, s, "")
	for i, size := range []int{20_480 - 100, 20_480} {
		id := s.Send("events_api", json.RawMessage(appMention))
		var env map[string]any
		if err := ws.ReadJSON(&env); err != nil {
			t.Fatal(err)
		}
		head := `{"envelope_id":"` + id + `","payload":{"text":"`
		frame := head + strings.Repeat("x", size-len(head)-3) + `"}}`
		if len(frame) != size {
			t.Fatalf("frame of %d bytes, want %d", len(frame), size)
		}
		if err := ws.WriteMessage(websocket.TextMessage, []byte(frame)); err != nil {
			t.Fatal(err)
		}
		if err := s.WaitFor(ctxT(t), func() bool { return len(s.Acks()) == i+1 }); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.DroppedAcks(); n != 1 {
		t.Errorf("DroppedAcks = %d, want 1 (the 20 480-byte frame only)", n)
	}
}
