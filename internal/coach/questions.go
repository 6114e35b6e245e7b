package coach

import "fmt"

// QuestionTheme groups the questions of the library (see docs/domain.md).
type QuestionTheme string

// The themes, in the order users see them.
const (
	ThemePDCA     QuestionTheme = "pdca"     // plan, do, check, act
	ThemeStyles   QuestionTheme = "styles"   // directing, coaching, facilitating, delegating
	ThemePhases   QuestionTheme = "phases"   // self-acceptance, self-knowledge, development, spreading
	ThemeCustomer QuestionTheme = "customer" // customer value, waste
	ThemeGemba    QuestionTheme = "gemba"    // go see, ask why, show respect
)

// QuestionThemes lists the themes in the order users see them.
func QuestionThemes() []QuestionTheme {
	return []QuestionTheme{ThemePDCA, ThemeStyles, ThemePhases, ThemeCustomer, ThemeGemba}
}

// NameKey is the catalog key of the theme's name.
func (t QuestionTheme) NameKey() string { return "question.theme." + string(t) }

// QuestionInfo is one self-solving question a director can ask a Lean
// leader. The ID is stable forever: the question history stores it.
type QuestionInfo struct {
	ID    string // "q-pdca-01"
	Theme QuestionTheme
}

// TextKey is the catalog key of the question's text.
func (q QuestionInfo) TextKey() string { return QuestionKey(q.ID) }

// QuestionKey is the catalog key of the text of the question with id.
func QuestionKey(id string) string { return "question." + id }

// questionCounts says how many questions each theme has; the IDs are
// "q-<prefix>-NN", numbered from 01. Adding a question means raising a count
// and adding its texts; never renumber.
func questionCounts() []struct {
	theme  QuestionTheme
	prefix string
	n      int
} {
	return []struct {
		theme  QuestionTheme
		prefix string
		n      int
	}{
		{ThemePDCA, "pdca", 10},
		{ThemeStyles, "style", 12},
		{ThemePhases, "phase", 8},
		{ThemeCustomer, "customer", 10},
		{ThemeGemba, "gemba", 10},
	}
}

// Questions returns the whole library, grouped by theme in QuestionThemes
// order.
func Questions() []QuestionInfo {
	var out []QuestionInfo
	for _, c := range questionCounts() {
		for i := 1; i <= c.n; i++ {
			out = append(out, QuestionInfo{ID: questionID(c.prefix, i), Theme: c.theme})
		}
	}
	return out
}

func questionID(prefix string, i int) string { return fmt.Sprintf("q-%s-%02d", prefix, i) }

// LookupQuestion returns the question with id; ok is false for an unknown
// (for example retired) ID.
func LookupQuestion(id string) (QuestionInfo, bool) {
	for _, q := range Questions() {
		if q.ID == id {
			return q, true
		}
	}
	return QuestionInfo{}, false
}

// NextQuestion picks the next question for a director whose history of shown
// questions is asked (oldest first, as KudosStore.AskedQuestions returns it).
//
// Invariants: it never returns the last question in asked, and it goes
// through the whole library before any question comes back. The history is
// cut into cycles: a cycle ends as soon as every question of the library has
// been asked since it began. The next question is one not yet asked in the
// current cycle; when the current cycle is empty (no history, or the last
// one just completed), any question but the last asked. IDs that are not in
// the library (retired questions) are ignored.
//
// pick(n) chooses among the n candidates, in library order, and must return
// 0 <= i < n (math/rand/v2.IntN fits; a fixed pick makes tests
// deterministic); out-of-range results are wrapped into range. A nil pick
// takes the first candidate.
func NextQuestion(asked []string, pick func(n int) int) string {
	lib := Questions()
	index := make(map[string]int, len(lib))
	for i, q := range lib {
		index[q.ID] = i
	}

	inCycle := make([]bool, len(lib))
	seen, last := 0, -1
	for _, id := range asked {
		i, ok := index[id]
		if !ok {
			continue
		}
		last = i
		if !inCycle[i] {
			inCycle[i] = true
			seen++
		}
		if seen == len(lib) {
			clear(inCycle)
			seen = 0
		}
	}

	candidates := make([]string, 0, len(lib))
	for i, q := range lib {
		if inCycle[i] || (seen == 0 && i == last) {
			continue
		}
		candidates = append(candidates, q.ID)
	}
	if len(candidates) == 0 { // a library of one question
		return lib[0].ID
	}
	if pick == nil {
		return candidates[0]
	}
	i := pick(len(candidates)) % len(candidates)
	if i < 0 {
		i += len(candidates)
	}
	return candidates[i]
}
