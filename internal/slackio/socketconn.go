package slackio

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// socketDialer is the WebSocket dialer of a Socket Mode client: slack-go's
// own settings (45 s handshake, 32 KB write buffer, the proxy the
// environment names), with a connection that hands back the acks written
// on it after it was closed.
//
// slack-go closes its socket the moment it reads a disconnect message
// while its response sender may still take an ack from its queue and
// write it: an ack for an envelope Slack sent just before the disconnect.
// On the closed socket that write would fail and the ack be lost, so Slack
// would show the user an error although the bot took the command. Instead
// the connection passes each message written after Close to resend, which
// queues it again: it goes out on the next socket, as slack-go sends every
// ack still queued when a socket closes.
//
// The TLS layer is the dialer's own (gorilla's would sit above the
// connection and refuse the write itself). tlsBase, when set, is the base
// TLS configuration (for tests). sendBuffer, when positive, fixes the
// kernel's send buffer of the socket in bytes (SO_SNDBUF), which bounds
// how many acks can wait in it when Slack stops reading.
func socketDialer(resend func(msg []byte), tlsBase *tls.Config, sendBuffer int) *websocket.Dialer {
	wrap := func(c net.Conn) net.Conn { return &resendConn{Conn: c, resend: resend} }
	dial := func(ctx context.Context, scheme, addr string) (net.Conn, error) {
		c, err := dialTCP(ctx, scheme, addr)
		if err != nil {
			return nil, err
		}
		if tc, ok := c.(*net.TCPConn); ok && sendBuffer > 0 {
			if err := tc.SetWriteBuffer(sendBuffer); err != nil {
				_ = c.Close()
				return nil, fmt.Errorf("send buffer of %s: %w", addr, err)
			}
		}
		return c, nil
	}
	return &websocket.Dialer{
		HandshakeTimeout: 45 * time.Second,
		WriteBufferSize:  32 << 10, // slack-go's: one frame per ack, as Slack drops fragmented ones
		// ws:// (the local Slack of the sandbox and the tests).
		NetDialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
			c, err := dial(ctx, "http", addr)
			if err != nil {
				return nil, err
			}
			return wrap(c), nil
		},
		// wss:// (Slack).
		NetDialTLSContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
			c, err := dial(ctx, "https", addr)
			if err != nil {
				return nil, err
			}
			tc, err := handshake(ctx, c, addr, tlsBase)
			if err != nil {
				return nil, err
			}
			return wrap(tc), nil
		},
	}
}

// resendConn is a client WebSocket connection that, once closed, takes
// every frame written to it and passes each complete text message to
// resend, instead of failing the write.
//
// A failed write would also stop gorilla: it refuses every later write on
// that connection itself, so the acks after the first would never reach
// resend.
type resendConn struct {
	net.Conn
	resend func(msg []byte)
	closed atomic.Bool
}

func (c *resendConn) Close() error {
	c.closed.Store(true)
	return c.Conn.Close()
}

func (c *resendConn) Write(p []byte) (int, error) {
	if !c.closed.Load() {
		n, err := c.Conn.Write(p)
		if err == nil || !c.closed.Load() {
			return n, err
		}
		// Closed under the write: the frame may be cut short at Slack's
		// end (which then drops the socket); it goes out whole again.
	}
	if msg, ok := clientTextMessage(p); ok && c.resend != nil {
		c.resend(msg)
	}
	return len(p), nil
}

// clientTextMessage returns the payload of p when p is exactly one masked,
// unfragmented text frame, as gorilla writes each message that fits its
// write buffer (RFC 6455 §5.2).
func clientTextMessage(p []byte) ([]byte, bool) {
	if len(p) < 2 || p[0] != 0x80|websocket.TextMessage || p[1]&0x80 == 0 {
		return nil, false
	}
	n, rest := uint64(p[1]&0x7f), p[2:]
	switch n {
	case 126:
		if len(rest) < 2 {
			return nil, false
		}
		n, rest = uint64(binary.BigEndian.Uint16(rest)), rest[2:]
	case 127:
		if len(rest) < 8 {
			return nil, false
		}
		n, rest = binary.BigEndian.Uint64(rest), rest[8:]
	}
	if len(rest) < 4 || uint64(len(rest)-4) != n {
		return nil, false
	}
	key, masked := rest[:4], rest[4:]
	msg := make([]byte, len(masked))
	for i, b := range masked {
		msg[i] = b ^ key[i%4]
	}
	return msg, true
}

// handshake runs the TLS client handshake on c for addr's host.
func handshake(ctx context.Context, c net.Conn, addr string, base *tls.Config) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("tls %s: %w", addr, err)
	}
	cfg := &tls.Config{}
	if base != nil {
		cfg = base.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	tc := tls.Client(c, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		c.Close()
		return nil, fmt.Errorf("tls %s: %w", addr, err)
	}
	return tc, nil
}

// dialTCP connects to addr directly or through the proxy the environment
// names for a scheme:// request to it (HTTPS_PROXY, HTTP_PROXY, NO_PROXY),
// as gorilla's own dialer does.
func dialTCP(ctx context.Context, scheme, addr string) (net.Conn, error) {
	proxy, err := http.ProxyFromEnvironment(&http.Request{URL: &url.URL{Scheme: scheme, Host: addr}})
	if err != nil {
		return nil, fmt.Errorf("proxy for %s: %w", addr, err)
	}
	if proxy == nil {
		var d net.Dialer
		return d.DialContext(ctx, "tcp", addr)
	}
	return dialConnect(ctx, proxy, addr, nil)
}

// dialConnect opens a tunnel to addr through an HTTP or HTTPS proxy with
// CONNECT. tlsBase, when set, is the TLS configuration for an HTTPS proxy.
func dialConnect(ctx context.Context, proxy *url.URL, addr string, tlsBase *tls.Config) (net.Conn, error) {
	fail := func(err error) error { return fmt.Errorf("proxy %s for %s: %w", proxy.Redacted(), addr, err) }
	port := proxy.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[proxy.Scheme]
	}
	if proxy.Scheme != "http" && proxy.Scheme != "https" {
		return nil, fail(fmt.Errorf("scheme %q: only http and https proxies are supported", proxy.Scheme))
	}
	proxyAddr := net.JoinHostPort(proxy.Hostname(), port)
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", proxyAddr)
	if err != nil {
		return nil, fail(err)
	}
	if proxy.Scheme == "https" {
		if c, err = handshake(ctx, c, proxyAddr, tlsBase); err != nil {
			return nil, fail(err)
		}
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	}
	req := &http.Request{Method: http.MethodConnect, URL: &url.URL{Opaque: addr}, Host: addr, Header: http.Header{}}
	if u := proxy.User; u != nil {
		pw, _ := u.Password()
		req.Header.Set("Proxy-Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(u.Username()+":"+pw)))
	}
	br := bufio.NewReader(c)
	var resp *http.Response
	if err = req.Write(c); err == nil {
		resp, err = http.ReadResponse(br, req)
	}
	switch {
	case err != nil:
	case resp.StatusCode != http.StatusOK:
		err = fmt.Errorf("CONNECT: %s", resp.Status)
	case br.Buffered() > 0:
		err = fmt.Errorf("CONNECT: data before the tunnel opened")
	}
	if resp != nil {
		resp.Body.Close()
	}
	if err != nil {
		c.Close()
		return nil, fail(err)
	}
	_ = c.SetDeadline(time.Time{})
	return c, nil
}
