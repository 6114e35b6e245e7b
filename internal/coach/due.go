package coach

import "time"

// Due is the due-loop's plan for one schedule and one director: when their
// next prompt goes. Kept by internal/store, used by internal/schedule.
type Due struct {
	Schedule ScheduleID
	Director UserID
	Next     time.Time // UTC; the nominal send time of the next occurrence
	When     string    // the schedule's rule text Next was computed from
	Zone     string    // the IANA zone Next was computed in

	// Held is the prompt of this plan that the weekly budget held back
	// (recorded Deferred), "" when none: it is weighed again at HeldAt
	// (UTC), a week after it was last weighed. HeldDue is when it was
	// first due, which ranks it among prompts of its habit (see Budget).
	Held    OccurrenceKey
	HeldAt  time.Time
	HeldDue time.Time
}

// Reminder is the due-loop's record of the reminders for one sent prompt that
// the director may snooze. The Nth reminder answers one SnoozeUntil (For) and
// is sent in two phases like the prompt itself, with its own message ref.
type Reminder struct {
	Occ       OccurrenceKey
	Director  UserID
	N         int       // reminders started so far; 0 = none yet
	For       time.Time // the SnoozeUntil the Nth reminder answers
	State     SendState // of the Nth reminder; "" when N == 0
	StartedAt time.Time
	SentAt    time.Time
	Channel   ChannelID
	TS        string
}
