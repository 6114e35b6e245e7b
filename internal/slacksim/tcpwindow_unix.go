//go:build unix

package slacksim

import "syscall"

// smallTCPWindow sets, on the listening socket (accepted ones inherit it), the
// smallest receive buffer and a small MSS: the client's send buffer grows with
// its congestion window in segments, so small segments keep it small too.
func smallTCPWindow(_, _ string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		if serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 2048); serr != nil {
			return
		}
		serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_MAXSEG, 536)
	})
	if err != nil {
		return err
	}
	return serr
}
