//go:build unix

package slacksim_test

import (
	"net"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

// smallSendBufferDialer dials with a fixed, small kernel send buffer, so what a
// client can write to a server that stopped reading does not depend on how far
// this machine's TCP autotuning grows the buffer.
func smallSendBufferDialer() *websocket.Dialer {
	nd := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		if err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_SNDBUF, 4096)
		}); err != nil {
			return err
		}
		return serr
	}}
	return &websocket.Dialer{NetDialContext: nd.DialContext, HandshakeTimeout: 10 * time.Second}
}
