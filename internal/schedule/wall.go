package schedule

import (
	"slices"
	"time"
)

// Next returns the first send instant of r strictly after `after`, reading the
// rule as wall-clock time in loc (nil means UTC). Daylight-saving policy:
//   - a time that does not exist that day (the spring-forward gap) fires at the
//     first instant after the gap, the transition itself;
//   - a time that occurs twice (fall-back) fires once, at its first occurrence.
//
// It returns the zero time only for the zero Rule: a parsed rule fires within
// maxGapDays of any instant.
func (r Rule) Next(after time.Time, loc *time.Location) time.Time {
	if r.IsZero() {
		return time.Time{}
	}
	if loc == nil {
		loc = time.UTC
	}
	lt := after.In(loc)
	// Start a day early: a zone that falls back across midnight can put the
	// first occurrence of yesterday's late wall time after `after`.
	day := time.Date(lt.Year(), lt.Month(), lt.Day()-1, 0, 0, 0, 0, time.UTC)
	for i := 0; i <= maxGapDays+2; i++ {
		d := day.AddDate(0, 0, i)
		if !r.on(d) {
			continue
		}
		if t := wallTime(d, r.hour, r.minute, loc); t.After(after) {
			return t
		}
	}
	return time.Time{}
}

// Preview returns the next n send instants after `after`, for the reply to
// /coach schedule add and the App Home.
func (r Rule) Preview(after time.Time, loc *time.Location, n int) []time.Time {
	out := make([]time.Time, 0, max(n, 0))
	for len(out) < n {
		t := r.Next(after, loc)
		if t.IsZero() {
			break
		}
		out = append(out, t)
		after = t
	}
	return out
}

// wallTime returns the instant at which the wall clock of loc reads hour:minute
// on the civil date day (a UTC midnight). It never trusts time.Date's choice in
// a gap or an overlap (which the documentation leaves unspecified and which
// differs per zone): it tries each UTC offset the zone uses around that day and
// keeps the candidates whose local reading is exactly the wanted one.
func wallTime(day time.Time, hour, minute int, loc *time.Location) time.Time {
	wall := time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, time.UTC)
	var offsets []int
	for _, probe := range []time.Duration{-30 * time.Hour, -15 * time.Hour, 0, 15 * time.Hour, 30 * time.Hour} {
		if _, off := wall.Add(probe).In(loc).Zone(); !slices.Contains(offsets, off) {
			offsets = append(offsets, off)
		}
	}
	var first, earliest, latest time.Time
	for _, off := range offsets {
		u := wall.Add(-time.Duration(off) * time.Second)
		if reads(u.In(loc), wall) && (first.IsZero() || u.Before(first)) {
			first = u // overlap: keep the first occurrence
		}
		if earliest.IsZero() || u.Before(earliest) {
			earliest = u
		}
		if latest.IsZero() || u.After(latest) {
			latest = u
		}
	}
	if !first.IsZero() {
		return first.In(loc)
	}
	// The wall time falls in a gap. Read with the offset from before the jump
	// it lands after the gap (latest); the jump itself lies between the
	// candidates and is where the zone in effect at latest begins.
	if start, _ := latest.In(loc).ZoneBounds(); !start.IsZero() && start.After(earliest) && !start.After(latest) {
		return start.In(loc)
	}
	return latest.In(loc)
}

// reads reports whether local time t shows the date and clock of wall.
func reads(t, wall time.Time) bool {
	y, m, d := t.Date()
	wy, wm, wd := wall.Date()
	return y == wy && m == wm && d == wd && t.Hour() == wall.Hour() && t.Minute() == wall.Minute()
}
