package slackio_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// harness runs an App against a fresh slacksim.
type harness struct {
	sim  *slacksim.Server
	app  *slackio.App
	done chan error
	stop context.CancelFunc
}

func start(t testing.TB, opts slacksim.Options, r *slackio.Router, cfg slackio.Config) *harness {
	t.Helper()
	return startSockets(t, 1, opts, r, cfg)
}

// startSockets is start with an App keeping n Socket Mode connections; it
// returns once all n are up.
func startSockets(t testing.TB, n int, opts slacksim.Options, r *slackio.Router, cfg slackio.Config) *harness {
	t.Helper()
	if tt, ok := t.(*testing.T); ok {
		cfg.Logger = zerolog.New(zerolog.NewTestWriter(tt)).Level(zerolog.WarnLevel)
	} else {
		cfg.Logger = zerolog.Nop()
	}
	return startLogged(t, n, opts, r, cfg)
}

// startLogged is startSockets with the App logging to cfg.Logger.
func startLogged(t testing.TB, n int, opts slacksim.Options, r *slackio.Router, cfg slackio.Config) *harness {
	t.Helper()
	if opts.RetryDelays == nil {
		opts.RetryDelays = []time.Duration{0, 50 * time.Millisecond, 100 * time.Millisecond}
	}
	sim := slacksim.New(opts)
	t.Cleanup(sim.Close)
	api := slack.New(sim.BotToken(), slack.OptionAPIURL(sim.APIURL()), slack.OptionAppLevelToken(sim.AppToken()))
	cfg.Sockets = nil
	for range n {
		cfg.Sockets = append(cfg.Sockets, socketmode.New(api))
	}
	cfg.Router = r
	app := slackio.New(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{sim: sim, app: app, done: make(chan error, 1), stop: cancel}
	go func() { h.done <- app.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-h.done:
		case <-time.After(10 * time.Second):
			t.Error("App.Run did not return within 10s of cancel")
		}
	})
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	if err := sim.WaitFor(wctx, func() bool { return sim.Connections() == n }); err != nil {
		t.Fatalf("bot never connected its %d sockets: %v", n, err)
	}
	return h
}

func deadline(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// recorder counts handled keys.
type recorder struct {
	mu    sync.Mutex
	seen  map[string]int
	total chan string
}

func newRecorder() *recorder {
	return &recorder{seen: map[string]int{}, total: make(chan string, 10_000)}
}

func (r *recorder) add(k string) {
	r.mu.Lock()
	r.seen[k]++
	r.mu.Unlock()
	r.total <- k
}

func (r *recorder) count(k string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen[k]
}

// waitN waits until n distinct keys were handled.
func (r *recorder) waitN(ctx context.Context, n int) error {
	for {
		r.mu.Lock()
		got := len(r.seen)
		r.mu.Unlock()
		if got >= n {
			return nil
		}
		select {
		case <-r.total:
		case <-ctx.Done():
			return fmt.Errorf("handled %d distinct, want %d: %w", got, n, ctx.Err())
		}
	}
}

func homeEvent(eventID, user string) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"token":"x","team_id":"T0SIM0001","api_app_id":"A0SIM0001",
	"event":{"type":"app_home_opened","user":%q,"channel":"D0SIM","tab":"home","event_ts":"1700000000.000100"},
	"type":"event_callback","event_id":%q,"event_time":1700000000}`, user, eventID))
}

func slashPayload(text, trigger string) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"token":"x","team_id":"T0SIM0001","team_domain":"sim","channel_id":"D0SIM",
	"channel_name":"directmessage","user_id":"U0TEST001","user_name":"tester","command":"/coach","text":%q,
	"api_app_id":"A0SIM0001","is_enterprise_install":"false","response_url":"","trigger_id":%q}`, text, trigger))
}

func homeRouter(rec *recorder) *slackio.Router {
	r := slackio.NewRouter()
	r.Event("app_home_opened", func(ctx context.Context, ev slackevents.EventsAPIEvent) error {
		cb := ev.Data.(*slackevents.EventsAPICallbackEvent)
		rec.add(cb.EventID)
		return nil
	})
	return r
}

// Every event of a burst is handled exactly once although the socket is
// refreshed and then dropped mid-burst: envelopes lost on a dying socket are
// redelivered by Slack and the redeliveries are deduplicated.
func TestBurstSurvivesDisconnectAndDrop(t *testing.T) {
	rec := newRecorder()
	h := start(t, slacksim.Options{AckTimeout: 2 * time.Second}, homeRouter(rec), slackio.Config{})
	const n = 300
	for i := range n {
		switch i {
		case 100:
			h.sim.Disconnect("refresh_requested")
		case 200:
			h.sim.DropConnections()
		}
		h.sim.Send("events_api", homeEvent(fmt.Sprintf("Ev%04d", i), "U0TEST001"))
	}
	if err := rec.waitN(deadline(t, 20*time.Second), n); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if c := rec.count(fmt.Sprintf("Ev%04d", i)); c != 1 {
			t.Errorf("event Ev%04d handled %d times, want 1", i, c)
		}
	}
	if err := h.sim.WaitConnected(deadline(t, 5*time.Second)); err != nil {
		t.Errorf("bot did not reconnect: %v", err)
	}
	if !h.app.Connected() {
		t.Error("App.Connected() = false after reconnect, want true")
	}
	// Every envelope was acked, or (lost on a dying socket) has an acked
	// redelivery: wait until every retry chain is settled.
	unacked := func() []slacksim.Envelope {
		acked := map[string]bool{}
		envs := h.sim.Envelopes()
		for _, e := range envs {
			if e.Status == slacksim.StatusAcked {
				acked[e.ID], acked[e.Origin] = true, true
			}
		}
		var out []slacksim.Envelope
		for _, e := range envs {
			if e.Attempt == 0 && !acked[e.ID] {
				out = append(out, e)
			}
		}
		return out
	}
	if err := h.sim.WaitFor(deadline(t, 10*time.Second), func() bool { return len(unacked()) == 0 }); err != nil {
		for _, e := range unacked() {
			t.Errorf("envelope %s (%s) never acked, not even a redelivery", e.ID, e.Status)
		}
	}
	for i := range n {
		if c := rec.count(fmt.Sprintf("Ev%04d", i)); c != 1 {
			t.Errorf("event Ev%04d handled %d times after redeliveries, want 1", i, c)
		}
	}
}

func TestRedeliveredEnvelopeHandledOnce(t *testing.T) {
	rec := newRecorder()
	h := start(t, slacksim.Options{}, homeRouter(rec), slackio.Config{})
	id := h.sim.Send("events_api", homeEvent("EvOnce", "U0TEST001"))
	if _, err := h.sim.WaitAck(deadline(t, 5*time.Second), id); err != nil {
		t.Fatal(err)
	}
	id2, err := h.sim.Redeliver(id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.sim.WaitAck(deadline(t, 5*time.Second), id2); err != nil {
		t.Fatalf("redelivery not acked: %v", err)
	}
	// A later event proves the queue moved past the redelivery.
	h.sim.Send("events_api", homeEvent("EvAfter", "U0TEST001"))
	if err := rec.waitN(deadline(t, 5*time.Second), 2); err != nil {
		t.Fatal(err)
	}
	if c := rec.count("EvOnce"); c != 1 {
		t.Errorf("redelivered event handled %d times, want 1", c)
	}
}

func TestMalformedEnvelopesDoNotStopTheLoop(t *testing.T) {
	rec := newRecorder()
	r := homeRouter(rec)
	h := start(t, slacksim.Options{}, r, slackio.Config{})
	bad := []struct {
		typ     string
		payload string
	}{
		{"events_api", `{"type":"event_callback","event_id":"EvX","event":{"type":"totally_new_event"}}`},
		{"events_api", `{"type":"event_callback","event_id":"EvY","event":{"type":"message","display_as_bot":"false"}}`},
		{"events_api", `[1,2,3]`},
		{"interactive", `"just a string"`},
		{"slash_commands", `null`},
		{"interactive", `{"type":"block_actions","is_enterprise_install":"false"}`},
	}
	for _, b := range bad {
		id := h.sim.Send(b.typ, json.RawMessage(b.payload))
		if _, err := h.sim.WaitAck(deadline(t, 5*time.Second), id); err != nil {
			t.Errorf("bad %s envelope %s not acked: %v", b.typ, b.payload, err)
		}
	}
	h.sim.Send("events_api", homeEvent("EvGood", "U0TEST001"))
	if err := rec.waitN(deadline(t, 5*time.Second), 1); err != nil {
		t.Fatalf("loop stopped after bad envelopes: %v", err)
	}
}

func TestPanickingHandlerDoesNotStopTheLoop(t *testing.T) {
	rec := newRecorder()
	r := slackio.NewRouter()
	r.Command("/coach", func(ctx context.Context, cmd slack.SlashCommand) (slackio.Reply, error) {
		if cmd.Text == "boom" {
			panic("boom")
		}
		rec.add(cmd.Text)
		return slackio.Reply{}, nil
	})
	h := start(t, slacksim.Options{}, r, slackio.Config{Workers: 1})
	for i := range 3 {
		h.sim.Send("slash_commands", slashPayload("boom", fmt.Sprintf("tr-boom-%d", i)))
	}
	h.sim.Send("slash_commands", slashPayload("after", "tr-after"))
	if err := rec.waitN(deadline(t, 5*time.Second), 1); err != nil {
		t.Fatalf("loop stopped after panics: %v", err)
	}
}

func TestDuplicateSlashCommandHandledOnce(t *testing.T) {
	rec := newRecorder()
	r := slackio.NewRouter()
	r.Command("/coach", func(ctx context.Context, cmd slack.SlashCommand) (slackio.Reply, error) {
		rec.add(cmd.TriggerID)
		return slackio.Reply{}, nil
	})
	h := start(t, slacksim.Options{}, r, slackio.Config{})
	id := h.sim.Send("slash_commands", slashPayload("streak", "tr-dup"))
	if _, err := h.sim.WaitAck(deadline(t, 5*time.Second), id); err != nil {
		t.Fatal(err)
	}
	id2, err := h.sim.Redeliver(id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.sim.WaitAck(deadline(t, 5*time.Second), id2); err != nil {
		t.Fatal(err)
	}
	h.sim.Send("slash_commands", slashPayload("streak", "tr-next"))
	if err := rec.waitN(deadline(t, 5*time.Second), 2); err != nil {
		t.Fatal(err)
	}
	if c := rec.count("tr-dup"); c != 1 {
		t.Errorf("redelivered slash command handled %d times, want 1", c)
	}
}

func TestViewValidationErrorsGoBackInTheAck(t *testing.T) {
	rec := newRecorder()
	r := slackio.NewRouter()
	r.View("cb", slackio.ViewHandler{
		Validate: func(cb slack.InteractionCallback) map[string]string {
			if cb.View.PrivateMetadata == "bad" {
				return map[string]string{"text": "Please write something."}
			}
			return nil
		},
		Handle: func(ctx context.Context, cb slack.InteractionCallback) error {
			rec.add(cb.View.PrivateMetadata)
			return nil
		},
	})
	h := start(t, slacksim.Options{}, r, slackio.Config{})
	sub := func(meta, trigger string) json.RawMessage {
		return json.RawMessage(fmt.Sprintf(`{"type":"view_submission","team":{"id":"T0SIM0001"},"user":{"id":"U0TEST001"},
		"api_app_id":"A0SIM0001","trigger_id":%q,"view":{"id":"V1","type":"modal","callback_id":"cb","private_metadata":%q,
		"blocks":[],"state":{"values":{}}}}`, trigger, meta))
	}
	env, err := h.sim.WaitAck(deadline(t, 5*time.Second), h.sim.Send("interactive", sub("bad", "t1")))
	if err != nil {
		t.Fatal(err)
	}
	var ack struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
	}
	if err := json.Unmarshal(env.AckPayload, &ack); err != nil || ack.ResponseAction != "errors" || ack.Errors["text"] == "" {
		t.Errorf("ack payload = %s, want response_action errors for block text", env.AckPayload)
	}
	h.sim.Send("interactive", sub("good", "t2"))
	if err := rec.waitN(deadline(t, 5*time.Second), 1); err != nil {
		t.Fatal(err)
	}
	if rec.count("bad") != 0 {
		t.Error("Handle ran for a submission that failed validation")
	}
}

// A handler still running when the drain bound is over is cancelled, and
// Run returns: a stop waits DrainTimeout for work in flight, not longer.
func TestDrainTimeoutCancelsHandlersInFlight(t *testing.T) {
	started := make(chan struct{})
	ended := make(chan error, 1)
	r := slackio.NewRouter()
	r.Command("/coach", func(ctx context.Context, cmd slack.SlashCommand) (slackio.Reply, error) {
		close(started)
		<-ctx.Done()
		ended <- ctx.Err()
		return slackio.Reply{}, nil
	})
	// The default bound (5 s) is longer than the wait below, so a bound
	// that is not honoured fails the test.
	h := start(t, slacksim.Options{}, r, slackio.Config{DrainTimeout: 100 * time.Millisecond})
	h.sim.Send("slash_commands", slashPayload("hang", "tr-hang"))
	ctx := deadline(t, 4*time.Second)
	select {
	case <-started:
	case <-ctx.Done():
		t.Fatal("handler never started")
	}
	h.stop()
	select {
	case err := <-h.done:
		if err != nil {
			t.Errorf("Run after a stop = %v, want nil", err)
		}
		h.done <- err // for the harness's cleanup
	case <-ctx.Done():
		t.Fatal("Run did not return after its drain bound")
	}
	if err := <-ended; err != context.Canceled {
		t.Errorf("handler's context ended with %v, want context.Canceled (the drain bound, not its job timeout)", err)
	}
}

// The dedupe window runs on Config.Now: a redelivery within the hour is
// dropped, one after it is handled again (the answer's business key keeps
// that harmless).
func TestDedupeWindowFollowsTheAppClock(t *testing.T) {
	rec := newRecorder()
	r := slackio.NewRouter()
	r.Command("/coach", func(ctx context.Context, cmd slack.SlashCommand) (slackio.Reply, error) {
		rec.add(cmd.Text)
		return slackio.Reply{}, nil
	})
	var mu sync.Mutex
	shift := time.Duration(0)
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return time.Now().Add(shift)
	}
	h := start(t, slacksim.Options{}, r, slackio.Config{Now: now})
	id := h.sim.Send("slash_commands", slashPayload("first", "tr-late"))
	if err := rec.waitN(deadline(t, 5*time.Second), 1); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	shift = 61 * time.Minute
	mu.Unlock()
	if _, err := h.sim.Redeliver(id); err != nil {
		t.Fatal(err)
	}
	ctx := deadline(t, 5*time.Second)
	for rec.count("first") < 2 {
		select {
		case <-rec.total:
		case <-ctx.Done():
			t.Fatalf("command redelivered past the dedupe window handled %d times, want 2", rec.count("first"))
		}
	}
}
