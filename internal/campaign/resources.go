package campaign

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Resources are a process's figures for I5 and the benchmarks.
type Resources struct {
	Goroutines int   // -1 when unknown
	FDs        int   // open file descriptors; -1 when unknown
	RSS        int64 // resident set size in bytes; -1 when unknown
}

// Slack is how far above its baseline a process may settle and still count
// as back: a few goroutines of timers and idle HTTP connections come and go.
const (
	goroutineSlack = 5
	fdSlack        = 3
)

// Compare returns "" when after is back within slack of r, else what grew.
func (r Resources) Compare(after Resources) string {
	var grew []string
	if r.Goroutines >= 0 && after.Goroutines > r.Goroutines+goroutineSlack {
		grew = append(grew, fmt.Sprintf("goroutines %d → %d", r.Goroutines, after.Goroutines))
	}
	if r.FDs >= 0 && after.FDs > r.FDs+fdSlack {
		grew = append(grew, fmt.Sprintf("fds %d → %d", r.FDs, after.FDs))
	}
	if len(grew) == 0 {
		return ""
	}
	return "not back to baseline: " + strings.Join(grew, ", ")
}

// Self returns this process's figures.
func Self() Resources {
	r := ProcResources(os.Getpid())
	r.Goroutines = runtime.NumGoroutine()
	return r
}

// ProcResources reads fds and RSS of process pid from /proc (Linux); the
// goroutine count is unknown from outside (-1).
func ProcResources(pid int) Resources {
	r := Resources{Goroutines: -1, FDs: -1, RSS: -1}
	if ents, err := os.ReadDir(filepath.Join("/proc", strconv.Itoa(pid), "fd")); err == nil {
		r.FDs = len(ents)
	}
	if b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status")); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) >= 2 && f[0] == "VmRSS:" {
				if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
					r.RSS = kb * 1024
				}
			}
		}
	}
	return r
}

// Settle polls measure until it is back within slack of base or ctx ends,
// and returns the last figures. Goroutines of closed connections and timers
// take a moment to exit, so a single reading would be flaky.
func Settle(ctx context.Context, base Resources, measure func() Resources) Resources {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		now := measure()
		if base.Compare(now) == "" {
			return now
		}
		select {
		case <-ctx.Done():
			return now
		case <-tick.C:
		}
	}
}
