package slacksim

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Fault is an injected failure for a Web API call. Set exactly one behaviour:
//   - Status 429 (+ RetryAfter): answered HTTP 429 with Retry-After (seconds, at least 1);
//   - Status 5xx: answered with that status; with AfterProcessing the call takes
//     effect first (the message IS posted), which is how double posts happen;
//   - Error "user_not_found" etc.: answered HTTP 200 {"ok":false,"error":Error};
//   - Hang: the request blocks until the client gives up or the server closes.
type Fault struct {
	Status          int
	RetryAfter      time.Duration
	AfterProcessing bool
	Error           string
	Hang            bool
}

// answer returns the response for a fault that preempts the method; done is false
// when the method must run (AfterProcessing).
func (f Fault) answer() (status int, body obj, header map[string]string, done bool) {
	switch {
	case f.Status == http.StatusTooManyRequests:
		secs := int((f.RetryAfter + time.Second - 1) / time.Second)
		if secs < 1 {
			secs = 1
		}
		return f.Status, fail("ratelimited"), map[string]string{"Retry-After": strconv.Itoa(secs)}, true
	case f.Status >= 500 && f.AfterProcessing:
		return 0, nil, nil, false
	case f.Status != 0:
		return f.Status, nil, nil, true
	case f.Error != "":
		return http.StatusOK, fail(f.Error), nil, true
	}
	return 0, nil, nil, false
}

// FailNext makes the next n calls of method fail with f. Faults queue up in order.
// A call the rate limits refuse (429) does not take one.
func (s *Server) FailNext(method string, n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.st.faults[method] = append(s.st.faults[method], f)
	}
}

// admit decides how a call starts: an injected fault that preempts the
// method answers it whatever the rate (nothing was processed, so nothing is
// counted); otherwise the rate limits may refuse it (wait > 0); a call they
// let through takes a fault that strikes after processing. So a fault is
// spent only by a call that meets it. Faults queue per method
// (FailNext); ConnectionsOpenError's stays until cleared.
func (s *Server) admit(r *apiReq) (f Fault, hasFault bool, wait time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, hasFault = s.st.nextFault(r.method)
	if hasFault && !f.AfterProcessing {
		s.st.dropFault(r.method)
		return f, true, 0
	}
	if wait = s.rateLimit(r); wait > 0 {
		return Fault{}, false, wait
	}
	if hasFault {
		s.st.dropFault(r.method)
	}
	return f, hasFault, 0
}

// nextFault is the fault the next call of method meets. Caller holds mu.
func (st *state) nextFault(method string) (Fault, bool) {
	if q := st.faults[method]; len(q) > 0 {
		return q[0], true
	}
	if method == "apps.connections.open" && st.connOpenErr != nil {
		return *st.connOpenErr, true
	}
	return Fault{}, false
}

// dropFault spends the fault nextFault returned (a sticky one stays).
// Caller holds mu.
func (st *state) dropFault(method string) {
	if q := st.faults[method]; len(q) > 0 {
		st.faults[method] = q[1:]
	}
}

// ConnectionsOpenError makes every apps.connections.open fail with f until called
// with nil; e.g. &Fault{Error: "invalid_auth"} (fatal for slack-go) or
// &Fault{Status: 500} (retried). Pair it with Disconnect("link_disabled").
func (s *Server) ConnectionsOpenError(f *Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f == nil {
		s.st.connOpenErr = nil
		return
	}
	c := *f
	s.st.connOpenErr = &c
}

// Disconnect sends {"type":"disconnect","reason":reason} on every open socket.
// "warning" only warns; any other reason (refresh_requested, link_disabled,
// too_many_websockets) also closes the socket after Options.DisconnectGrace if the
// client has not closed it first. Envelopes still un-acked on those sockets count as
// lost (events_api ones are redelivered after the ack timeout).
func (s *Server) Disconnect(reason string) {
	s.mu.Lock()
	conns := s.st.connList()
	s.mu.Unlock()
	for _, c := range conns {
		s.sendDisconnect(c, reason, reason != "warning")
	}
}

// DisconnectOldest sends {"type":"disconnect","reason":reason} on the oldest open
// socket only, as Slack refreshes each of an app's connections on its own clock
// (every few hours after it opened). It reports whether a socket was open. The
// reason acts as in Disconnect.
func (s *Server) DisconnectOldest(reason string) bool {
	s.mu.Lock()
	var oldest *conn
	for _, c := range s.st.connList() {
		if c.ready && !c.closing && !c.dead() {
			oldest = c
			break
		}
	}
	s.mu.Unlock()
	if oldest == nil {
		return false
	}
	s.sendDisconnect(oldest, reason, reason != "warning")
	return true
}

// DropConnections closes every socket's TCP connection without a close frame, as a
// dying NAT or a crashed peer would.
func (s *Server) DropConnections() {
	s.mu.Lock()
	conns := s.st.connList()
	s.mu.Unlock()
	for _, c := range conns {
		c.kill()
	}
}

// StopPings stops WebSocket pings on all sockets (slack-go's watchdog then reconnects).
func (s *Server) StopPings() { s.setPings(false) }

// ResumePings restarts WebSocket pings.
func (s *Server) ResumePings() { s.setPings(true) }

func (s *Server) setPings(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.pingsOff = !on
}

// Redeliver sends the payload of envelopeID again as a new envelope with a new id,
// retry_attempt+1 and retry_reason "timeout", as Slack does on a retry. It returns
// the new envelope id.
func (s *Server) Redeliver(envelopeID string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.st.envelopes[envelopeID]
	if !ok {
		return "", fmt.Errorf("slacksim redeliver %s: %w", envelopeID, ErrNotFound)
	}
	n := s.newEnvelope(e.Type, e.Payload, e.Attempt+1, "timeout", e.user)
	n.origin = e.origin
	s.dispatch(n)
	return n.ID, nil
}
