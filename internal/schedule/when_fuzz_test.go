package schedule_test

import (
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/schedule"
)

// FuzzParseWhen checks the policy of every rule ParseWhen accepts: it never
// panics, and a rule it accepts reads back from its canonical text, always has
// a next time within 401 days, and fires at most once an hour (in fact once a
// day) in every zone.
func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{
		// reliability.md 7E2
		`cron "TZ=UTC"`, `cron "CRON_TZ="`, `cron "CRON_TZ=Bogus/Zone 0 9 * * *"`,
		`cron "@every 1s"`, `cron "@every -5m"`, `cron "* * * * *"`, `cron "0 0 30 2 *"`,
		`cron "0 0 9 * * *"`, `cron "0 ٩ * * *"`, `cron "０ 9 * * *"`, "cron " + strings.Repeat("9", 10240),
		"TZ=UTC", "CRON_TZ=", "@every 1s", "* * * * *", "0 0 30 2 *",
		// the product's forms
		"daily 08:45", "weekdays 08:45", "mon,wed,fri 08:45", "mon-fri 08:45", "weekly fri 15:00",
		"monthly first mon 09:00", "monthly last sun 02:30",
		"monthly first workday 09:00", "monthly last workday 23:59", "monthly fourth workday 00:00",
		"quarterly second mon 09:00", "quarterly last workday 16:00", `cron "0 9 * * 1-5"`, `cron "30 2 8 3 *"`,
		`cron "0 9 1 * mon"`, `cron "0 9 L * *"`, `cron "0 9 ? * ?"`, `cron "0 9 */2 * *"`,
	} {
		f.Add(s)
	}
	zones := []*time.Location{time.UTC}
	for _, name := range []string{"Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			f.Fatalf("LoadLocation(%q): %v", name, err)
		}
		zones = append(zones, loc)
	}
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		r, err := schedule.ParseWhen(s)
		if err != nil {
			return
		}
		again, err := schedule.ParseWhen(r.String())
		if err != nil || again != r {
			t.Fatalf("ParseWhen(%q).String() = %q reads back as %v, %v", s, r.String(), again.String(), err)
		}
		for _, loc := range zones {
			got := r.Preview(from, loc, 4)
			if len(got) != 4 {
				t.Fatalf("ParseWhen(%q).Preview(%v, %v, 4) = %v, want 4 times", s, from, loc, got)
			}
			prev := from
			for _, g := range got {
				if g.Sub(prev) > 401*24*time.Hour {
					t.Fatalf("ParseWhen(%q) in %v: %v after %v, want within 401 days", s, loc, g, prev)
				}
				if prev != from && g.Sub(prev) < time.Hour {
					t.Fatalf("ParseWhen(%q) in %v fires at %v and %v, want at most hourly", s, loc, prev, g)
				}
				prev = g
			}
		}
	})
}
