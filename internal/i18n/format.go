package i18n

import (
	"math"
	"strings"
	"time"
)

// The formatting helpers take times already in the reader's zone (callers do
// t.In(loc)): a date is only meaningful in a zone, and the zone belongs to
// the user, not to this package.

// Weekday returns the name of d in l ("Monday", "maandag").
func (l Lang) Weekday(d time.Weekday) string {
	return l.T("format.weekday." + strings.ToLower(d.String()))
}

// Month returns the name of m in l ("December", "december").
func (l Lang) Month(m time.Month) string {
	return l.T("format.month." + strings.ToLower(m.String()))
}

// Date returns t's weekday, day and month: "Monday 7 December",
// "maandag 7 december".
func (l Lang) Date(t time.Time) string {
	return l.T("format.date", l.Weekday(t.Weekday()), t.Day(), l.Month(t.Month()))
}

// Time returns t's clock time on the 24-hour clock, "08:45", the usual
// notation in Dutch and clear in English too.
func (l Lang) Time(t time.Time) string { return t.Format("15:04") }

// DateTime returns t's date and time: "Monday 7 December at 08:45",
// "maandag 7 december om 08:45".
func (l Lang) DateTime(t time.Time) string {
	return l.T("format.datetime", l.Date(t), l.Time(t))
}

// DateRange returns the days from from to to, both included: "Monday 7
// December to Friday 11 December", "maandag 7 december t/m vrijdag 11
// december"; one date when both fall on the same day. Both times are in
// the reader's zone.
func (l Lang) DateRange(from, to time.Time) string {
	if from.Year() == to.Year() && from.YearDay() == to.YearDay() {
		return l.Date(from)
	}
	return l.T("format.range", l.Date(from), l.Date(to))
}

// Percent formats a fraction (0.734) as a whole percentage ("73%"), rounded
// half away from zero. Values outside 0..1 are clamped, NaN shows as 0%.
func (l Lang) Percent(f float64) string {
	if math.IsNaN(f) || f < 0 {
		f = 0
	}
	f = min(f, 1)
	return l.T("format.percent", int(math.Round(f*100)))
}
