package coach

import (
	"strconv"
	"strings"
)

// Style is the leadership style a Lean leader needs from their director now
// (docs/domain.md): directing, coaching, facilitating or delegating. The end
// goal is delegating; which style fits depends on what the leader needs at
// this moment, not on a ladder to climb. The value is stored: never rename.
type Style string

// The four styles, in the order users see them.
const (
	Directing    Style = "directing"    // sturen
	Coaching     Style = "coaching"     // coachen
	Facilitating Style = "facilitating" // faciliteren
	Delegating   Style = "delegating"   // delegeren
)

// Styles lists the styles in the order users see them.
func Styles() []Style { return []Style{Directing, Coaching, Facilitating, Delegating} }

// ParseStyle accepts a style by its key or by its Dutch or English name,
// case-insensitively ("coaching", "coachen", "Faciliteren").
func ParseStyle(s string) (Style, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, st := range Styles() {
		if s == string(st) || s == st.dutch() {
			return st, true
		}
	}
	return "", false
}

func (s Style) dutch() string {
	switch s {
	case Directing:
		return "sturen"
	case Coaching:
		return "coachen"
	case Facilitating:
		return "faciliteren"
	case Delegating:
		return "delegeren"
	}
	return ""
}

// Valid reports whether s is one of the four styles' stored keys.
func (s Style) Valid() bool { return s.dutch() != "" }

// Catalog keys of a style's texts (see internal/i18n).
func (s Style) NameKey() string { return "style." + string(s) + ".name" } // "coaching" / "coachen"
func (s Style) HintKey() string { return "style." + string(s) + ".hint" } // one line: what it means

// Phase is where a Lean leader's team stands in self-reliance and solving
// problems themselves (docs/domain.md): 1 self-acceptance, 2 insight into
// self-knowledge, 3 development, 4 passing on your own development process.
// The value is stored: never renumber.
type Phase int

// The four phases.
const (
	SelfAcceptance Phase = 1
	SelfKnowledge  Phase = 2
	Development    Phase = 3
	Spreading      Phase = 4
)

// Phases lists the phases in order.
func Phases() []Phase { return []Phase{SelfAcceptance, SelfKnowledge, Development, Spreading} }

// ParsePhase accepts "1" to "4".
func ParsePhase(s string) (Phase, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || !Phase(n).Valid() {
		return 0, false
	}
	return Phase(n), true
}

// Valid reports whether p is one of the four phases.
func (p Phase) Valid() bool { return p >= SelfAcceptance && p <= Spreading }

// Catalog keys of a phase's texts (see internal/i18n).
func (p Phase) NameKey() string { return "phase." + strconv.Itoa(int(p)) + ".name" } // "Self-acceptance"
func (p Phase) HintKey() string { return "phase." + strconv.Itoa(int(p)) + ".hint" } // one line: what it looks like
