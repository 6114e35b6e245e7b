package coach_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// The question library's texts are checked for what makes a question work
// in a message that arrives cold (docs: voice.md, "The question library").

// nearDuplicate is the similarity from which two questions count as
// near-duplicates. How it is measured (similarity below): the Jaccard index
// of two questions' content words, taken over the whole question and over
// its main clause (what is asked, without a leading "When…," clause, a
// trailing "when…" clause or a second ", and …" question), in English and
// in Dutch; the highest of the four counts. Content words are lower-cased,
// lightly stemmed (English -ing/-ed/-es/-s, Dutch -en/-e/-t, keeping four
// letters), without function words and without the words every question
// shares (team, people, this week…); "question", "ask", "vraag", "stellen"
// are one word, and so are "waste" and "verspilling".
//
// Why 0.5: in the first edition, the three questions voice.md names as
// asking the same thing ("which questions do you ask your people":
// q-pdca-09, q-gemba-02, q-style-06) score 1.0, 0.5 and 0.5 on their main
// clauses, while their whole texts score only 0.17 to 0.25, below unrelated
// pairs. The other pairs at 0.5 or more were the same cluster (q-gemba-08,
// asking "why") and q-style-01/q-style-07; all were reworded or retired.
// q-customer-02 and q-customer-10 (a step that adds nothing the customer
// would pay for; waste) share no words and score 0: a duplicate of meaning
// only, which no word count finds; it was merged by reading. The second
// edition's highest pair scores 0.40. TestNearDuplicateMeasure keeps the
// calibration honest: the retired duplicates must still score at least 0.5.
const nearDuplicate = 0.5

var (
	stopEN = words(`a an the and or but if then than so to of in on at for from with without by about into over under
		after before as is are was were be been being do does did done have has had having can could would should will
		shall may might must you your yours yourself yourselves i me my we us our they them their theirs he she his her
		it its this that these those there here what which who whom whose when where why how whether while not no any
		some each every one all more most much many just only still already also too very lately recently now today
		right moment week month year days last ago get gets got make makes made let lets don doesn didn won re ve ll
		team teams people person someone`)
	stopNL = words(`de het een en of maar als dan dat die dit deze daar hier er wat welke welk wie wanneer waar waarom hoe
		toen is zijn was waren ben bent wordt worden werd heeft hebben had hadden kan kun kunt kunnen kon zou zouden moet
		moeten mag mogen wil wilt willen zal zult zullen je jij jou jouw jezelf jullie ik mij me mijn wij we ons onze zij
		ze hun hen hij haar in op aan van voor met zonder door over onder na naar bij uit om tot tegen te toe niet geen
		iets niets ook al nog nu vandaag net echt even zo meer meest veel ieder elke alle week maand jaar laatst onlangs
		laatste vorige tijd moment keer team teams mensen iemand diegene`)
	sameWord = map[string]string{
		"question": "ASK", "questions": "ASK", "ask": "ASK", "asks": "ASK", "asked": "ASK", "asking": "ASK",
		"vraag": "ASK", "vragen": "ASK", "stel": "ASK", "stelt": "ASK", "stellen": "ASK",
		"waste": "WASTE", "verspilling": "WASTE",
	}
	// Conjunctions that open a clause around the main one.
	leadingClause = map[i18n.Lang][]string{
		i18n.EN: {"when", "if", "before", "while", "after", "once"},
		i18n.NL: {"als", "voordat", "terwijl", "nadat", "zodra", "toen"},
	}
	trailingClause = map[i18n.Lang][]string{
		i18n.EN: {"when", "if", "before", "while", "after", "once"},
		i18n.NL: {"als", "wanneer", "voordat", "terwijl", "nadat", "zodra", "toen"},
	}
	// "When did you…" asks; "When someone…," opens a clause.
	auxiliary    = words("did do does will would can could is are was were should have has had shall may might must")
	secondAsk    = regexp.MustCompile(`, (and|or|en|of) `)
	letterTokens = regexp.MustCompile(`\p{L}+`)
)

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// contentWords is the set of s's content words in language l.
func contentWords(l i18n.Lang, s string) map[string]bool {
	stop, suffixes := stopEN, []string{"ing", "ed", "es", "s"}
	if l == i18n.NL {
		stop, suffixes = stopNL, []string{"en", "e", "t"}
	}
	out := map[string]bool{}
	for _, w := range letterTokens.FindAllString(strings.ToLower(s), -1) {
		if same, ok := sameWord[w]; ok {
			out[same] = true
			continue
		}
		if stop[w] || len([]rune(w)) < 2 {
			continue
		}
		for _, suf := range suffixes {
			if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 4 {
				w = strings.TrimSuffix(w, suf)
				break
			}
		}
		out[w] = true
	}
	return out
}

// mainClause is what s asks, without the clauses around it.
func mainClause(l i18n.Lang, s string) string {
	s = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), "?")
	f := strings.Fields(s)
	if len(f) > 1 && slices.Contains(leadingClause[l], f[0]) && !(l == i18n.EN && auxiliary[f[1]]) {
		if _, rest, ok := strings.Cut(s, ","); ok {
			s = rest
		}
	}
	if loc := secondAsk.FindStringIndex(s); loc != nil {
		s = s[:loc[0]]
	}
	f = strings.Fields(s)
	for i, w := range f {
		if i > 0 && slices.Contains(trailingClause[l], strings.Trim(w, ",")) {
			f = f[:i]
			break
		}
	}
	return strings.Join(f, " ")
}

func jaccard(a, b map[string]bool) float64 {
	inter, union := 0, len(a)
	for w := range b {
		if a[w] {
			inter++
		} else {
			union++
		}
	}
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}

// similarity is the near-duplicate measure of two catalog questions.
func similarity(keyA, keyB string) float64 {
	best := 0.0
	for _, l := range i18n.Langs() {
		a, b := l.T(keyA), l.T(keyB)
		best = max(best,
			jaccard(contentWords(l, a), contentWords(l, b)),
			jaccard(contentWords(l, mainClause(l, a)), contentWords(l, mainClause(l, b))))
	}
	return best
}

func TestMainClause(t *testing.T) {
	tests := []struct {
		l        i18n.Lang
		in, want string
	}{
		{i18n.EN, "When your team gets stuck on a problem, which question do you ask them first?", "which question do you ask them first"},
		{i18n.EN, "When did you last give clear direction, and how did you explain the why?", "when did you last give clear direction"},
		{i18n.EN, "Which questions do you ask your people when you walk the Gemba?", "which questions do you ask your people"},
		{i18n.NL, "Als je team vastloopt op een probleem, welke vraag stel je dan als eerste?", "welke vraag stel je dan"},
		{i18n.NL, "Wanneer koos je voor het laatst bewust een andere stijl, en wat gebeurde er?", "wanneer koos je voor het laatst bewust een andere stijl"},
	}
	for _, tt := range tests {
		if got := mainClause(tt.l, tt.in); got != tt.want {
			t.Errorf("mainClause(%s, %q) = %q, want %q", tt.l, tt.in, got, tt.want)
		}
	}
}

// TestNearDuplicateMeasure: the measure finds the duplicates the first
// edition had (their texts stay in the catalogs as retired questions), and
// a question is not a near-duplicate of a different one.
func TestNearDuplicateMeasure(t *testing.T) {
	for _, p := range [][2]string{
		{"q-pdca-09", "q-gemba-02"},
		{"q-style-06", "q-gemba-02"},
		{"q-pdca-09", "q-style-06"},
	} {
		if s := similarity(coach.QuestionKey(p[0]), coach.QuestionKey(p[1])); s < nearDuplicate {
			t.Errorf("similarity(%s, %s) = %.2f, want at least %.2f: the measure no longer finds a known duplicate", p[0], p[1], s, nearDuplicate)
		}
	}
	if s := similarity(coach.QuestionKey("q-pdca-04"), coach.QuestionKey("q-gemba-07")); s >= nearDuplicate {
		t.Errorf("similarity(q-pdca-04, q-gemba-07) = %.2f: two different questions count as near-duplicates", s)
	}
}

// TestNoNearDuplicates: no two questions of the library are
// near-duplicates, and no follow-up is one of a library question (the
// follow-ups share "your idea from last time" on purpose and are never
// alternatives of each other).
func TestNoNearDuplicates(t *testing.T) {
	qs := append(coach.Questions(), coach.FollowUps()...)
	worst, worstPair := 0.0, ""
	for i, a := range qs {
		for _, b := range qs[i+1:] {
			if a.FollowUp && b.FollowUp {
				continue
			}
			s := similarity(a.TextKey(), b.TextKey())
			if s >= nearDuplicate {
				t.Errorf("%s and %s are near-duplicates (similarity %.2f >= %.2f):\n  %s\n  %s",
					a.ID, b.ID, s, nearDuplicate, i18n.EN.T(a.TextKey()), i18n.EN.T(b.TextKey()))
			}
			if s > worst {
				worst, worstPair = s, a.ID+" "+b.ID
			}
		}
	}
	t.Logf("highest similarity: %.2f (%s)", worst, worstPair)
}

// A "this" or "here" with nothing to point at in a cold message: allowed
// only before a word of time ("this week", "op dit moment").
var dangling = map[i18n.Lang]*regexp.Regexp{
	i18n.EN: regexp.MustCompile(`(?i)\b(this|these)\b(\s+(\p{L}+))?|\bhere\b`),
	i18n.NL: regexp.MustCompile(`(?i)\b(dit|deze)\b(\s+(\p{L}+))?|\bhier\b`),
}

var timeWords = words("week weeks month year quarter morning afternoon days moment maand jaar kwartaal ochtend middag")

// danglingIn returns the words of s in language l that point at nothing.
func danglingIn(l i18n.Lang, s string) []string {
	var out []string
	for _, m := range dangling[l].FindAllStringSubmatch(s, -1) {
		if m[3] == "" || !timeWords[strings.ToLower(m[3])] {
			out = append(out, m[0])
		}
	}
	return out
}

// Rating questions ask for a score, not for thinking.
var rating = map[i18n.Lang]*regexp.Regexp{
	i18n.EN: regexp.MustCompile(`(?i)\bhow (visible|well|good|satisfied|happy|important)\b|\bon a scale\b|\brate\b|\bscore\b|\bout of (5|10)\b`),
	i18n.NL: regexp.MustCompile(`(?i)\bhoe (zichtbaar|goed|tevreden|blij|belangrijk)\b|\bop een schaal\b|\bcijfer\b|\bscore\b|\bbeoordeel\b`),
}

func TestQuestionsStandOnTheirOwn(t *testing.T) {
	qs := append(coach.Questions(), coach.FollowUps()...)
	for _, q := range qs {
		for _, l := range i18n.Langs() {
			s := l.T(q.TextKey())
			if !strings.HasSuffix(s, "?") || strings.Count(s, "?") != 1 {
				t.Errorf("%s %s = %q: want one question, ending in a single ?", l, q.ID, s)
			}
			if r := []rune(s); !unicode.IsUpper(r[0]) {
				t.Errorf("%s %s = %q: starts in lower case", l, q.ID, s)
			}
			if n := len([]rune(s)); n > 130 {
				t.Errorf("%s %s is %d characters; a question in a DM stays under 130", l, q.ID, n)
			}
			if d := danglingIn(l, s); d != nil {
				t.Errorf("%s %s = %q: %q has nothing to refer to in a cold message", l, q.ID, s, d)
			}
			if m := rating[l].FindString(s); m != "" {
				t.Errorf("%s %s = %q: %q asks for a rating", l, q.ID, s, m)
			}
		}
	}
}

// The checks above catch what the first edition got wrong, and let a
// "this" of time pass.
func TestQuestionChecksCatchTheOldFaults(t *testing.T) {
	dangles := func(l i18n.Lang, s string) bool { return danglingIn(l, s) != nil }
	rates := func(l i18n.Lang, s string) bool { return rating[l].FindString(s) != "" }
	for _, c := range []struct {
		check func(i18n.Lang, string) bool
		l     i18n.Lang
		s     string
		want  bool
	}{
		{dangles, i18n.EN, "What does your team need from you to do this without you?", true},
		{dangles, i18n.EN, "What would have to be true before you let the team choose its own route here?", true},
		{dangles, i18n.EN, "Who is the customer of this process, and what do they really value?", true},
		{dangles, i18n.NL, "Hoe weet je volgende week of deze verandering heeft gewerkt?", true},
		{dangles, i18n.NL, "Wat moet er kloppen voordat je het team hier zelf de route laat kiezen?", true},
		{dangles, i18n.EN, "What could you hand over this month?", false},
		{dangles, i18n.NL, "Wie coach je op dit moment?", false},
		{dangles, i18n.NL, "Wat doe je deze week?", false},
		{rates, i18n.EN, "How visible is the status of the work to everyone, at a glance?", true},
		{rates, i18n.NL, "Hoe zichtbaar is de status van het werk voor iedereen?", true},
		{rates, i18n.EN, "On a scale of 1 to 5, how ready is your team?", true},
		{rates, i18n.EN, "How far did you get with the experiment?", false},
	} {
		if got := c.check(c.l, c.s); got != c.want {
			t.Errorf("%s %q: caught = %v, want %v", c.l, c.s, got, c.want)
		}
	}
}
