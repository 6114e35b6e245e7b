package i18n_test

import (
	"math"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/i18n"
)

func TestDateTime(t *testing.T) {
	cet := time.FixedZone("CET", 1*60*60)
	tests := []struct {
		name               string
		t                  time.Time
		lang               i18n.Lang
		date, clock, dtime string
	}{
		{"en morning", time.Date(2026, 12, 7, 8, 45, 0, 0, time.UTC), i18n.EN, "Monday 7 December", "08:45", "Monday 7 December at 08:45"},
		{"nl morning", time.Date(2026, 12, 7, 8, 45, 0, 0, time.UTC), i18n.NL, "maandag 7 december", "08:45", "maandag 7 december om 08:45"},
		// 00:30 in CET is still Sunday in UTC: the date is the reader's.
		{"nl after midnight in the reader's zone", time.Date(2026, 12, 7, 0, 30, 0, 0, cet), i18n.NL, "maandag 7 december", "00:30", "maandag 7 december om 00:30"},
		{"en afternoon, 24-hour clock", time.Date(2027, 1, 1, 15, 5, 0, 0, time.UTC), i18n.EN, "Friday 1 January", "15:05", "Friday 1 January at 15:05"},
		{"nl double-digit day", time.Date(2026, 3, 29, 23, 59, 0, 0, time.UTC), i18n.NL, "zondag 29 maart", "23:59", "zondag 29 maart om 23:59"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.lang.Date(tt.t); got != tt.date {
				t.Errorf("%s.Date(%v) = %q, want %q", tt.lang, tt.t, got, tt.date)
			}
			if got := tt.lang.Time(tt.t); got != tt.clock {
				t.Errorf("%s.Time(%v) = %q, want %q", tt.lang, tt.t, got, tt.clock)
			}
			if got := tt.lang.DateTime(tt.t); got != tt.dtime {
				t.Errorf("%s.DateTime(%v) = %q, want %q", tt.lang, tt.t, got, tt.dtime)
			}
		})
	}
}

func TestDateRange(t *testing.T) {
	mon := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	fri := time.Date(2026, 12, 11, 16, 0, 0, 0, time.UTC)
	tests := []struct {
		lang     i18n.Lang
		from, to time.Time
		want     string
	}{
		{i18n.EN, mon, fri, "Monday 7 December to Friday 11 December"},
		{i18n.NL, mon, fri, "maandag 7 december t/m vrijdag 11 december"},
		{i18n.NL, mon, mon.Add(23 * time.Hour), "maandag 7 december"},
		{i18n.EN, fri, fri.AddDate(1, 0, 0), "Friday 11 December to Saturday 11 December"},
	}
	for _, tt := range tests {
		if got := tt.lang.DateRange(tt.from, tt.to); got != tt.want {
			t.Errorf("%s.DateRange(%v, %v) = %q, want %q", tt.lang, tt.from, tt.to, got, tt.want)
		}
	}
}

func TestWeekdayAndMonthNames(t *testing.T) {
	wantDays := map[i18n.Lang][]string{
		i18n.EN: {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		i18n.NL: {"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"},
	}
	wantMonths := map[i18n.Lang][]string{
		i18n.EN: {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		i18n.NL: {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	}
	for _, l := range i18n.Langs() {
		for d := time.Sunday; d <= time.Saturday; d++ {
			if got, want := l.Weekday(d), wantDays[l][d]; got != want {
				t.Errorf("%s.Weekday(%v) = %q, want %q", l, d, got, want)
			}
		}
		for m := time.January; m <= time.December; m++ {
			if got, want := l.Month(m), wantMonths[l][m-1]; got != want {
				t.Errorf("%s.Month(%v) = %q, want %q", l, m, got, want)
			}
		}
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{
		{0.734, "73%"},
		{0.125, "13%"}, // half rounds up (12.5 is exact in binary)
		{0.0049, "0%"},
		{0, "0%"},
		{1, "100%"},
		{0.999, "100%"},
		{1.2, "100%"},
		{-0.1, "0%"},
		{math.NaN(), "0%"},
		{math.Inf(1), "100%"},
	}
	for _, l := range i18n.Langs() {
		for _, tt := range tests {
			if got := l.Percent(tt.f); got != tt.want {
				t.Errorf("%s.Percent(%v) = %q, want %q", l, tt.f, got, tt.want)
			}
		}
	}
}
