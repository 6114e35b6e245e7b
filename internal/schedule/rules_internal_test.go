package schedule

import (
	"fmt"
	"testing"
)

// A rule text is parsed once and then kept; the keep is bounded.
func TestRulesKeepEachTextOnce(t *testing.T) {
	rules := NewRules()
	first, err := rules.kept("weekdays 08:45")
	if err != nil {
		t.Fatal(err)
	}
	again, err := rules.kept("weekdays 08:45")
	if err != nil || again != first {
		t.Errorf("second kept(weekdays 08:45) = %p, %v; want the kept rule %p", again, err, first)
	}
	if _, err := rules.kept("every day"); err == nil {
		t.Error(`kept("every day") = nil error, want a parse error`)
	}
	if n := len(rules.byText); n != 1 {
		t.Errorf("Rules keeps %d texts, want 1 (errors are not kept)", n)
	}
	for i := range maxKeptRules + 10 {
		if _, err := rules.kept(fmt.Sprintf(`cron "%d %d %d * *"`, i%60, i/60%24, 1+i/1440%28)); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(rules.byText); n > maxKeptRules {
		t.Errorf("Rules keeps %d texts, want at most %d", n, maxKeptRules)
	}
}
