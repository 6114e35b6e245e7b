package schedule_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/schedule"
)

// Rules gives the domain what ParseWhen gives: the canonical text, the same
// send times, the same EINVALID errors, and a nil Rule with an error.
func TestRulesParseAsParseWhen(t *testing.T) {
	rules := schedule.NewRules()
	ams := mustZone(t, "Europe/Amsterdam")
	after := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC) // a Friday
	for _, in := range []string{"Weekdays 8:45", "monthly first mon 09:00", `cron "0 9 1 * *"`} {
		want := schedule.MustParseWhen(in)
		for range 2 { // parsed, then kept
			got, err := rules.Parse(in)
			if err != nil {
				t.Fatalf("Parse(%q) error %v", in, err)
			}
			if got.String() != want.String() {
				t.Errorf("Parse(%q).String() = %q, want %q", in, got.String(), want.String())
			}
			if g, w := got.Next(after, ams), want.Next(after, ams); !g.Equal(w) {
				t.Errorf("Parse(%q).Next = %v, want %v", in, g, w)
			}
			if r, err := rules.Rule(in); err != nil || r != want {
				t.Errorf("Rule(%q) = %v, %v; want %v", in, r, err, want)
			}
		}
	}
	if got, _ := rules.Parse("weekdays 08:45"); !got.Next(after, ams).Equal(time.Date(2026, 12, 7, 8, 45, 0, 0, ams)) {
		t.Errorf("weekdays 08:45 after Friday noon = %v, want Monday 08:45 in Amsterdam", got.Next(after, ams))
	}
	for range 2 {
		r, err := rules.Parse(`cron "* * * * *"`)
		if coach.ErrorCode(err) != coach.EINVALID || r != nil {
			t.Errorf("Parse(every minute) = %v, %v; want nil, EINVALID", r, err)
		}
	}
}

// Many goroutines may ask at once (the due-loop, Home views, commands).
func TestRulesConcurrent(t *testing.T) {
	rules := schedule.NewRules()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				when := fmt.Sprintf("daily %02d:%02d", (g+i)%24, i%60)
				r, err := rules.Parse(when)
				if err != nil || r.String() != when {
					t.Errorf("Parse(%q) = %v, %v", when, r, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// BenchmarkRuleNext compares what asking a schedule's next send time cost
// before (the text parsed on every question), with what it costs now (the
// rule parsed once and kept). The App Home asks up to 400 times per
// schedule (the walk through a long leave); the due-loop asks on every pass.
func BenchmarkRuleNext(b *testing.B) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		b.Fatal(err)
	}
	after := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	for _, when := range []string{"weekdays 08:45", "monthly last fri 16:00", `cron "0 9 1-7 * 1"`} {
		b.Run("reparse/"+when, func(b *testing.B) {
			for b.Loop() {
				r, err := schedule.ParseWhen(when)
				if err != nil {
					b.Fatal(err)
				}
				r.Next(after, ams)
			}
		})
		b.Run("kept/"+when, func(b *testing.B) {
			rules := schedule.NewRules()
			for b.Loop() {
				r, err := rules.Parse(when)
				if err != nil {
					b.Fatal(err)
				}
				r.Next(after, ams)
			}
		})
	}
}
