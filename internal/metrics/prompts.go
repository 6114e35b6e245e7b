package metrics

import "time"

// PromptDue counts one prompt occurrence that became due.
func (m *Metrics) PromptDue() {
	if m == nil {
		return
	}
	m.promptsDue.Inc()
}

// PromptSent counts one prompt posted to Slack, delay after its due time.
func (m *Metrics) PromptSent(delay time.Duration) {
	if m == nil {
		return
	}
	m.promptsSent.Inc()
	m.promptDelay.Observe(seconds(delay))
}

// PromptMissed counts one prompt recorded missed (due too long ago to send).
func (m *Metrics) PromptMissed() {
	if m == nil {
		return
	}
	m.promptsMissed.Inc()
}

// PromptFailed counts one prompt that failed permanently. reason should be Slack's
// error code (user_not_found, account_inactive, ...) or another short fixed word.
func (m *Metrics) PromptFailed(reason string) {
	if m == nil {
		return
	}
	m.promptsFailed.WithLabelValues(label(reason)).Inc()
}
