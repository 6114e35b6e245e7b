//go:build !unix

package slacksim_test

import "github.com/gorilla/websocket"

// smallSendBufferDialer is the default dialer where the send buffer cannot be set.
func smallSendBufferDialer() *websocket.Dialer { return websocket.DefaultDialer }
