package slacksim_test

import (
	"context"
	"net"
	"time"

	"github.com/gorilla/websocket"
)

// smallSendBufferDialer dials with a fixed, small kernel send buffer, so what a
// client can write to a server that stopped reading does not depend on how far
// this machine's TCP autotuning grows the buffer.
func smallSendBufferDialer() *websocket.Dialer {
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		c, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if err := c.(*net.TCPConn).SetWriteBuffer(4096); err != nil {
			_ = c.Close()
			return nil, err
		}
		return c, nil
	}
	return &websocket.Dialer{NetDialContext: dial, HandshakeTimeout: 10 * time.Second}
}
