package campaign_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// A1, A2: a 200-command burst with Slack disconnecting (each reason) or the
// TCP connection dropping at random points. The bot must reconnect, answer
// every command it acked exactly once, and stop cleanly. When Slack
// refreshes one socket, as it does every few hours, the bot's other socket
// takes every command meanwhile: none is lost.
func TestTransportFaultsMidBurst(t *testing.T) {
	faults := []struct {
		name   string
		inject func(*slacksim.Server)
		// oneSocket: inject replaces one socket while the others are up.
		// Slack refreshes each socket on its own clock, hours apart, so
		// an injection first waits until the socket replaced last is back:
		// two refreshes close together in the burst must not replace both
		// sockets at once (that is the disconnect_* cases).
		oneSocket bool
		reconnect bool
		// allAcked: the other socket takes every command while one is
		// replaced, so none may go unacked.
		allAcked bool
	}{
		// A warned socket stays in Slack's rotation, but slack-go drops it
		// at once: what Slack sends there meanwhile is lost.
		{"one_socket_warning", func(s *slacksim.Server) { s.DisconnectOldest("warning") }, true, false, false},
		{"one_socket_refresh_requested", func(s *slacksim.Server) { s.DisconnectOldest("refresh_requested") }, true, true, true},
		// Every socket at once: the worst case.
		{"disconnect_warning", func(s *slacksim.Server) { s.Disconnect("warning") }, false, false, false},
		{"disconnect_refresh_requested", func(s *slacksim.Server) { s.Disconnect("refresh_requested") }, false, true, false},
		{"disconnect_too_many_websockets", func(s *slacksim.Server) { s.Disconnect("too_many_websockets") }, false, true, false},
		{"disconnect_link_disabled", func(s *slacksim.Server) { s.Disconnect("link_disabled") }, false, true, false},
		{"disconnect_unknown_reason", func(s *slacksim.Server) { s.Disconnect("socket_mode_reason_from_the_future") }, false, true, false},
		{"tcp_drop", func(s *slacksim.Server) { s.DropConnections() }, false, true, false},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			r := rng(t)
			rig := newRig(t, slacksim.Options{}, 20)
			startRig(t, rig)
			const n = 200
			points := map[int]bool{}
			for len(points) < 3 {
				points[r.IntN(n)] = true
			}
			// The burst's goroutines inject: one at a time, and with
			// oneSocket only while every socket is up.
			var injectMu sync.Mutex
			inject := func(ctx context.Context) {
				injectMu.Lock()
				defer injectMu.Unlock()
				if f.oneSocket {
					if err := rig.Sim.WaitFor(ctx, func() bool { return rig.Sim.Connections() == campaign.BotSockets }); err != nil {
						t.Errorf("the replaced socket never came back: %v", err)
						return
					}
				}
				f.inject(rig.Sim)
			}
			seq := rig.Sim.Seq()
			samples := campaign.Burst(waitCtx(t, 60*time.Second), n, 2*time.Second, func(ctx context.Context, i int) (*slacksim.Result, error) {
				if points[i] {
					inject(ctx)
				}
				return helpBurst(rig)(ctx, i)
			})
			if err := rig.Sim.WaitConnected(waitCtx(t, 30*time.Second)); err != nil {
				t.Fatalf("bot did not reconnect: %v", err)
			}
			ids := campaign.EnvelopeIDs(samples)
			if err := rig.WaitReplies(waitCtx(t, 30*time.Second), ids); err != nil {
				t.Errorf("%v", err)
			}
			recs := campaign.Reconnects(rig.Sim.Events(), seq)
			if f.reconnect && len(recs) == 0 {
				t.Errorf("no reconnect seen after %s", f.name)
			}
			lat := campaign.AckLatencies(samples)
			if f.allAcked && lat.Acked != lat.N {
				t.Errorf("%d of %d commands not acked while one of %d sockets was replaced, want 0", lat.N-lat.Acked, lat.N, campaign.BotSockets)
			}
			stopRig(t, rig, 5*time.Second)
			rep := check(t, rig, campaign.Expect{Commands: ids})
			t.Logf("FIGURE A1/A2 %s: %s; lost (not acked) %d; reconnects %d, times %v; answered once %d",
				f.name, lat, lat.N-lat.Acked, len(recs), reconnectTimes(recs), rep.AnsweredCommands)
		})
	}
}

func reconnectTimes(rs []campaign.Reconnect) []time.Duration {
	out := make([]time.Duration, len(rs))
	for i, r := range rs {
		out[i] = r.Took().Round(time.Millisecond)
	}
	return out
}

// A3: pings stop (a half-open connection). slack-go's watchdog must notice
// within 2× its ping interval (30 s in production) and reconnect; commands
// sent after the reconnect are answered.
func halfOpenDetected(t *testing.T) {
	rig := newRig(t, slacksim.Options{PingInterval: time.Second}, 3)
	startRig(t, rig)
	seq := rig.Sim.Seq()
	stopped := time.Now()
	rig.Sim.StopPings()
	// Every socket goes quiet: each one's watchdog must notice.
	var detect time.Duration
	after := seq
	for range campaign.BotSockets {
		ev, err := rig.Sim.WaitEvent(waitCtx(t, 90*time.Second), after, func(ev slacksim.Event) bool {
			return ev.Kind == slacksim.EventConnClosed
		})
		if err != nil {
			rig.Sim.ResumePings()
			t.Fatalf("half-open connection never closed: %v", err)
		}
		after, detect = ev.Seq, ev.Time.Sub(stopped)
	}
	rig.Sim.ResumePings()
	if detect > 60*time.Second {
		t.Errorf("half-open detected after %v, want ≤ 60 s (2× the 30 s ping interval)", detect)
	}
	if err := rig.Sim.WaitFor(waitCtx(t, 30*time.Second), func() bool { return rig.Sim.Connections() == campaign.BotSockets }); err != nil {
		t.Fatalf("no reconnect after the half-open sockets closed: %v", err)
	}
	samples := campaign.Burst(waitCtx(t, 30*time.Second), 20, 0, helpBurst(rig))
	ids := campaign.EnvelopeIDs(samples)
	if err := rig.WaitReplies(waitCtx(t, 30*time.Second), ids); err != nil {
		t.Error(err)
	}
	stopRig(t, rig, 5*time.Second)
	rep := check(t, rig, campaign.Expect{Commands: ids})
	if rep.AckedCommands != 20 {
		t.Errorf("acked %d of 20 commands after the reconnect, want all", rep.AckedCommands)
	}
	t.Logf("FIGURE A3 half-open: detected after %v; reconnect total %v", detect.Round(time.Millisecond),
		reconnectTimes(campaign.Reconnects(rig.Sim.Events(), seq)))
}

// A4: apps.connections.open fails. invalid_auth is fatal: a clean non-zero
// exit, not a loop. 500 and 429 are retried with backoff (at least
// Retry-After apart) until Slack answers again.
func TestConnectionsOpenFaults(t *testing.T) {
	t.Run("invalid_auth_at_start", func(t *testing.T) {
		t.Parallel()
		rig := newRig(t, slacksim.Options{}, 1)
		rig.Sim.ConnectionsOpenError(&slacksim.Fault{Error: "invalid_auth"})
		start := time.Now()
		if err := rig.Bot.Start(); err != nil {
			t.Fatal(err)
		}
		code, _, err := rig.Bot.Wait(waitCtx(t, 30*time.Second))
		if err != nil {
			t.Fatalf("bot kept running with invalid_auth: %v", err)
		}
		took := time.Since(start)
		if code == 0 {
			t.Errorf("exit code = 0 with invalid_auth, want non-zero")
		}
		calls := len(rig.Sim.CallsTo("apps.connections.open"))
		if calls > 3 {
			t.Errorf("apps.connections.open called %d times before exit, want ≤ 3 (no retry loop on invalid_auth)", calls)
		}
		check(t, rig, campaign.Expect{})
		t.Logf("FIGURE A4 invalid_auth: exit code %d after %v, %d connections.open calls", code, took.Round(time.Millisecond), calls)
	})
	t.Run("invalid_auth_while_running", func(t *testing.T) {
		t.Parallel()
		rig := newRig(t, slacksim.Options{}, 1)
		startRig(t, rig)
		rig.Sim.ConnectionsOpenError(&slacksim.Fault{Error: "invalid_auth"})
		start := time.Now()
		rig.Sim.Disconnect("link_disabled")
		code, _, err := rig.Bot.Wait(waitCtx(t, 30*time.Second))
		if err != nil {
			t.Fatalf("bot kept running after its token was revoked: %v", err)
		}
		if code == 0 {
			t.Errorf("exit code = 0 after invalid_auth, want non-zero")
		}
		check(t, rig, campaign.Expect{})
		t.Logf("FIGURE A4 invalid_auth while running: exit code %d after %v", code, time.Since(start).Round(time.Millisecond))
	})
	for _, f := range []struct {
		name  string
		fault slacksim.Fault
		gap   time.Duration // the least time between two calls
	}{
		{"500", slacksim.Fault{Status: 500}, 0},
		{"429_retry_after_2s", slacksim.Fault{Status: 429, RetryAfter: 2 * time.Second}, 2 * time.Second},
	} {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			rig := newRig(t, slacksim.Options{}, 1)
			startRig(t, rig)
			rig.Sim.ConnectionsOpenError(&f.fault)
			seq := rig.Sim.Seq()
			// One socket reconnects (its calls are the ones measured);
			// the other stays up.
			rig.Sim.DisconnectOldest("refresh_requested")
			// Let it fail four times, then let Slack answer again.
			if err := rig.Sim.WaitFor(waitCtx(t, 60*time.Second), func() bool {
				return countAfter(rig.Sim.Events(), seq, "apps.connections.open") >= 4
			}); err != nil {
				t.Fatalf("bot stopped retrying apps.connections.open: %v", err)
			}
			rig.Sim.ConnectionsOpenError(nil)
			if _, err := rig.Sim.WaitEvent(waitCtx(t, 60*time.Second), seq, func(ev slacksim.Event) bool {
				return ev.Kind == slacksim.EventConnOpened
			}); err != nil {
				t.Fatalf("bot did not reconnect once Slack answered again: %v", err)
			}
			calls := callTimes(rig.Sim.Events(), seq, "apps.connections.open")
			var gaps []time.Duration
			for i := 1; i < len(calls) && i < 4; i++ {
				g := calls[i].Sub(calls[i-1])
				gaps = append(gaps, g.Round(time.Millisecond))
				if g < f.gap-50*time.Millisecond {
					t.Errorf("calls %d and %d to apps.connections.open %v apart, want ≥ Retry-After %v", i-1, i, g, f.gap)
				}
			}
			samples := campaign.Burst(waitCtx(t, 30*time.Second), 10, 0, helpBurst(rig))
			ids := campaign.EnvelopeIDs(samples)
			if err := rig.WaitReplies(waitCtx(t, 30*time.Second), ids); err != nil {
				t.Error(err)
			}
			stopRig(t, rig, 5*time.Second)
			check(t, rig, campaign.Expect{Commands: ids})
			t.Logf("FIGURE A4 %s: gaps between failed connections.open calls %v", f.name, gaps)
		})
	}
}

func countAfter(evs []slacksim.Event, seq int64, method string) int {
	return len(callTimes(evs, seq, method))
}

func callTimes(evs []slacksim.Event, seq int64, method string) []time.Time {
	var out []time.Time
	for _, ev := range evs {
		if ev.Seq > seq && (ev.Kind == slacksim.EventAPICall || ev.Kind == slacksim.EventRateLimited) && ev.Method == method {
			out = append(out, ev.Time)
		}
	}
	return out
}

// A5: a reconnect storm: Slack disconnects right after every hello for a
// fixed window. The bot's brake on apps.connections.open lets its burst
// through at once (quick reconnects are not slowed) and then one call per
// bot.ConnectRate interval, so in any window it opens at most
// burst + window×rate connections; it reports the held-back calls on
// /metrics; its goroutines and fds stay flat; and once the storm ends it
// reconnects and answers.
func TestReconnectStorm(t *testing.T) {
	t.Parallel()
	rig := newRig(t, slacksim.Options{}, 2)
	addr, err := campaign.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	rig.Bot.Env["LEANCOACH_HTTP_ADDR"] = addr
	startRig(t, rig)
	pid := rig.Bot.Pid()
	measure := func() campaign.Resources {
		r := campaign.ProcResources(pid)
		if s, err := campaign.Scrape(waitCtx(t, 5*time.Second), addr); err == nil {
			r.Goroutines = s.Goroutines
		}
		return r
	}
	before := measure()
	rate := bot.ConnectRate(campaign.BotSockets)
	// Two steady intervals after the burst: long enough to see the pace,
	// short enough for a test.
	window := time.Duration(2/rate.PerSecond) * time.Second
	evs, cancel := rig.Sim.Subscribe()
	defer cancel()
	seq := rig.Sim.Seq()
	start := time.Now()
	lastDisconnect := rig.Sim.Seq()
	rig.Sim.Disconnect("refresh_requested")
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	stormOver := time.After(window)
	peak := before.Goroutines
storm:
	for {
		select {
		case ev, ok := <-evs:
			if !ok {
				t.Fatal("local Slack closed")
			}
			if ev.Kind == slacksim.EventConnOpened {
				lastDisconnect = rig.Sim.Seq()
				rig.Sim.Disconnect("refresh_requested")
			}
		case <-tick.C:
			peak = max(peak, measure().Goroutines)
		case <-stormOver:
			break storm
		}
	}
	cancel()
	var opens []time.Duration
	for _, at := range callTimes(rig.Sim.Events(), seq, "apps.connections.open") {
		if d := at.Sub(start); d <= window {
			opens = append(opens, d.Round(time.Millisecond))
		}
	}
	// A token bucket grants at most burst + W×rate calls in any window W;
	// one more for calls granted just before start but seen just after.
	limit := rate.Burst + int(window.Seconds()*rate.PerSecond) + 1
	if len(opens) > limit {
		t.Errorf("apps.connections.open called %d times in %v of storm, want ≤ %d (burst %d + one per %v)",
			len(opens), window, limit, rate.Burst, time.Duration(float64(time.Second)/rate.PerSecond))
	}
	// The first connects took a token each; the rest of the burst must go
	// at once.
	if quick := rate.Burst - campaign.BotSockets; len(opens) < quick {
		t.Errorf("apps.connections.open called %d times in %v of storm, want ≥ %d (the burst is not braked)", len(opens), window, quick)
	}
	if waits, err := metricValue(waitCtx(t, 5*time.Second), addr, "leancoach_socket_reconnect_waits_total"); err != nil || waits < 1 {
		t.Errorf("leancoach_socket_reconnect_waits_total = %v (%v) after the storm, want ≥ 1", waits, err)
	}
	// The storm is over: the bot's next connection (perhaps still braked)
	// stays up and answers.
	if _, err := rig.Sim.WaitEvent(waitCtx(t, window), lastDisconnect, func(ev slacksim.Event) bool {
		return ev.Kind == slacksim.EventConnOpened
	}); err != nil {
		t.Fatalf("bot did not reconnect after the storm: %v", err)
	}
	after := campaign.Settle(waitCtx(t, 10*time.Second), before, measure)
	if msg := before.Compare(after); msg != "" {
		t.Errorf("after %d reconnects: %s", len(opens), msg)
	}
	samples := campaign.Burst(waitCtx(t, 30*time.Second), 10, 0, helpBurst(rig))
	ids := campaign.EnvelopeIDs(samples)
	if err := rig.WaitReplies(waitCtx(t, 30*time.Second), ids); err != nil {
		t.Error(err)
	}
	stopRig(t, rig, 5*time.Second)
	check(t, rig, campaign.Expect{Commands: ids})
	t.Logf("FIGURE A5 storm: %d connections.open in %v (%.1f/min; limit %d), at %v; goroutines %d → max %d → %d; fds %d → %d; RSS %d → %d KiB",
		len(opens), window, float64(len(opens))/window.Minutes(), limit, opens, before.Goroutines, peak, after.Goroutines,
		before.FDs, after.FDs, before.RSS>>10, after.RSS>>10)
}

// A9: SIGTERM in the middle of a burst. The bot exits within 5 s with code
// 0, and every command it acked was answered exactly once.
func TestSIGTERMMidBurst(t *testing.T) {
	t.Parallel()
	rig := newRig(t, slacksim.Options{}, 20)
	startRig(t, rig)
	var stopTook time.Duration
	var stopCode int
	var stopErr error
	stopped := make(chan struct{})
	samples := campaign.Burst(waitCtx(t, 60*time.Second), 200, 2*time.Second, func(ctx context.Context, i int) (*slacksim.Result, error) {
		if i == 100 {
			go func() {
				defer close(stopped)
				stopCode, stopTook, stopErr = rig.Bot.Stop(5 * time.Second)
			}()
		}
		return helpBurst(rig)(ctx, i)
	})
	<-stopped
	if stopErr != nil {
		t.Errorf("SIGTERM mid-burst: %v", stopErr)
	}
	if stopCode != 0 {
		t.Errorf("exit code after SIGTERM = %d, want 0", stopCode)
	}
	ids := campaign.EnvelopeIDs(samples)
	rep := check(t, rig, campaign.Expect{Commands: ids})
	t.Logf("FIGURE A9 SIGTERM mid-burst: stopped in %v; acked %d of 200, all answered once: %v", stopTook.Round(time.Millisecond), rep.AckedCommands, rep.AckedCommands == rep.AnsweredCommands)
}

// A10: a second bot process against the same database exits within
// seconds with a non-zero code and sends nothing.
func TestSecondProcessRefused(t *testing.T) {
	t.Parallel()
	rig := newRig(t, slacksim.Options{}, 1)
	startRig(t, rig)
	second := &campaign.Bot{Path: rig.Bot.Path, Env: rig.Bot.Env, LogPath: rig.Bot.LogPath + ".second"}
	start := time.Now()
	if err := second.Start(); err != nil {
		t.Fatal(err)
	}
	code, _, err := second.Wait(waitCtx(t, 30*time.Second))
	if err != nil {
		second.Kill()
		t.Fatalf("second process kept running: %v", err)
	}
	if code == 0 {
		t.Errorf("second process exit code = 0, want non-zero")
	}
	stopRig(t, rig, 5*time.Second)
	check(t, rig, campaign.Expect{})
	t.Logf("FIGURE A10 second process: exit code %d after %v", code, time.Since(start).Round(time.Millisecond))
}

// A6: a slow downstream: every Web API call takes 2 s (a proxy in front of
// the local Slack), and 40 directors click within a second. The acks do
// not wait for any of it: every click is acked (Slack's 3 s), none is
// lost, the socket is never dropped for a missed ping, and all are
// recorded once the slow calls complete.
func slowDownstream(t *testing.T) {
	const n = 40
	rig, keys := seededRig(t, n)
	target, err := url.Parse(rig.Sim.URL())
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(target)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	rig.Bot.Env["SLACK_API_URL"] = proxy.URL + "/api/"
	startRig(t, rig)
	seq := rig.Sim.Seq()
	msgs := make([]slacksim.Message, n)
	for i, d := range rig.WS.Directors {
		msgs[i] = promptOf(t, rig.Sim, d)
	}
	samples := campaign.Burst(waitCtx(t, time.Minute), n, time.Second, func(ctx context.Context, i int) (*slacksim.Result, error) {
		return rig.Sim.As(string(rig.WS.Directors[i])).Click(ctx, msgs[i], bot.ActionNotToday)
	})
	start := time.Now()
	last := waitEdited(t, rig.Sim, msgs, 3*time.Minute)
	recs := campaign.Reconnects(rig.Sim.Events(), seq)
	stopRig(t, rig, 10*time.Second)
	var in []campaign.Interaction
	for i, s := range samples {
		in = append(in, campaign.Interaction{EnvelopeID: s.EnvelopeID, Key: keys[i], Director: rig.WS.Directors[i], Habit: coach.Gemba, Outcome: coach.NotToday})
	}
	check(t, rig, campaign.Expect{Due: campaign.DuesOf(keys, campaign.WantSent), Interactions: in, Now: time.Now()})
	lat := campaign.AckLatencies(samples)
	if lat.Acked != n {
		t.Errorf("acked %d of %d clicks with a slow Web API", lat.Acked, n)
	}
	if len(recs) != 0 {
		t.Errorf("%d reconnects during the burst, want 0 (the reader must keep answering pings)", len(recs))
	}
	t.Logf("FIGURE A6 slow Web API (2 s a call), %d clicks in 1 s: %s; reconnects %d; all recorded %v after the burst",
		n, lat, len(recs), last.Sub(start).Round(time.Millisecond))
}

// A11: Slack redelivers an events_api envelope (retry_attempt 1–3, a new
// envelope_id, the same event_id). The production bot acks every copy and
// handles the event once: one App Home published per opening.
func TestEventRedeliveryHandledOnce(t *testing.T) {
	t.Parallel()
	rig := newRig(t, slacksim.Options{}, 5)
	if _, err := rig.WS.Seed(waitCtx(t, 10*time.Second), rig.DBPath); err != nil {
		t.Fatal(err)
	}
	startRig(t, rig)
	redelivered := 0
	for _, d := range rig.WS.Directors {
		res, err := rig.Sim.As(string(d)).OpenHome(waitCtx(t, 10*time.Second))
		if err != nil {
			t.Fatalf("%s: open home: %v", d, err)
		}
		if _, err := res.WaitView(waitCtx(t, 10*time.Second)); err != nil {
			t.Fatalf("%s: no Home published: %v", d, err)
		}
		id := res.EnvelopeID
		for range 3 {
			next, err := rig.Sim.Redeliver(id)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := rig.Sim.WaitAck(waitCtx(t, 10*time.Second), next); err != nil {
				t.Errorf("redelivery %s not acked: %v", next, err)
			}
			redelivered++
			id = next
		}
	}
	// Let any duplicate handling finish before counting.
	pauseT(t, time.Second)
	stopRig(t, rig, 5*time.Second)
	perUser := map[string]int{}
	for _, c := range rig.Sim.CallsTo("views.publish") {
		perUser[c.Args["user_id"]]++
	}
	for _, d := range rig.WS.Directors {
		if n := perUser[string(d)]; n != 1 {
			t.Errorf("%s: Home published %d times for one opening and 3 redeliveries, want 1", d, n)
		}
	}
	check(t, rig, campaign.Expect{})
	t.Logf("FIGURE A11 %d redeliveries of app_home_opened: all acked, handled once per event: %v", redelivered, perUser)
}

// B5 (short): the process is frozen (SIGSTOP) for 12 s, as a paused VM
// would be, then resumed. Commands typed meanwhile fail for the user (no
// ack: Slack does not retry them); after the resume the bot is back within
// seconds and answers again, and nothing it had acked is lost.
func frozenAndResumed(t *testing.T) {
	rig := newRig(t, slacksim.Options{PingInterval: time.Second}, 5)
	startRig(t, rig)
	before := campaign.Burst(waitCtx(t, 30*time.Second), 10, 0, helpBurst(rig))
	if err := rig.Bot.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	during := campaign.Burst(waitCtx(t, 30*time.Second), 5, 0, helpBurst(rig))
	pauseT(t, 12*time.Second)
	seq := rig.Sim.Seq()
	resumed := time.Now()
	if err := rig.Bot.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	// Back: a command is acked and answered again.
	var back time.Duration
	for {
		ss := campaign.Burst(waitCtx(t, 10*time.Second), 1, 0, helpBurst(rig))
		if ss[0].Acked {
			back = time.Since(resumed)
			break
		}
		if time.Since(resumed) > time.Minute {
			t.Fatal("no command acked within a minute of SIGCONT")
		}
	}
	after := campaign.Burst(waitCtx(t, 30*time.Second), 10, 0, helpBurst(rig))
	var ids []string
	for _, ss := range [][]campaign.Sample{before, during, after} {
		ids = append(ids, campaign.EnvelopeIDs(ss)...)
	}
	if err := rig.WaitReplies(waitCtx(t, 30*time.Second), ids); err != nil {
		t.Error(err)
	}
	stopRig(t, rig, 5*time.Second)
	rep := check(t, rig, campaign.Expect{Commands: ids})
	lost := 0
	for _, s := range during {
		if !s.Acked {
			lost++
		}
	}
	t.Logf("FIGURE B5 frozen 12 s: %d of %d commands typed meanwhile not acked; answering again %v after SIGCONT (reconnects %d); %s",
		lost, len(during), back.Round(time.Millisecond), len(campaign.Reconnects(rig.Sim.Events(), seq)), rep)
}
