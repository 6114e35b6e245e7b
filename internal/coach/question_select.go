package coach

import (
	"slices"
	"strings"
)

// QuestionContext is what the choice of a director's next question takes
// into account besides the questions already shown.
type QuestionContext struct {
	// Path is the delegation path of the director with the Lean leader the
	// question is for: the style the leader needs now and the phase of the
	// leader's team. Nil when there is none (LoadQuestionContext fills it
	// from the director's paths).
	Path *QuestionPath
	// Last is the director's last answered question and what the Lean
	// leader came up with then.
	Last LastAnswer
}

// QuestionPath is the part of a delegation path that steers the questions.
// A zero Style or Phase means not set.
type QuestionPath struct {
	Style  Style
	Phase  Phase
	Leader UserID
}

// LastAnswer is a director's last answered question prompt: which question
// it was and the note of what the Lean leader came up with (the question
// answer's Note). Leader is the Lean leader it was about when that is known
// (the path's, or the director's only one); empty otherwise.
type LastAnswer struct {
	QuestionID string
	CameUpWith string
	Leader     UserID
}

// HasNote reports whether the last answer holds a note to follow up on.
func (l LastAnswer) HasNote() bool { return strings.TrimSpace(l.CameUpWith) != "" }

// SelectQuestion picks the next question for a director whose shown
// questions are asked (oldest first), in this order:
//
//  1. A follow-up, when the last answer has a note of what the Lean leader
//     came up with and no follow-up was shown since that question (see
//     followUpDue): the follow-up of that question's theme.
//  2. With a path (qc.Path with a valid style or phase): a question of the
//     themes that fit the leader's style and phase (FitThemes), in sequence
//     order (see pathQuestion).
//  3. Without one: NextQuestion, with its invariants (never the last one,
//     the whole library before any question comes back).
//
// It never returns the question shown last. pick is as for NextQuestion.
func SelectQuestion(asked []string, qc QuestionContext, pick func(n int) int) string {
	if id, ok := followUpDue(asked, qc); ok {
		return id
	}
	if p := qc.Path; p != nil {
		if id, ok := pathQuestion(asked, FitThemes(p.Style, p.Phase), pick); ok {
			return id
		}
	}
	return NextQuestion(asked, pick)
}

// followUpDue returns the follow-up to show now, if one is due: the last
// answer has a note, and neither its question nor any shown after it was a
// follow-up (when that question is not in asked: the last one shown was no
// follow-up). So a follow-up never comes twice in a row, and the answer to a
// follow-up leads on to the next question rather than to another follow-up.
func followUpDue(asked []string, qc QuestionContext) (string, bool) {
	if !qc.Last.HasNote() {
		return "", false
	}
	since := len(asked) - 1 // only the last one shown, unless the answered question is found
	for i, id := range slices.Backward(asked) {
		if id == qc.Last.QuestionID {
			since = i
			break
		}
	}
	for _, id := range asked[max(since, 0):] {
		if IsFollowUp(id) {
			return "", false
		}
	}
	theme, ok := questionTheme(qc.Last.QuestionID)
	if !ok {
		theme = ThemePDCA // PDCA's reflection fits whatever the question was
		if p := qc.Path; p != nil {
			if fit := FitThemes(p.Style, p.Phase); len(fit) > 0 {
				theme = fit[0]
			}
		}
	}
	return FollowUpQuestion(theme).ID, true
}

// FitThemes returns the themes that fit a Lean leader's phase and the style
// they need now, in QuestionThemes order: the themes that fit both, or when
// none does, those of the phase. A zero (or invalid) style or phase does not
// narrow the choice; with neither it returns nil.
//
// Which themes fit (docs/domain.md):
//   - phase 1, self-acceptance: seeing where the team stands, mistakes
//     included (gemba, phases, pdca);
//   - phase 2, insight into self-knowledge: strengths, blind spots, one's
//     own style (phases, styles, gemba);
//   - phase 3, development: improving and solving problems themselves
//     (pdca, customer, styles);
//   - phase 4, passing it on: handing over and teaching (styles, phases,
//     customer);
//   - directing: a clear goal and the standard (customer, gemba, pdca);
//   - coaching: questions that hand the thinking back (pdca, phases,
//     gemba, styles);
//   - facilitating: clearing the way, the obstacles (pdca, customer, gemba);
//   - delegating: owning the outcome, leading their own people (styles,
//     phases, customer).
func FitThemes(s Style, p Phase) []QuestionTheme {
	byPhase := map[Phase][]QuestionTheme{
		SelfAcceptance: {ThemeGemba, ThemePhases, ThemePDCA},
		SelfKnowledge:  {ThemePhases, ThemeStyles, ThemeGemba},
		Development:    {ThemePDCA, ThemeCustomer, ThemeStyles},
		Spreading:      {ThemeStyles, ThemePhases, ThemeCustomer},
	}[p]
	byStyle := map[Style][]QuestionTheme{
		Directing:    {ThemeCustomer, ThemeGemba, ThemePDCA},
		Coaching:     {ThemePDCA, ThemePhases, ThemeGemba, ThemeStyles},
		Facilitating: {ThemePDCA, ThemeCustomer, ThemeGemba},
		Delegating:   {ThemeStyles, ThemePhases, ThemeCustomer},
	}[s]
	var out []QuestionTheme
	for _, t := range QuestionThemes() {
		inPhase, inStyle := slices.Contains(byPhase, t), slices.Contains(byStyle, t)
		if (inPhase || byPhase == nil) && (inStyle || byStyle == nil) && (byPhase != nil || byStyle != nil) {
			out = append(out, t)
		}
	}
	if len(out) == 0 && byPhase != nil {
		for _, t := range QuestionThemes() {
			if slices.Contains(byPhase, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

// pathQuestion draws from themes in sequence order. The theme of the last
// library question shown carries on with its next step while it fits and its
// sequence is not through (that question was not a StepLearn one); otherwise
// the theme shown least recently (another one than the last, when there is a
// choice) starts again at StepTarget. Within a step, the question shown least
// recently comes first (so a step's questions all come before one repeats);
// pick chooses among equals. ok is false when themes is empty.
func pathQuestion(asked []string, themes []QuestionTheme, pick func(n int) int) (string, bool) {
	if len(themes) == 0 {
		return "", false
	}
	lib := Questions()
	shownAt := map[string]int{} // question ID -> last index in asked
	for i, id := range asked {
		shownAt[id] = i
	}
	var prev *QuestionInfo
	for _, id := range slices.Backward(asked) {
		if q, ok := libraryQuestion(lib, id); ok {
			prev = &q
			break
		}
	}

	theme, step := QuestionTheme(""), StepTarget
	if prev != nil && slices.Contains(themes, prev.Theme) && prev.Step != StepLearn {
		theme, step = prev.Theme, prev.Step+1
	} else {
		best := len(asked) // least recently shown: the lowest "last shown" index
		for _, t := range themes {
			if prev != nil && t == prev.Theme && len(themes) > 1 {
				continue
			}
			last := -1
			for _, q := range lib {
				if i, ok := shownAt[q.ID]; ok && q.Theme == t {
					last = max(last, i)
				}
			}
			if last < best {
				theme, best = t, last
			}
		}
	}

	lastShown := ""
	if len(asked) > 0 {
		lastShown = asked[len(asked)-1]
	}
	var cands []string
	oldest := len(asked)
	for _, q := range lib {
		if q.Theme != theme || q.Step != step || q.ID == lastShown {
			continue
		}
		at, ok := shownAt[q.ID]
		if !ok {
			at = -1
		}
		switch {
		case at < oldest:
			cands, oldest = []string{q.ID}, at
		case at == oldest:
			cands = append(cands, q.ID)
		}
	}
	if len(cands) == 0 { // cannot happen: every step has two questions or more
		return "", false
	}
	return cands[pickIndex(pick, len(cands))], true
}

// libraryQuestion finds id in lib.
func libraryQuestion(lib []QuestionInfo, id string) (QuestionInfo, bool) {
	for _, q := range lib {
		if q.ID == id {
			return q, true
		}
	}
	return QuestionInfo{}, false
}
