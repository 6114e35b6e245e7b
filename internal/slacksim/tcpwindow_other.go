//go:build !unix

package slacksim

import "syscall"

// smallTCPWindow is a no-op where the socket options are not portable.
func smallTCPWindow(_, _ string, _ syscall.RawConn) error { return nil }
