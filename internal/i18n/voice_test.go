package i18n_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/leancoach/leancoach/internal/i18n"
)

// The voice of the catalogs (docs: voice.md): one word for one thing, in
// each language its own word.

// avoidWord is a word or phrase the glossary says not to use in a language,
// with what to write instead.
type avoidWord struct {
	re      *regexp.Regexp
	instead string
}

func avoid(pattern, instead string) avoidWord {
	return avoidWord{regexp.MustCompile(`(?i)` + pattern), instead}
}

// Word-boundary rules: \b is ASCII, so "Lean leader" never matches inside
// "Leanleider", "prompt" not inside "prompts-kanaal" style compounds glued
// with letters, and "admins" not inside LEANCOACH_ADMINS (an underscore is a
// word character). Dutch words are matched with their inflections.
var avoidIn = map[i18n.Lang][]avoidWord{
	i18n.NL: {
		avoid(`\bherinnering(en)?\b`, "seintje"),
		avoid(`\bprompts?\b`, "seintje"),
		avoid(`complimentenkanaal`, "kudos-kanaal"),
		avoid(`\bworkspaces?\b`, "werkruimte"),
		avoid(`\bniet afgeleverd\b`, "niet bezorgd"),
		avoid(`\blean ?leaders?\b`, "Leanleider"),
		avoid(`\bde leiders?\b`, "de Leanleider"),
		avoid(`\bstand-?ups?\b`, "dagstart"),
		avoid(`\bweek[- ]review\b`, "weekreview"),
		avoid(`\bzelfoplossend\b`, "zelf oplossend vermogen"),
		avoid(`\badmins?\b`, "beheerder"),
		avoid(`\bDM\b`, "privébericht"),
		avoid(`\bposten\b`, "plaatsen"),
		avoid(`\bopenlijke?\b`, "in het openbaar"),
		avoid(`\bface to face\b`, "onder vier ogen"),
		avoid(`\bmet de hand\b`, "handmatig"),
		avoid(`\bgeniet van je\b`, "niets over vakantie: verlof kan van alles zijn"),
		avoid(`\breeks begint opnieuw\b`, "na Vandaag niet geen strafregel"),
		avoid(`\breeks: 1 keer\b`, "Je reeks is begonnen"),
	},
	i18n.EN: {
		avoid(`\bself-solving\b`, "solving problems themselves"),
		avoid(`\bweek review\b`, "weekly review"),
		avoid(`\bsteer(ing)? on\b`, "manage by outcomes"),
		avoid(`\bin their strength\b`, "plays to their strengths"),
		avoid(`\bis a director now\b`, "is set up as director of …"),
		avoid(`\bdaily habits\b`, "coaching habits (most are weekly or monthly)"),
		avoid(`\benjoy your time off\b`, "nothing about holidays: leave can be anything"),
		avoid(`\bstreak starts again\b`, "no penalty after Not today"),
		avoid(`\bstreak: 1 in a row\b`, "Your streak has started"),
	},
}

// A Lean leader is never "the leader" in English: "leader" always follows
// "Lean".
var bareLeader = regexp.MustCompile(`(?i)(\p{L}+\s+)?\bleaders?\b`)

// codeSpan is text in backticks: command keywords and examples, which stay
// English in both languages (`/coach schedule`, `standup`, `leader`).
var codeSpan = regexp.MustCompile("`[^`]*`")

// Keys whose text is command syntax, English in both languages by design
// (see catalog_help.go).
func commandSyntax(key string) bool { return strings.HasSuffix(key, ".cmd") }

// knownExceptions are texts another area still has to reword; each must
// still be needed, so that a fix is noticed and the exception removed. The
// sandbox page's own words are reworded with the page itself.
var knownExceptions = map[string]string{}

// voiceProblems returns what in text s (key k, language l) goes against
// the glossary.
func voiceProblems(l i18n.Lang, k, s string) []string {
	if commandSyntax(k) {
		return nil
	}
	s = codeSpan.ReplaceAllString(s, "`…`")
	var out []string
	for _, a := range avoidIn[l] {
		if m := a.re.FindString(s); m != "" {
			if knownExceptions[string(l)+" "+k] == strings.TrimPrefix(a.re.String(), "(?i)") {
				continue
			}
			out = append(out, fmt.Sprintf("%q (write %s)", m, a.instead))
		}
	}
	if l == i18n.EN {
		for _, m := range bareLeader.FindAllStringSubmatch(s, -1) {
			if !strings.EqualFold(strings.TrimSpace(m[1]), "lean") {
				out = append(out, fmt.Sprintf("%q (write Lean leader)", m[0]))
			}
		}
	}
	return out
}

func TestCatalogGlossary(t *testing.T) {
	for _, l := range i18n.Langs() {
		for _, k := range i18n.Keys(l) {
			for _, p := range voiceProblems(l, k, l.T(k)) {
				t.Errorf("%s %s: %s in %q", l, k, p, l.T(k))
			}
		}
	}
	for k, pattern := range knownExceptions {
		lang, key, _ := strings.Cut(k, " ")
		if !regexp.MustCompile(`(?i)` + pattern).MatchString(i18n.Lang(lang).T(key)) {
			t.Errorf("exception %q for %s is no longer needed: remove it from knownExceptions", pattern, k)
		}
	}
}

// The glossary test fails on what it is meant to catch, and lets pass what
// it is meant to let pass.
func TestGlossaryRules(t *testing.T) {
	for _, c := range []struct {
		l      i18n.Lang
		k, s   string
		caught bool
	}{
		{i18n.NL, "x.a", "Deze herinnering ken ik niet meer.", true},
		{i18n.NL, "x.b", "Verstuur geplande prompts nu", true},
		{i18n.NL, "x.c", "in het complimentenkanaal", true},
		{i18n.NL, "x.d", "de eigenaren van de workspace", true},
		{i18n.NL, "x.e", "➖ niet afgeleverd", true},
		{i18n.NL, "x.f", "Je bent een Lean leader", true},
		{i18n.NL, "x.g", "Aansluiten bij de stand-up", true},
		{i18n.NL, "x.h", "zie de leider in actie", true},
		{i18n.EN, "x.i", "grows their self-solving ability", true},
		{i18n.EN, "x.j", "Attend the week review", true},
		{i18n.EN, "x.k", "see the leader in action", true},
		{i18n.EN, "x.l", "a question that lets your leader find the answer", true},
		{i18n.EN, "x.m", "Enjoy your time off.", true},
		{i18n.NL, "x.n", "Stuur er nu een met `/coach send standup @directeur`.", false},
		{i18n.NL, "x.o", "Noem na het woord `leader` minstens één Leanleider.", false},
		{i18n.NL, "x.p", "beheerder via de instelling LEANCOACH_ADMINS", false},
		{i18n.NL, "help.kudos.cmd", "/coach kudos @leader text…", false},
		{i18n.NL, "x.q", "Leanleiders en hun leiderschap", false},
		{i18n.EN, "x.r", "Your Lean leaders: @ana and @ben.", false},
		{i18n.EN, "x.s", "Join the weekly review and the stand-up.", false},
		{i18n.EN, "help.kudos.cmd", "/coach kudos @leader text…", false},
		{i18n.EN, "x.t", "after the word `leader`", false},
	} {
		if p := voiceProblems(c.l, c.k, c.s); (p != nil) != c.caught {
			t.Errorf("%s %q: problems %v, want caught = %v", c.l, c.s, p, c.caught)
		}
	}
}

// Habit names are infinitives in Dutch ("Aansluiten bij de dagstart"; voice.md
// gives "De Gemba op" as the one short form), short imperatives in English:
// no -ing form, no article first.
func TestHabitNames(t *testing.T) {
	for _, k := range i18n.Keys(i18n.NL) {
		if !strings.HasPrefix(k, "habit.") || !strings.HasSuffix(k, ".name") {
			continue
		}
		nl, en := i18n.NL.T(k), i18n.EN.T(k)
		f := strings.Fields(nl)
		infinitive := func(w string) bool { return len([]rune(w)) > 3 && strings.HasSuffix(w, "n") } // -en, or gaan, doen, zien
		if nl != "De Gemba op" && !infinitive(f[0]) && !infinitive(f[len(f)-1]) {
			t.Errorf("NL %s = %q: want an infinitive (\"Aansluiten bij de dagstart\")", k, nl)
		}
		first := strings.Fields(en)[0]
		if strings.HasSuffix(first, "ing") || strings.EqualFold(first, "the") || strings.EqualFold(first, "a") || !unicode.IsUpper([]rune(first)[0]) {
			t.Errorf("EN %s = %q: want a short imperative (\"Join the stand-up\")", k, en)
		}
	}
}
