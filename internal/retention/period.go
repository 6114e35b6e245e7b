// Package retention keeps users' free text (private notes, the question as
// asked, compliments' text, the texts of past path reviews) no longer than
// the operator's period (LEANCOACH_NOTE_RETENTION): the period's syntax, and
// the nightly job that removes older text through the store.
package retention

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Period is how long users' free text (the private notes of answers,
// the question as asked, compliments' text) is kept: Days plus Months. The
// zero value keeps it forever.
type Period struct {
	Days, Months int
}

// Default is LEANCOACH_NOTE_RETENTION's default.
var Default = Period{Days: 365}

// Bounds of a retention: shorter would clear notes the weekly digest and
// open answers still use; longer is what "off" is for.
const (
	minDays   = 30
	maxDays   = 3650
	minMonths = 1
	maxMonths = 120
)

// Off reports whether text is kept forever.
func (r Period) Off() bool { return r.Days == 0 && r.Months == 0 }

// Cutoff is the time before which text is removed at now. Months are
// calendar months (time.AddDate).
func (r Period) Cutoff(now time.Time) time.Time { return now.AddDate(0, -r.Months, -r.Days) }

// String is the setting's text: "365d", "18mo" or "off".
func (r Period) String() string {
	switch {
	case r.Off():
		return "off"
	case r.Months == 0:
		return strconv.Itoa(r.Days) + "d"
	case r.Days == 0:
		return strconv.Itoa(r.Months) + "mo"
	}
	return fmt.Sprintf("%dmo%dd", r.Months, r.Days)
}

// Parse reads a retention: a whole number of days ("365d") or of
// calendar months ("18mo"), or "off" or "0" to keep text forever. Case and
// surrounding spaces do not matter.
func Parse(s string) (Period, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "off" || s == "0" {
		return Period{}, nil
	}
	num, unit := s, ""
	if i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		num, unit = s[:i], s[i:]
	}
	n, err := strconv.Atoi(num)
	if num == "" || err != nil {
		return Period{}, fmt.Errorf("%q is not a retention: write days or months, like 365d or 18mo, or off to keep notes forever", s)
	}
	switch unit {
	case "d":
		if n == 0 {
			return Period{}, nil
		}
		if n < minDays || n > maxDays {
			return Period{}, fmt.Errorf("%q is out of range: between %dd and %dd (or off)", s, minDays, maxDays)
		}
		return Period{Days: n}, nil
	case "mo":
		if n == 0 {
			return Period{}, nil
		}
		if n < minMonths || n > maxMonths {
			return Period{}, fmt.Errorf("%q is out of range: between %dmo and %dmo (or off)", s, minMonths, maxMonths)
		}
		return Period{Months: n}, nil
	case "":
		return Period{}, fmt.Errorf("%q has no unit: write %sd for days or %smo for months", s, num, num)
	case "m", "month", "months":
		return Period{}, fmt.Errorf("%q: write months as %smo (m could be minutes)", s, num)
	case "y", "year", "years":
		return Period{}, fmt.Errorf("%q: write years as months (%dmo) or days (%dd)", s, 12*n, 365*n)
	}
	return Period{}, fmt.Errorf("%q has an unknown unit %q: write days or months, like 365d or 18mo", s, unit)
}
