package campaign_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// unreadable are frames slack-go cannot decode at all (each counts towards
// its ten-in-a-row limit); valid JSON that is not an envelope would be a
// bad message instead, which resets the count.
var unreadable = [][]byte{
	[]byte("not json"), []byte("{"), []byte(`{"envelope_id":"e1","type":`), []byte(""),
	[]byte("\x00\x01\x02"), []byte(`{"a":}`), []byte("]"), []byte("nul"), []byte(`"unterminated`), []byte("}{"),
}

// frames16MB is a well-formed slash command envelope of 16 MiB, over the
// bot's 8 MiB read limit: read whole, it would be a 16 MiB allocation per
// frame for whoever can make Slack send it.
func frames16MB() []byte {
	b, _ := json.Marshal(map[string]any{"envelope_id": "0000-big", "type": "slash_commands", "accepts_response_payload": true,
		"payload": map[string]any{"command": "/coach", "text": strings.Repeat("x", 16<<20), "user_id": "U0DIR00000", "team_id": "T0SIM0001"}})
	return b
}

// A2, A12: frames the bot cannot read arrive in the middle of a 100-command
// burst, against the production bot. A frame cut short (the TCP connection
// then closed or reset), a stream that ends inside a frame header
// (toxiproxy's limit_data) and a 16 MiB frame (over the read limit) must
// make it reconnect; up to nine unreadable frames in a row must not, the tenth
// must. Never a panic, and every command it acked is answered exactly once.
func TestTransportFrameFaults(t *testing.T) {
	big := frames16MB()
	faults := []struct {
		name      string
		frames    int // unreadable frames per injection, for the figures
		points    int
		inject    func(*slacksim.Server) int // returns the sockets hit
		reconnect bool
	}{
		{"truncated_fin", 1, 2, func(s *slacksim.Server) int { return s.SendTruncatedFrame(64<<10, 1500, false) }, true},
		{"truncated_rst", 1, 2, func(s *slacksim.Server) int { return s.SendTruncatedFrame(64<<10, 1500, true) }, true},
		// limit_data: the stream ends after N bytes, here inside the frame
		// header (the opcode byte alone; the first byte of the 64-bit length).
		{"limit_data_1_byte", 1, 2, func(s *slacksim.Server) int { return s.CutStream(1) }, true},
		{"limit_data_3_bytes", 1, 2, func(s *slacksim.Server) int { return s.CutStream(3) }, true},
		{"unreadable_9_in_a_row", 9, 3, func(s *slacksim.Server) int { return s.SendFrame(unreadable[:9]...) }, false},
		{"unreadable_10_in_a_row", 10, 2, func(s *slacksim.Server) int { return s.SendFrame(unreadable...) }, true},
		{"frame_16MiB", 1, 2, func(s *slacksim.Server) int { return s.SendFrame(big) }, true},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			r := rng(t)
			rig := newRig(t, slacksim.Options{}, 10)
			startRig(t, rig)
			const n = 100
			// Injections at least 2×campaign.BotSockets commands apart: commands go
			// round the sockets, so each socket reads a good envelope
			// between two injections, which restarts slack-go's count of
			// unreadable frames in a row.
			points := map[int]bool{}
			for len(points) < f.points {
				p := 10 + r.IntN(n-20)
				near := false
				for q := range points {
					near = near || abs(p-q) < 2*campaign.BotSockets
				}
				if !near {
					points[p] = true
				}
			}
			seq := rig.Sim.Seq()
			var mu sync.Mutex
			hit := 0
			samples := campaign.Burst(waitCtx(t, 60*time.Second), n, 2*time.Second, func(ctx context.Context, i int) (*slacksim.Result, error) {
				if points[i] {
					k := f.inject(rig.Sim)
					mu.Lock()
					hit += k
					mu.Unlock()
				}
				return helpBurst(rig)(ctx, i)
			})
			if err := rig.Sim.WaitFor(waitCtx(t, 30*time.Second), func() bool { return rig.Sim.Connections() == campaign.BotSockets }); err != nil {
				t.Fatalf("bot did not reconnect (or the old socket lingers): %v", err)
			}
			// Commands after the faults are answered: the bot kept processing.
			after := campaign.Burst(waitCtx(t, 30*time.Second), 10, 0, helpBurst(rig))
			if lat := campaign.AckLatencies(after); lat.Acked != len(after) {
				t.Errorf("after the faults: %s, want all acked", lat)
			}
			ids := append(campaign.EnvelopeIDs(samples), campaign.EnvelopeIDs(after)...)
			if err := rig.WaitReplies(waitCtx(t, 30*time.Second), ids); err != nil {
				t.Error(err)
			}
			// New sockets, counted by their hellos: the local Slack may see
			// the new hello before it notices the old socket is gone, so a
			// reconnect need not leave a gap (Reconnects).
			recs := campaign.Reconnects(rig.Sim.Events(), seq)
			hellos := countKind(rig.Sim.Events(), seq, slacksim.EventConnOpened)
			switch {
			case hit == 0:
				t.Errorf("no injection reached an open socket")
			case f.reconnect && hellos == 0:
				t.Errorf("no new socket after %d injections of %s", hit, f.name)
			case !f.reconnect && hellos+countKind(rig.Sim.Events(), seq, slacksim.EventConnClosed) != 0:
				t.Errorf("sockets closed or opened after %s, want the connection kept", f.name)
			}
			stopRig(t, rig, 5*time.Second)
			rep := check(t, rig, campaign.Expect{Commands: ids})
			lat := campaign.AckLatencies(samples)
			t.Logf("FIGURE A2/A12 %s: %d injections on a socket (%d bad frames); burst %s; lost (not acked) %d; new sockets %d; gaps without a socket %v; answered once %d",
				f.name, hit, hit*f.frames, lat, lat.N-lat.Acked, hellos, reconnectTimes(recs), rep.AnsweredCommands)
		})
	}
}

// A7: Slack stops reading the bot's socket while 40 people type commands and
// events keep arriving. Once the TCP window is full the bot's acks cannot be
// queued: each AckCtx gives up after its 1 s bound, the bot drops that
// socket at the first one (its acks would all be lost, and slack-go's ping
// watchdog does not fire while pings still arrive), and on the new socket it
// answers again. Goroutines stay bounded throughout. In process, to count
// goroutines.
func TestAckQueueSaturation(t *testing.T) {
	t.Parallel()
	p := newInProc(t, slacksim.Options{SmallTCPWindow: true, RetryDelays: []time.Duration{}}, 10, nil, noLoop)
	help := func(ctx context.Context, i int) (*slacksim.Result, error) {
		return p.sim.As(string(p.ws.Directors[i%len(p.ws.Directors)])).Slash(ctx, "/coach", "help")
	}
	before := campaign.Burst(waitCtx(t, 30*time.Second), 20, 0, help)
	if lat := campaign.AckLatencies(before); lat.Acked != len(before) {
		t.Fatalf("before the fault: %s, want all acked", lat)
	}

	sampler := sampleGoroutines(50 * time.Millisecond)
	seq := p.sim.Seq()
	stopped := time.Now()
	// Without pings for the stall (slack-go's watchdog allows 30 s): a pong
	// written into the full window would hold slack-go's reader, so no
	// envelope would come to be acked and Slack's own write timeout would
	// end the socket first. That path is A3's; this one is the ack queue's.
	p.sim.StopPings()
	if n := p.sim.StopReading(); n != campaign.BotSockets {
		t.Fatalf("StopReading stopped %d sockets, want all %d", n, campaign.BotSockets)
	}
	during := make(chan []campaign.Sample, 1)
	go func() { during <- campaign.Burst(waitCtx(t, 60*time.Second), 40, 4*time.Second, help) }()
	// Events keep coming (no route takes app_mention: acked, nothing else)
	// until the bot opens a new socket. Slack notices the old one is gone
	// only when it next writes to it, or reads again.
	opened, flood := floodUntilNewSocket(t, p.sim, seq, 50_000)
	if opened.Seq == 0 {
		t.Fatalf("bot kept the stalled socket after %d events; recent:%s", flood, recentEvents(p.sim, 10))
	}
	replaced := opened.Time.Sub(stopped)
	// The gap from the old socket's end (as Slack saw it) to the new hello;
	// Slack may notice the end only after the hello (it is not reading).
	gap := "none (Slack saw the old socket end after the new hello)"
	for _, ev := range p.sim.Events() {
		if ev.Seq > seq && ev.Seq < opened.Seq && ev.Kind == slacksim.EventConnClosed {
			gap = opened.Time.Sub(ev.Time).Round(time.Millisecond).String()
		}
	}
	p.sim.ResumeReading()
	p.sim.ResumePings()
	// Reading again, Slack finds the old socket closed; until then it may
	// still route envelopes to it, as real Slack would.
	if err := p.sim.WaitFor(waitCtx(t, 10*time.Second), func() bool { return p.sim.Connections() == campaign.BotSockets }); err != nil {
		t.Fatalf("an old socket still counts as open: %v", err)
	}
	duringSamples := <-during
	probes := settleSockets(t, p.sim)
	after := campaign.Burst(waitCtx(t, 30*time.Second), 20, 0, help)
	g := sampler()
	if lat := campaign.AckLatencies(after); lat.Acked != len(after) {
		t.Errorf("after the new socket: %s, want all acked", lat)
	}
	// The bot's own are its fixed worker pools (8 handlers, 32 recordings,
	// 16 replies), its loops and slack-go's few per socket: under 200
	// whatever the first sample caught; one per envelope would add
	// thousands.
	if g.maxBot > 200 {
		t.Errorf("the bot's goroutines peaked at %d (at the start %d) with %d envelopes in flight, want bounded", g.maxBot, g.firstBot, flood)
	}
	var ids []string
	for _, ss := range [][]campaign.Sample{before, duringSamples, after} {
		ids = append(ids, campaign.EnvelopeIDs(ss)...)
	}
	waitSimReplies(t, p.sim, ids, 30*time.Second)
	// The bot gives up on the socket at its first ack that cannot be queued
	// within its 1 s bound; acks of the backlog then fail fast (10 ms) until
	// the new socket is up.
	logs := p.log.Bytes()
	timedOut := bytes.Count(logs, []byte(`context deadline exceeded","envelope_id`))
	cause := ""
	for _, l := range bytes.Split(logs, []byte("\n")) {
		var line struct{ Cause, Message string }
		if json.Unmarshal(l, &line) == nil && strings.HasPrefix(line.Message, "dropping the socket") {
			cause = line.Cause
			break
		}
	}
	if cause != "ack_timeout" {
		t.Errorf("socket dropped with cause %q, want ack_timeout (the bot giving up on its ack queue)", cause)
	}
	if timedOut == 0 {
		t.Errorf("no ack timed out: the fault did not saturate the ack queue")
	}
	rep := p.check(t, campaign.Expect{Commands: ids})
	lat := campaign.AckLatencies(duringSamples)
	t.Logf("FIGURE A7 server stops reading: %d events went out on the stalled socket; the bot dropped it (cause %s) and said hello on a new one %v after Slack stopped reading (most of it acking events until the acks filled the TCP window); gap without a socket %s; timed-out acks %d; bot goroutines at the start %d, max %d (whole test process max %d, %d samples); commands typed during the stall %s; answered once %d; probes until every socket acked %d",
		flood, cause, replaced.Round(time.Millisecond), gap, timedOut, g.firstBot, g.maxBot, g.maxAll, g.samples, lat, rep.AnsweredCommands, probes)
}

// settleSockets waits until the bot acks what Slack sends on every socket
// it routes to: rounds of probe events until a whole round is acked. A
// socket the bot gives up on only now (its own ack timed out during the
// stall, on a busy machine later than the first new hello) loses the
// envelopes Slack put on it meanwhile, as real Slack would without its
// retries, which this test turns off. It returns how many probes went out.
func settleSockets(t *testing.T, sim *slacksim.Server) int {
	t.Helper()
	ctx := waitCtx(t, 30*time.Second)
	sent := 0
	for {
		all := true
		for range 2 * campaign.BotSockets {
			payload := mentionEvent("EvSettle", sent)
			sent++
			if _, err := sim.WaitAck(ctx, sim.Send("events_api", payload)); err != nil {
				if ctx.Err() != nil {
					t.Fatalf("the bot's sockets did not settle after the stall: %d probes, the last: %v", sent, err)
				}
				all = false
			}
		}
		if all {
			return sent
		}
	}
}

// mentionEvent is an app_mention event (no route takes it: acked, nothing
// else) whose event_id is prefix and i, so no two are deduplicated.
func mentionEvent(prefix string, i int) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"type":"event_callback","team_id":"T0SIM0001","api_app_id":"A0SIM0001","event_id":"%s%06d","event_time":1700000000,`+
		`"event":{"type":"app_mention","user":"U0DIR00000","text":"hi","channel":"C0KUDOS01","ts":"1700000000.%06d"}}`, prefix, i, i))
}

// countKind counts the events of kind after seq.
func countKind(evs []slacksim.Event, seq int64, kind slacksim.EventKind) int {
	n := 0
	for _, ev := range evs {
		if ev.Seq > seq && ev.Kind == kind {
			n++
		}
	}
	return n
}

// goroutineFigures are the peaks seen by sampleGoroutines.
type goroutineFigures struct {
	firstBot, maxBot, maxAll, samples int
}

// botFrames mark a goroutine as the bot's rather than the local Slack's or
// the test's (the in-process bot shares the test binary).
var botFrames = []string{"leancoach/internal/slackio.", "leancoach/internal/slackapp.", "leancoach/internal/bot.", "leancoach/internal/coach.",
	"leancoach/internal/store.", "leancoach/internal/schedule.", "github.com/slack-go/slack"}

// sampleGoroutines counts the process's goroutines, and among them the
// bot's (by their stacks), every interval until the returned func is
// called, which returns the peaks.
func sampleGoroutines(interval time.Duration) func() goroutineFigures {
	stop := make(chan struct{})
	out := make(chan goroutineFigures, 1)
	go func() {
		var f goroutineFigures
		tick := time.NewTicker(interval)
		defer tick.Stop()
		buf := make([]byte, 1<<20)
		for {
			n := runtime.Stack(buf, true)
			for n == len(buf) {
				buf = make([]byte, 2*len(buf))
				n = runtime.Stack(buf, true)
			}
			all, bot := 0, 0
			for _, g := range bytes.Split(buf[:n], []byte("\n\n")) {
				all++
				for _, fr := range botFrames {
					if bytes.Contains(g, []byte(fr)) {
						bot++
						break
					}
				}
			}
			if f.samples == 0 {
				f.firstBot = bot
			}
			f.samples++
			f.maxBot, f.maxAll = max(f.maxBot, bot), max(f.maxAll, all)
			select {
			case <-stop:
				out <- f
				return
			case <-tick.C:
			}
		}
	}()
	return func() goroutineFigures {
		close(stop)
		return <-out
	}
}

// floodUntilNewSocket sends app_mention events until a socket says hello
// after seq (or limit were sent, or 500 in a row found the socket's queue
// full: the bot had stopped reading; then it waits for the hello). It
// returns the hello (zero if none) and how many events went out.
func floodUntilNewSocket(t *testing.T, sim *slacksim.Server, seq int64, limit int) (slacksim.Event, int) {
	t.Helper()
	feed, cancel := sim.Subscribe()
	defer cancel()
	isHello := func(ev slacksim.Event) bool { return ev.Seq > seq && ev.Kind == slacksim.EventConnOpened }
	// The flood goes on until the new socket's hello, the limit, or the
	// deadline. A refused envelope (the bot reads slower than Slack sends,
	// as on a busy machine) is not the end of the flood: the next one goes
	// after Slack's next event or a moment, so the bot's acks keep coming
	// until they fill the stalled socket's window, however slowly it reads.
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	delivered := 0
	for i := 0; i < limit; i++ {
		payload := mentionEvent("EvFlood", i)
		refused := true
		if env, _ := sim.EnvelopeStatus(sim.Send("events_api", payload)); env.Status != slacksim.StatusUndelivered {
			delivered, refused = delivered+1, false
		}
		if refused {
			// Wait for Slack's next event, or a moment.
			select {
			case ev, ok := <-feed:
				if ok && isHello(ev) {
					return ev, delivered
				}
			case <-time.After(5 * time.Millisecond):
			case <-deadline.C:
				return slacksim.Event{}, delivered
			}
		}
		for drained := false; !drained; {
			select {
			case ev, ok := <-feed:
				if ok && isHello(ev) {
					return ev, delivered
				}
				drained = !ok
			default:
				drained = true
			}
		}
	}
	ev, err := sim.WaitEvent(waitCtx(t, 20*time.Second), seq, isHello)
	if err != nil {
		return slacksim.Event{}, delivered
	}
	return ev, delivered
}

// waitSimReplies waits until every acked envelope of ids has a reply.
func waitSimReplies(t *testing.T, sim *slacksim.Server, ids []string, d time.Duration) {
	t.Helper()
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	err := sim.WaitFor(waitCtx(t, d), func() bool {
		got := campaign.Replies(sim.Events())
		for _, e := range sim.Envelopes() {
			if want[e.ID] && e.Status == slacksim.StatusAcked && got[e.ID] == 0 {
				return false
			}
		}
		return true
	})
	if err != nil {
		t.Errorf("replies still missing: %v", err)
	}
}

// A8: an answer submitted with a 40 KB note (the modal's input caps it at
// 2,000 characters, a forged or buggy client does not). The submission
// envelope is far over 20 KB; the bot's ack must not be: it answers with a
// short "too long" error that keeps the modal open, never an ack Slack
// would drop. Then the same directors submit a valid note, recorded once.
func TestOversizeAckNeverSent(t *testing.T) {
	t.Parallel()
	const n = 10
	rig, keys := seededRig(t, n)
	startRig(t, rig)
	msgs := make([]slacksim.Message, n)
	views := make([]string, n)
	for i, d := range rig.WS.Directors {
		msgs[i] = promptOf(t, rig.Sim, d)
		views[i] = openNoteForm(t, rig.Sim, d, msgs[i]).ID
	}
	huge := strings.Repeat("Gemba walk notes, long. ", 40<<10/24)
	bad := campaign.Burst(waitCtx(t, 30*time.Second), n, 0, func(ctx context.Context, i int) (*slacksim.Result, error) {
		return rig.Sim.As(string(rig.WS.Directors[i])).Submit(ctx, views[i], slacksim.Values{bot.BlockNote: huge})
	})
	for i, s := range bad {
		var ack struct {
			ResponseAction string            `json:"response_action"`
			Errors         map[string]string `json:"errors"`
		}
		switch {
		case !s.Acked:
			t.Errorf("director %d: 40 KB submission not acked: %v", i, s.Err)
		case json.Unmarshal(s.Result.Envelope.AckPayload, &ack) != nil || ack.ResponseAction != "errors" || ack.Errors[bot.BlockNote] == "":
			t.Errorf("director %d: ack %.200s, want response_action errors on the note", i, s.Result.Envelope.AckPayload)
		}
	}
	good := campaign.Burst(waitCtx(t, 30*time.Second), n, 0, func(ctx context.Context, i int) (*slacksim.Result, error) {
		return rig.Sim.As(string(rig.WS.Directors[i])).Submit(ctx, views[i], slacksim.Values{bot.BlockNote: "Walked the line with the team."})
	})
	waitEditedTimes(t, rig.Sim, msgs, 2, 30*time.Second)
	stopRig(t, rig, 5*time.Second)
	maxAck, maxEnv := 0, 0
	for _, a := range rig.Sim.Acks() {
		maxAck = max(maxAck, a.Size)
	}
	for _, e := range rig.Sim.Envelopes() {
		maxEnv = max(maxEnv, len(e.Payload))
	}
	if maxAck >= 20<<10 {
		t.Errorf("largest ack %d bytes, want under Slack's 20 480", maxAck)
	}
	dropped := rig.Sim.DroppedAcks()
	if dropped != 0 {
		t.Errorf("DroppedAcks = %d, want 0", dropped)
	}
	var in []campaign.Interaction
	for i, s := range good {
		in = append(in, campaign.Interaction{EnvelopeID: s.EnvelopeID, Key: keys[i], Director: rig.WS.Directors[i], Habit: coach.Gemba, Outcome: coach.Done})
	}
	rep := check(t, rig, campaign.Expect{Due: campaign.DuesOf(keys, campaign.WantSent), Interactions: in, Now: time.Now()})
	t.Logf("FIGURE A8 %d submissions of %d KB envelopes: oversize acks %d; largest ack %d bytes; %s", n, maxEnv>>10, dropped, maxAck, rep)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
