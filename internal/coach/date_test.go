package coach_test

import (
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

// date parses a YYYY-MM-DD date for a test, failing it on a typo.
func date(t testing.TB, s string) coach.Date {
	t.Helper()
	d, ok := coach.ParseDate(s)
	if !ok {
		t.Fatalf("bad test date %q", s)
	}
	return d
}

func TestParseDate(t *testing.T) {
	for _, s := range []string{"2026-12-07", "2028-02-29", "1000-01-01"} {
		d, ok := coach.ParseDate(s)
		if !ok || d.String() != s {
			t.Errorf("ParseDate(%q) = %v, %v; want it back", s, d, ok)
		}
	}
	for _, s := range []string{"", "2026-02-30", "2027-02-29", "2026-13-01", "26-12-07", "2026-12-7", "0999-12-31",
		"2026-12-07T00:00:00Z", " 2026-12-07", "tomorrow"} {
		if d, ok := coach.ParseDate(s); ok {
			t.Errorf("ParseDate(%q) = %v, true; want false", s, d)
		}
	}
	if s := (coach.Date{}).String(); s != "" || !(coach.Date{}).IsZero() {
		t.Errorf("zero Date = %q, IsZero %v; want \"\", true", s, (coach.Date{}).IsZero())
	}
}

func TestDateOfIsTheLocalDay(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 6, 23, 30, 0, 0, time.UTC) // 00:30 on the 7th in Amsterdam
	if got := coach.DateOf(at); got.String() != "2026-12-06" {
		t.Errorf("DateOf(UTC) = %v, want 2026-12-06", got)
	}
	if got := coach.DateOf(at.In(ams)); got.String() != "2026-12-07" {
		t.Errorf("DateOf(Amsterdam) = %v, want 2026-12-07", got)
	}
	if got := date(t, "2026-03-29").In(ams); !got.Equal(time.Date(2026, 3, 28, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("In(Amsterdam) on the DST day = %v, want local midnight", got)
	}
}

func TestDateArithmetic(t *testing.T) {
	tests := []struct {
		from           string
		months         int
		addMonths      string
		days           int
		addDays        string
		until          string
		monthsUntil    int
		daysUntilUntil int
	}{
		{"2026-01-31", 1, "2026-02-28", 1, "2026-02-01", "2026-02-28", 1, 28},
		{"2026-01-31", 1, "2026-02-28", 1, "2026-02-01", "2026-02-27", 0, 27},
		{"2028-01-31", 1, "2028-02-29", 30, "2028-03-01", "2028-03-01", 1, 30},
		{"2026-03-31", -1, "2026-02-28", -31, "2026-02-28", "2026-02-28", -1, -31},
		{"2026-12-07", 12, "2027-12-07", 365, "2027-12-07", "2027-12-06", 11, 364},
		{"2026-12-07", 24, "2028-12-07", 0, "2026-12-07", "2026-12-07", 0, 0},
		{"2026-03-28", 0, "2026-03-28", 2, "2026-03-30", "2026-10-25", 6, 211}, // across both DST changes
	}
	for _, tt := range tests {
		d := date(t, tt.from)
		if got := d.AddMonths(tt.months).String(); got != tt.addMonths {
			t.Errorf("%s.AddMonths(%d) = %s, want %s", tt.from, tt.months, got, tt.addMonths)
		}
		if got := d.AddDays(tt.days).String(); got != tt.addDays {
			t.Errorf("%s.AddDays(%d) = %s, want %s", tt.from, tt.days, got, tt.addDays)
		}
		u := date(t, tt.until)
		if got := d.MonthsUntil(u); got != tt.monthsUntil {
			t.Errorf("%s.MonthsUntil(%s) = %d, want %d", tt.from, tt.until, got, tt.monthsUntil)
		}
		if got := d.DaysUntil(u); got != tt.daysUntilUntil {
			t.Errorf("%s.DaysUntil(%s) = %d, want %d", tt.from, tt.until, got, tt.daysUntilUntil)
		}
	}
}

func TestDateCompare(t *testing.T) {
	a, b := date(t, "2026-12-07"), date(t, "2027-01-01")
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Compare(a) != 0 || a.Compare(b) != -1 || b.Compare(a) != 1 {
		t.Errorf("compare %s and %s is wrong", a, b)
	}
	if x := coach.NewDate(2026, 13, 1); x.String() != "2027-01-01" {
		t.Errorf("NewDate(2026, 13, 1) = %s, want 2027-01-01", x)
	}
}
