package coach

import (
	"time"
)

// Date is a calendar date without a time of day or a zone: the day a target
// falls on, or the day something changed, as the director's calendar shows
// it. The zero Date is "no date". Dates compare with Compare, Before and
// After, never with ==, which works too but says less.
type Date struct {
	y int
	m time.Month
	d int
}

// NewDate returns the date y-m-d, normalised as time.Date does (month 13 is
// January of the next year, day 0 the last day of the month before).
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 12, 0, 0, 0, time.UTC))
}

// DateOf returns the calendar date of t in t's own location: convert t with
// In first to get the date in someone's zone.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads "2026-12-07" (what Slack's date picker sends). It accepts
// only real dates with a four-digit year from 1000 on; ok is false for
// anything else, "2026-02-30" included.
func ParseDate(s string) (Date, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < 1000 {
		return Date{}, false
	}
	return DateOf(t), true
}

// String formats the date as "2026-12-07"; the zero Date as "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.noon().Format(time.DateOnly)
}

// IsZero reports whether d is the zero Date, "no date".
func (d Date) IsZero() bool { return d == Date{} }

// Year, Month and Day are the date's parts.
func (d Date) Year() int         { return d.y }
func (d Date) Month() time.Month { return d.m }
func (d Date) Day() int          { return d.d }

// In returns the first moment of d in loc (midnight, or the first moment
// after a daylight-saving gap).
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.y, d.m, d.d, 0, 0, 0, 0, loc)
}

// noon is d at noon UTC: far from any day boundary, for date arithmetic.
func (d Date) noon() time.Time { return time.Date(d.y, d.m, d.d, 12, 0, 0, 0, time.UTC) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.y != e.y:
		return cmpInt(d.y, e.y)
	case d.m != e.m:
		return cmpInt(int(d.m), int(e.m))
	}
	return cmpInt(d.d, e.d)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before and After compare two dates.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }
func (d Date) After(e Date) bool  { return d.Compare(e) > 0 }

// AddDays returns the date n days after d (before, for negative n).
func (d Date) AddDays(n int) Date { return DateOf(d.noon().AddDate(0, 0, n)) }

// AddMonths returns the same day n calendar months after d, clamped to the
// end of a shorter month: a month after 31 January is 28 (or 29) February,
// not 3 March as time.AddDate would have it.
func (d Date) AddMonths(n int) Date {
	first := time.Date(d.y, d.m+time.Month(n), 1, 12, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return Date{first.Year(), first.Month(), min(d.d, last)}
}

// DaysUntil returns the number of days from d to e: positive when e is
// later, 0 on the same day.
func (d Date) DaysUntil(e Date) int {
	return int(e.noon().Sub(d.noon()).Round(24*time.Hour) / (24 * time.Hour))
}

// MonthsUntil returns the whole calendar months from d to e: 1 from 31
// January to 28 February, 0 to 27 February; negative when e is earlier.
func (d Date) MonthsUntil(e Date) int {
	if e.Before(d) {
		return -e.MonthsUntil(d)
	}
	n := (e.y-d.y)*12 + int(e.m) - int(d.m)
	if d.AddMonths(n).After(e) {
		n--
	}
	return n
}
