package slackio

import (
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack/socketmode"
)

// lane is one Socket Mode connection of an App: its client and reader loop,
// and its own connection state. Its methods see the App's fields through
// the embedding, and its own state and logger first.
type lane struct {
	*App
	sock      *socketmode.Client
	log       zerolog.Logger // the App's, with this socket's number
	connected atomic.Bool
	everUp    atomic.Bool
	lastErr   atomic.Value // string: cause of the last connection loss
	// resends holds acks slack-go wrote on a socket it had closed, to be
	// queued again (socketDialer).
	resends chan []byte
	// kick asks the lane to drop its socket and open a new one (cause as
	// value): after a failed write gorilla never writes on that socket again,
	// and an ack that cannot be queued means its writer is wedged. Either way
	// every later ack on it would be lost while reads (and pings) go on.
	kick chan string
	// upSince is when this socket said hello (Unix ns); 0 while down.
	upSince atomic.Int64
	// stagger, when set, fires when this socket should be refreshed early
	// (see noteHello). Only the lane's own goroutine touches it.
	stagger *time.Timer
	// dropped is why the lane itself dropped its socket, the cause of the
	// reconnect that follows: the read errors of the closing socket come
	// after it and must not replace it. Lane goroutine only.
	dropped string
}

// run reads this lane's socket until intake is done or slack-go stops, and
// returns slack-go's fatal error, if any.
func (a *lane) run(intake context.Context, q queues) error {
	// Each session is one RunContext; a kick ends it (slack-go closes the
	// socket) and the loop starts the next one, which dials a new socket. Acks
	// still queued in the client go out on that one.
	runErr := make(chan error, 1)
	var endSession context.CancelFunc
	startSession := func() {
		session, end := context.WithCancel(intake)
		endSession = end
		go func() { runErr <- a.sock.RunContext(session) }()
	}
	startSession()
	kicked := false
	drop := func(cause string) {
		// One kick per socket: failures reported by the socket being
		// dropped must not drop its successor too.
		if kicked || !a.connected.Load() {
			return
		}
		kicked = true
		a.dropped = cause
		a.setConnected(false, cause)
		if cause == causeStagger {
			a.log.Info().Msg("refreshing this socket early, so that Slack does not replace both sockets at once")
		} else {
			a.log.Warn().Str("cause", cause).Msg("dropping the socket: acks cannot be written on it")
		}
		endSession()
	}
	defer a.stopStagger()

	var fatal error
loop:
	for {
		select {
		case <-intake.Done():
			break loop
		case err := <-runErr:
			if kicked && intake.Err() == nil && errors.Is(err, context.Canceled) {
				kicked = false
				endSession()
				startSession()
				continue
			}
			runErr = nil
			if err != nil && !errors.Is(err, context.Canceled) {
				fatal = err
				a.log.Error().Err(err).Msg("socket mode stopped")
			}
			break loop
		case cause := <-a.kick:
			drop(cause)
		case <-a.staggerC():
			a.stagger = nil
			if a.App.ConnectedSockets() > 1 { // another socket takes over meanwhile
				drop(causeStagger)
			}
		case msg := <-a.resends:
			a.resendAck(msg)
		case ev := <-a.sock.Events:
			a.handle(intake, ev, q)
			// A kick raised by that event goes first: the backlog of events
			// would otherwise keep the wedged socket for another ack bound.
			select {
			case cause := <-a.kick:
				drop(cause)
			default:
			}
		}
	}
	endSession()
	if runErr != nil {
		<-runErr
	}
	a.setConnected(false, "shutdown")
	return fatal
}

// causeStagger is the cause of a socket refreshed early by noteHello.
const causeStagger = "stagger"

// slackConnectionLife is how long Slack keeps a socket before it asks for a
// refresh when the hello does not say (approximate_connection_time, about
// 5 h in Slack's hellos).
const slackConnectionLife = 18060 * time.Second

// noteHello records that this lane's socket is up and, when another socket
// came up at about the same time, plans an early refresh of this one. Slack
// replaces each socket about approximate_connection_time after its hello,
// so two sockets that said hello together would be replaced together,
// leaving a moment with no socket at all (at start, or after a network drop
// took both). The later of the two refreshes itself once, half a lifetime
// on and only while the other is up, and their replacements then fall
// hours apart.
func (a *lane) noteHello(ev socketmode.Event, now time.Time) {
	a.upSince.Store(now.UnixNano())
	a.stopStagger()
	life := slackConnectionLife
	if ev.Request != nil && ev.Request.DebugInfo.ApproximateConnectionTime > 0 {
		life = time.Duration(ev.Request.DebugInfo.ApproximateConnectionTime) * time.Second
	}
	for _, o := range a.App.lanes {
		since := o.upSince.Load()
		if o == a || since == 0 || !o.connected.Load() {
			continue
		}
		if d := now.Sub(time.Unix(0, since)); d >= 0 && d < life/4 {
			a.stagger = time.NewTimer(life / 2)
			a.log.Info().Str("in", (life / 2).String()).Msg("two sockets came up together: this one will be refreshed early")
			return
		}
	}
}

// staggerC is the stagger timer's channel, nil (never ready) when none is set.
func (a *lane) staggerC() <-chan time.Time {
	if a.stagger == nil {
		return nil
	}
	return a.stagger.C
}

func (a *lane) stopStagger() {
	if a.stagger != nil {
		a.stagger.Stop()
		a.stagger = nil
	}
}

// resendQueue bounds the acks waiting to be queued again: slack-go's own
// queue holds 20.
const resendQueue = 20

// takeBack receives an ack slack-go wrote on a socket it had closed; it
// runs on slack-go's writer and never blocks.
func (a *lane) takeBack(msg []byte) {
	select {
	case a.resends <- msg:
	default:
		a.log.Error().Msg("too many acks written on a closed socket; one is lost")
	}
}

// resendAck queues again an ack slack-go wrote on a socket it had closed:
// it goes out on the next socket.
func (a *lane) resendAck(msg []byte) {
	var r struct {
		EnvelopeID string          `json:"envelope_id"`
		Payload    json.RawMessage `json:"payload"`
	}
	if json.Unmarshal(msg, &r) != nil || r.EnvelopeID == "" {
		return
	}
	var payload any
	if len(r.Payload) > 0 {
		payload = r.Payload
	}
	a.log.Info().Str("envelope_id", r.EnvelopeID).Msg("ack written on a closed socket; sending it on the next")
	if err := a.send(r.EnvelopeID, payload); err != nil {
		a.log.Error().Err(err).Str("envelope_id", r.EnvelopeID).Msg("ack failed")
	}
}

// reconnect asks the lane to replace its socket; it never blocks.
func (a *lane) reconnect(cause string) {
	select {
	case a.kick <- cause:
	default:
	}
}

func (a *lane) setConnected(up bool, cause string) {
	if !up && cause != "" {
		a.lastErr.Store(cause)
	}
	if a.connected.Swap(up) != up {
		a.App.connectedChanged()
	}
}
