package coach_test

import (
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

func TestParseStyle(t *testing.T) {
	tests := []struct {
		in   string
		want coach.Style
		ok   bool
	}{
		{"directing", coach.Directing, true},
		{"Sturen", coach.Directing, true},
		{" coachen ", coach.Coaching, true},
		{"FACILITEREN", coach.Facilitating, true},
		{"delegating", coach.Delegating, true},
		{"delegeren", coach.Delegating, true},
		{"", "", false},
		{"managing", "", false},
	}
	for _, tt := range tests {
		got, ok := coach.ParseStyle(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseStyle(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	if coach.Style("sturen").Valid() {
		t.Error(`Style("sturen").Valid() = true, want false: only the stored keys are styles`)
	}
}

func TestParsePhase(t *testing.T) {
	for _, in := range []string{"0", "5", "-1", "x", "", "1.5"} {
		if p, ok := coach.ParsePhase(in); ok {
			t.Errorf("ParsePhase(%q) = %d, true, want false", in, p)
		}
	}
	for i, p := range coach.Phases() {
		got, ok := coach.ParsePhase(string(rune('1' + i)))
		if !ok || got != p {
			t.Errorf("ParsePhase(%d) = %d, %v, want %d", i+1, got, ok, p)
		}
	}
}

// Every style and phase has a name and a one-line hint in every language.
func TestStyleAndPhaseTexts(t *testing.T) {
	for _, l := range i18n.Langs() {
		for _, s := range coach.Styles() {
			for _, k := range []string{s.NameKey(), s.HintKey()} {
				if l.T(k) == k {
					t.Errorf("%s: no text for %s", l, k)
				}
			}
		}
		for _, p := range coach.Phases() {
			for _, k := range []string{p.NameKey(), p.HintKey()} {
				if l.T(k) == k {
					t.Errorf("%s: no text for %s", l, k)
				}
			}
		}
	}
}
