package coach_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

const leader3 coach.UserID = "ULEAD03" // other's Lean leader

// pathFixture is a PathService over a real store: director leads leader
// and leader2 (director's zone is Amsterdam), other leads leader3, and
// admin is an admin.
type pathFixture struct {
	*fixture
	paths *coach.PathService
}

func newPathFixture(t *testing.T) *pathFixture {
	t.Helper()
	f := newFixture(t)
	ctx := t.Context()
	must(t, f.db.PutDirector(ctx, coach.Director{ID: director, Leaders: []coach.UserID{leader, leader2}}))
	must(t, f.db.PutDirector(ctx, coach.Director{ID: other, Leaders: []coach.UserID{leader3}}))
	ps, err := coach.NewPathService(coach.PathServiceConfig{Store: f.db, Directory: f.dir, Clock: f.clock,
		IsAdmin: func(_ context.Context, u coach.UserID) (bool, error) { return u == admin, nil }})
	must(t, err)
	return &pathFixture{fixture: f, paths: ps}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// pathIn is a valid path form's input on the fixture's first day
// (2026-12-07 in Amsterdam).
func pathIn(t testing.TB, rev int) coach.PathInput {
	return coach.PathInput{Rev: rev, Style: coach.Coaching, Phase: coach.SelfKnowledge,
		Next: coach.Step{Responsibility: "runs the stand-up", DoneLooksLike: "I only watch", Target: date(t, "2027-01-15")}}
}

// allPaths is every stored path.
func (f *pathFixture) allPaths(t *testing.T) []coach.Path {
	t.Helper()
	ps, err := f.db.ListPaths(t.Context(), "")
	must(t, err)
	return ps
}

func wantErr(t *testing.T, err error, code, key string) {
	t.Helper()
	if coach.ErrorCode(err) != code {
		t.Fatalf("error %v has code %q, want %q", err, coach.ErrorCode(err), code)
	}
	if k := coach.ErrorMessage(err).Key; k != key {
		t.Errorf("error %v has message %q, want %q", err, k, key)
	}
}

func TestSetPathAuthorization(t *testing.T) {
	f := newPathFixture(t)
	ctx := t.Context()
	must(t, f.db.PutDirector(ctx, coach.Director{ID: "UDIRNONE", Leaders: nil}))
	tests := []struct {
		name          string
		actor, leader coach.UserID
		code, key     string
	}{
		{"a Lean leader", leader, leader2, coach.EFORBIDDEN, "path.err.directors_only"},
		{"an admin who directs no one", admin, leader, coach.EFORBIDDEN, "path.err.directors_only"},
		{"a stranger", "USTRANGE", leader, coach.EFORBIDDEN, "path.err.directors_only"},
		{"a leader of another director", director, leader3, coach.EINVALID, "path.err.not_your_leader"},
		{"someone who is no Lean leader", director, "UNOBODY1", coach.EINVALID, "path.err.not_your_leader"},
		{"the director themself", director, director, coach.EINVALID, "path.err.self"},
		{"a director without Lean leaders", "UDIRNONE", leader, coach.EINVALID, "path.err.no_leaders"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.paths.SetPath(ctx, tt.actor, tt.leader, pathIn(t, 0))
			wantErr(t, err, tt.code, tt.key)
			if tt.key == "path.err.not_your_leader" {
				en := i18n.EN.Render(coach.ErrorMessage(err))
				if strings.Contains(en, "<@") || !strings.Contains(en, string(leader)) || !strings.Contains(en, string(leader2)) ||
					!strings.Contains(en, string(tt.leader)) {
					t.Errorf("message %q does not name the mentioned person and the director's Lean leaders", en)
				}
			}
			if tt.key == "path.err.directors_only" && tt.actor == leader {
				if en := i18n.EN.Render(coach.ErrorMessage(err)); !strings.Contains(en, "You're a Lean leader") {
					t.Errorf("a Lean leader is told %q, want what they can do instead", en)
				}
			}
			_, err = f.paths.ReviewPath(ctx, tt.actor, tt.leader, coach.ReviewInput{Outcome: coach.Partly})
			wantErr(t, err, tt.code, tt.key)
		})
	}
	if ps := f.allPaths(t); len(ps) != 0 {
		t.Errorf("refused calls stored paths: %+v", ps)
	}
}

func TestSetPathBadInputChangesNothing(t *testing.T) {
	f := newPathFixture(t)
	ctx := t.Context()
	bad := []struct {
		name string
		edit func(*coach.PathInput)
		key  string
	}{
		{"a date in the past", func(in *coach.PathInput) { in.Next.Target = date(t, "2026-12-06") }, "path.err.target_past"},
		{"an empty next responsibility", func(in *coach.PathInput) { in.Next.Responsibility = " " }, "path.err.next_missing"},
		{"a target years ahead", func(in *coach.PathInput) { in.Next.Target = date(t, "2030-01-01") }, "path.err.target_far"},
		{"an invalid style", func(in *coach.PathInput) { in.Style = "sturen" }, "path.err.bad_style"},
		{"an invalid phase", func(in *coach.PathInput) { in.Phase = 5 }, "path.err.bad_phase"},
	}
	for _, tt := range bad {
		in := pathIn(t, 0)
		tt.edit(&in)
		_, err := f.paths.SetPath(ctx, director, leader, in)
		wantErr(t, err, coach.EINVALID, tt.key)
	}
	if ps := f.allPaths(t); len(ps) != 0 {
		t.Fatalf("bad input stored paths: %+v", ps)
	}
	v, err := f.paths.SetPath(ctx, director, leader, pathIn(t, 0))
	must(t, err)
	before := f.allPaths(t)
	for _, tt := range bad {
		in := pathIn(t, v.Path.Rev)
		in.Next.Responsibility = "something else"
		tt.edit(&in)
		_, err := f.paths.SetPath(ctx, director, leader, in)
		wantErr(t, err, coach.EINVALID, tt.key)
		_, err = f.paths.ReviewPath(ctx, director, leader, coach.ReviewInput{Rev: v.Path.Rev, Outcome: coach.Handed,
			Next: in.Next, Style: in.Style, Phase: in.Phase})
		wantErr(t, err, coach.EINVALID, tt.key)
	}
	if after := f.allPaths(t); len(after) != 1 || after[0].Rev != before[0].Rev || after[0].Next != before[0].Next {
		t.Errorf("bad edits changed the path: %+v, want %+v", after, before)
	}
}

// The user story of the domain: a director sets a path, a month later the
// review is due, "partly" with a note and a new step, then "handed over".
func TestPathSetReviewStory(t *testing.T) {
	f := newPathFixture(t)
	ctx := t.Context()
	v, err := f.paths.SetPath(ctx, director, leader, pathIn(t, 0))
	must(t, err)
	if v.Path == nil || v.Path.Rev != 1 || v.Today != date(t, "2026-12-07") || v.Due.Due || v.Phase.Status != coach.FrameWithin {
		t.Fatalf("new path view = %+v, want Rev 1 on 2026-12-07, not due, within the frame", v)
	}

	f.clock.Set(f.clock.Now().AddDate(0, 1, 0)) // 2027-01-07
	views, err := f.paths.Paths(ctx, director)
	must(t, err)
	if len(views) != 2 || views[0].Leader != leader || !views[0].Due.Due || views[0].Due.Reason != coach.DueMonthly {
		t.Fatalf("a month later Paths = %+v, want the path with leader due (monthly)", views)
	}
	if views[1].Leader != leader2 || views[1].Path != nil {
		t.Errorf("Paths()[1] = %+v, want leader2 without a path", views[1])
	}

	next := coach.Step{Responsibility: "runs the stand-up", DoneLooksLike: "I only watch", Target: date(t, "2027-02-01")}
	v, err = f.paths.ReviewPath(ctx, director, leader, coach.ReviewInput{Rev: 1, Outcome: coach.Partly,
		Saw: "led it three days of five", Next: next, Style: coach.Facilitating})
	must(t, err)
	p := v.Path
	if p.Rev != 2 || len(p.Reviews) != 1 || p.Next != next || p.Style() != coach.Facilitating || v.Due.Due || len(p.HandedOver) != 0 {
		t.Fatalf("after partly: %+v", p)
	}
	if r := p.Reviews[0]; r.Outcome != coach.Partly || r.Saw != "led it three days of five" || r.Planned.Target != date(t, "2027-01-15") ||
		r.On != date(t, "2027-01-07") || r.Style != coach.Facilitating {
		t.Errorf("the review record = %+v", r)
	}

	f.clock.Set(f.clock.Now().AddDate(0, 0, 25)) // 2027-02-01
	weekPlan := coach.Step{Responsibility: "plans the week", Target: date(t, "2027-03-01")}
	v, err = f.paths.ReviewPath(ctx, director, leader, coach.ReviewInput{Rev: 2, Outcome: coach.Handed, Saw: "ran it alone", Next: weekPlan})
	must(t, err)
	if p := v.Path; p.Rev != 3 || len(p.HandedOver) != 1 || p.HandedOver[0].What != "runs the stand-up" || p.Next != weekPlan ||
		v.Year.HandedOver != 1 || v.Year.Reviews != 2 || v.Year.StyleChanges != 1 {
		t.Errorf("after handed over: %+v, year %+v", p, v.Year)
	}
	stored, err := f.db.LoadPath(ctx, coach.Pair{Director: director, Leader: leader})
	must(t, err)
	if stored.Rev != 3 || len(stored.Reviews) != 2 {
		t.Errorf("stored path = %+v, want the two reviews", stored)
	}
}

// A form submitted twice records once; a form opened before another
// change is refused and changes nothing.
func TestPathRevisions(t *testing.T) {
	f := newPathFixture(t)
	ctx := t.Context()
	_, err := f.paths.SetPath(ctx, director, leader, pathIn(t, 0))
	must(t, err)
	again, err := f.paths.SetPath(ctx, director, leader, pathIn(t, 0)) // the same form, submitted twice
	must(t, err)
	if again.Path.Rev != 1 {
		t.Errorf("a second submission of the same path form made Rev %d, want 1", again.Path.Rev)
	}
	stale := pathIn(t, 0)
	stale.Style = coach.Directing
	_, err = f.paths.SetPath(ctx, director, leader, stale)
	wantErr(t, err, coach.ECONFLICT, "path.err.changed")

	review := coach.ReviewInput{Rev: 1, Outcome: coach.NotYet, Saw: "not started"}
	_, err = f.paths.ReviewPath(ctx, director, leader, review)
	must(t, err)
	v, err := f.paths.ReviewPath(ctx, director, leader, review) // double submit
	must(t, err)
	if v.Path.Rev != 2 || len(v.Path.Reviews) != 1 {
		t.Errorf("a second submission of the same review: Rev %d, %d reviews; want 2 and 1", v.Path.Rev, len(v.Path.Reviews))
	}
	_, err = f.paths.ReviewPath(ctx, director, leader, coach.ReviewInput{Rev: 1, Outcome: coach.Partly})
	wantErr(t, err, coach.ECONFLICT, "path.err.changed")
	if ps := f.allPaths(t); len(ps) != 1 || ps[0].Rev != 2 || len(ps[0].Reviews) != 1 || ps[0].Style() != coach.Coaching {
		t.Errorf("after the refused changes: %+v", ps)
	}
	_, err = f.paths.ReviewPath(ctx, director, leader2, coach.ReviewInput{Outcome: coach.Partly})
	wantErr(t, err, coach.ENOTFOUND, "path.err.no_path")
}

func TestPathReaders(t *testing.T) {
	f := newPathFixture(t)
	ctx := t.Context()
	_, err := f.paths.SetPath(ctx, director, leader, pathIn(t, 0))
	must(t, err)
	pair := coach.Pair{Director: director, Leader: leader}
	for _, actor := range []coach.UserID{director, leader} {
		v, err := f.paths.Path(ctx, actor, pair)
		if err != nil || v.Path == nil || v.Path.Next.Responsibility != "runs the stand-up" {
			t.Errorf("Path(%s) = %+v, %v; want the path", actor, v, err)
		}
	}
	for _, tt := range []struct {
		actor coach.UserID
		pair  coach.Pair
		code  string
		key   string
	}{
		{admin, pair, coach.EFORBIDDEN, "path.err.not_your_path"},
		{other, pair, coach.EFORBIDDEN, "path.err.not_your_path"},
		{leader2, pair, coach.EFORBIDDEN, "path.err.not_your_path"},
		{leader, coach.Pair{Director: other, Leader: leader}, coach.EFORBIDDEN, "path.err.not_your_path"},
		{leader, coach.Pair{Director: "UNODIR01", Leader: leader}, coach.EFORBIDDEN, "path.err.not_your_path"},
		{director, coach.Pair{Director: director, Leader: leader3}, coach.EINVALID, "path.err.not_your_leader"},
	} {
		_, err := f.paths.Path(ctx, tt.actor, tt.pair)
		wantErr(t, err, tt.code, tt.key)
	}
	if v, err := f.paths.Path(ctx, director, coach.Pair{Director: director, Leader: leader2}); err != nil || v.Path != nil {
		t.Errorf("Path(no path yet) = %+v, %v; want a view without a path", v, err)
	}
	// A Lean leader with two directors sees one path per director.
	must(t, f.db.PutDirector(ctx, coach.Director{ID: other, Leaders: []coach.UserID{leader3, leader}}))
	lv, err := f.paths.LeaderPaths(ctx, leader)
	must(t, err)
	if len(lv) != 2 || lv[0].Director != director || lv[0].Path == nil || lv[1].Director != other || lv[1].Path != nil {
		t.Errorf("LeaderPaths(leader) = %+v, want director's path and other's none", lv)
	}
	if lv, err := f.paths.LeaderPaths(ctx, admin); err != nil || len(lv) != 0 {
		t.Errorf("LeaderPaths(admin) = %+v, %v; want none", lv, err)
	}
	if _, err := f.paths.Paths(ctx, leader); coach.ErrorCode(err) != coach.EFORBIDDEN {
		t.Errorf("Paths(leader) = %v, want forbidden", err)
	}
}

// A removed pair keeps its path, hidden, and finds it back when added
// again; the counts leave it out meanwhile.
func TestPathOfRemovedPair(t *testing.T) {
	f := newPathFixture(t)
	ctx := t.Context()
	_, err := f.paths.SetPath(ctx, director, leader, pathIn(t, 0))
	must(t, err)
	must(t, f.svc.RemoveDirector(ctx, admin, director))
	if _, err := f.paths.Paths(ctx, director); coach.ErrorCode(err) != coach.EFORBIDDEN {
		t.Errorf("Paths of a removed director = %v, want forbidden", err)
	}
	if _, err := f.paths.Path(ctx, leader, coach.Pair{Director: director, Leader: leader}); coach.ErrorCode(err) != coach.EFORBIDDEN {
		t.Errorf("the Lean leader's read of a removed pair's path = %v, want forbidden", err)
	}
	c, err := f.paths.Counts(ctx, admin)
	must(t, err)
	if c.Pairs != 1 || c.WithPath != 0 {
		t.Errorf("Counts after removal = %+v, want 1 pair (other's), none with a path", c)
	}
	_, err = f.svc.AddDirector(ctx, admin, director, []coach.UserID{leader})
	must(t, err)
	v, err := f.paths.Path(ctx, director, coach.Pair{Director: director, Leader: leader})
	if err != nil || v.Path == nil || v.Path.Rev != 1 {
		t.Errorf("after adding the pair again: %+v, %v; want the kept path", v, err)
	}
}

func TestPathCounts(t *testing.T) {
	f := newPathFixture(t)
	ctx := t.Context()
	_, err := f.paths.SetPath(ctx, director, leader, pathIn(t, 0))
	must(t, err)
	_, err = f.paths.ReviewPath(ctx, director, leader, coach.ReviewInput{Rev: 1, Outcome: coach.Partly, Saw: "SECRETSAW"})
	must(t, err)
	in := pathIn(t, 0)
	in.Phase = coach.Development
	_, err = f.paths.SetPath(ctx, other, leader3, in)
	must(t, err)
	for _, u := range []coach.UserID{director, leader, other} {
		_, err := f.paths.Counts(ctx, u)
		wantErr(t, err, coach.EFORBIDDEN, "svc.err.admin_only")
	}
	c, err := f.paths.Counts(ctx, admin)
	must(t, err)
	if c.Pairs != 3 || c.WithPath != 2 || c.Reviewed != 1 || c.PerPhase[coach.SelfKnowledge] != 1 || c.PerPhase[coach.Development] != 1 {
		t.Errorf("Counts = %+v, want 3 pairs, 2 with a path, 1 reviewed, one each in phases 2 and 3", c)
	}
	if s := fmt.Sprintf("%#v", c); strings.Contains(s, "SECRETSAW") || strings.Contains(s, "stand-up") || strings.Contains(s, string(leader)) {
		t.Errorf("the counts hold a path's text or a person: %s", s)
	}
	f.clock.Set(f.clock.Now().Add(coach.ReviewedWindow + time.Minute))
	if c, _ := f.paths.Counts(ctx, admin); c.Reviewed != 0 || c.WithPath != 2 {
		t.Errorf("Counts 45 days later = %+v, want none reviewed lately", c)
	}
}

// Dates are the director's: at 00:30 on 7 December in Amsterdam (still the
// 6th in UTC) the 6th has passed and the 7th is today.
func TestPathUsesTheDirectorsDay(t *testing.T) {
	f := newPathFixture(t)
	ctx := t.Context()
	f.clock.Set(time.Date(2026, 12, 6, 23, 30, 0, 0, time.UTC))
	in := pathIn(t, 0)
	in.Next.Target = date(t, "2026-12-06")
	_, err := f.paths.SetPath(ctx, director, leader, in)
	wantErr(t, err, coach.EINVALID, "path.err.target_past")
	in.Next.Target = date(t, "2026-12-07")
	v, err := f.paths.SetPath(ctx, director, leader, in)
	must(t, err)
	if v.Today != date(t, "2026-12-07") || v.Path.StyleSince() != date(t, "2026-12-07") || v.Loc.String() != "Europe/Amsterdam" {
		t.Errorf("view = today %s, style since %s, zone %v; want 2026-12-07 in Amsterdam", v.Today, v.Path.StyleSince(), v.Loc)
	}
	// The Lean leader (UTC) reads the same day: the director's.
	lv, err := f.paths.Path(ctx, leader, coach.Pair{Director: director, Leader: leader})
	must(t, err)
	if lv.Today != v.Today {
		t.Errorf("the Lean leader's view has today %s, want the director's %s", lv.Today, v.Today)
	}
}

func TestNewPathServiceNeedsItsPorts(t *testing.T) {
	f := newFixture(t)
	full := coach.PathServiceConfig{Store: f.db, Directory: f.dir, Clock: f.clock,
		IsAdmin: func(context.Context, coach.UserID) (bool, error) { return false, nil }}
	for i, drop := range []func(*coach.PathServiceConfig){
		func(c *coach.PathServiceConfig) { c.Store = nil },
		func(c *coach.PathServiceConfig) { c.Directory = nil },
		func(c *coach.PathServiceConfig) { c.Clock = nil },
		func(c *coach.PathServiceConfig) { c.IsAdmin = nil },
	} {
		c := full
		drop(&c)
		if _, err := coach.NewPathService(c); err == nil {
			t.Errorf("config %d without a port: no error", i)
		}
	}
	if _, err := coach.NewPathService(full); err != nil {
		t.Errorf("full config: %v", err)
	}
}
