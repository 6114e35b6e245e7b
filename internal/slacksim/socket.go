package slacksim

import (
	"encoding/json"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// conn is one Socket Mode WebSocket. Writes of text frames (and the raw bytes of a
// malformed frame) go through out and one writer goroutine (gorilla allows one
// writer); pings use WriteControl, which may run concurrently with it.
type conn struct {
	id      string
	ws      *websocket.Conn
	out     chan frame
	done    chan struct{}
	once    sync.Once
	opened  time.Time
	debug   bool
	ready   bool // hello was sent; guarded by Server.mu
	closing bool // a closing disconnect was sent; guarded by Server.mu
	pongs   int  // guarded by Server.mu
	// paused, while not nil, holds the read loop before its next read (StopReading);
	// closed and cleared by ResumeReading. Guarded by Server.mu.
	paused chan struct{}
}

// kill closes the TCP connection without a close frame. Safe to call repeatedly.
func (c *conn) kill() {
	c.once.Do(func() {
		close(c.done)
		_ = c.ws.UnderlyingConn().Close()
	})
}

// dead reports whether kill ran.
func (c *conn) dead() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// frame is one write for the writer goroutine: a text frame, or, when raw is set,
// bytes written by raw itself on the TCP connection (a malformed frame), after which
// the socket is closed.
type frame struct {
	text []byte
	raw  func(net.Conn)
}

// send queues a text frame; a full queue loses the frame like a congested socket.
func (c *conn) send(b []byte) bool { return c.queue(frame{text: b}) }

func (c *conn) queue(f frame) bool {
	select {
	case <-c.done:
		return false
	case c.out <- f:
		return true
	default:
		return false
	}
}

// connList returns open sockets in the order they opened. Caller holds mu.
func (st *state) connList() []*conn {
	out := make([]*conn, 0, len(st.conns))
	for _, c := range st.conns {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *conn) int { return a.opened.Compare(b.opened) })
	return out
}

// Connections reports how many Socket Mode connections said hello and are not being
// closed by a disconnect: the sockets envelopes can go to.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.st.conns {
		if c.ready && !c.closing {
			n++
		}
	}
	return n
}

func (s *Server) connectionsOpen(r *apiReq) obj {
	ticket := randHex(12)
	s.st.tickets[ticket] = false
	host := strings.TrimPrefix(s.base, "http://")
	return obj{"ok": true, "url": "ws://" + host + "/link/?ticket=" + ticket + "&app_id=" + s.opts.AppID}
}

var upgrader = websocket.Upgrader{
	// slack-go sends Origin: https://api.slack.com; gorilla's default check rejects it.
	CheckOrigin:     func(*http.Request) bool { return true },
	WriteBufferSize: 32 << 10,
}

func (s *Server) handleLink(w http.ResponseWriter, hr *http.Request) {
	ticket := hr.URL.Query().Get("ticket")
	s.mu.Lock()
	used, ok := s.st.tickets[ticket]
	if !ok || (used && !s.opts.ReusableTickets) || s.st.closed {
		s.mu.Unlock()
		http.Error(w, "invalid or used ticket", http.StatusUnauthorized)
		return
	}
	s.st.tickets[ticket] = true
	s.mu.Unlock()
	ws, err := upgrader.Upgrade(w, hr, nil)
	if err != nil {
		s.logf("upgrade: %v", err)
		return
	}
	c := &conn{ws: ws, out: make(chan frame, 256), done: make(chan struct{}), opened: time.Now(),
		debug: hr.URL.Query().Get("debug_reconnects") == "true"}
	s.mu.Lock()
	if s.st.closed {
		s.mu.Unlock()
		_ = ws.Close()
		return
	}
	c.id = s.st.newID("WS")
	over := len(s.st.conns) >= s.opts.MaxConnections
	s.st.conns[c.id] = c
	if !over {
		// hello is queued under mu so that no envelope can overtake it.
		c.send(s.helloFrame(c, len(s.st.conns)))
		c.ready = true
		s.st.emit(Event{Kind: EventConnOpened, Detail: c.id})
	}
	s.mu.Unlock()

	s.wg.Go(func() { s.writeLoop(c) })
	s.wg.Go(func() { s.pingLoop(c) })
	if over {
		s.sendDisconnect(c, "too_many_websockets", true)
	} else if c.debug {
		s.refreshAfter(c, 360*time.Second)
	} else if s.opts.ConnectionLifetime > 0 {
		s.refreshAfter(c, s.opts.ConnectionLifetime)
	}
	s.readLoop(c) // runs on the handler goroutine; returns when the socket dies
}

func (s *Server) helloFrame(c *conn, n int) []byte {
	life := 18060
	switch {
	case c.debug:
		life = 360 // debug_reconnects=true: Slack recycles the socket after 360 s
	case s.opts.ConnectionLifetime > 0:
		life = max(1, int(s.opts.ConnectionLifetime.Round(time.Second)/time.Second))
	}
	hello, _ := json.Marshal(obj{"type": "hello", "num_connections": n,
		"debug_info":      obj{"host": "applink-sim-" + c.id, "build_number": 1, "approximate_connection_time": life},
		"connection_info": obj{"app_id": s.opts.AppID}})
	return hello
}

// refreshAfter sends refresh_requested on c after d unless c closes first.
func (s *Server) refreshAfter(c *conn, d time.Duration) {
	s.wg.Go(func() {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			s.sendDisconnect(c, "refresh_requested", true)
		case <-c.done:
		}
	})
}

// sendDisconnect sends a disconnect message; with closing it stops routing envelopes
// to c and closes it after the grace period unless the client closes first.
func (s *Server) sendDisconnect(c *conn, reason string, closing bool) {
	msg, _ := json.Marshal(obj{"type": "disconnect", "reason": reason,
		"debug_info": obj{"host": "applink-sim-" + c.id}})
	s.mu.Lock()
	c.send(msg)
	if closing {
		c.closing = true
	}
	s.st.emit(Event{Kind: EventDisconnectSent, Detail: reason})
	s.mu.Unlock()
	if !closing {
		return
	}
	s.wg.Go(func() {
		t := time.NewTimer(s.opts.DisconnectGrace)
		defer t.Stop()
		select {
		case <-t.C:
			c.kill()
		case <-c.done:
		}
	})
}

func (s *Server) writeLoop(c *conn) {
	for {
		select {
		case <-c.done:
			return
		case f := <-c.out:
			if f.raw != nil {
				f.raw(c.ws.UnderlyingConn())
				c.kill()
				return
			}
			_ = c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if err := c.ws.WriteMessage(websocket.TextMessage, f.text); err != nil {
				c.kill()
				return
			}
		}
	}
}

func (s *Server) pingLoop(c *conn) {
	if s.opts.PingInterval < 0 {
		return
	}
	t := time.NewTicker(s.opts.PingInterval)
	defer t.Stop()
	n := 0
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			s.mu.Lock()
			off := s.st.pingsOff
			s.mu.Unlock()
			if off {
				continue
			}
			n++
			data := []byte("ping-" + strconv.Itoa(n))
			if err := c.ws.WriteControl(websocket.PingMessage, data, time.Now().Add(5*time.Second)); err != nil {
				c.kill()
				return
			}
		}
	}
}

func (s *Server) readLoop(c *conn) {
	c.ws.SetPongHandler(func(string) error {
		s.mu.Lock()
		c.pongs++
		s.mu.Unlock()
		return nil
	})
	c.ws.SetReadLimit(1 << 20)
	for {
		if !s.readGate(c) {
			break
		}
		typ, data, err := c.ws.ReadMessage()
		if err != nil {
			break
		}
		if typ == websocket.TextMessage {
			s.handleAck(c, data)
		}
	}
	c.kill()
	s.mu.Lock()
	delete(s.st.conns, c.id)
	s.st.emit(Event{Kind: EventConnClosed, Detail: c.id})
	s.mu.Unlock()
}
