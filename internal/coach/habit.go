package coach

// Habit is one coaching habit of a director (see docs/domain.md), by key.
type Habit string

// The habits. The first three are the core of the product; PathReview is
// the monthly review of the delegation path with each Lean leader (see
// Path).
const (
	Standup      Habit = "standup"
	Compliment   Habit = "compliment"
	Question     Habit = "question"
	PathReview   Habit = "path"
	Gemba        Habit = "gemba"
	Feedback     Habit = "feedback"
	Conversation Habit = "conversation"
	Spotlight    Habit = "spotlight"
	HelpQuestion Habit = "helpquestion"
	Cowork       Habit = "cowork"
	WeekReview   Habit = "weekreview"
	Output       Habit = "output"
	Learning     Habit = "learning"
	Reflect      Habit = "reflect"
)

// Habits lists every habit in the order users see them.
func Habits() []Habit {
	return []Habit{Standup, Compliment, Question, PathReview, Gemba, Feedback, Conversation,
		Spotlight, HelpQuestion, Cowork, WeekReview, Output, Learning, Reflect}
}

// CheckInHabit is what a schedule of the Lean leaders' monthly check-in
// holds as its habit (`/coach schedule add checkin <when>`): an admin
// moves the check-in from its default rule (CheckInDefaultWhen) like any
// habit's. It is no director's habit and not in Habits(): it has no
// prompt, no occurrence, no streak, and no place in the weekly budget.
const CheckInHabit Habit = "checkin"

// ParseScheduleHabit returns what a schedule may hold: a habit, or the
// check-in ("checkin", "check-in").
func ParseScheduleHabit(s string) (Habit, bool) {
	if s == "check-in" || s == string(CheckInHabit) {
		return CheckInHabit, true
	}
	return ParseHabit(s)
}

// ParseHabit returns the habit with key s.
func ParseHabit(s string) (Habit, bool) {
	for _, h := range Habits() {
		if string(h) == s {
			return h, true
		}
	}
	return "", false
}

// Catalog keys of a habit's texts (see internal/i18n).
func (h Habit) NameKey() string   { return "habit." + string(h) + ".name" }   // short name
func (h Habit) PromptKey() string { return "habit." + string(h) + ".prompt" } // what to do today
func (h Habit) ReasonKey() string { return "habit." + string(h) + ".reason" } // why it matters
func (h Habit) ShortKey() string  { return "habit." + string(h) + ".short" }  // one line for /coach habits
