package i18n

// The delegation path: the four leadership styles and the four phases of
// self-reliance (docs/domain.md), and everything shown about a director's
// path with a Lean leader.

var pathEN = map[string]string{
	"style.directing.name":    "directing",
	"style.directing.hint":    "You set the goal and the route, and explain why.",
	"style.coaching.name":     "coaching",
	"style.coaching.hint":     "You ask questions so your Lean leader finds the route.",
	"style.facilitating.name": "facilitating",
	"style.facilitating.hint": "Your Lean leader chooses the route; you clear the way.",
	"style.delegating.name":   "delegating",
	"style.delegating.hint":   "Your Lean leader owns the result; you agree on the outcome.",

	"phase.1.name": "Self-acceptance",
	"phase.1.hint": "The team learns to see where it stands, mistakes included.",
	"phase.2.name": "Insight into self-knowledge",
	"phase.2.hint": "People see their own strengths and blind spots.",
	"phase.3.name": "Development",
	"phase.3.hint": "People develop themselves and solve problems themselves.",
	"phase.4.name": "Passing it on",
	"phase.4.hint": "People teach others their own way of developing.",
}

var pathNL = map[string]string{
	"style.directing.name":    "sturen",
	"style.directing.hint":    "Jij bepaalt doel en route, en legt uit waarom.",
	"style.coaching.name":     "coachen",
	"style.coaching.hint":     "Jij stelt vragen, zodat je Leanleider zelf de route vindt.",
	"style.facilitating.name": "faciliteren",
	"style.facilitating.hint": "Je Leanleider kiest de route; jij maakt de weg vrij.",
	"style.delegating.name":   "delegeren",
	"style.delegating.hint":   "Je Leanleider is eigenaar van het resultaat; jullie spreken de uitkomst af.",

	"phase.1.name": "Zelfacceptatie",
	"phase.1.hint": "Het team leert zien waar het staat, fouten inbegrepen.",
	"phase.2.name": "Inzicht in zelfkennis",
	"phase.2.hint": "Mensen zien hun eigen sterke kanten en blinde vlekken.",
	"phase.3.name": "Ontwikkeling",
	"phase.3.hint": "Mensen ontwikkelen zichzelf en lossen zelf problemen op.",
	"phase.4.name": "Uitdragen",
	"phase.4.hint": "Mensen leren anderen hun eigen manier van ontwikkelen.",
}
