package retention_test

import (
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/retention"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want retention.Period
		ok   bool
	}{
		{"365d", retention.Period{Days: 365}, true},
		{" 18MO ", retention.Period{Months: 18}, true},
		{"30d", retention.Period{Days: 30}, true},
		{"1mo", retention.Period{Months: 1}, true},
		{"3650d", retention.Period{Days: 3650}, true},
		{"off", retention.Period{}, true},
		{"0", retention.Period{}, true},
		{"0d", retention.Period{}, true},
		{"29d", retention.Period{}, false},
		{"3651d", retention.Period{}, false},
		{"121mo", retention.Period{}, false},
		{"18m", retention.Period{}, false},
		{"2y", retention.Period{}, false},
		{"365", retention.Period{}, false},
		{"d", retention.Period{}, false},
		{"-5d", retention.Period{}, false},
		{"1.5mo", retention.Period{}, false},
		{"365 d", retention.Period{}, false},
		{"8760h", retention.Period{}, false},
		{"", retention.Period{}, false},
	} {
		t.Run(c.in, func(t *testing.T) {
			got, err := retention.Parse(c.in)
			if (err == nil) != c.ok || got != c.want {
				t.Errorf("Parse(%q) = %+v, %v, want %+v (ok %t)", c.in, got, err, c.want, c.ok)
			}
			if c.ok && !got.Off() {
				if back, err := retention.Parse(got.String()); err != nil || back != got {
					t.Errorf("Parse(%q.String() = %q) = %+v, %v", c.in, got.String(), back, err)
				}
			}
		})
	}
}

func TestCutoffUsesCalendarMonths(t *testing.T) {
	now := time.Date(2026, 3, 31, 3, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		r    retention.Period
		want time.Time
	}{
		{retention.Period{Days: 365}, time.Date(2025, 3, 31, 3, 0, 0, 0, time.UTC)},
		{retention.Period{Months: 18}, time.Date(2024, 10, 1, 3, 0, 0, 0, time.UTC)}, // 2024-09-31 normalised
		{retention.Period{Months: 1}, time.Date(2026, 3, 3, 3, 0, 0, 0, time.UTC)},   // 2026-02-31 normalised
	} {
		if got := c.r.Cutoff(now); !got.Equal(c.want) {
			t.Errorf("%s.Cutoff(%s) = %s, want %s", c.r, now, got, c.want)
		}
	}
}
