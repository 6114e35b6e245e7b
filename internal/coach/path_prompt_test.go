package coach_test

import (
	"slices"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

// putPath stores a path of director's with l set on day.
func putPath(t *testing.T, f *fixture, l coach.UserID, in coach.PathInput, at time.Time) {
	t.Helper()
	day := coach.DateOf(at)
	if _, err := f.db.UpdatePath(t.Context(), coach.Pair{Director: director, Leader: l}, func(p *coach.Path) error {
		*p = p.Set(in, at, day)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// The question context carries the delegation path: none without one; the
// path of the Lean leader the last answer was about; with several Lean
// leaders and no such answer, the first one's with a path. And the next
// question then comes from a theme that fits that path, at the start of
// its Kata sequence.
func TestLoadQuestionContextFollowsThePath(t *testing.T) {
	f := newFixture(t).withDirector(t)
	ctx := t.Context()
	now := f.clock.Now()
	qc, err := coach.LoadQuestionContext(ctx, f.db, director)
	if err != nil || qc.Path != nil {
		t.Fatalf("LoadQuestionContext without a path = %+v, %v; want no path", qc, err)
	}
	target := coach.DateOf(now).AddDays(30)
	putPath(t, f, leader, coach.PathInput{Style: coach.Delegating, Phase: coach.Spreading,
		Next: coach.Step{Responsibility: "Leads the planning", Target: target}}, now)
	qc, err = coach.LoadQuestionContext(ctx, f.db, director)
	want := coach.QuestionPath{Style: coach.Delegating, Phase: coach.Spreading, Leader: leader}
	if err != nil || qc.Path == nil || *qc.Path != want {
		t.Fatalf("LoadQuestionContext with a path = %+v, %v; want path %+v", qc, err, want)
	}
	id, err := coach.PickQuestion(ctx, f.db, director, nil)
	if err != nil {
		t.Fatal(err)
	}
	q, ok := question(id)
	fit := coach.FitThemes(coach.Delegating, coach.Spreading)
	if !ok || !slices.Contains(fit, q.Theme) || q.Step != coach.StepTarget {
		t.Errorf("PickQuestion with a path = %s (%+v); want a target-condition question of %v", id, q, fit)
	}

	// Two Lean leaders (registered in ID order), a path with each: the
	// first one's steers.
	if _, err := f.svc.AddDirector(ctx, admin, director, []coach.UserID{leader2, leader}); err != nil {
		t.Fatal(err)
	}
	putPath(t, f, leader2, coach.PathInput{Style: coach.Directing, Phase: coach.SelfAcceptance,
		Next: coach.Step{Responsibility: "Opens the stand-up", Target: target}}, now)
	if qc, err = coach.LoadQuestionContext(ctx, f.db, director); err != nil || qc.Path == nil || *qc.Path != want {
		t.Errorf("LoadQuestionContext, two paths = %+v, %v; want the first Lean leader's", qc.Path, err)
	}
}

func question(id string) (coach.QuestionInfo, bool) {
	for _, q := range coach.Questions() {
		if q.ID == id {
			return q, true
		}
	}
	return coach.QuestionInfo{}, false
}

// The path prompt shows every Lean leader: the paths reviewed least
// recently first, then those without a path, in the director's order.
func TestLoadPathPromptOrder(t *testing.T) {
	f := newFixture(t).withDirector(t)
	ctx := t.Context()
	now := f.clock.Now()
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	vs, err := coach.LoadPathPrompt(ctx, f.db, "UNOBODY01", now, loc)
	if err != nil || len(vs) != 0 {
		t.Fatalf("LoadPathPrompt of a non-director = %v, %v; want none", vs, err)
	}
	const leader3 = coach.UserID("ULEADER03")
	if _, err := f.svc.AddDirector(ctx, admin, director, []coach.UserID{leader, leader2, leader3}); err != nil {
		t.Fatal(err)
	}
	step := coach.Step{Responsibility: "Runs the review", Target: coach.DateOf(now).AddDays(40)}
	// leader3's path was set two months ago, leader's last month; leader2
	// has none.
	putPath(t, f, leader, coach.PathInput{Style: coach.Coaching, Phase: coach.SelfKnowledge, Next: step}, now.AddDate(0, -1, 0))
	putPath(t, f, leader3, coach.PathInput{Style: coach.Coaching, Phase: coach.SelfKnowledge, Next: step}, now.AddDate(0, -2, 0))
	vs, err = coach.LoadPathPrompt(ctx, f.db, director, now, loc)
	if err != nil {
		t.Fatal(err)
	}
	var got []coach.UserID
	for _, v := range vs {
		got = append(got, v.Leader)
	}
	if want := []coach.UserID{leader3, leader, leader2}; !slices.Equal(got, want) {
		t.Errorf("LoadPathPrompt order = %v, want %v", got, want)
	}
	if vs[0].Today != coach.DateOf(now.In(loc)) || !vs[0].Due.Due || vs[2].Path != nil {
		t.Errorf("LoadPathPrompt views = %+v; want today's, the oldest due, the last without a path", vs)
	}
	// A review moves a path to the back of the paths.
	if _, err := f.db.UpdatePath(ctx, coach.Pair{Director: director, Leader: leader3}, func(p *coach.Path) error {
		*p = p.Apply(coach.ReviewInput{Rev: p.Rev, Outcome: coach.Partly}, now, coach.DateOf(now))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	vs, _ = coach.LoadPathPrompt(ctx, f.db, director, now, loc)
	if len(vs) != 3 || vs[0].Leader != leader || vs[1].Leader != leader3 {
		t.Errorf("after reviewing %s: order %v, want it after %s", leader3, vs, leader)
	}
}
