package i18n_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/leancoach/leancoach/internal/i18n"
)

// The catalog tests run over every key of every area, present and future:
// they read the merged catalogs through i18n.Keys, not a list of areas.

func TestCatalogKeysInEveryLanguage(t *testing.T) {
	keys := map[i18n.Lang][]string{}
	for _, l := range i18n.Langs() {
		keys[l] = i18n.Keys(l)
		if len(keys[l]) == 0 {
			t.Fatalf("Keys(%s) is empty", l)
		}
	}
	has := func(l i18n.Lang, k string) bool { return slices.Contains(keys[l], k) }
	for _, l := range i18n.Langs() {
		for _, k := range keys[l] {
			for _, other := range i18n.Langs() {
				if !has(other, k) {
					t.Errorf("key %q is in %s but missing from %s", k, l, other)
				}
			}
		}
	}
}

func TestCatalogTextsNonEmptyAndDotted(t *testing.T) {
	for _, l := range i18n.Langs() {
		for _, k := range i18n.Keys(l) {
			if !strings.Contains(k, ".") || strings.TrimSpace(k) != k {
				t.Errorf("key %q (%s) is not a dotted <area>.<name> key", k, l)
			}
			s := l.T(k)
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s.T(%q) is empty", l, k)
			}
			if s != strings.TrimSpace(s) {
				t.Errorf("%s.T(%q) = %q, has leading or trailing space", l, k, s)
			}
		}
	}
}

func TestCatalogSameVerbsInEveryLanguage(t *testing.T) {
	for _, k := range i18n.Keys(i18n.EN) {
		en, err := verbs(i18n.EN.T(k))
		if err != nil {
			t.Errorf("EN %q: %v", k, err)
			continue
		}
		for _, l := range i18n.Langs()[1:] {
			got, err := verbs(l.T(k))
			if err != nil {
				t.Errorf("%s %q: %v", l, k, err)
				continue
			}
			if !slices.Equal(got, en) {
				t.Errorf("verbs of %s %q = %v, want %v (as in EN)", l, k, got, en)
			}
		}
	}
}

// Lang.T passes a text through fmt only when it has arguments, so "%%" in a
// text without verbs would show as "%%". Such a text must write "%" plainly.
func TestCatalogNoEscapedPercentWithoutVerbs(t *testing.T) {
	for _, l := range i18n.Langs() {
		for _, k := range i18n.Keys(l) {
			s := l.T(k)
			if v, err := verbs(s); err == nil && len(v) == 0 && strings.Contains(s, "%%") {
				t.Errorf("%s %q = %q: has %%%% but no verbs, so it renders as %%%%", l, k, s)
			}
		}
	}
}

func TestCatalogPluralPairs(t *testing.T) {
	for _, l := range i18n.Langs() {
		keys := i18n.Keys(l)
		for _, k := range keys {
			base, form, ok := cutLast(k)
			if !ok {
				continue
			}
			var twin string
			switch form {
			case "one":
				twin = base + ".other"
			case "other":
				twin = base + ".one"
			default:
				continue
			}
			if !slices.Contains(keys, twin) {
				t.Errorf("%s: plural key %q has no %q", l, k, twin)
			}
		}
	}
}

func cutLast(k string) (base, last string, ok bool) {
	i := strings.LastIndexByte(k, '.')
	if i < 0 {
		return "", "", false
	}
	return k[:i], k[i+1:], true
}

// verbs returns the sorted, deduplicated set of "argindex:verb" that fmt
// would use for format s, following fmt's rules: flags, an optional [n]
// argument index, width and precision (either may be * or [n]*, which
// consume an argument as int), and the verb. %% consumes nothing.
func verbs(s string) ([]string, error) {
	var out []string
	arg := 1
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		i++
		if i >= len(s) {
			return nil, fmt.Errorf("format %q ends in a lone %%", s)
		}
		if s[i] == '%' {
			continue
		}
		for i < len(s) && strings.IndexByte("+-# 0", s[i]) >= 0 {
			i++
		}
		index := func() error {
			if i < len(s) && s[i] == '[' {
				j := strings.IndexByte(s[i:], ']')
				if j < 0 {
					return fmt.Errorf("format %q: unclosed argument index", s)
				}
				var n int
				if _, err := fmt.Sscanf(s[i+1:i+j], "%d", &n); err != nil || n < 1 {
					return fmt.Errorf("format %q: bad argument index %q", s, s[i:i+j+1])
				}
				arg = n
				i += j + 1
			}
			return nil
		}
		star := func() {
			if i < len(s) && s[i] == '*' {
				out = append(out, fmt.Sprintf("%d:*", arg))
				arg++
				i++
				return
			}
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				i++
			}
		}
		if err := index(); err != nil {
			return nil, err
		}
		star()
		if i < len(s) && s[i] == '.' {
			i++
			if err := index(); err != nil {
				return nil, err
			}
			star()
		}
		if err := index(); err != nil {
			return nil, err
		}
		if i >= len(s) {
			return nil, fmt.Errorf("format %q: missing verb", s)
		}
		out = append(out, fmt.Sprintf("%d:%c", arg, s[i]))
		arg++
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func TestVerbs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"plain", nil},
		{"100%%", nil},
		{"%s and %d", []string{"1:s", "2:d"}},
		{"%[2]s before %[1]s", []string{"1:s", "2:s"}},
		{"%[1]d%%", []string{"1:d"}},
		{"%-5.2f and %q", []string{"1:f", "2:q"}},
		{"%[1]s %[1]s", []string{"1:s"}},
		{"%[3]d then %v", []string{"3:d", "4:v"}},
		{"%*d", []string{"1:*", "2:d"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := verbs(tt.in)
			if err != nil {
				t.Fatalf("verbs(%q) error %v", tt.in, err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("verbs(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
	for _, bad := range []string{"50%", "%[x]d", "%[2"} {
		if _, err := verbs(bad); err == nil {
			t.Errorf("verbs(%q) error = nil, want an error", bad)
		}
	}
}
