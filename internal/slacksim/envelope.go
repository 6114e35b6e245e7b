package slacksim

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Envelope statuses.
const (
	StatusPending        = "pending"         // sent, waiting for its ack
	StatusUndelivered    = "undelivered"     // no socket was open; events_api waits for a retry
	StatusAcked          = "acked"           // acked within AckTimeout
	StatusTimedOut       = "timed_out"       // not acked within AckTimeout
	StatusDispatchFailed = "dispatch_failed" // no socket: the user saw an error at once
)

// maxAckBytes is Slack's limit for an ack frame; larger ones are silently dropped.
const maxAckBytes = 20 << 10

// Envelope is a snapshot of one envelope sent (or meant to be sent) to the app.
type Envelope struct {
	ID          string
	Type        string // events_api, slash_commands, interactive
	Payload     json.RawMessage
	Attempt     int    // retry_attempt
	RetryReason string // retry_reason
	Origin      string // id of the first envelope of a retry chain
	ConnID      string
	SentAt      time.Time
	Status      string
	AckPayload  json.RawMessage
	Latency     time.Duration
}

// Ack is one ack frame received from the app.
type Ack struct {
	EnvelopeID string
	Type       string // the envelope's type; "" if unknown
	ConnID     string
	Payload    json.RawMessage
	Size       int
	Latency    time.Duration // since the envelope was sent
	Time       time.Time
	Late       bool // arrived after AckTimeout: no effect
	Dropped    bool // ≥20 KB: Slack drops it, so it counts as no ack
	Duplicate  bool // the envelope was already acked
	Unknown    bool // no such envelope
	OtherConn  bool // came on another socket than the envelope went out on
}

type envelope struct {
	Envelope
	user       string // the person whose action caused it, for the driver
	origin     string
	timer      *time.Timer
	retryTimer *time.Timer
}

func (e *envelope) stopTimer() {
	if e.timer != nil {
		e.timer.Stop()
	}
	if e.retryTimer != nil {
		e.retryTimer.Stop()
	}
}

// newEnvelope registers an envelope. Caller holds mu.
func (s *Server) newEnvelope(typ string, payload json.RawMessage, attempt int, reason, user string) *envelope {
	e := &envelope{Envelope: Envelope{ID: newUUID(), Type: typ, Payload: payload, Attempt: attempt,
		RetryReason: reason}, user: user}
	e.origin = e.ID
	s.st.envelopes[e.ID] = e
	s.st.envOrder = append(s.st.envOrder, e.ID)
	return e
}

func (e *envelope) frame() []byte {
	m := obj{"envelope_id": e.ID, "type": e.Type, "payload": e.Payload,
		"accepts_response_payload": acceptsResponse(e.Type, e.Payload)}
	if e.Type == "events_api" {
		m["retry_attempt"] = e.Attempt
		m["retry_reason"] = e.RetryReason
	}
	b, err := json.Marshal(m)
	if err != nil {
		// A payload that is not JSON (Send for fault tests) goes out verbatim,
		// making a malformed frame as a broken peer would.
		id, _ := json.Marshal(e.ID)
		typ, _ := json.Marshal(e.Type)
		return []byte(`{"envelope_id":` + string(id) + `,"type":` + string(typ) + `,"payload":` + string(e.Payload) + `}`)
	}
	return b
}

func acceptsResponse(typ string, payload json.RawMessage) bool {
	switch typ {
	case "slash_commands":
		return true
	case "interactive":
		var p struct{ Type string }
		_ = json.Unmarshal(payload, &p)
		return p.Type == "view_submission" || p.Type == "block_suggestion"
	}
	return false
}

// dispatch sends e on one open socket and arms its ack timer. Caller holds mu.
func (s *Server) dispatch(e *envelope) {
	if s.st.closed {
		return
	}
	// Round-robin over live sockets, as Slack spreads envelopes over an app's
	// connections (two bot processes both receive traffic).
	var live []*conn
	for _, c := range s.st.connList() {
		if c.ready && !c.closing && !c.dead() {
			live = append(live, c)
		}
	}
	var target *conn
	frame := e.frame()
	for i := range live {
		if c := live[(s.st.rr+i)%len(live)]; c.send(frame) {
			target = c
			break
		}
	}
	s.st.rr++
	if target != nil && e.Type == "disconnect" {
		// A raw disconnect frame (Send) ends the socket like Disconnect does:
		// every client closes it, so route nothing more to it.
		target.closing = true
	}
	e.SentAt = time.Now()
	e.Origin = e.origin
	if target == nil {
		if e.Type != "events_api" {
			e.Status = StatusDispatchFailed
			s.st.emit(Event{Kind: EventAckTimeout, EnvelopeID: e.ID, User: e.user, Detail: StatusDispatchFailed})
			return
		}
		e.Status = StatusUndelivered
	} else {
		e.Status = StatusPending
		e.ConnID = target.id
		s.st.emit(Event{Kind: EventEnvelope, EnvelopeID: e.ID, User: e.user, Detail: e.Type})
	}
	e.timer = time.AfterFunc(s.opts.AckTimeout, func() { s.ackTimeout(e.ID) })
}

// ackTimeout marks an envelope timed out and schedules Slack's retry for events_api.
func (s *Server) ackTimeout(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.st.envelopes[id]
	if s.st.closed || e == nil || (e.Status != StatusPending && e.Status != StatusUndelivered) {
		return
	}
	e.Status = StatusTimedOut
	s.st.emit(Event{Kind: EventAckTimeout, EnvelopeID: e.ID, User: e.user, Detail: StatusTimedOut})
	if e.Type != "events_api" || e.Attempt >= len(s.opts.RetryDelays) {
		return
	}
	delay := s.opts.RetryDelays[e.Attempt]
	e.retryTimer = time.AfterFunc(delay, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.st.closed {
			return
		}
		n := s.newEnvelope(e.Type, e.Payload, e.Attempt+1, "timeout", e.user)
		n.origin = e.origin
		s.dispatch(n)
	})
}

// handleAck records an ack frame and applies its payload.
func (s *Server) handleAck(c *conn, data []byte) {
	var f struct {
		EnvelopeID string          `json:"envelope_id"`
		Payload    json.RawMessage `json:"payload"`
	}
	if json.Unmarshal(data, &f) != nil || f.EnvelopeID == "" {
		s.logf("ignoring unreadable frame on %s", c.id)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	a := Ack{EnvelopeID: f.EnvelopeID, ConnID: c.id, Payload: f.Payload, Size: len(data), Time: now}
	e := s.st.envelopes[f.EnvelopeID]
	detail := ""
	switch {
	case e == nil:
		a.Unknown, detail = true, "unknown"
	case len(data) >= maxAckBytes:
		a.Type, a.Dropped, detail = e.Type, true, "dropped"
		a.Latency = now.Sub(e.SentAt)
	case e.ConnID != c.id && s.opts.RejectCrossConnectionAcks:
		a.Type, a.OtherConn, detail = e.Type, true, "other_connection"
		a.Latency = now.Sub(e.SentAt)
	case e.Status == StatusAcked:
		a.Type, a.Duplicate, detail = e.Type, true, "duplicate"
		a.Latency = now.Sub(e.SentAt)
	case e.Status == StatusTimedOut:
		a.Type, a.Late, detail = e.Type, true, "late"
		a.Latency = now.Sub(e.SentAt)
	default:
		a.Type, a.Latency, a.OtherConn = e.Type, now.Sub(e.SentAt), e.ConnID != c.id
		e.Status, e.AckPayload, e.Latency = StatusAcked, f.Payload, a.Latency
		e.stopTimer()
	}
	s.st.acks = append(s.st.acks, a)
	user := ""
	if e != nil {
		user = e.user
	}
	s.st.emit(Event{Kind: EventAck, EnvelopeID: f.EnvelopeID, User: user, Detail: detail})
	if detail == "" {
		s.applyAck(e)
	}
}

// applyAck gives an ack payload its meaning (slack-protocol.md 1.4). Caller holds mu.
func (s *Server) applyAck(e *envelope) {
	switch e.Type {
	case "slash_commands":
		if len(e.AckPayload) > 0 && string(e.AckPayload) != "null" {
			s.applySlashAck(e)
		}
	case "interactive":
		var p struct{ Type string }
		_ = json.Unmarshal(e.Payload, &p)
		if p.Type == "view_submission" {
			s.applySubmissionAck(e)
		}
	}
}

// Acks returns every ack frame received, oldest first.
func (s *Server) Acks() []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Ack(nil), s.st.acks...)
}

// Envelopes returns every envelope, oldest first.
func (s *Server) Envelopes() []Envelope {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Envelope, 0, len(s.st.envOrder))
	for _, id := range s.st.envOrder {
		out = append(out, s.st.envelopes[id].Envelope)
	}
	return out
}

// EnvelopeStatus returns the snapshot of one envelope.
func (s *Server) EnvelopeStatus(id string) (Envelope, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.st.envelopes[id]
	if !ok {
		return Envelope{}, false
	}
	return e.Envelope, true
}

// Send delivers a raw envelope payload of type typ (events_api, slash_commands,
// interactive; or anything else, for fault tests) and returns its envelope id; for
// injecting corpus samples. A payload that is not valid JSON makes a malformed frame.
func (s *Server) Send(typ string, payload json.RawMessage) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.newEnvelope(typ, payload, 0, "", "")
	s.dispatch(e)
	return e.ID
}

// WaitAck waits until envelope id is acked, times out, or fails to dispatch, and
// returns its final snapshot. The error wraps ErrNotAcked or ErrNoConnection.
func (s *Server) WaitAck(ctx context.Context, id string) (Envelope, error) {
	var env Envelope
	err := s.WaitFor(ctx, func() bool {
		env, _ = s.EnvelopeStatus(id)
		return env.Status != StatusPending && env.Status != StatusUndelivered
	})
	if err != nil {
		return env, err
	}
	switch env.Status {
	case StatusAcked:
		return env, nil
	case StatusDispatchFailed:
		return env, fmt.Errorf("slacksim envelope %s: %w", id, ErrNoConnection)
	case "":
		return env, fmt.Errorf("slacksim envelope %s: %w", id, ErrNotFound)
	}
	return env, fmt.Errorf("slacksim envelope %s: %w", id, ErrNotAcked)
}

// WaitConnected waits until at least one Socket Mode connection has said hello.
func (s *Server) WaitConnected(ctx context.Context) error {
	return s.WaitFor(ctx, func() bool { return s.Connections() > 0 })
}
