package coach_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

func libraryIDs() []string {
	var ids []string
	for _, q := range coach.Questions() {
		ids = append(ids, q.ID)
	}
	return ids
}

func TestQuestionsLibrary(t *testing.T) {
	qs := coach.Questions()
	if len(qs) < 60 {
		t.Errorf("len(Questions()) = %d, want at least 60", len(qs))
	}
	idPattern := regexp.MustCompile(`^q-[a-z]+-[0-9]{2}$`)
	seen := map[string]bool{}
	perStep := map[coach.QuestionTheme]map[coach.QuestionStep]int{}
	for i, q := range qs {
		if !idPattern.MatchString(q.ID) {
			t.Errorf("question ID %q does not look like q-<theme>-NN", q.ID)
		}
		if seen[q.ID] {
			t.Errorf("question ID %q appears twice", q.ID)
		}
		seen[q.ID] = true
		if !slices.Contains(coach.QuestionThemes(), q.Theme) {
			t.Errorf("question %q has theme %q, not in QuestionThemes()", q.ID, q.Theme)
		}
		if !slices.Contains(coach.QuestionSteps(), q.Step) || q.FollowUp {
			t.Errorf("question %q: step %d, follow-up %v; want a step of QuestionSteps() and no follow-up", q.ID, q.Step, q.FollowUp)
		}
		if perStep[q.Theme] == nil {
			perStep[q.Theme] = map[coach.QuestionStep]int{}
		}
		perStep[q.Theme][q.Step]++
		// Grouped by theme in QuestionThemes order, in sequence order within.
		if i > 0 {
			prev := qs[i-1]
			ti, tp := slices.Index(coach.QuestionThemes(), q.Theme), slices.Index(coach.QuestionThemes(), prev.Theme)
			if ti < tp || (ti == tp && q.Step < prev.Step) {
				t.Errorf("%s (%s, step %d) comes after %s (%s, step %d): want themes in order, steps in order within", q.ID, q.Theme, q.Step, prev.ID, prev.Theme, prev.Step)
			}
		}
		if got, ok := coach.LookupQuestion(q.ID); !ok || got != q {
			t.Errorf("LookupQuestion(%q) = %v, %v; want %v, true", q.ID, got, ok, q)
		}
		if q.TextKey() != "question."+q.ID || coach.QuestionKey(q.ID) != q.TextKey() {
			t.Errorf("QuestionInfo{%q}.TextKey() = %q, want %q", q.ID, q.TextKey(), "question."+q.ID)
		}
	}
	// Every theme runs the whole sequence, with a choice at every step.
	for _, th := range coach.QuestionThemes() {
		for _, st := range coach.QuestionSteps() {
			if perStep[th][st] < 2 {
				t.Errorf("theme %q has %d questions at step %d, want at least 2", th, perStep[th][st], st)
			}
		}
	}
	if _, ok := coach.LookupQuestion("q-nope-01"); ok {
		t.Errorf("LookupQuestion(%q) ok = true, want false", "q-nope-01")
	}
}

func TestFollowUpsAndRetired(t *testing.T) {
	lib := libraryIDs()
	fus := coach.FollowUps()
	if len(fus) != len(coach.QuestionThemes()) {
		t.Fatalf("len(FollowUps()) = %d, want one per theme (%d)", len(fus), len(coach.QuestionThemes()))
	}
	for i, q := range fus {
		th := coach.QuestionThemes()[i]
		if q.Theme != th || !q.FollowUp || q != coach.FollowUpQuestion(th) || !coach.IsFollowUp(q.ID) {
			t.Errorf("FollowUps()[%d] = %+v, want the follow-up of %s", i, q, th)
		}
		if got, ok := coach.LookupQuestion(q.ID); !ok || got != q {
			t.Errorf("LookupQuestion(%q) = %v, %v; want %v, true", q.ID, got, ok, q)
		}
		if slices.Contains(lib, q.ID) {
			t.Errorf("follow-up %s is in the library's draw", q.ID)
		}
	}
	if coach.IsFollowUp(lib[0]) || coach.IsFollowUp("q-nope-followup") {
		t.Errorf("IsFollowUp is true for a library question or an unknown ID")
	}
	retired := coach.RetiredQuestions()
	if len(retired) == 0 {
		t.Fatal("RetiredQuestions() is empty")
	}
	for _, q := range retired {
		if slices.Contains(lib, q.ID) {
			t.Errorf("retired %s is back in the library: a retired ID is never reused", q.ID)
		}
		if _, ok := coach.LookupQuestion(q.ID); ok {
			t.Errorf("LookupQuestion(%q) ok = true for a retired question", q.ID)
		}
		if !slices.Contains(coach.QuestionThemes(), q.Theme) {
			t.Errorf("retired %s has no theme", q.ID)
		}
	}
}

func TestQuestionTexts(t *testing.T) {
	keys := map[i18n.Lang][]string{}
	for _, l := range i18n.Langs() {
		keys[l] = i18n.Keys(l)
	}
	known := map[string]bool{}
	check := func(key string) {
		t.Helper()
		known[key] = true
		for _, l := range i18n.Langs() {
			if !slices.Contains(keys[l], key) {
				t.Errorf("catalog %s has no %q", l, key)
			}
		}
		if en, nl := i18n.EN.T(key), i18n.NL.T(key); en == nl && key != coach.ThemePDCA.NameKey() {
			t.Errorf("%q is the same in EN and NL (%q): untranslated?", key, en)
		}
	}
	every := append(append(coach.Questions(), coach.FollowUps()...), coach.RetiredQuestions()...)
	for _, q := range every {
		check(q.TextKey())
	}
	for _, th := range coach.QuestionThemes() {
		check(th.NameKey())
	}
	// No text for a question the library does not know.
	for _, l := range i18n.Langs() {
		for _, k := range keys[l] {
			if strings.HasPrefix(k, "question.") && !known[k] {
				t.Errorf("catalog %s has %q, which is no question, follow-up, retired question or theme", l, k)
			}
		}
	}
	// Texts are unique: two IDs with one text would make the cycle lie.
	for _, l := range i18n.Langs() {
		texts := map[string]string{}
		for _, q := range every {
			s := l.T(q.TextKey())
			if other, ok := texts[s]; ok {
				t.Errorf("%s: %q and %q have the same text %q", l, other, q.ID, s)
			}
			texts[s] = q.ID
		}
	}
}

func TestNextQuestionTable(t *testing.T) {
	lib := libraryIDs()
	n := len(lib)
	reversed := slices.Clone(lib)
	slices.Reverse(reversed)
	first := func(int) int { return 0 }

	tests := []struct {
		name      string
		asked     []string
		pick      func(int) int
		want      string
		wantCands int // the n that pick must be given
	}{
		{"no history", nil, first, lib[0], n},
		{"one asked", lib[:1], first, lib[1], n - 1},
		{"retired IDs are ignored", []string{"q-old-01", lib[0], "q-old-02"}, first, lib[1], n - 1},
		{"all but one asked", lib[:n-1], first, lib[n-1], 1},
		{"cycle just completed: not the last one", reversed, first, lib[1], n - 1},
		{"cycle completed in order", lib, first, lib[0], n - 1},
		{"second cycle under way", append(slices.Clone(lib), lib[3], lib[0]), first, lib[1], n - 2},
		{"repeats within a cycle count once", []string{lib[2], lib[0], lib[2]}, first, lib[1], n - 2},
		{"nil pick takes the first", lib[:2], nil, lib[2], -1},
		{"pick out of range wraps", nil, func(k int) int { return k + 1 }, lib[1], n},
		{"negative pick wraps", nil, func(int) int { return -1 }, lib[n-1], n},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotN := -1
			var pick func(int) int
			if tt.pick != nil {
				pick = func(k int) int { gotN = k; return tt.pick(k) }
			}
			if got := coach.NextQuestion(tt.asked, pick); got != tt.want {
				t.Errorf("NextQuestion(%s) = %q, want %q", tt.name, got, tt.want)
			}
			if gotN != tt.wantCands {
				t.Errorf("NextQuestion(%s) called pick(%d), want pick(%d)", tt.name, gotN, tt.wantCands)
			}
		})
	}
}

// TestNextQuestionCycles draws many questions with a seeded random pick and
// checks the two promises: never the same question twice in a row, and the
// draws come in blocks of len(library) that each hold every question once.
func TestNextQuestionCycles(t *testing.T) {
	lib := libraryIDs()
	picks := map[string]func(r *rand.Rand) func(int) int{
		"uniform":   func(r *rand.Rand) func(int) int { return r.IntN },
		"first":     func(*rand.Rand) func(int) int { return func(int) int { return 0 } },
		"last":      func(*rand.Rand) func(int) int { return func(n int) int { return n - 1 } },
		"wild ints": func(r *rand.Rand) func(int) int { return func(int) int { return int(r.Int64()) } },
	}
	for name, mk := range picks {
		for seed := range 20 {
			t.Run(fmt.Sprintf("%s/%d", name, seed), func(t *testing.T) {
				r := rand.New(rand.NewPCG(uint64(seed), 99))
				pick := mk(r)
				var asked []string
				for range 6 * len(lib) {
					q := coach.NextQuestion(asked, pick)
					if _, ok := coach.LookupQuestion(q); !ok {
						t.Fatalf("NextQuestion = %q, not in the library", q)
					}
					if len(asked) > 0 && asked[len(asked)-1] == q {
						t.Fatalf("NextQuestion after %d draws = %q, the same as the one before", len(asked), q)
					}
					asked = append(asked, q)
				}
				for start := 0; start < len(asked); start += len(lib) {
					block := slices.Sorted(slices.Values(asked[start : start+len(lib)]))
					if !slices.Equal(block, slices.Sorted(slices.Values(lib))) {
						t.Fatalf("draws %d..%d are not the whole library once each", start, start+len(lib)-1)
					}
				}
			})
		}
	}
}

// TestNextQuestionAfterOddHistory: whatever history the store holds
// (including retired IDs and repeats from an older library), the next draws
// still never repeat the last one and finish the current cycle before
// anything repeats.
func TestNextQuestionAfterOddHistory(t *testing.T) {
	lib := libraryIDs()
	for seed := range 200 {
		r := rand.New(rand.NewPCG(uint64(seed), 7))
		var asked []string
		for range r.IntN(3 * len(lib)) {
			if r.IntN(10) == 0 {
				asked = append(asked, "q-retired-01")
				continue
			}
			asked = append(asked, lib[r.IntN(len(lib))])
		}
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			last := ""
			for i := len(asked) - 1; i >= 0; i-- {
				if _, ok := coach.LookupQuestion(asked[i]); ok {
					last = asked[i]
					break
				}
			}
			var drawn []string
			for range len(lib) {
				q := coach.NextQuestion(append(slices.Clone(asked), drawn...), r.IntN)
				if q == last {
					t.Fatalf("NextQuestion = %q, the same as the one before", q)
				}
				if slices.Contains(drawn, q) {
					t.Fatalf("NextQuestion = %q again within %d draws of a %d-question library", q, len(drawn)+1, len(lib))
				}
				drawn = append(drawn, q)
				last = q
				if coversCycle(append(slices.Clone(asked), drawn...), lib) {
					return // the cycle closed; TestNextQuestionCycles covers what follows
				}
			}
		})
	}
}

// coversCycle reports whether history ends exactly at a cycle boundary.
func coversCycle(history, lib []string) bool {
	seen := map[string]bool{}
	for _, id := range history {
		if slices.Contains(lib, id) {
			seen[id] = true
		}
		if len(seen) == len(lib) {
			clear(seen)
		}
	}
	return len(seen) == 0
}

// BenchmarkNextQuestion: a director with five years of twice-weekly
// questions (about 520 in the history).
func BenchmarkNextQuestion(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	var asked []string
	for range 520 {
		asked = append(asked, coach.NextQuestion(asked, r.IntN))
	}
	b.ReportAllocs()
	for b.Loop() {
		coach.NextQuestion(asked, r.IntN)
	}
}
