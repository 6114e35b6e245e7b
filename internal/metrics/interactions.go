package metrics

// InteractionFailed counts one step of a click or a modal that Slack did not
// carry out although the user's action was handled: step is a short fixed word
// ("prompt_update": a recorded answer's message was not updated;
// "answer_modal": the compliment form did not open; "note_modal": the form
// of a done answer's note did not open), reason Slack's error code or
// another short fixed word ("unclear" for a timeout or a 5xx).
func (m *Metrics) InteractionFailed(step, reason string) {
	if m == nil {
		return
	}
	m.interactionFailures.WithLabelValues(label(step), label(reason)).Inc()
}
