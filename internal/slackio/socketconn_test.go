package slackio

import (
	"bufio"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// wsServer is a WebSocket server that reports every text message it reads
// and when the client's connection ends.
type wsServer struct {
	*httptest.Server
	got   chan string
	ended chan struct{}
}

func newWSServer(t *testing.T, useTLS bool) *wsServer {
	t.Helper()
	s := &wsServer{got: make(chan string, 16), ended: make(chan struct{})}
	up := websocket.Upgrader{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		defer close(s.ended)
		for {
			_, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			s.got <- string(msg)
		}
	})
	if useTLS {
		s.Server = httptest.NewTLSServer(h)
	} else {
		s.Server = httptest.NewServer(h)
	}
	t.Cleanup(s.Close)
	return s
}

func (s *wsServer) url() string {
	return "ws" + strings.TrimPrefix(s.URL, "http")
}

func (s *wsServer) tlsConfig() *tls.Config {
	if s.TLS == nil {
		return nil
	}
	return s.Client().Transport.(*http.Transport).TLSClientConfig
}

func (s *wsServer) want(t *testing.T, msg string) {
	t.Helper()
	select {
	case got := <-s.got:
		if got != msg {
			t.Fatalf("server read %q, want %q", got, msg)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("server never read %q", msg)
	}
}

// TestSocketDialerTakesBackWritesAfterClose: slack-go closes its socket on
// a disconnect message while its response sender may still write acks it
// took from its queue. Those writes succeed (gorilla would otherwise refuse
// every later one) and each ack comes back whole, to be sent again.
func TestSocketDialerTakesBackWritesAfterClose(t *testing.T) {
	for _, useTLS := range []bool{false, true} {
		t.Run(map[bool]string{false: "ws", true: "wss"}[useTLS], func(t *testing.T) {
			srv := newWSServer(t, useTLS)
			back := make(chan string, 4)
			d := socketDialer(func(msg []byte) { back <- string(msg) }, srv.tlsConfig(), 0)
			c, _, err := d.DialContext(t.Context(), srv.url(), nil)
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			if err := c.WriteMessage(websocket.TextMessage, []byte("before")); err != nil {
				t.Fatal(err)
			}
			srv.want(t, "before")
			if err := c.Close(); err != nil {
				t.Fatalf("Close = %v", err)
			}
			acks := []string{`{"envelope_id":"e1"}`, `{"envelope_id":"e2","payload":{"text":"` + strings.Repeat("x", 300) + `"}}`}
			for _, ack := range acks {
				if err := c.WriteMessage(websocket.TextMessage, []byte(ack)); err != nil {
					t.Fatalf("ack written after Close: %v, want it taken back", err)
				}
			}
			for _, ack := range acks {
				select {
				case got := <-back:
					if got != ack {
						t.Errorf("took back %.40q, want %.40q", got, ack)
					}
				case <-time.After(5 * time.Second):
					t.Fatalf("ack %.40q never taken back", ack)
				}
			}
			select {
			case <-srv.ended:
			case <-time.After(5 * time.Second):
				t.Fatal("the server still sees the socket open after Close")
			}
		})
	}
}

func TestClientTextMessage(t *testing.T) {
	key := []byte{1, 2, 3, 4}
	frame := func(b0 byte, lenBytes []byte, payload string) []byte {
		f := append([]byte{b0}, lenBytes...)
		f = append(f, key...)
		for i := range len(payload) {
			f = append(f, payload[i]^key[i%4])
		}
		return f
	}
	long := strings.Repeat("a", 300)
	huge := strings.Repeat("b", 70000)
	tests := []struct {
		name  string
		frame []byte
		want  string
		ok    bool
	}{
		{"7-bit length", frame(0x81, []byte{0x80 | 5}, "hello"), "hello", true},
		{"16-bit length", frame(0x81, []byte{0x80 | 126, 300 >> 8, 300 & 0xff}, long), long, true},
		{"64-bit length", frame(0x81, []byte{0x80 | 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70}, huge), huge, true},
		{"empty", frame(0x81, []byte{0x80}, ""), "", true},
		{"not masked", []byte{0x81, 0x02, 'h', 'i'}, "", false},
		{"binary", frame(0x82, []byte{0x80 | 2}, "hi"), "", false},
		{"fragment", frame(0x01, []byte{0x80 | 2}, "hi"), "", false},
		{"pong", frame(0x8a, []byte{0x80 | 2}, "hi"), "", false},
		{"cut short", frame(0x81, []byte{0x80 | 5}, "hello")[:8], "", false},
		{"trailing bytes", append(frame(0x81, []byte{0x80 | 2}, "hi"), 0), "", false},
		{"no length", []byte{0x81, 0x80 | 126, 1}, "", false},
		{"nothing", nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := clientTextMessage(tt.frame)
			if ok != tt.ok || string(got) != tt.want {
				t.Errorf("clientTextMessage = %.20q, %v; want %.20q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// connectProxy is an HTTP proxy that opens CONNECT tunnels, requiring
// user:pw when auth is set.
func connectProxy(t *testing.T, auth bool) *url.URL {
	t.Helper()
	p := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		if auth && r.Header.Get("Proxy-Authorization") != "Basic dXNlcjpwdw==" {
			w.WriteHeader(http.StatusProxyAuthRequired)
			return
		}
		up, err := net.Dial("tcp", r.Host)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer up.Close()
		down, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer down.Close()
		if _, err := io.WriteString(down, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
			return
		}
		go func() { _, _ = io.Copy(up, buf) }()
		_, _ = io.Copy(down, up)
	}))
	t.Cleanup(p.Close)
	u, _ := url.Parse(p.URL)
	if auth {
		u.User = url.UserPassword("user", "pw")
	}
	return u
}

func TestDialConnect(t *testing.T) {
	echo, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer echo.Close()
	go func() {
		for {
			c, err := echo.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); _, _ = io.Copy(c, c) }()
		}
	}()
	for _, auth := range []bool{false, true} {
		proxy := connectProxy(t, auth)
		c, err := dialConnect(t.Context(), proxy, echo.Addr().String(), nil)
		if err != nil {
			t.Fatalf("dialConnect (auth %v): %v", auth, err)
		}
		if _, err := io.WriteString(c, "ping\n"); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(c).ReadString('\n')
		c.Close()
		if err != nil || line != "ping\n" {
			t.Errorf("through the tunnel (auth %v) read %q, %v; want the echo", auth, line, err)
		}
	}
	refusing := connectProxy(t, true)
	refusing.User = url.UserPassword("user", "wrong")
	_, err = dialConnect(t.Context(), refusing, echo.Addr().String(), nil)
	if err == nil || !strings.Contains(err.Error(), "407") {
		t.Errorf("dialConnect with a wrong password = %v, want the proxy's 407", err)
	} else if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error %q shows the proxy password", err)
	}
	socks := &url.URL{Scheme: "socks5", Host: "127.0.0.1:1080"}
	if _, err := dialConnect(t.Context(), socks, echo.Addr().String(), nil); err == nil {
		t.Error("dialConnect through a socks5 proxy succeeded, want an error naming the schemes supported")
	}
}
