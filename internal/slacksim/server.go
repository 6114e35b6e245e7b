// Package slacksim is a local Slack: the Web API over HTTP and Socket Mode over a
// WebSocket, faithful enough that the unmodified slack-go client (and its socketmode
// client) talks to it through slack.OptionAPIURL(s.APIURL()). It also plays the human
// side (type a slash command, click a button, submit a modal) and offers fault controls
// (disconnects, dropped sockets, truncated, garbage or oversize frames, a socket
// the server stops reading, 429s, 5xx, hangs) for reliability tests.
//
// Typical test:
//
//	s := slacksim.New(slacksim.Options{})
//	t.Cleanup(s.Close)
//	s.AddUser(slacksim.User{ID: "U1", Name: "anna", TZ: "Europe/Amsterdam"})
//	api := slack.New(s.BotToken(), slack.OptionAPIURL(s.APIURL()), slack.OptionAppLevelToken(s.AppToken()))
//	// … start the bot on api with socketmode, then:
//	_ = s.WaitConnected(ctx)
//	r, err := s.As("U1").Slash(ctx, "/coach", "send") // waits for the ack
//	prompt, err := r.WaitDM(ctx)                      // the next DM the bot posts
//	r, err = s.As("U1").Click(ctx, prompt, "done")
//	m, err := r.WaitUpdate(ctx)                       // chat.update or replace_original
//
// It knows nothing of the bot that uses it: it imports the standard library and
// gorilla/websocket only. All state sits behind one mutex; every change appends an Event
// to a log and wakes waiters, so tests wait on changes instead of sleeping. The logs
// (events, calls, acks) grow for the server's lifetime.
//
// Not simulated: multi-person DMs, threads as conversations (conversations.replies),
// reactions, shortcuts and block_suggestion from the driver (inject them with Send),
// Enterprise Grid, scopes.
package slacksim

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Options configures a Server. The zero value is usable.
type Options struct {
	Addr       string // listen address; default "127.0.0.1:0"
	TeamID     string // default "T0SIM0001"
	TeamDomain string // default "sim"
	TeamName   string // default "Slack Sim"
	AppID      string // default "A0SIM0001"
	BotID      string // default "B0SIM0001"
	BotUserID  string // default "U0SIMBOT1"
	BotName    string // default "leanbot"
	BotToken   string // default "xoxb-sim-..."
	AppToken   string // default "xapp-sim-..."

	// PingInterval is the WebSocket ping cadence; default 5 s, negative disables pings.
	PingInterval time.Duration
	// AckTimeout is how long an envelope may stay un-acked; default 3 s.
	AckTimeout time.Duration
	// RetryDelays are the waits before redelivering an un-acked events_api envelope,
	// one per retry; default [0, 60s, 300s] (Slack's schedule). Its length is the
	// maximum number of retries.
	RetryDelays []time.Duration
	// TriggerTTL is how long a trigger_id may be exchanged; default 3 s.
	TriggerTTL time.Duration
	// MaxConnections per app; default 10. More get a too_many_websockets disconnect.
	MaxConnections int
	// ReusableTickets lets a ticket from apps.connections.open be dialled more than once.
	ReusableTickets bool
	// ConnectionLifetime, when positive, sends refresh_requested to each socket that
	// long after its hello, as Slack recycles sockets every few hours, and the hello
	// gives it (whole seconds, at least 1) as approximate_connection_time. Sockets
	// dialled with debug_reconnects=true always live 360 s.
	ConnectionLifetime time.Duration
	// DisconnectGrace is how long the server keeps a socket open after sending a
	// closing disconnect message before it closes it itself; default 2 s.
	DisconnectGrace time.Duration
	// RejectCrossConnectionAcks ignores an ack that arrives on another socket than
	// the one its envelope went out on (whether Slack honours those is unknown; by
	// default they count, as slack-go re-sends queued acks on the next socket).
	RejectCrossConnectionAcks bool
	// SmallTCPWindow accepts connections with a tiny kernel receive buffer and
	// segment size, so that once StopReading holds a socket the client's writes
	// block after about 100 KB of acks rather than the ~4 MB loopback allows.
	// Unix only; elsewhere it does nothing.
	SmallTCPWindow bool
	// EchoBotMessages delivers the bot's own posts back as message events.
	EchoBotMessages bool
	// BotEvents are the app's Events API subscriptions, its manifest's
	// settings.event_subscriptions.bot_events. nil delivers every event the
	// driver makes. Set, only subscribed ones go out, as Slack does: message
	// events by the conversation's type (message.im, message.channels,
	// message.groups), app_home_opened by its name.
	BotEvents []string
	// RateLimits are the Web API's rate limits, answered with 429 and
	// Retry-After as Slack does. Nil means Slack's tiers (TierLimits); an
	// empty map (Limits{}) means none.
	RateLimits Limits
	// Now is the clock for message timestamps (ts) and for trigger_id and
	// response_url expiry; default time.Now. A bot under test whose clock is
	// shifted (the sandbox's demo clock) sees timestamps on its own clock.
	// Tests move it forward to expire them without waiting.
	Now func() time.Time
	// LifeNow is the clock for trigger_id and response_url expiry only;
	// default Now. SetNow leaves it alone: a trigger lives 3 s of the
	// person's time, however fast or far a bot's clock is shifted.
	LifeNow func() time.Time
	// Logf, when set, receives debug lines (never tokens).
	Logf func(format string, args ...any)
}

func (o *Options) defaults() {
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&o.Addr, "127.0.0.1:0")
	def(&o.TeamID, "T0SIM0001")
	def(&o.TeamDomain, "sim")
	def(&o.TeamName, "Slack Sim")
	def(&o.AppID, "A0SIM0001")
	def(&o.BotID, "B0SIM0001")
	def(&o.BotUserID, "U0SIMBOT1")
	def(&o.BotName, "leanbot")
	def(&o.BotToken, "xoxb-sim-0001-0001-bottoken")
	def(&o.AppToken, "xapp-sim-1-A0SIM0001-apptoken")
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.LifeNow == nil {
		o.LifeNow = o.Now
	}
	if o.PingInterval == 0 {
		o.PingInterval = 5 * time.Second
	}
	if o.AckTimeout <= 0 {
		o.AckTimeout = 3 * time.Second
	}
	if o.RetryDelays == nil {
		o.RetryDelays = []time.Duration{0, time.Minute, 5 * time.Minute}
	}
	if o.TriggerTTL <= 0 {
		o.TriggerTTL = 3 * time.Second
	}
	if o.MaxConnections <= 0 {
		o.MaxConnections = 10
	}
	if o.DisconnectGrace <= 0 {
		o.DisconnectGrace = 2 * time.Second
	}
}

// Server is a running local Slack. Create it with New and stop it with Close.
type Server struct {
	opts Options
	ln   net.Listener
	http *http.Server
	base string // "http://127.0.0.1:PORT"

	closed    chan struct{}
	closeOnce sync.Once
	wg        sync.WaitGroup // socket goroutines and timers' work

	mu sync.Mutex
	st state // guarded by mu
}

// New starts a Server listening on opts.Addr. It panics if it cannot listen, as
// httptest.NewServer does: a simulator that cannot start is a broken test setup.
func New(opts Options) *Server {
	opts.defaults()
	var lc net.ListenConfig
	if opts.SmallTCPWindow {
		lc.Control = smallTCPWindow
	}
	ln, err := lc.Listen(context.Background(), "tcp", opts.Addr)
	if err != nil {
		panic(fmt.Sprintf("slacksim: listen %s: %v", opts.Addr, err))
	}
	s := &Server{
		opts:   opts,
		ln:     ln,
		base:   "http://" + ln.Addr().String(),
		closed: make(chan struct{}),
	}
	s.st.init(&s.opts)
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.handleAPI)
	mux.HandleFunc("/link/", s.handleLink)
	mux.HandleFunc("/commands/", s.handleResponseURL)
	mux.HandleFunc("/actions/", s.handleResponseURL)
	mux.HandleFunc("/upload/", s.handleUpload)
	s.http = &http.Server{Handler: s.track(mux), ReadHeaderTimeout: 10 * time.Second}
	s.wg.Go(func() {
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logf("serve: %v", err)
		}
	})
	return s
}

// Close stops the server: open sockets are closed, pending timers stopped, hanging
// requests released. It waits for every goroutine the server started.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closed)
		s.mu.Lock()
		s.st.closed = true
		for _, e := range s.st.envelopes {
			e.stopTimer()
		}
		conns := s.st.connList()
		s.mu.Unlock()
		for _, c := range conns {
			c.kill()
		}
		// Close, not Shutdown: Shutdown waits up to 5 s for client connections that
		// were dialled but never used. Handlers are waited for through s.wg.
		_ = s.http.Close()
		s.wg.Wait()
		s.mu.Lock()
		s.st.notifyClosed()
		s.mu.Unlock()
	})
}

// track counts every request in s.wg so Close can wait for handlers; requests
// arriving after Close get 503.
func (s *Server) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		if s.st.closed {
			s.mu.Unlock()
			http.Error(w, "slacksim closed", http.StatusServiceUnavailable)
			return
		}
		// Added under mu while not closed, so it happens before Close's Wait.
		s.wg.Add(1)
		s.mu.Unlock()
		defer s.wg.Done()
		h.ServeHTTP(w, r)
	})
}

// URL is the server's base URL, "http://127.0.0.1:PORT".
func (s *Server) URL() string { return s.base }

// APIURL is the value for slack.OptionAPIURL; it ends with "/api/".
func (s *Server) APIURL() string { return s.base + "/api/" }

// BotToken is the bot token (xoxb-) the Web API accepts.
func (s *Server) BotToken() string { return s.opts.BotToken }

// AppToken is the app-level token (xapp-) apps.connections.open accepts.
func (s *Server) AppToken() string { return s.opts.AppToken }

// TeamID is the workspace id.
func (s *Server) TeamID() string { return s.opts.TeamID }

// BotUserID is the bot's user id (U…).
func (s *Server) BotUserID() string { return s.opts.BotUserID }

// BotID is the bot id (B…).
func (s *Server) BotID() string { return s.opts.BotID }

// AppID is the app id (A…).
func (s *Server) AppID() string { return s.opts.AppID }

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// SetNow replaces the server's clock for message timestamps (see
// Options.Now), for a bot under test that starts on a fake clock after the
// server did; nil restores time.Now. Message timestamps never go backwards,
// whatever the new clock says. Trigger and response_url lifetimes keep
// their clock (Options.LifeNow): a bot clock running 480× faster must not
// expire a trigger in 6 ms.
func (s *Server) SetNow(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.Now = now
}
