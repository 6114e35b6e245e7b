package slacksim

import (
	"context"
	"fmt"
	"time"
)

// EventKind names a change in the simulated workspace.
type EventKind string

// The kinds of Event.
const (
	EventUserAdded      EventKind = "user_added"
	EventChannelAdded   EventKind = "channel_added"
	EventMessage        EventKind = "message"         // a message was posted (Channel, TS)
	EventEphemeral      EventKind = "ephemeral"       // an ephemeral message was shown to User
	EventMessageUpdated EventKind = "message_updated" // chat.update or replace_original
	EventMessageDeleted EventKind = "message_deleted"
	EventResponse       EventKind = "response" // a response_url or ack payload produced a reply (EnvelopeID)
	EventViewOpened     EventKind = "view_opened"
	EventViewPushed     EventKind = "view_pushed"
	EventViewUpdated    EventKind = "view_updated"
	EventViewClosed     EventKind = "view_closed"
	EventViewErrors     EventKind = "view_errors" // a submission was answered with response_action errors
	EventHomePublished  EventKind = "home_published"
	EventFileShared     EventKind = "file_shared"
	EventEnvelope       EventKind = "envelope"      // an envelope went out on a socket
	EventAck            EventKind = "ack"           // an envelope was acked (Detail: "late", "dropped", …)
	EventAckTimeout     EventKind = "ack_timeout"   // nobody acked in time (Detail: "timed_out", "dispatch_failed")
	EventConnOpened     EventKind = "conn_opened"   // a socket said hello
	EventConnClosed     EventKind = "conn_closed"   // a socket went away
	EventDisconnectSent EventKind = "disconnect"    // a disconnect message was sent (Detail: reason)
	EventAPICall        EventKind = "api_call"      // a Web API call finished (Method, Detail: error code)
	EventRateLimited    EventKind = "rate_limited"  // a call was answered 429
	EventServerClosed   EventKind = "server_closed" // Close ran; waiters give up
)

// Event is one change. Seq increases by one per event, starting at 1.
type Event struct {
	Seq        int64
	Time       time.Time
	Kind       EventKind
	Channel    string
	TS         string
	User       string
	ViewID     string
	EnvelopeID string
	Method     string
	Source     string
	Detail     string
}

// emit appends ev to the log, feeds subscribers and wakes waiters. Caller holds mu.
// Subscribers that fall 1024 events behind lose events (counted in dropped) rather
// than stall the server.
func (st *state) emit(ev Event) {
	st.seq++
	ev.Seq = st.seq
	ev.Time = time.Now()
	st.events = append(st.events, ev)
	for _, ch := range st.subs {
		select {
		case ch <- ev:
		default:
			st.dropped++
		}
	}
	close(st.changed)
	st.changed = make(chan struct{})
}

// notifyClosed wakes every waiter for good. Caller holds mu.
func (st *state) notifyClosed() {
	st.emit(Event{Kind: EventServerClosed})
	for id, ch := range st.subs {
		close(ch)
		delete(st.subs, id)
	}
}

// Subscribe returns a live feed of events from now on and a cancel function. The
// channel is closed by cancel or by Close. A subscriber that does not keep up loses
// events instead of slowing the server.
func (s *Server) Subscribe() (<-chan Event, func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := make(chan Event, 1024)
	if s.st.closed {
		close(ch)
		return ch, func() {}
	}
	s.st.subID++
	id := s.st.subID
	s.st.subs[id] = ch
	return ch, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if c, ok := s.st.subs[id]; ok {
			close(c)
			delete(s.st.subs, id)
		}
	}
}

// Events returns the whole event log so far.
func (s *Server) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Event(nil), s.st.events...)
}

// Seq is the sequence number of the latest event (0 before any).
func (s *Server) Seq() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.seq
}

// WaitFor blocks until cond returns true, re-checking it after every change. cond runs
// without the server's lock held, so it may call the server's accessors.
func (s *Server) WaitFor(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch, closed := s.st.changed, s.st.closed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		if closed {
			return fmt.Errorf("slacksim wait: %w", ErrClosed)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("slacksim wait: %w", ctx.Err())
		case <-ch:
		}
	}
}

// WaitEvent returns the first event after seq `after` that match accepts.
func (s *Server) WaitEvent(ctx context.Context, after int64, match func(Event) bool) (Event, error) {
	for {
		s.mu.Lock()
		for i := after; i < int64(len(s.st.events)); i++ {
			if ev := s.st.events[i]; match(ev) {
				s.mu.Unlock()
				return ev, nil
			}
		}
		after = int64(len(s.st.events))
		ch, closed := s.st.changed, s.st.closed
		s.mu.Unlock()
		if closed {
			return Event{}, fmt.Errorf("slacksim wait event: %w", ErrClosed)
		}
		select {
		case <-ctx.Done():
			return Event{}, fmt.Errorf("slacksim wait event: %w", ctx.Err())
		case <-ch:
		}
	}
}
