package campaign

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/wait"
)

// Sample is the outcome of one driven action (a slash command, a click, a
// submission).
type Sample struct {
	I          int
	EnvelopeID string
	Acked      bool
	Latency    time.Duration // envelope sent → ack received, as the local Slack saw it
	Err        error
	Result     *slacksim.Result
}

// Action performs the i-th action of a burst.
type Action func(ctx context.Context, i int) (*slacksim.Result, error)

// Burst starts n actions spread evenly over `over` (all at once when over is
// 0), each in its own goroutine, as n people clicking at about the same time
// would, and waits for all of them. Actions the bot did not ack (the socket
// was down, the ack was late) are samples with Acked false, not errors.
func Burst(ctx context.Context, n int, over time.Duration, act Action) []Sample {
	out := make([]Sample, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		if over > 0 {
			at := start.Add(time.Duration(int64(over) * int64(i) / int64(n)))
			_ = wait.For(ctx, time.Until(at)) // a stop starts the rest at once; each sees ctx done
		}
		wg.Go(func() {
			res, err := act(ctx, i)
			s := Sample{I: i, Err: err, Result: res}
			if res != nil {
				s.EnvelopeID = res.EnvelopeID
				s.Acked = res.Acked()
				s.Latency = res.Envelope.Latency
			}
			if s.Acked {
				s.Err = nil
			}
			out[i] = s
		})
	}
	wg.Wait()
	return out
}

// EnvelopeIDs returns the envelope ids of the samples that reached the bot.
func EnvelopeIDs(ss []Sample) []string {
	var ids []string
	for _, s := range ss {
		if s.EnvelopeID != "" {
			ids = append(ids, s.EnvelopeID)
		}
	}
	return ids
}

// Latencies are the ack latencies of a run, for the figures.
type Latencies struct {
	N, Acked      int
	P50, P99, Max time.Duration
}

// AckLatencies summarises the acked samples.
func AckLatencies(ss []Sample) Latencies {
	var ds []time.Duration
	for _, s := range ss {
		if s.Acked {
			ds = append(ds, s.Latency)
		}
	}
	l := Latencies{N: len(ss), Acked: len(ds)}
	if len(ds) == 0 {
		return l
	}
	slices.Sort(ds)
	l.P50, l.P99, l.Max = Quantile(ds, 0.50), Quantile(ds, 0.99), ds[len(ds)-1]
	return l
}

// LatenciesOf summarises every acked envelope of the local Slack's log of
// type typ ("" = all): the server-side view, which includes envelopes the
// driver did not wait for.
func LatenciesOf(envs []slacksim.Envelope, typ string) Latencies {
	var ds []time.Duration
	n := 0
	for _, e := range envs {
		if typ != "" && e.Type != typ {
			continue
		}
		n++
		if e.Status == slacksim.StatusAcked {
			ds = append(ds, e.Latency)
		}
	}
	l := Latencies{N: n, Acked: len(ds)}
	if len(ds) == 0 {
		return l
	}
	slices.Sort(ds)
	l.P50, l.P99, l.Max = Quantile(ds, 0.50), Quantile(ds, 0.99), ds[len(ds)-1]
	return l
}

func (l Latencies) String() string {
	return fmt.Sprintf("acked %d/%d, p50 %v, p99 %v, max %v", l.Acked, l.N,
		l.P50.Round(10*time.Microsecond), l.P99.Round(10*time.Microsecond), l.Max.Round(10*time.Microsecond))
}

// Quantile returns the q-quantile (nearest rank) of sorted ds.
func Quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	i = min(max(i, 0), len(sorted)-1)
	return sorted[i]
}

// Median returns the median of ds (any order).
func Median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return Quantile(s, 0.5)
}

// Reconnect is one gap in the Socket Mode connection: from the moment the
// last open socket went away (or a disconnect was sent) to the next hello.
type Reconnect struct {
	Down, Up time.Time
}

// Took is the gap's length.
func (r Reconnect) Took() time.Duration { return r.Up.Sub(r.Down) }

// Reconnects finds the connection gaps in a slacksim event log after seq
// `after`: each disconnect message or closed socket that left no other
// socket open, paired with the next hello.
func Reconnects(events []slacksim.Event, after int64) []Reconnect {
	var out []Reconnect
	open := 0
	var down time.Time
	for _, ev := range events {
		switch ev.Kind {
		case slacksim.EventConnOpened:
			open++
			if !down.IsZero() && ev.Seq > after {
				out = append(out, Reconnect{Down: down, Up: ev.Time})
			}
			down = time.Time{}
		case slacksim.EventDisconnectSent:
			if down.IsZero() && ev.Seq > after && ev.Detail != "warning" {
				down = ev.Time
			}
		case slacksim.EventConnClosed:
			open = max(open-1, 0)
			if open == 0 && down.IsZero() && ev.Seq > after {
				down = ev.Time
			}
		}
	}
	return out
}
