package coach

// cadence says how often each habit is prompted by default. It is the one
// place that knows a habit's rhythm: DefaultWhen feeds `/coach schedule add`
// suggestions and the demo workspace; Interval feeds the strength score.
type cadence struct {
	when     string  // a rule in the schedule grammar of docs/product.md
	interval float64 // expected days between two prompts under that rule
}

// cadenceOf returns the default cadence of h; the zero cadence for an
// unknown habit.
func cadenceOf(h Habit) cadence {
	// The defaults keep a director on the core three and the path within
	// the default weekly budget with a place to spare (3 prompts a week, 4
	// in the week of the month's first working day), and put every other
	// habit on its own week of the month, on a Monday or a Friday, so that
	// a director on every default schedule meets the budget about once a
	// month. A prompt is a nudge toward a habit, not one per time it is
	// done: a director on the Gemba several times a week needs no DM for
	// each visit (see Budget).
	switch h {
	case Standup:
		return cadence{"weekly tue 08:45", 7}
	case Question:
		return cadence{"weekly wed 10:00", 7}
	case Compliment:
		return cadence{"weekly thu 15:00", 7}
	case PathReview:
		// The first working day of the month: the month's first look back
		// and ahead with each Lean leader, never on a weekend.
		return cadence{"monthly first workday 09:00", 30}
	case Feedback:
		return cadence{"monthly second mon 09:30", 30}
	case Gemba:
		return cadence{"monthly second fri 13:30", 30}
	case HelpQuestion:
		return cadence{"monthly third mon 10:30", 30}
	case WeekReview:
		return cadence{"monthly third fri 10:00", 30}
	case Conversation:
		return cadence{"monthly fourth mon 11:00", 30}
	case Cowork:
		return cadence{"quarterly first fri 10:00", 90}
	case Output:
		return cadence{"quarterly second wed 11:00", 90}
	case Spotlight:
		return cadence{"quarterly third wed 11:00", 90}
	case Reflect:
		return cadence{"quarterly fourth fri 16:00", 90}
	case Learning:
		return cadence{"quarterly last tue 11:00", 90}
	}
	return cadence{}
}

// DefaultWhen is the suggested schedule rule for h, in the grammar of
// `/coach schedule add` ("weekdays 08:45", "weekly fri 10:00",
// "monthly first mon 09:00", `cron "M H DOM MON DOW"`); "" for an unknown
// habit.
func (h Habit) DefaultWhen() string { return cadenceOf(h).when }

// Interval is the expected number of days between two prompts of h under its
// default cadence: 1 for working-day habits, 7/3 for three times a week, 7
// weekly, 30 monthly, 90 quarterly. Strength uses it to set how fast the
// score moves. It is 1 for an unknown habit, the most cautious choice.
func (h Habit) Interval() float64 {
	if c := cadenceOf(h); c.interval > 0 {
		return c.interval
	}
	return 1
}
