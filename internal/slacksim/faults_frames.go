package slacksim

import (
	"encoding/binary"
	"net"
	"strings"
	"time"
)

// Faults of the Socket Mode transport itself (reliability.md 7 A2, A7, A8, A12):
// frames slack-go cannot read and a server that stops reading. Each acts on the
// sockets open when it is called; a socket the client opens afterwards is healthy.

// SendFrame writes each of frames verbatim as one WebSocket text frame on every
// open socket, back to back (no envelope goes out between them), and returns how
// many sockets they went to. Unlike Send it registers no envelope, so nothing
// waits for an ack: it is for frames that are not envelopes at all, such as
// invalid JSON, an empty frame or a frame larger than the client's read limit.
// slack-go keeps the connection after up to 9 unreadable frames in a row and
// reconnects at the 10th; a frame over its read limit (socketmode.OptionReadLimit)
// makes it reconnect at once. A socket whose queue is full loses the rest.
func (s *Server) SendFrame(frames ...[]byte) int {
	return s.eachLive(func(c *conn) bool {
		ok := true
		for _, f := range frames {
			ok = c.send(f) && ok
		}
		return ok
	})
}

// SendTruncatedFrame writes, on every open socket, a text frame header announcing
// announced payload bytes followed by only sent of them (the start of an envelope),
// then ends the TCP connection: with a reset (RST) when reset is set, otherwise
// with a plain close (FIN), and in both cases without a close frame. The client
// sees an unexpected EOF or a reset in the middle of a frame (slack-go #1608).
// sent is clamped to [0, announced). It returns how many sockets it hit.
func (s *Server) SendTruncatedFrame(announced, sent int, reset bool) int {
	announced = max(announced, 1)
	sent = min(max(sent, 0), announced-1)
	b := append(frameHeader(announced), truncatedBody(sent)...)
	return s.eachLive(func(c *conn) bool {
		return c.queue(frame{raw: func(nc net.Conn) {
			_ = nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
			_, _ = nc.Write(b)
			if tc, ok := nc.(*net.TCPConn); ok && reset {
				_ = tc.SetLinger(0) // Close now sends RST instead of FIN
			}
		}})
	})
}

// CutStream ends the TCP stream of every open socket (a plain close, FIN, with no
// close frame) after the first n bytes of a text frame announcing 64 KiB, as
// toxiproxy's limit_data does after N bytes. Unlike SendTruncatedFrame, n may end
// inside the frame's header: n of 1 leaves the client with only the opcode byte,
// 2 to 3 with part of the extended length. n is clamped to [1, frame length). It
// returns how many sockets it hit.
func (s *Server) CutStream(n int) int {
	const announced = 64 << 10
	b := append(frameHeader(announced), truncatedBody(announced)...)
	b = b[:min(max(n, 1), len(b)-1)]
	return s.eachLive(func(c *conn) bool {
		return c.queue(frame{raw: func(nc net.Conn) {
			_ = nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
			_, _ = nc.Write(b)
		}})
	})
}

// frameHeader is the header of an unmasked final text frame (server to client,
// RFC 6455 5.2) whose payload is n bytes long.
func frameHeader(n int) []byte {
	const finText = 0x81
	switch {
	case n < 126:
		return []byte{finText, byte(n)}
	case n <= 0xffff:
		return binary.BigEndian.AppendUint16([]byte{finText, 126}, uint16(n))
	default:
		return binary.BigEndian.AppendUint64([]byte{finText, 127}, uint64(n))
	}
}

// truncatedBody is n bytes of what looks like the start of an envelope.
func truncatedBody(n int) []byte {
	start := `{"envelope_id":"` + newUUID() + `","type":"slash_commands","accepts_response_payload":true,"payload":{"text":"`
	body := start + strings.Repeat("x", max(0, n-len(start)))
	return []byte(body[:n])
}

// StopReading makes the server stop reading every open socket (after the frame it
// may be reading now) and shrinks the socket's kernel receive buffer, so the
// client's acks and pongs fill the TCP window within a few kilobytes and its writes
// block, as with a congested or wedged Slack edge. The server keeps writing:
// envelopes and pings still go out. Acks stay unread until ResumeReading or until
// the socket closes; the client's own timeouts decide what happens meanwhile. It
// returns how many sockets stopped.
func (s *Server) StopReading() int {
	return s.eachLive(func(c *conn) bool {
		if c.paused != nil {
			return false
		}
		c.paused = make(chan struct{})
		if tc, ok := c.ws.UnderlyingConn().(*net.TCPConn); ok {
			_ = tc.SetReadBuffer(2048) // the kernel's floor is about this
		}
		return true
	})
}

// ResumeReading lets every socket stopped by StopReading read again; acks that
// waited in the buffers are then handled (late ones recorded as late).
func (s *Server) ResumeReading() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.st.conns {
		if c.paused != nil {
			close(c.paused)
			c.paused = nil
		}
	}
}

// readGate holds c's read loop while reading is stopped; false means c died.
func (s *Server) readGate(c *conn) bool {
	s.mu.Lock()
	p := c.paused
	s.mu.Unlock()
	if p == nil {
		return true
	}
	select {
	case <-p:
		return true
	case <-c.done:
		return false
	}
}

// DroppedAcks counts the acks Slack would silently drop: frames of 20 KB (20 480
// bytes) or more. They count as no ack (the envelope times out, a modal shows an
// error); slack-go refuses to send them, so a non-zero count means a client that
// bypassed that check.
func (s *Server) DroppedAcks() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, a := range s.st.acks {
		if a.Dropped {
			n++
		}
	}
	return n
}

// eachLive runs f, under mu, on every socket envelopes could go to, and counts
// the sockets where it returned true.
func (s *Server) eachLive(f func(*conn) bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.st.connList() {
		if c.ready && !c.closing && !c.dead() && f(c) {
			n++
		}
	}
	return n
}
