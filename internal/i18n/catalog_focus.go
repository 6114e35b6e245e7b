package i18n

// Leader-aware nudges: the line of a compliment, gemba or spotlight prompt
// that names the Lean leader served least recently, and the stand-up's
// observer question about the Lean leader whose turn it is. The Plural
// forms take the weeks (or times) first, then the Lean leader.

var focusEN = map[string]string{
	"focus.standup":        "*Watch for one thing:* is %[1]s directing the team, or coaching it?",
	"focus.standup.rotate": "*This time, %[1]s's stand-up.* Watch for one thing: is %[1]s directing the team, or coaching it?",

	"focus.compliment.never":       "No compliment for %[1]s yet",
	"focus.compliment.weeks.one":   "No compliment for %[2]s in %[1]d week",
	"focus.compliment.weeks.other": "No compliment for %[2]s in %[1]d weeks",
	"focus.compliment.recent":      "Next in line for a compliment: %[1]s",
	"focus.compliment.other.one":   "%[2]s had one",
	"focus.compliment.other.other": "%[2]s had %[1]d",

	"focus.gemba.never":       "You haven't been on the Gemba with %[1]s's team yet",
	"focus.gemba.weeks.one":   "%[1]d week since you were on the Gemba with %[2]s's team",
	"focus.gemba.weeks.other": "%[1]d weeks since you were on the Gemba with %[2]s's team",
	"focus.gemba.recent":      "Next in line for a Gemba visit: %[1]s's team",
	"focus.gemba.other.one":   "%[2]s's team had one visit",
	"focus.gemba.other.other": "%[2]s's team had %[1]d",

	"focus.spotlight.never":       "%[1]s hasn't been in the spotlight yet",
	"focus.spotlight.weeks.one":   "%[2]s hasn't been in the spotlight for %[1]d week",
	"focus.spotlight.weeks.other": "%[2]s hasn't been in the spotlight for %[1]d weeks",
	"focus.spotlight.recent":      "Next in line for the spotlight: %[1]s",
	"focus.spotlight.other.one":   "%[2]s had it once",
	"focus.spotlight.other.other": "%[2]s had it %[1]d times",

	"focus.join": "%[1]s; %[2]s.",
	"focus.end":  "%[1]s.",
}

var focusNL = map[string]string{
	"focus.standup":        "*Let op één ding:* stuurt %[1]s het team, of coacht %[1]s het?",
	"focus.standup.rotate": "*Deze keer de dagstart van %[1]s.* Let op één ding: stuurt %[1]s het team, of coacht %[1]s het?",

	"focus.compliment.never":       "Nog geen compliment voor %[1]s",
	"focus.compliment.weeks.one":   "Al %[1]d week geen compliment voor %[2]s",
	"focus.compliment.weeks.other": "Al %[1]d weken geen compliment voor %[2]s",
	"focus.compliment.recent":      "Als volgende aan de beurt voor een compliment: %[1]s",
	"focus.compliment.other.one":   "%[2]s kreeg er één",
	"focus.compliment.other.other": "%[2]s kreeg er %[1]d",

	"focus.gemba.never":       "Je was nog niet op de Gemba bij het team van %[1]s",
	"focus.gemba.weeks.one":   "Al %[1]d week niet op de Gemba bij het team van %[2]s",
	"focus.gemba.weeks.other": "Al %[1]d weken niet op de Gemba bij het team van %[2]s",
	"focus.gemba.recent":      "Als volgende aan de beurt voor de Gemba: het team van %[1]s",
	"focus.gemba.other.one":   "bij %[2]s was je er één keer",
	"focus.gemba.other.other": "bij %[2]s was je er %[1]d keer",

	"focus.spotlight.never":       "%[1]s stond nog niet in de schijnwerpers",
	"focus.spotlight.weeks.one":   "%[2]s stond al %[1]d week niet in de schijnwerpers",
	"focus.spotlight.weeks.other": "%[2]s stond al %[1]d weken niet in de schijnwerpers",
	"focus.spotlight.recent":      "Als volgende aan de beurt voor de schijnwerpers: %[1]s",
	"focus.spotlight.other.one":   "%[2]s stond er één keer in",
	"focus.spotlight.other.other": "%[2]s stond er %[1]d keer in",

	"focus.join": "%[1]s; %[2]s.",
	"focus.end":  "%[1]s.",
}
