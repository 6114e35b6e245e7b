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
	switch h {
	case Standup:
		// Every working day; 1 rather than 7/5 because the weekend has no
		// prompt, so consecutive prompts are "one working day" apart.
		return cadence{"weekdays 08:45", 1}
	case PathReview:
		// The first working day of the month: the month's first look back
		// and ahead with each Lean leader, never on a weekend.
		return cadence{"monthly first workday 09:00", 30}
	case Gemba:
		return cadence{"mon,wed,fri 13:30", 7.0 / 3}
	case Question:
		return cadence{"tue,thu 10:00", 7.0 / 2}
	case Compliment:
		return cadence{"weekly thu 15:00", 7}
	case Feedback:
		return cadence{"weekly tue 09:30", 7}
	case Conversation:
		return cadence{"weekly wed 11:00", 7}
	case HelpQuestion:
		return cadence{"weekly mon 10:30", 7}
	case WeekReview:
		return cadence{"weekly fri 10:00", 7}
	case Spotlight:
		return cadence{"monthly first tue 09:00", 30}
	case Cowork:
		return cadence{"monthly first wed 10:00", 30}
	case Output:
		return cadence{"monthly first mon 09:00", 30}
	case Reflect:
		return cadence{"monthly first fri 16:00", 30}
	case Learning:
		// Quarterly. The grammar has no "quarterly first mon", and cron ORs
		// day-of-month with day-of-week, so "first Monday of the quarter"
		// cannot be written; the 8th of January, April, July and October
		// (the second week, after the holidays) is the closest plain rule.
		return cadence{`cron "0 9 8 1,4,7,10 *"`, 90}
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
