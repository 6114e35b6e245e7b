// Package slackio is leancoach's Socket Mode transport: the App and its
// lanes (one per socket), the routing table, ack and dispatch, dedupe of
// redeliveries, the connection brake, the token guard, Web API rate limits
// and response_url replies. It knows Slack and nothing of coaching: the
// surfaces (internal/slackapp) register their routes on its Router, and
// the assembly hands in how an error is told (Voice).
//
// The Socket Mode reader must never block: slack-go answers server pings only
// while its Events channel is read. So every envelope is acked first (with a
// bounded AckCtx), then its work goes to a bounded worker pool whose workers
// recover from panics.
//
// What a user records (a prompt's buttons, its forms) never waits on Slack:
// those routes (Router.Record, ViewHandler.Record) run in two phases on
// pools of their own. The recording phase touches only the store, on the
// recording workers; what shows the result in Slack (a Followup) runs after
// it on the reply workers. Slack's rate limits can slow the replies, never
// the recording, and a stop waits for every recording before it bounds and
// cancels the replies (see Run).
//
// An App can keep several Socket Mode connections open, each with its own
// reader. Slack spreads envelopes over an app's connections, so while one
// socket is being replaced (Slack asks for that every few hours, and
// slack-go closes the old socket before it opens the new one) the others
// still take commands and clicks, which Slack never redelivers.
package slackio

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack/socketmode"
)

// Metrics is what the Socket Mode loop reports. A nil Metrics in Config is a
// no-op.
type Metrics interface {
	SetConnected(up bool) // any socket up
	SetSocketsUp(n int)   // how many are
	Reconnect(cause string)
	Envelope(typ string)
	AckLatency(d time.Duration)
}

// Config wires an App.
type Config struct {
	// Sockets are the Socket Mode clients, one per connection kept open;
	// at least one. cmd/bot opens two.
	Sockets    []*socketmode.Client
	Router     *Router
	Logger     zerolog.Logger
	Metrics    Metrics
	HTTPClient *http.Client // for response_url posts; nil = http.DefaultClient

	// Voice tells a handler's error and the overload to the user, and sorts
	// the error for the log; nil = English, every error a failure.
	Voice Voice

	// ReadLimit bounds one incoming WebSocket frame: a larger one closes the
	// socket and slack-go reconnects, instead of buffering it whole (slack-go
	// reads unlimited frames by default). Default 8 MiB, far above any
	// envelope Slack sends; negative leaves the client's own setting.
	ReadLimit int64

	Workers int // worker goroutines; default 8
	Queue   int // queued jobs before the app reports overload; default 1024
	// RecordWorkers run the recording phase of Record routes (the store
	// only): the more run at once, the more answers share a commit.
	// Default 32. RecordQueue bounds the recordings waiting; default 4096.
	RecordWorkers int
	RecordQueue   int
	// ReplyWorkers run the Followups of Record routes and tell their
	// refusals; ReplyQueue bounds those waiting. Defaults 16 and 4096.
	ReplyWorkers int
	ReplyQueue   int
	AckTimeout   time.Duration // bound on one AckCtx; default 1s
	JobTimeout   time.Duration // bound on one handler run; default 30s
	DrainTimeout time.Duration // bound on finishing queued work at shutdown; default 5s
	// SendBuffer fixes each socket's kernel send buffer in bytes; 0 leaves
	// it to the system, whose autotuning may grow it to megabytes. It bounds
	// how many acks wait in the kernel when Slack stops reading, and so how
	// soon AckTimeout finds the socket stalled.
	SendBuffer int

	// Now is the wall clock of the connection: ack latency, the dedupe
	// window, the stagger of two sockets. Default time.Now. It is Slack's
	// time, not the bot's: a redelivery window or a socket's lifetime runs
	// on the real clock even when the bot's own clock is shifted.
	Now func() time.Time
}

// App runs the Socket Mode loops and dispatches to the Router.
type App struct {
	cfg     Config
	log     zerolog.Logger
	metrics Metrics
	seen    *dedupe // shared by every socket: a redelivery may come on another
	lanes   []*lane

	upMu sync.Mutex
	up   int // what metrics last heard: sockets connected
}

// New returns an App; call Run to start it.
func New(cfg Config) *App {
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.Queue <= 0 {
		cfg.Queue = 1024
	}
	if cfg.RecordWorkers <= 0 {
		cfg.RecordWorkers = 32
	}
	if cfg.RecordQueue <= 0 {
		cfg.RecordQueue = 4096
	}
	if cfg.ReplyWorkers <= 0 {
		cfg.ReplyWorkers = 16
	}
	if cfg.ReplyQueue <= 0 {
		cfg.ReplyQueue = 4096
	}
	if cfg.AckTimeout <= 0 {
		cfg.AckTimeout = time.Second
	}
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = 30 * time.Second
	}
	if cfg.DrainTimeout <= 0 {
		cfg.DrainTimeout = 5 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Voice == nil {
		cfg.Voice = plainVoice{}
	}
	if cfg.Router == nil {
		cfg.Router = NewRouter()
	}
	if cfg.ReadLimit == 0 {
		cfg.ReadLimit = 8 << 20
	}
	m := cfg.Metrics
	if m == nil {
		m = noMetrics{}
	}
	a := &App{
		cfg:     cfg,
		log:     cfg.Logger.With().Str("component", "slackapp").Logger(),
		metrics: m,
		seen:    newDedupe(time.Hour, 100_000, cfg.Now),
	}
	for i, sock := range cfg.Sockets {
		if sock == nil {
			continue
		}
		if cfg.ReadLimit > 0 {
			// Options are plain setters read when dialling, so applying one
			// before Run is the same as passing it to socketmode.New.
			socketmode.OptionReadLimit(cfg.ReadLimit)(sock)
		}
		l := &lane{App: a, sock: sock, kick: make(chan string, 1), resends: make(chan []byte, resendQueue),
			log: a.log.With().Int("socket", i+1).Logger()}
		socketmode.OptionDialer(socketDialer(l.takeBack, nil, a.cfg.SendBuffer))(sock)
		a.lanes = append(a.lanes, l)
	}
	return a
}

// Connected reports whether a Socket Mode connection is up.
func (a *App) Connected() bool { return a.ConnectedSockets() > 0 }

// ConnectedSockets counts the App's Socket Mode connections that are up.
func (a *App) ConnectedSockets() int {
	n := 0
	for _, l := range a.lanes {
		if l.connected.Load() {
			n++
		}
	}
	return n
}

// job is one unit of handler work, run on a worker after its envelope was
// acked. A job has run, or record (a Record route's first phase).
type job struct {
	name   string // route, for logs
	run    func(ctx context.Context) error
	record func(ctx context.Context) (Followup, error)
	user   string // Slack user ID of who acted; "" for none
	// reply, if set, receives a handler error's user-safe message.
	reply func(ctx context.Context, text string)
}

// queues are where a lane hands work: plain jobs, and recordings.
type queues struct {
	jobs    chan<- job
	records chan<- job
}

// Run connects every socket and serves until ctx is done or Slack refuses
// the tokens. It returns nil after ctx is cancelled and the fatal error
// (e.g. invalid_auth) otherwise.
//
// What a stop guarantees: on return the intake has stopped, every
// recording the App accepted (an interaction acked on a Record route) has
// run to its end, whatever Slack does, and with no deadline (they touch
// only the store, a few milliseconds each); only then are the other jobs and
// the replies given DrainTimeout to finish, after which their contexts are
// cancelled. So an acked click is in the store before Run returns (unless
// the store refused it: a full disk, a closed file), and at worst its
// message in Slack is not updated, which a later click on it answers with
// "already recorded".
func (a *App) Run(ctx context.Context) error {
	if len(a.lanes) == 0 {
		return errors.New("slackapp: no Socket Mode client")
	}
	intake, stopIntake := context.WithCancel(ctx)
	defer stopIntake()

	// Work outlives the intake so in-flight handlers can finish at shutdown;
	// recordings are never cancelled by a stop.
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	recording := context.WithoutCancel(ctx)

	jobs, records, replies := make(chan job, a.cfg.Queue), make(chan job, a.cfg.RecordQueue), make(chan job, a.cfg.ReplyQueue)
	var workers, recorders sync.WaitGroup
	serve := func(n int, wg *sync.WaitGroup, q <-chan job, run func(job)) {
		for range n {
			wg.Go(func() {
				for j := range q {
					run(j)
				}
			})
		}
	}
	serve(a.cfg.Workers, &workers, jobs, func(j job) { a.runJob(work, j) })
	serve(a.cfg.ReplyWorkers, &workers, replies, func(j job) { a.runJob(work, j) })
	serve(a.cfg.RecordWorkers, &recorders, records, func(j job) { a.runRecord(recording, j, replies) })

	// A lane that stops ends the intake of all: after a fatal error
	// (invalid_auth) or ctx, nothing more is taken on any socket.
	ended := make(chan error, len(a.lanes))
	for _, l := range a.lanes {
		go func() { ended <- l.run(intake, queues{jobs: jobs, records: records}) }()
	}
	var fatal error
	for range a.lanes {
		if err := <-ended; err != nil && fatal == nil {
			fatal = err
		}
		stopIntake()
	}

	close(jobs)
	close(records)
	recorders.Wait() // every accepted recording, to its end: they hand their replies on
	close(replies)
	drained := make(chan struct{})
	go func() { workers.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(a.cfg.DrainTimeout):
		a.log.Warn().Msg("drain timed out; cancelling in-flight handlers and replies (every recording is done)")
		stopWork()
		<-drained
	}
	return fatal
}

// runRecord runs a recording and hands what follows it to the reply
// workers: its Followup, or the telling of its refusal.
func (a *App) runRecord(ctx context.Context, j job, replies chan<- job) {
	ctx, cancel := context.WithTimeout(ctx, a.cfg.JobTimeout)
	defer cancel()
	var follow Followup
	err := a.guarded(ctx, j, func(ctx context.Context) (err error) {
		follow, err = j.record(ctx)
		return err
	})
	next := job{name: j.name + ":reply", user: j.user, reply: j.reply, run: follow}
	if err != nil && follow == nil && j.reply != nil {
		// Refused: told like any handler's error (a route that tells its
		// refusals its own way returns a Followup with the error).
		next.run = func(ctx context.Context) error {
			j.reply(ctx, a.cfg.Voice.ErrorText(ctx, j.user, err))
			return nil
		}
	}
	if next.run == nil {
		return
	}
	select {
	case replies <- next:
	default:
		a.log.Error().Str("route", j.name).Str("user_id", j.user).
			Msg("reply queue full; recorded, but not shown")
	}
}

func (a *App) runJob(ctx context.Context, j job) {
	ctx, cancel := context.WithTimeout(ctx, a.cfg.JobTimeout)
	defer cancel()
	if err := a.guarded(ctx, j, j.run); err != nil && j.reply != nil {
		j.reply(ctx, a.cfg.Voice.ErrorText(ctx, j.user, err))
	}
}

// guarded runs fn, recovering a panic, and logs its failure.
func (a *App) guarded(ctx context.Context, j job, fn func(ctx context.Context) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			a.log.Error().Str("route", j.name).Interface("panic", p).
				Str("stack", string(debug.Stack())).Msg("handler panicked")
			err = errors.New("handler panicked")
		}
		if err != nil {
			a.logFailure(j, err)
		}
	}()
	return fn(ctx)
}

// logFailure logs a handler's error as the Voice sorts it. A user's
// mistake (bad input, no right, nothing found, the wrong state) is no
// failure of the bot: the user is told, and it is logged at info with its
// code and message key only, since the error's text may hold what they
// typed. Anything else is a failure: at error if internal, else at warn.
func (a *App) logFailure(j job, err error) {
	f := a.cfg.Voice.Sort(err)
	var ev *zerolog.Event
	msg := "handler failed"
	switch {
	case f.Refused:
		ev, msg = a.log.Info().Str("key", f.Key), "request refused"
	case f.Internal:
		ev = a.log.Error().Err(err)
	default:
		ev = a.log.Warn().Err(err)
	}
	ev.Str("route", j.name).Str("user_id", j.user).Str("code", f.Code).Msg(msg)
}

// ack acknowledges an envelope within AckTimeout and records the latency from
// the moment the event was read.
func (a *lane) ack(envelopeID string, payload any, since time.Time) {
	if payload != nil && !ackFits(envelopeID, payload) {
		// slack-go refuses it and Slack would drop it: no ack at all, so
		// the user would see an error. Ack bare instead and say so.
		a.metrics.Envelope("oversize_ack")
		a.log.Error().Str("envelope_id", envelopeID).Msg("ack payload over Slack's 20 KB limit; acking without it")
		payload = nil
	}
	if err := a.send(envelopeID, payload); err != nil {
		a.log.Error().Err(err).Str("envelope_id", envelopeID).Msg("ack failed")
		return
	}
	a.metrics.AckLatency(a.cfg.Now().Sub(since))
}

// send queues an ack in slack-go's client within AckTimeout.
func (a *lane) send(envelopeID string, payload any) error {
	bound := a.cfg.AckTimeout
	if !a.connected.Load() {
		// No socket drains the queue now: an ack that does not fit in it at
		// once would only hold up the reader, and with it the reconnect.
		bound = min(bound, notConnectedAckTimeout)
	}
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	err := a.sock.AckCtx(ctx, envelopeID, payload)
	if errors.Is(err, context.DeadlineExceeded) {
		// The 20-slot queue stayed full for AckTimeout: the writer is
		// stuck on a socket that does not take data.
		a.reconnect("ack_timeout")
	}
	return err
}

// maxAckBytes is Slack's limit for one ack frame: it silently drops larger ones,
// and slack-go's AckCtx refuses them (socketmode maxResponseSize).
const maxAckBytes = 20 << 10

// ackFits reports whether the ack frame for envelopeID with payload stays under
// maxAckBytes, measured as slack-go will marshal it.
func ackFits(envelopeID string, payload any) bool {
	b, err := json.Marshal(socketmode.Response{EnvelopeID: envelopeID, Payload: payload})
	return err == nil && len(b) < maxAckBytes
}

// notConnectedAckTimeout bounds an ack while no socket is up.
const notConnectedAckTimeout = 10 * time.Millisecond

// enqueue hands a job to the workers (a recording to the recording
// workers) without ever blocking the reader.
func (a *App) enqueue(q queues, j job) bool {
	to := q.jobs
	if j.record != nil {
		to = q.records
	}
	select {
	case to <- j:
		return true
	default:
		a.log.Error().Str("route", j.name).Msg("work queue full; dropping")
		return false
	}
}

// connectedChanged tells metrics how many sockets are up, and whether any
// is, on each change.
func (a *App) connectedChanged() {
	a.upMu.Lock()
	defer a.upMu.Unlock()
	n := a.ConnectedSockets()
	if n == a.up {
		return
	}
	if (n > 0) != (a.up > 0) {
		a.metrics.SetConnected(n > 0)
	}
	a.up = n
	a.metrics.SetSocketsUp(n)
}

// envelopeIDOf digs the envelope_id out of a raw message slack-go could not
// parse, so it can still be acked (otherwise Slack retries or the user sees an
// error).
func envelopeIDOf(raw json.RawMessage) string {
	var env struct {
		EnvelopeID string `json:"envelope_id"`
	}
	if json.Unmarshal(raw, &env) != nil {
		return ""
	}
	return env.EnvelopeID
}

type noMetrics struct{}

func (noMetrics) SetConnected(bool)        {}
func (noMetrics) SetSocketsUp(int)         {}
func (noMetrics) Reconnect(string)         {}
func (noMetrics) Envelope(string)          {}
func (noMetrics) AckLatency(time.Duration) {}
