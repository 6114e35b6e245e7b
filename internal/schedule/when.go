package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/robfig/cron/v3"
)

// maxWhenLen bounds the text of a rule; anything longer is a typo or an attack.
const maxWhenLen = 64

// maxGapDays is the longest a valid rule may go without firing. Every rule is
// checked against it when parsed, so Next always finds a time within it.
const maxGapDays = 400

type kind uint8

const (
	kindDays    kind = iota + 1 // a set of weekdays (daily, weekdays, mon,wed,fri, weekly fri)
	kindMonthly                 // the nth (or last) weekday of every month
	kindWorkday                 // the nth (or last) working day (mon..fri) of every month
	kindCron                    // a validated five-field cron spec
)

// Rule is a parsed recurrence rule: on which local dates a prompt goes, and
// at which local time of day. It holds no zone: the zone is the director's and
// is passed to Next. The zero Rule is invalid; build one with ParseWhen.
//
// Invariant: a Rule fires at most once per local date and at least once in
// every maxGapDays consecutive days.
type Rule struct {
	kind         kind
	hour, minute int
	days         uint8  // kindDays, kindMonthly: bit i = time.Weekday(i)
	nth          int    // kindMonthly, kindWorkday: 1..4, or -1 for the last
	months       uint16 // kindMonthly, kindWorkday: bit m = time.Month(m); 0 = every month
	dom, month   uint64 // kindCron: robfig bit sets (bit 63 = star)
	dow          uint64 // kindCron
	spec         string // kindCron: the five fields, single-spaced
}

var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

const (
	allDays     uint8 = 0x7f
	workingDays uint8 = 0x3e // mon..fri
)

var nthNames = map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}

// quarterMonths are the months of a quarterly rule: the first of each
// quarter.
const quarterMonths uint16 = 1<<time.January | 1<<time.April | 1<<time.July | 1<<time.October

// workdayWord stands for "a working day" (monday to friday) in a monthly
// rule: "monthly first workday 09:00".
const workdayWord = "workday"

// ParseWhen parses the <when> of /coach schedule add: "daily HH:MM",
// "weekdays HH:MM", a day list such as "mon,wed,fri HH:MM" or "mon-fri HH:MM",
// "weekly fri HH:MM", "monthly first mon HH:MM" (first, second, third, fourth
// or last), "monthly first workday HH:MM" (the first, second… or last
// Monday-to-Friday date of the month: a month that starts on a Saturday or
// Sunday has its first working day on the Monday after), either of those
// with "quarterly" for January, April, July and October only
// ("quarterly second mon HH:MM"), or `cron "M H DOM MON DOW"`. Words are case-insensitive. Errors are
// *coach.Error EINVALID whose message says what was wrong and shows an example.
func ParseWhen(s string) (Rule, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return Rule{}, invalid("schedule.when.empty")
	case len(s) > maxWhenLen*2:
		return Rule{}, invalid("schedule.when.too_long", maxWhenLen)
	}
	head, rest, _ := strings.Cut(s, " ")
	head = strings.ToLower(head)
	rest = strings.TrimSpace(rest)
	if head == "cron" {
		return parseCron(rest)
	}
	f := strings.Fields(strings.ToLower(s))
	switch {
	case head == "daily" && len(f) == 2:
		return dayRule(allDays, f[1])
	case head == "weekdays" && len(f) == 2:
		return dayRule(workingDays, f[1])
	case head == "weekly" && len(f) == 3:
		d, ok := dayByName(f[1])
		if !ok {
			return Rule{}, invalid("schedule.when.day", clip(f[1]))
		}
		return dayRule(1<<d, f[2])
	case head == "monthly" && len(f) == 4:
		return monthlyRule(f[1], f[2], f[3])
	case head == "quarterly" && len(f) == 4:
		r, err := monthlyRule(f[1], f[2], f[3])
		r.months = quarterMonths
		return r, err
	case len(f) == 2 && startsWithDay(head):
		days, err := parseDayList(f[0])
		if err != nil {
			return Rule{}, err
		}
		return dayRule(days, f[1])
	}
	return Rule{}, invalid("schedule.when.unknown", clip(s))
}

// MustParseWhen is ParseWhen for rules known to be valid (tests, defaults).
func MustParseWhen(s string) Rule {
	r, err := ParseWhen(s)
	if err != nil {
		panic(fmt.Sprintf("schedule: MustParseWhen(%q): %v", s, err))
	}
	return r
}

func invalid(key string, args ...any) error { return coach.Errorf(coach.EINVALID, key, args...) }

// clip shortens user input that is echoed back in an error message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 24 {
		return s
	}
	r := []rune(s)
	return string(r[:24]) + "…"
}

func dayRule(days uint8, hhmm string) (Rule, error) {
	h, m, err := parseClock(hhmm)
	if err != nil {
		return Rule{}, err
	}
	return Rule{kind: kindDays, days: days, hour: h, minute: m}, nil
}

func monthlyRule(nth, day, hhmm string) (Rule, error) {
	n, ok := nthNames[nth]
	if !ok {
		return Rule{}, invalid("schedule.when.nth", clip(nth))
	}
	if day == workdayWord {
		h, m, err := parseClock(hhmm)
		if err != nil {
			return Rule{}, err
		}
		return Rule{kind: kindWorkday, nth: n, days: workingDays, hour: h, minute: m}, nil
	}
	d, ok := dayByName(day)
	if !ok {
		return Rule{}, invalid("schedule.when.day", clip(day))
	}
	h, m, err := parseClock(hhmm)
	if err != nil {
		return Rule{}, err
	}
	return Rule{kind: kindMonthly, nth: n, days: 1 << d, hour: h, minute: m}, nil
}

// parseClock reads 24-hour "H:MM" or "HH:MM".
func parseClock(s string) (hour, minute int, err error) {
	hs, ms, ok := strings.Cut(s, ":")
	if !ok || len(hs) < 1 || len(hs) > 2 || len(ms) != 2 || !digits(hs) || !digits(ms) {
		return 0, 0, invalid("schedule.when.time", clip(s))
	}
	hour, _ = strconv.Atoi(hs)
	minute, _ = strconv.Atoi(ms)
	if hour > 23 || minute > 59 {
		return 0, 0, invalid("schedule.when.time", clip(s))
	}
	return hour, minute, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func dayByName(s string) (time.Weekday, bool) {
	for i, n := range dayNames {
		if s == n || strings.EqualFold(s, time.Weekday(i).String()) {
			return time.Weekday(i), true
		}
	}
	return 0, false
}

func startsWithDay(s string) bool {
	w, _, _ := strings.Cut(s, ",")
	w, _, _ = strings.Cut(w, "-")
	_, ok := dayByName(w)
	return ok
}

// parseDayList reads "mon,wed,fri", "mon-fri" or a mix ("mon-wed,sat"). A
// range wraps over the weekend: "fri-mon" is fri, sat, sun, mon.
func parseDayList(s string) (uint8, error) {
	var days uint8
	for _, part := range strings.Split(s, ",") {
		from, to, isRange := strings.Cut(part, "-")
		a, ok := dayByName(from)
		if !ok {
			return 0, invalid("schedule.when.day", clip(from))
		}
		b := a
		if isRange {
			if b, ok = dayByName(to); !ok {
				return 0, invalid("schedule.when.day", clip(to))
			}
		}
		for d := a; ; d = (d + 1) % 7 {
			days |= 1 << d
			if d == b {
				break
			}
		}
	}
	return days, nil
}

// String returns the canonical text of r, which ParseWhen reads back to an
// equal rule: "daily 08:45", "weekdays 08:45", "mon,wed,fri 08:45",
// "weekly fri 15:00", "monthly last fri 16:00", `cron "0 9 1 * *"`.
func (r Rule) String() string {
	clock := fmt.Sprintf("%02d:%02d", r.hour, r.minute)
	switch r.kind {
	case kindDays:
		switch r.days {
		case allDays:
			return "daily " + clock
		case workingDays:
			return "weekdays " + clock
		}
		var names []string
		for _, d := range weekOrder() {
			if r.days&(1<<d) != 0 {
				names = append(names, dayNames[d])
			}
		}
		if len(names) == 1 {
			return "weekly " + names[0] + " " + clock
		}
		return strings.Join(names, ",") + " " + clock
	case kindMonthly:
		return r.period() + " " + r.nthName() + " " + dayNames[r.weekday()] + " " + clock
	case kindWorkday:
		return r.period() + " " + r.nthName() + " " + workdayWord + " " + clock
	case kindCron:
		return `cron "` + r.spec + `"`
	}
	return ""
}

// period is the first word of a monthly or quarterly rule.
func (r Rule) period() string {
	if r.months == quarterMonths {
		return "quarterly"
	}
	return "monthly"
}

// nthName is the word of a monthly rule's nth: "first" … "fourth", "last".
func (r Rule) nthName() string {
	for name, n := range nthNames {
		if n == r.nth {
			return name
		}
	}
	return ""
}

// weekOrder lists the days as people read a week: monday first.
func weekOrder() []time.Weekday {
	return []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday,
		time.Friday, time.Saturday, time.Sunday}
}

// weekday is the single day of a monthly rule.
func (r Rule) weekday() time.Weekday {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if r.days&(1<<d) != 0 {
			return d
		}
	}
	return time.Sunday
}

// IsZero reports whether r is the zero Rule, which never fires.
func (r Rule) IsZero() bool { return r.kind == 0 }

// Clock returns the local time of day at which r fires.
func (r Rule) Clock() (hour, minute int) { return r.hour, r.minute }

// on reports whether r fires on the civil date d (a UTC midnight standing for
// a local date, so its Weekday and Day are the local ones).
func (r Rule) on(d time.Time) bool {
	switch r.kind {
	case kindDays:
		return r.days&(1<<d.Weekday()) != 0
	case kindMonthly:
		if r.days&(1<<d.Weekday()) == 0 || !r.inMonth(d) {
			return false
		}
		if r.nth < 0 {
			return d.AddDate(0, 0, 7).Month() != d.Month()
		}
		return (d.Day()-1)/7+1 == r.nth
	case kindWorkday:
		if r.days&(1<<d.Weekday()) == 0 || !r.inMonth(d) {
			return false
		}
		if r.nth < 0 {
			return nextWorkday(d).Month() != d.Month()
		}
		return workdayOfMonth(d) == r.nth
	case kindCron:
		if r.month&(1<<uint(d.Month())) == 0 {
			return false
		}
		domMatch := r.dom&(1<<uint(d.Day())) != 0
		dowMatch := r.dow&(1<<uint(d.Weekday())) != 0
		// cron's rule: when either field is "*", both must match; when both
		// are restricted, either may (the same as robfig/cron's dayMatches).
		if r.dom&starBit != 0 || r.dow&starBit != 0 {
			return domMatch && dowMatch
		}
		return domMatch || dowMatch
	}
	return false
}

// inMonth reports whether a monthly or quarterly rule fires in d's month.
func (r Rule) inMonth(d time.Time) bool { return r.months == 0 || r.months&(1<<d.Month()) != 0 }

// workdayOfMonth is the number of working days (monday to friday) of d's
// month up to and including d.
func workdayOfMonth(d time.Time) int {
	n := 0
	for day := d.AddDate(0, 0, 1-d.Day()); !day.After(d); day = day.AddDate(0, 0, 1) {
		if workingDays&(1<<day.Weekday()) != 0 {
			n++
		}
	}
	return n
}

// nextWorkday is the first working day after d.
func nextWorkday(d time.Time) time.Time {
	for d = d.AddDate(0, 0, 1); workingDays&(1<<d.Weekday()) == 0; d = d.AddDate(0, 0, 1) {
	}
	return d
}

const starBit = 1 << 63

// parseCron validates a cron spec before robfig/cron sees it (its parser
// panics on "TZ=UTC" and accepts "@every 1s"), then keeps only the date
// fields: minute and hour must be single values, so a cron rule is a date
// predicate and a time of day like every other rule.
func parseCron(s string) (Rule, error) {
	spec := strings.TrimSpace(s)
	spec = strings.TrimFunc(spec, func(r rune) bool { return strings.ContainsRune("\"'“”‘’„", r) })
	spec = strings.TrimSpace(spec)
	upper := strings.ToUpper(spec)
	switch {
	case spec == "":
		return Rule{}, invalid("schedule.when.cron_fields")
	case len(spec) > maxWhenLen:
		return Rule{}, invalid("schedule.when.too_long", maxWhenLen)
	case strings.Contains(upper, "TZ="):
		return Rule{}, invalid("schedule.when.cron_tz")
	case strings.HasPrefix(spec, "@"):
		return Rule{}, invalid("schedule.when.cron_descriptor")
	}
	for _, c := range spec {
		if c > 0x7e || (c < 0x20 && c != '\t') {
			return Rule{}, invalid("schedule.when.cron_invalid", clip(spec))
		}
	}
	f := strings.Fields(spec)
	if len(f) != 5 {
		return Rule{}, invalid("schedule.when.cron_fields")
	}
	spec = strings.Join(f, " ")
	sched, err := parseStandard(spec)
	if err != nil {
		return Rule{}, invalid("schedule.when.cron_invalid", clip(spec))
	}
	ss, ok := sched.(*cron.SpecSchedule)
	if !ok {
		return Rule{}, invalid("schedule.when.cron_invalid", clip(spec))
	}
	minute, okM := single(ss.Minute)
	hour, okH := single(ss.Hour)
	if !okM || !okH {
		return Rule{}, invalid("schedule.when.cron_often")
	}
	r := Rule{kind: kindCron, hour: hour, minute: minute, dom: ss.Dom, month: ss.Month, dow: ss.Dow, spec: spec}
	if !r.regular() {
		return Rule{}, invalid("schedule.when.cron_never", clip(spec))
	}
	return r, nil
}

// parseStandard is cron.ParseStandard made safe: a panic in the parser is a
// parse error.
func parseStandard(spec string) (s cron.Schedule, err error) {
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, fmt.Errorf("cron parser panicked on %q: %v", spec, p)
		}
	}()
	return cron.ParseStandard(spec)
}

// single returns the only value in a cron bit set, if it has exactly one.
func single(bits uint64) (int, bool) {
	if bits&starBit != 0 {
		return 0, false
	}
	v := -1
	for i := 0; i < 63; i++ {
		if bits&(1<<uint(i)) != 0 {
			if v >= 0 {
				return 0, false
			}
			v = i
		}
	}
	return v, v >= 0
}

// regular reports whether r fires at least once in every maxGapDays days. The
// check runs over 2024..2032, which holds every combination of leap years,
// month lengths and weekdays a date predicate can tell apart.
func (r Rule) regular() bool {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2033, 1, 1, 0, 0, 0, 0, time.UTC)
	last := start.AddDate(0, 0, -1)
	for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
		if r.on(d) {
			if d.Sub(last) > maxGapDays*24*time.Hour {
				return false
			}
			last = d
		}
	}
	return end.Sub(last) <= maxGapDays*24*time.Hour
}
