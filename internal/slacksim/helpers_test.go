package slacksim_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// newSim starts a simulator with test-friendly timings and a small workspace.
func newSim(t *testing.T, mod ...func(*slacksim.Options)) *slacksim.Server {
	t.Helper()
	opts := slacksim.Options{
		PingInterval: 200 * time.Millisecond,
		AckTimeout:   3 * time.Second, // Slack's; tests of timeouts set their own
		RetryDelays:  []time.Duration{0, 50 * time.Millisecond, 100 * time.Millisecond},
	}
	for _, m := range mod {
		m(&opts)
	}
	s := slacksim.New(opts)
	t.Cleanup(s.Close)
	s.AddUser(slacksim.User{ID: "U1", Name: "anna", RealName: "Anna de Vries", TZ: "Europe/Amsterdam", Locale: "nl-NL", IsAdmin: true})
	s.AddUser(slacksim.User{ID: "U2", Name: "bob", RealName: "Bob Jansen", TZ: "America/Los_Angeles"})
	s.AddChannel(slacksim.Channel{ID: "C1", Name: "kudos", Members: []string{"U1", "U2"}})
	return s
}

// api returns a slack-go client pointed at s.
func api(s *slacksim.Server) *slack.Client {
	return slack.New(s.BotToken(), slack.OptionAPIURL(s.APIURL()), slack.OptionAppLevelToken(s.AppToken()))
}

// handler reacts to one socketmode event. It calls ack (payload may be nil) first,
// like a real bot, then does its work; not calling ack leaves the envelope un-acked.
type handler func(ctx context.Context, api *slack.Client, evt socketmode.Event, ack func(payload any))

// bot is a tiny Socket Mode app built on the unmodified slack-go client.
type bot struct {
	client *socketmode.Client
	api    *slack.Client
	mu     sync.Mutex
	seen   []socketmode.Event
}

// startBot runs a bot until the test ends; h decides the ack for each request.
func startBot(t *testing.T, s *slacksim.Server, h handler, opts ...socketmode.Option) *bot {
	t.Helper()
	a := api(s)
	opts = append([]socketmode.Option{socketmode.OptionPingInterval(2 * time.Second)}, opts...)
	b := &bot{client: socketmode.New(a, opts...), api: a}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = b.client.RunContext(ctx) })
	wg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-b.client.Events:
				b.mu.Lock()
				b.seen = append(b.seen, evt)
				b.mu.Unlock()
				if evt.Request == nil || evt.Request.EnvelopeID == "" || h == nil {
					continue
				}
				wg.Go(func() {
					h(ctx, a, evt, func(payload any) {
						actx, acancel := context.WithTimeout(ctx, 2*time.Second)
						defer acancel()
						_ = b.client.AckCtx(actx, evt.Request.EnvelopeID, payload)
					})
				})
			}
		}
	})
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		// Every envelope slacksim sent must parse in slack-go as its declared type.
		for _, evt := range b.events() {
			if evt.Type == socketmode.EventTypeErrorBadMessage {
				t.Errorf("slack-go could not parse an envelope: %+v", evt.Data)
			}
		}
	})
	waitCtx, wcancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer wcancel()
	if err := s.WaitConnected(waitCtx); err != nil {
		t.Fatalf("bot did not connect: %v", err)
	}
	return b
}

func (b *bot) events() []socketmode.Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]socketmode.Event(nil), b.seen...)
}

// requests returns the envelopes the bot received, in order.
func (b *bot) requests() []*socketmode.Request {
	var out []*socketmode.Request
	for _, e := range b.events() {
		if e.Request != nil && e.Request.EnvelopeID != "" {
			out = append(out, e.Request)
		}
	}
	return out
}

// ctxT returns a context that ends before the test's deadline.
func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
