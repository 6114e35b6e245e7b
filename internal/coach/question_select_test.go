package coach_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
)

func TestFitThemesTable(t *testing.T) {
	const (
		pdca, styles, phases, customer, gemba = coach.ThemePDCA, coach.ThemeStyles, coach.ThemePhases, coach.ThemeCustomer, coach.ThemeGemba
	)
	type th = []coach.QuestionTheme
	want := map[coach.Phase]map[coach.Style]th{
		coach.SelfAcceptance: {coach.Directing: {pdca, gemba}, coach.Coaching: {pdca, phases, gemba}, coach.Facilitating: {pdca, gemba}, coach.Delegating: {phases}},
		coach.SelfKnowledge:  {coach.Directing: {gemba}, coach.Coaching: {styles, phases, gemba}, coach.Facilitating: {gemba}, coach.Delegating: {styles, phases}},
		coach.Development:    {coach.Directing: {pdca, customer}, coach.Coaching: {pdca, styles}, coach.Facilitating: {pdca, customer}, coach.Delegating: {styles, customer}},
		coach.Spreading:      {coach.Directing: {customer}, coach.Coaching: {styles, phases}, coach.Facilitating: {customer}, coach.Delegating: {styles, phases, customer}},
	}
	for _, p := range coach.Phases() {
		for _, s := range coach.Styles() {
			if got := coach.FitThemes(s, p); !slices.Equal(got, want[p][s]) {
				t.Errorf("FitThemes(%s, phase %d) = %v, want %v", s, p, got, want[p][s])
			}
		}
	}
	// One of the two does not narrow the choice; neither gives nothing.
	if got := coach.FitThemes("", coach.Development); !slices.Equal(got, th{pdca, styles, customer}) {
		t.Errorf("FitThemes(no style, phase 3) = %v, want the phase's themes", got)
	}
	if got := coach.FitThemes(coach.Delegating, 0); !slices.Equal(got, th{styles, phases, customer}) {
		t.Errorf("FitThemes(delegating, no phase) = %v, want the style's themes", got)
	}
	if got := coach.FitThemes("", 0); got != nil {
		t.Errorf("FitThemes(none, none) = %v, want nil", got)
	}
	if got := coach.FitThemes("bossing", 9); got != nil {
		t.Errorf("FitThemes(invalid, invalid) = %v, want nil", got)
	}
}

func themeStep(t *testing.T, id string) coach.QuestionInfo {
	t.Helper()
	q, ok := coach.LookupQuestion(id)
	if !ok {
		t.Fatalf("question %q is not in the library", id)
	}
	return q
}

// TestSelectQuestionFollowsThePath draws a year of questions for every
// phase and style: each one is of a theme that fits, never the one before,
// each theme's run goes through the sequence in order from its target, and
// within a step no question comes back before the step's others came.
func TestSelectQuestionFollowsThePath(t *testing.T) {
	for _, p := range coach.Phases() {
		for _, s := range coach.Styles() {
			for seed := range 3 {
				t.Run(fmt.Sprintf("phase%d/%s/%d", p, s, seed), func(t *testing.T) {
					fit := coach.FitThemes(s, p)
					qc := coach.QuestionContext{Path: &coach.QuestionPath{Style: s, Phase: p}}
					r := rand.New(rand.NewPCG(uint64(seed), uint64(p)))
					var asked []string
					shown := map[coach.QuestionTheme]map[coach.QuestionStep][]string{}
					for n := range 104 { // twice a week for a year
						id := coach.SelectQuestion(asked, qc, r.IntN)
						q := themeStep(t, id)
						if !slices.Contains(fit, q.Theme) {
							t.Fatalf("draw %d: %s is of theme %s, want one of %v", n, id, q.Theme, fit)
						}
						if n > 0 {
							prev := themeStep(t, asked[n-1])
							if id == prev.ID {
								t.Fatalf("draw %d: %s twice in a row", n, id)
							}
							switch {
							case prev.Theme == q.Theme && prev.Step != coach.StepLearn && q.Step != prev.Step+1:
								t.Fatalf("draw %d: %s (step %d) after %s (step %d): the sequence skipped or went back", n, id, q.Step, prev.ID, prev.Step)
							case prev.Theme != q.Theme && prev.Step != coach.StepLearn:
								t.Fatalf("draw %d: theme %s left at step %d for %s", n, prev.Theme, prev.Step, q.Theme)
							case prev.Theme != q.Theme && len(fit) == 1:
								t.Fatalf("draw %d: theme changed with one fitting theme", n)
							case (prev.Theme != q.Theme || prev.Step == coach.StepLearn) && q.Step != coach.StepTarget:
								t.Fatalf("draw %d: a new run starts at step %d, want the target", n, q.Step)
							case prev.Theme == q.Theme && prev.Step == coach.StepLearn && len(fit) > 1:
								t.Fatalf("draw %d: theme %s again after its sequence, while %v fit", n, q.Theme, fit)
							}
						} else if q.Step != coach.StepTarget {
							t.Fatalf("first draw %s is at step %d, want the target", id, q.Step)
						}
						if shown[q.Theme] == nil {
							shown[q.Theme] = map[coach.QuestionStep][]string{}
						}
						round := shown[q.Theme][q.Step]
						if slices.Contains(round, id) {
							t.Fatalf("draw %d: %s again before the other questions of its step", n, id)
						}
						round = append(round, id)
						if len(round) == countStep(q.Theme, q.Step) {
							round = nil
						}
						shown[q.Theme][q.Step] = round
						asked = append(asked, id)
					}
				})
			}
		}
	}
}

func countStep(th coach.QuestionTheme, st coach.QuestionStep) int {
	n := 0
	for _, q := range coach.Questions() {
		if q.Theme == th && q.Step == st {
			n++
		}
	}
	return n
}

// The library in sequence order, theme by theme.
func TestQuestionSequencePerTheme(t *testing.T) {
	for _, th := range coach.QuestionThemes() {
		var steps []coach.QuestionStep
		for _, q := range coach.Questions() {
			if q.Theme == th && !slices.Contains(steps, q.Step) {
				steps = append(steps, q.Step)
			}
		}
		if !slices.Equal(steps, coach.QuestionSteps()) {
			t.Errorf("theme %s runs through steps %v, want %v", th, steps, coach.QuestionSteps())
		}
	}
	want := []coach.QuestionStep{coach.StepTarget, coach.StepNow, coach.StepObstacle, coach.StepNext, coach.StepLearn}
	if !slices.Equal(coach.QuestionSteps(), want) {
		t.Errorf("QuestionSteps() = %v, want target, now, obstacle, next, learn", coach.QuestionSteps())
	}
}

func TestSelectQuestionTable(t *testing.T) {
	lib := libraryIDs()
	first := func(int) int { return 0 }
	const note = "A five-minute check at the start of the shift."
	pdcaNow, pdcaTarget := "q-pdca-01", "q-pdca-11"
	path := &coach.QuestionPath{Style: coach.Directing, Phase: coach.Development} // pdca, customer
	tests := []struct {
		name  string
		asked []string
		qc    coach.QuestionContext
		want  string
	}{
		{"no path, no note: NextQuestion", lib[:2], coach.QuestionContext{}, lib[2]},
		{"an empty path is none", lib[:2], coach.QuestionContext{Path: &coach.QuestionPath{}}, lib[2]},
		{"note on the last question: its theme's follow-up",
			[]string{lib[0], "q-gemba-03"}, coach.QuestionContext{Last: coach.LastAnswer{QuestionID: "q-gemba-03", CameUpWith: note}}, "q-gemba-followup"},
		{"note on an earlier question, others shown since: still followed up",
			[]string{"q-style-12", lib[0], lib[1]}, coach.QuestionContext{Last: coach.LastAnswer{QuestionID: "q-style-12", CameUpWith: note}}, "q-style-followup"},
		{"followed up already",
			[]string{"q-style-12", "q-style-followup", lib[0]}, coach.QuestionContext{Last: coach.LastAnswer{QuestionID: "q-style-12", CameUpWith: note}}, lib[1]},
		{"a blank note is none",
			[]string{"q-gemba-03"}, coach.QuestionContext{Last: coach.LastAnswer{QuestionID: "q-gemba-03", CameUpWith: " \n"}}, lib[0]},
		{"a retired question's theme",
			[]string{"q-phase-03"}, coach.QuestionContext{Last: coach.LastAnswer{QuestionID: "q-phase-03", CameUpWith: note}}, "q-phase-followup"},
		{"the answer to a follow-up leads on, not to another follow-up",
			[]string{"q-customer-04", "q-customer-followup"}, coach.QuestionContext{Last: coach.LastAnswer{QuestionID: "q-customer-followup", CameUpWith: note}}, lib[0]},
		{"unknown question, not shown: PDCA's follow-up",
			[]string{lib[0]}, coach.QuestionContext{Last: coach.LastAnswer{QuestionID: "q-gone-01", CameUpWith: note}}, "q-pdca-followup"},
		{"unknown question, a follow-up shown last: none twice in a row",
			[]string{"q-pdca-followup"}, coach.QuestionContext{Last: coach.LastAnswer{QuestionID: "q-gone-01", CameUpWith: note}}, lib[0]},
		{"unknown question with a path: the path's first theme",
			nil, coach.QuestionContext{Path: path, Last: coach.LastAnswer{QuestionID: "", CameUpWith: note}}, "q-pdca-followup"},
		{"the follow-up comes before the path's sequence",
			[]string{"q-customer-11"}, coach.QuestionContext{Path: path, Last: coach.LastAnswer{QuestionID: "q-customer-11", CameUpWith: note}}, "q-customer-followup"},
		{"path: no history starts at the first theme's target", nil, coach.QuestionContext{Path: path}, pdcaTarget},
		{"path: the sequence goes on", []string{pdcaTarget}, coach.QuestionContext{Path: path}, pdcaNow},
		{"path: a follow-up does not break the sequence", []string{pdcaTarget, "q-pdca-followup"}, coach.QuestionContext{Path: path}, pdcaNow},
		{"path: after learning, the other theme", []string{"q-pdca-02"}, coach.QuestionContext{Path: path}, "q-customer-01"},
		{"path: a theme that no longer fits starts the least recent fitting one",
			[]string{"q-customer-01", "q-gemba-03"}, coach.QuestionContext{Path: path}, pdcaTarget},
		{"path: within a step, the one shown least recently",
			[]string{pdcaTarget, pdcaNow, "q-pdca-07", "q-pdca-03", "q-pdca-02", "q-customer-01", "q-customer-03", "q-customer-02", "q-customer-11", "q-customer-04"},
			coach.QuestionContext{Path: path}, "q-pdca-12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := coach.SelectQuestion(tt.asked, tt.qc, first); got != tt.want {
				t.Errorf("SelectQuestion = %q, want %q", got, tt.want)
			}
		})
	}
}

// Without a path and a note, SelectQuestion is NextQuestion, so its
// invariants hold for directors without a path; with a note the follow-up
// comes once, and the library's cycle goes on around it.
func TestSelectQuestionWithoutPath(t *testing.T) {
	lib := libraryIDs()
	for seed := range 50 {
		r1 := rand.New(rand.NewPCG(uint64(seed), 3))
		r2 := rand.New(rand.NewPCG(uint64(seed), 3))
		var asked []string
		for range 2 * len(lib) {
			want := coach.NextQuestion(asked, r1.IntN)
			got := coach.SelectQuestion(asked, coach.QuestionContext{Last: coach.LastAnswer{QuestionID: "q-pdca-02"}}, r2.IntN)
			if got != want {
				t.Fatalf("seed %d: SelectQuestion = %q, NextQuestion = %q", seed, got, want)
			}
			asked = append(asked, got)
		}
	}
	// A note on every answer: follow-ups alternate with library questions,
	// and every library question still comes once before any comes back.
	r := rand.New(rand.NewPCG(9, 9))
	var asked, drawn []string
	for range 2 * len(lib) {
		last := coach.LastAnswer{}
		if n := len(asked); n > 0 {
			last = coach.LastAnswer{QuestionID: asked[n-1], CameUpWith: "an idea"}
		}
		id := coach.SelectQuestion(asked, coach.QuestionContext{Last: last}, r.IntN)
		if n := len(asked); n > 0 && id == asked[n-1] {
			t.Fatalf("%s twice in a row", id)
		}
		if n := len(asked); n > 0 && coach.IsFollowUp(id) == coach.IsFollowUp(asked[n-1]) {
			t.Fatalf("%s after %s: want follow-ups and library questions in turn", id, asked[n-1])
		}
		if !coach.IsFollowUp(id) {
			if slices.Contains(drawn, id) {
				t.Fatalf("%s again before the library was through", id)
			}
			if drawn = append(drawn, id); len(drawn) == len(lib) {
				drawn = nil
			}
		}
		asked = append(asked, id)
	}
}

// The question context comes from the store: the last question answered
// done, its note, and the director's only Lean leader.
func TestLoadQuestionContextAndFollowUp(t *testing.T) {
	f := newFixture(t).withDirector(t)
	ctx := t.Context()
	at := f.clock.Now()
	put := func(day int, qid string, a *coach.Answer) coach.Occurrence {
		t.Helper()
		o := coach.Occurrence{Key: coach.NewOccurrenceKey("s1", director, fmt.Sprintf("2026-11-%02d", day)), Schedule: "s1",
			Director: director, Habit: coach.Question, Due: at.AddDate(0, 0, day-30), State: coach.Sent, QuestionID: qid, Answer: a}
		if _, _, err := f.db.CreateOccurrence(ctx, o); err != nil {
			t.Fatal(err)
		}
		if err := f.db.AddAskedQuestion(ctx, director, qid); err != nil {
			t.Fatal(err)
		}
		return o
	}
	qc, err := coach.LoadQuestionContext(ctx, f.db, director)
	if err != nil || qc != (coach.QuestionContext{}) {
		t.Fatalf("LoadQuestionContext with no history = %+v, %v; want zero", qc, err)
	}
	put(1, "q-gemba-03", &coach.Answer{Outcome: coach.Done, QuestionID: "q-gemba-03", Note: "Ask the night shift first."})
	put(2, "q-pdca-04", &coach.Answer{Outcome: coach.NotToday})
	put(3, "q-style-12", nil)
	qc, err = coach.LoadQuestionContext(ctx, f.db, director)
	want := coach.LastAnswer{QuestionID: "q-gemba-03", CameUpWith: "Ask the night shift first.", Leader: leader}
	if err != nil || qc.Last != want || qc.Path != nil {
		t.Fatalf("LoadQuestionContext = %+v, %v; want Last %+v and no path", qc, err, want)
	}

	id, err := coach.PickQuestion(ctx, f.db, director, nil)
	if err != nil || id != "q-gemba-followup" {
		t.Fatalf("PickQuestion = %q, %v; want the Gemba follow-up", id, err)
	}
	fu := put(4, id, nil)
	got, err := coach.LastAnswerBefore(ctx, f.db, fu)
	if err != nil || got != want {
		t.Errorf("LastAnswerBefore(follow-up) = %+v, %v; want %+v", got, err, want)
	}
	if next, err := coach.PickQuestion(ctx, f.db, director, nil); err != nil || coach.IsFollowUp(next) {
		t.Errorf("PickQuestion after the follow-up = %q, %v; want a library question", next, err)
	}
	// A prompt that is no follow-up shows nothing; a follow-up due before
	// the answer does not show it.
	if got, err := coach.LastAnswerBefore(ctx, f.db, put(5, "q-pdca-01", nil)); err != nil || got != (coach.LastAnswer{}) {
		t.Errorf("LastAnswerBefore(library question) = %+v, %v; want zero", got, err)
	}
	early := coach.Occurrence{Key: "s1|" + coach.OccurrenceKey(director) + "|early", Director: director, Habit: coach.Question,
		QuestionID: "q-pdca-followup", Due: at.AddDate(0, -2, 0)}
	if got, err := coach.LastAnswerBefore(ctx, f.db, early); err != nil || got != (coach.LastAnswer{}) {
		t.Errorf("LastAnswerBefore(follow-up due before any answer) = %+v, %v; want zero", got, err)
	}

	// With two Lean leaders it is not known whom the note was about.
	if _, err := f.svc.AddDirector(ctx, admin, director, []coach.UserID{leader, leader2}); err != nil {
		t.Fatal(err)
	}
	qc, err = coach.LoadQuestionContext(ctx, f.db, director)
	if err != nil || qc.Last.Leader != "" || qc.Last.CameUpWith == "" {
		t.Errorf("LoadQuestionContext with two leaders = %+v, %v; want the note and no leader", qc, err)
	}
	// A later answer without a note: nothing to follow up.
	put(6, "q-pdca-03", &coach.Answer{Outcome: coach.Done, QuestionID: "q-pdca-03"})
	qc, err = coach.LoadQuestionContext(ctx, f.db, director)
	if err != nil || qc.Last.HasNote() || qc.Last.QuestionID != "q-pdca-03" {
		t.Errorf("LoadQuestionContext after an answer without a note = %+v, %v", qc, err)
	}
}
