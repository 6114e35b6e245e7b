package slackio_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// BenchmarkAckBurst sends bursts of 1,000 slash-command envelopes through
// slacksim and reports the ack latency that slacksim measured (from sending
// the envelope to reading its ack) as p50/p99/max in milliseconds. Handlers
// take 2 ms each, so the acks are shown not to wait for the work.
func BenchmarkAckBurst(b *testing.B) {
	r := slackio.NewRouter()
	r.Command("/coach", func(ctx context.Context, cmd slack.SlashCommand) (slackio.Reply, error) {
		select {
		case <-time.After(2 * time.Millisecond):
		case <-ctx.Done():
		}
		return slackio.Reply{}, nil
	})
	h := start(b, slacksim.Options{AckTimeout: 10 * time.Second}, r, slackio.Config{Queue: 4096})
	const burst = 1000
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// slacksim's socket queue holds 256 frames, so keep at most 200
		// envelopes in flight: a burst as fast as the bot acks.
		const window = 200
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		ids := make([]string, burst)
		wait := func(id string) {
			env, err := h.sim.WaitAck(ctx, id)
			if err != nil {
				b.Fatalf("envelope %s: %v", id, err)
			}
			lat = append(lat, env.Latency)
		}
		for j := range burst {
			if j >= window {
				wait(ids[j-window])
			}
			ids[j] = h.sim.Send("slash_commands", slashPayload("help", fmt.Sprintf("tr-%d-%d", i, j)))
		}
		for _, id := range ids[burst-window:] {
			wait(id)
		}
		cancel()
	}
	b.StopTimer()
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(q(1), "max-ms")
	b.ReportMetric(0, "ns/op")
}
