package coach

import "time"

// Rule is a schedule's recurrence rule, parsed: the instants its prompts go,
// read as wall-clock time in a director's zone. It is a pure value: the same
// question gets the same answer, from any goroutine.
//
// The one implementation is internal/schedule's, because its parser checks
// cron specs with robfig/cron, which the domain does not import. The domain
// asks a RuleParser for a schedule's Rule and then only asks the Rule, so a
// rule's text is parsed once, not on every question asked of it.
type Rule interface {
	// Next returns the first send instant strictly after `after`, in loc;
	// the zero time when there is none.
	Next(after time.Time, loc *time.Location) time.Time
	// String returns the canonical text of the rule, which Schedule.When
	// holds and which parses back to the same rule.
	String() string
}

// RuleParser reads a schedule's rule from its text (Schedule.When, or the
// <when> of /coach schedule add). Its errors are EINVALID *Error values that
// say what was wrong and show an example. It is safe for concurrent use.
type RuleParser interface {
	Parse(when string) (Rule, error)
}
