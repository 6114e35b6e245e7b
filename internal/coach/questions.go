package coach

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

// QuestionStep is where a question stands in a theme's sequence, the order
// in which Toyota Kata's coaching questions run: what is the target, where
// are you now, what is in the way now, what is your next step, and what did
// you learn from the last one.
type QuestionStep int

// The steps, in sequence order.
const (
	StepTarget   QuestionStep = iota + 1 // what should it look like?
	StepNow                              // where are you now?
	StepObstacle                         // what is in the way now?
	StepNext                             // what is your next step?
	StepLearn                            // what did you learn?
)

// QuestionSteps lists the steps in sequence order.
func QuestionSteps() []QuestionStep {
	return []QuestionStep{StepTarget, StepNow, StepObstacle, StepNext, StepLearn}
}

// QuestionInfo is one self-solving question a director can ask a Lean
// leader. The ID is stable forever: the question history stores it. A
// question is reworded under its ID only when its meaning stays; a question
// that goes is retired (RetiredQuestions) and its ID never comes back.
type QuestionInfo struct {
	ID    string // "q-pdca-01"
	Theme QuestionTheme
	Step  QuestionStep // 0 for a follow-up or a retired question
	// FollowUp marks a theme's follow-up: the question that goes back to
	// what the Lean leader came up with the last time (see SelectQuestion).
	FollowUp bool
}

// TextKey is the catalog key of the question's text.
func (q QuestionInfo) TextKey() string { return QuestionKey(q.ID) }

// QuestionKey is the catalog key of the text of the question with id.
func QuestionKey(id string) string { return "question." + id }

// Questions returns the library, the questions drawn for the question habit:
// grouped by theme in QuestionThemes order, and within a theme in sequence
// order (by step). Adding a question means a new ID (the next free number
// of its theme, never a retired one) and its texts in both languages.
func Questions() []QuestionInfo {
	q := func(id string, t QuestionTheme, s QuestionStep) QuestionInfo {
		return QuestionInfo{ID: id, Theme: t, Step: s}
	}
	return []QuestionInfo{
		q("q-pdca-11", ThemePDCA, StepTarget),
		q("q-pdca-12", ThemePDCA, StepTarget),
		q("q-pdca-01", ThemePDCA, StepNow),
		q("q-pdca-13", ThemePDCA, StepNow),
		q("q-pdca-07", ThemePDCA, StepObstacle),
		q("q-pdca-14", ThemePDCA, StepObstacle),
		q("q-pdca-03", ThemePDCA, StepNext),
		q("q-pdca-04", ThemePDCA, StepNext),
		q("q-pdca-15", ThemePDCA, StepNext),
		q("q-pdca-02", ThemePDCA, StepLearn),
		q("q-pdca-06", ThemePDCA, StepLearn),
		q("q-pdca-08", ThemePDCA, StepLearn),

		q("q-style-04", ThemeStyles, StepTarget),
		q("q-style-10", ThemeStyles, StepTarget),
		q("q-style-15", ThemeStyles, StepTarget),
		q("q-style-01", ThemeStyles, StepNow),
		q("q-style-09", ThemeStyles, StepNow),
		q("q-style-14", ThemeStyles, StepNow),
		q("q-style-02", ThemeStyles, StepObstacle),
		q("q-style-05", ThemeStyles, StepObstacle),
		q("q-style-07", ThemeStyles, StepObstacle),
		q("q-style-11", ThemeStyles, StepObstacle),
		q("q-style-08", ThemeStyles, StepNext),
		q("q-style-16", ThemeStyles, StepNext),
		q("q-style-03", ThemeStyles, StepLearn),
		q("q-style-12", ThemeStyles, StepLearn),
		q("q-style-13", ThemeStyles, StepLearn),

		q("q-phase-05", ThemePhases, StepTarget),
		q("q-phase-06", ThemePhases, StepTarget),
		q("q-phase-09", ThemePhases, StepTarget),
		q("q-phase-02", ThemePhases, StepNow),
		q("q-phase-04", ThemePhases, StepNow),
		q("q-phase-10", ThemePhases, StepNow),
		q("q-phase-11", ThemePhases, StepObstacle),
		q("q-phase-12", ThemePhases, StepObstacle),
		q("q-phase-07", ThemePhases, StepNext),
		q("q-phase-13", ThemePhases, StepNext),
		q("q-phase-14", ThemePhases, StepLearn),
		q("q-phase-15", ThemePhases, StepLearn),

		q("q-customer-01", ThemeCustomer, StepTarget),
		q("q-customer-09", ThemeCustomer, StepTarget),
		q("q-customer-03", ThemeCustomer, StepNow),
		q("q-customer-05", ThemeCustomer, StepNow),
		q("q-customer-08", ThemeCustomer, StepNow),
		q("q-customer-02", ThemeCustomer, StepObstacle),
		q("q-customer-06", ThemeCustomer, StepObstacle),
		q("q-customer-07", ThemeCustomer, StepObstacle),
		q("q-customer-11", ThemeCustomer, StepNext),
		q("q-customer-12", ThemeCustomer, StepNext),
		q("q-customer-04", ThemeCustomer, StepLearn),
		q("q-customer-13", ThemeCustomer, StepLearn),

		q("q-gemba-11", ThemeGemba, StepTarget),
		q("q-gemba-12", ThemeGemba, StepTarget),
		q("q-gemba-02", ThemeGemba, StepNow),
		q("q-gemba-03", ThemeGemba, StepNow),
		q("q-gemba-05", ThemeGemba, StepNow),
		q("q-gemba-07", ThemeGemba, StepNow),
		q("q-gemba-10", ThemeGemba, StepNow),
		q("q-gemba-04", ThemeGemba, StepObstacle),
		q("q-gemba-08", ThemeGemba, StepObstacle),
		q("q-gemba-09", ThemeGemba, StepObstacle),
		q("q-gemba-13", ThemeGemba, StepNext),
		q("q-gemba-14", ThemeGemba, StepNext),
		q("q-gemba-01", ThemeGemba, StepLearn),
		q("q-gemba-06", ThemeGemba, StepLearn),
	}
}

// FollowUps returns each theme's follow-up question, in QuestionThemes
// order. A follow-up goes back to what the Lean leader came up with the
// last time; the prompt shows that note above it (LastAnswer). Follow-ups
// are not part of the library's draw: SelectQuestion puts one first when it
// is due.
func FollowUps() []QuestionInfo {
	out := make([]QuestionInfo, 0, len(QuestionThemes()))
	for _, t := range QuestionThemes() {
		out = append(out, FollowUpQuestion(t))
	}
	return out
}

// FollowUpQuestion is theme t's follow-up question ("q-<prefix>-followup").
func FollowUpQuestion(t QuestionTheme) QuestionInfo {
	return QuestionInfo{ID: "q-" + themePrefix(t) + "-followup", Theme: t, FollowUp: true}
}

// themePrefix is the theme's part of its question IDs.
func themePrefix(t QuestionTheme) string {
	switch t {
	case ThemeStyles:
		return "style"
	case ThemePhases:
		return "phase"
	}
	return string(t)
}

// RetiredQuestions are the questions of an earlier edition of the library
// that are drawn no more: near-duplicates of another question, a "this"
// without anything to refer to in a cold message, a loaded premise, or a
// label on people. Their IDs stay in directors' histories, so they are
// never reused, and their texts stay in the catalogs so that a prompt sent
// before is still shown as it was.
func RetiredQuestions() []QuestionInfo {
	r := func(id string, t QuestionTheme) QuestionInfo { return QuestionInfo{ID: id, Theme: t} }
	return []QuestionInfo{
		r("q-pdca-05", ThemePDCA),         // loaded: assumes a skipped check
		r("q-pdca-09", ThemePDCA),         // near-duplicate of q-gemba-02 (which questions you ask your people)
		r("q-pdca-10", ThemePDCA),         // loaded: assumes acting on gut feeling
		r("q-style-06", ThemeStyles),      // near-duplicate of q-gemba-02
		r("q-phase-01", ThemePhases),      // therapeutic, and labels people
		r("q-phase-03", ThemePhases),      // labels people
		r("q-phase-08", ThemePhases),      // near-duplicate of the reflect prompt
		r("q-customer-10", ThemeCustomer), // merged into q-customer-02 (waste, and who removes it)
	}
}

// LookupQuestion returns the library question or follow-up with id; ok is
// false for an unknown or retired ID.
func LookupQuestion(id string) (QuestionInfo, bool) {
	for _, q := range Questions() {
		if q.ID == id {
			return q, true
		}
	}
	for _, q := range FollowUps() {
		if q.ID == id {
			return q, true
		}
	}
	return QuestionInfo{}, false
}

// IsFollowUp reports whether id is a theme's follow-up question.
func IsFollowUp(id string) bool {
	q, ok := LookupQuestion(id)
	return ok && q.FollowUp
}

// questionTheme is the theme of any question ever in the library, retired
// ones included; ok is false for an ID it never had.
func questionTheme(id string) (QuestionTheme, bool) {
	if q, ok := LookupQuestion(id); ok {
		return q.Theme, true
	}
	for _, q := range RetiredQuestions() {
		if q.ID == id {
			return q.Theme, true
		}
	}
	return "", false
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
// the library (retired questions, follow-ups) are ignored.
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
	return candidates[pickIndex(pick, len(candidates))]
}

// pickIndex asks pick for one of n > 0 candidates and wraps its answer into
// range; a nil pick takes the first.
func pickIndex(pick func(n int) int, n int) int {
	if pick == nil {
		return 0
	}
	i := pick(n) % n
	if i < 0 {
		i += n
	}
	return i
}
