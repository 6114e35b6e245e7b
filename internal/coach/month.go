package coach

import (
	"fmt"
	"time"
)

// Month is a calendar month without a zone: the month a monthly check-in
// is about. The zero Month is "no month".
type Month struct {
	y int
	m time.Month
}

// NewMonth returns month m of year y, normalised as time.Date does (month
// 13 is January of the next year).
func NewMonth(y int, m time.Month) Month {
	t := time.Date(y, m, 1, 12, 0, 0, 0, time.UTC)
	return Month{t.Year(), t.Month()}
}

// MonthOf returns the month day d falls in.
func MonthOf(d Date) Month { return Month{d.Year(), d.Month()} }

// ParseMonth reads "2026-11". It accepts only real months with a
// four-digit year from 1000 on.
func ParseMonth(s string) (Month, bool) {
	t, err := time.Parse("2006-01", s)
	if err != nil || t.Year() < 1000 {
		return Month{}, false
	}
	return Month{t.Year(), t.Month()}, true
}

// String formats the month as "2026-11"; the zero Month as "".
func (m Month) String() string {
	if m.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", m.y, int(m.m))
}

// IsZero reports whether m is the zero Month.
func (m Month) IsZero() bool { return m == Month{} }

// Year and Month are the month's parts.
func (m Month) Year() int         { return m.y }
func (m Month) Month() time.Month { return m.m }

// First is the first day of the month.
func (m Month) First() Date { return NewDate(m.y, m.m, 1) }

// Add returns the month n months after m (before, for negative n).
func (m Month) Add(n int) Month { return NewMonth(m.y, m.m+time.Month(n)) }

// Compare returns -1, 0 or +1 as m is before, equal to or after o.
func (m Month) Compare(o Month) int {
	if m.y != o.y {
		return cmpInt(m.y, o.y)
	}
	return cmpInt(int(m.m), int(o.m))
}

// Before and After compare two months.
func (m Month) Before(o Month) bool { return m.Compare(o) < 0 }
func (m Month) After(o Month) bool  { return m.Compare(o) > 0 }
