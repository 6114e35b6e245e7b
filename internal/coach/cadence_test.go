package coach_test

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// whenGrammar is the schedule grammar of docs/product.md (/coach schedule add).
var whenGrammar = regexp.MustCompile(`^(` +
	`(daily|weekdays) \d\d:\d\d` +
	`|(mon|tue|wed|thu|fri|sat|sun)(,(mon|tue|wed|thu|fri|sat|sun))* \d\d:\d\d` +
	`|weekly (mon|tue|wed|thu|fri|sat|sun) \d\d:\d\d` +
	`|(monthly|quarterly) (first|second|third|fourth|last) (mon|tue|wed|thu|fri|sat|sun|workday) \d\d:\d\d` +
	`|cron "[^"]+"` +
	`)$`)

func TestDefaultWhen(t *testing.T) {
	for _, h := range coach.Habits() {
		t.Run(string(h), func(t *testing.T) {
			w := h.DefaultWhen()
			if !whenGrammar.MatchString(w) {
				t.Fatalf("%s.DefaultWhen() = %q, not in the schedule grammar", h, w)
			}
			// The interval must agree with the rule.
			var want float64
			switch f := strings.Fields(w); {
			case f[0] == "daily" || f[0] == "weekdays":
				want = 1
			case f[0] == "weekly":
				want = 7
			case f[0] == "monthly":
				want = 30
			case f[0] == "quarterly":
				want = 90
			default:
				want = 7 / float64(len(strings.Split(f[0], ",")))
			}
			if got := h.Interval(); math.Abs(got-want) > 1e-9 {
				t.Errorf("%s.Interval() = %v, want %v for %q", h, got, want, w)
			}
		})
	}
}

func TestCoreCadences(t *testing.T) {
	tests := []struct {
		h        coach.Habit
		when     string
		interval float64
	}{
		{coach.Standup, "weekly tue 08:45", 7},
		{coach.Question, "weekly wed 10:00", 7},
		{coach.Compliment, "weekly thu 15:00", 7},
		{coach.PathReview, "monthly first workday 09:00", 30},
		{coach.WeekReview, "monthly third fri 10:00", 30},
		{coach.Learning, "quarterly last tue 11:00", 90},
	}
	for _, tt := range tests {
		if got := tt.h.DefaultWhen(); got != tt.when {
			t.Errorf("%s.DefaultWhen() = %q, want %q", tt.h, got, tt.when)
		}
		if got := tt.h.Interval(); got != tt.interval {
			t.Errorf("%s.Interval() = %v, want %v", tt.h, got, tt.interval)
		}
	}
	unknown := coach.Habit("juggling")
	if got := unknown.DefaultWhen(); got != "" {
		t.Errorf("Habit(%q).DefaultWhen() = %q, want \"\"", unknown, got)
	}
	if got := unknown.Interval(); got != 1 {
		t.Errorf("Habit(%q).Interval() = %v, want 1", unknown, got)
	}
}

// TestHabitTexts: every habit has its four texts in every language, and the
// Dutch ones are not copies of the English ones.
func TestHabitTexts(t *testing.T) {
	for _, l := range i18n.Langs() {
		keys := i18n.Keys(l)
		for _, h := range coach.Habits() {
			for _, k := range []string{h.NameKey(), h.PromptKey(), h.ReasonKey(), h.ShortKey()} {
				if !slices.Contains(keys, k) {
					t.Errorf("catalog %s has no %q", l, k)
				}
			}
		}
	}
	for _, h := range coach.Habits() {
		for _, k := range []string{h.NameKey(), h.PromptKey(), h.ReasonKey(), h.ShortKey()} {
			if i18n.EN.T(k) == i18n.NL.T(k) {
				t.Errorf("%q is the same in EN and NL: untranslated?", k)
			}
		}
		if name := i18n.EN.T(h.NameKey()); len(name) > 40 {
			t.Errorf("EN %q = %q, want a short name (at most 40 bytes)", h.NameKey(), name)
		}
	}
}
