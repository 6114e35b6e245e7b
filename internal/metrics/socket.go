package metrics

import "time"

// SetConnected records whether a Socket Mode connection is up.
func (m *Metrics) SetConnected(up bool) {
	if m == nil {
		return
	}
	v := 0.0
	if up {
		v = 1
	}
	m.connected.Set(v)
}

// SetSocketsUp records how many Socket Mode connections are up.
func (m *Metrics) SetSocketsUp(n int) {
	if m == nil {
		return
	}
	m.socketsUp.Set(float64(n))
}

// Reconnect counts one reconnection. cause should be a short fixed word such as
// "disconnect_requested", "ping_timeout" or "error"; anything else becomes "other".
func (m *Metrics) Reconnect(cause string) {
	if m == nil {
		return
	}
	m.reconnects.WithLabelValues(label(cause)).Inc()
}

// Envelope counts one received envelope of Slack's type (events_api, interactive,
// slash_commands, hello, disconnect, ...) and marks the time of the last envelope.
func (m *Metrics) Envelope(typ string) {
	if m == nil {
		return
	}
	m.envelopes.WithLabelValues(label(typ)).Inc()
	m.lastEnvelope.SetToCurrentTime()
}

// AckLatency observes the time from reading an envelope to acknowledging it.
func (m *Metrics) AckLatency(d time.Duration) {
	if m == nil {
		return
	}
	m.ackLatency.Observe(seconds(d))
}

// BadMessage counts one frame that could not be parsed into an envelope.
func (m *Metrics) BadMessage() {
	if m == nil {
		return
	}
	m.badMessages.Inc()
}

// ReconnectWait counts one call to apps.connections.open that the reconnect
// brake held back for d before letting it go to Slack.
func (m *Metrics) ReconnectWait(d time.Duration) {
	if m == nil {
		return
	}
	m.reconnectWaits.Inc()
	m.reconnectWaitSeconds.Add(seconds(d))
}
