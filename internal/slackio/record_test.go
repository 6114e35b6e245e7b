package slackio_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// clickPayload is a block_actions payload: user clicked action "act" with
// value v on a message in their DM.
func clickPayload(v string) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"type":"block_actions","team":{"id":"T0SIM0001"},"user":{"id":"U0TEST001"},
	"api_app_id":"A0SIM0001","trigger_id":"tr-%s","response_url":"","container":{"type":"message"},
	"actions":[{"action_id":"act","block_id":"b","type":"button","value":%q,"action_ts":"1700000000.000100"}]}`, v, v))
}

// acked waits until n envelopes were acked.
func acked(t *testing.T, h *harness, n int) {
	t.Helper()
	if err := h.sim.WaitFor(deadline(t, 10*time.Second), func() bool { return len(h.sim.Acks()) >= n }); err != nil {
		t.Fatalf("acked %d of %d clicks: %v", len(h.sim.Acks()), n, err)
	}
}

// Replies that wait on Slack (every reply worker stuck) never hold up
// recording: every click is recorded, and a stop still returns within its
// drain bound.
func TestRecordingNeverWaitsOnReplies(t *testing.T) {
	rec := newRecorder()
	stuck := make(chan struct{})
	r := slackio.NewRouter()
	r.Record("act", func(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) (slackio.Followup, error) {
		rec.add(act.Value)
		return func(ctx context.Context) error {
			stuck <- struct{}{}
			<-ctx.Done() // Slack answers nothing
			return ctx.Err()
		}, nil
	})
	h := start(t, slacksim.Options{}, r, slackio.Config{ReplyWorkers: 2, DrainTimeout: 100 * time.Millisecond})
	const n = 50
	for i := range n {
		h.sim.Send("interactive", clickPayload(fmt.Sprint(i)))
	}
	ctx := deadline(t, 10*time.Second)
	for range 2 { // both reply workers are held up
		select {
		case <-stuck:
		case <-ctx.Done():
			t.Fatal("no reply ever started")
		}
	}
	if err := rec.waitN(ctx, n); err != nil {
		t.Fatalf("with every reply worker stuck: %v", err)
	}
	go func() { // the replies still queued start and stick, until cancelled
		for range stuck {
		}
	}()
	h.stop()
	select {
	case err := <-h.done:
		h.done <- err
	case <-ctx.Done():
		t.Fatal("Run did not return after its drain bound")
	}
}

// A stop never drops a click it acked: Run returns only once every
// recording it had taken has run, however long the replies would take.
func TestStopWaitsForEveryAckedRecording(t *testing.T) {
	var done atomic.Int32
	gate := make(chan struct{})
	r := slackio.NewRouter()
	r.Record("act", func(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) (slackio.Followup, error) {
		<-gate // a slow store
		done.Add(1)
		return func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }, nil
	})
	h := start(t, slacksim.Options{}, r, slackio.Config{RecordWorkers: 1, DrainTimeout: 10 * time.Millisecond})
	const n = 20
	for i := range n {
		h.sim.Send("interactive", clickPayload(fmt.Sprint(i)))
	}
	acked(t, h, n)
	h.stop()
	close(gate) // the store gets going only after the stop began
	select {
	case err := <-h.done:
		h.done <- err
	case <-deadline(t, 10*time.Second).Done():
		t.Fatal("Run did not return")
	}
	if got := done.Load(); got != n {
		t.Errorf("Run returned with %d of %d acked clicks recorded", got, n)
	}
}

// A click the recording workers cannot take (their queue is full) is not
// acked: Slack tells the user it did not go through, rather than the bot
// dropping a click it acknowledged.
func TestClickNotAckedWhenRecordingQueueIsFull(t *testing.T) {
	gate := make(chan struct{})
	var started atomic.Int32
	r := slackio.NewRouter()
	r.Record("act", func(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) (slackio.Followup, error) {
		started.Add(1)
		<-gate
		return nil, nil
	})
	h := start(t, slacksim.Options{}, r, slackio.Config{RecordWorkers: 1, RecordQueue: 1})
	t.Cleanup(func() { close(gate) }) // before the harness's stop, which waits for the recordings
	h.sim.Send("interactive", clickPayload("running"))
	acked(t, h, 1)
	if err := h.sim.WaitFor(deadline(t, 10*time.Second), func() bool { return started.Load() == 1 }); err != nil {
		t.Fatal(err)
	}
	h.sim.Send("interactive", clickPayload("queued"))
	acked(t, h, 2)
	id := h.sim.Send("interactive", clickPayload("refused"))
	ev, err := h.sim.WaitEvent(deadline(t, 10*time.Second), 0, func(ev slacksim.Event) bool {
		return ev.EnvelopeID == id && (ev.Kind == slacksim.EventAck || ev.Kind == slacksim.EventAckTimeout)
	})
	if err != nil {
		t.Fatalf("the third click: %v", err)
	}
	if ev.Kind == slacksim.EventAck {
		t.Errorf("a click the full queue could not take was acked")
	}
}
