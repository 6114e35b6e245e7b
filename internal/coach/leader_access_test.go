package coach_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
)

// teamDirectory answers every user as a full member of team T1, in UTC,
// so that coach.Access decides by the admin lists alone.
type teamDirectory struct{}

func (teamDirectory) Profile(_ context.Context, id coach.UserID) (coach.Profile, error) {
	return coach.Profile{ID: id, TeamID: "T1"}, nil
}

// privateCanary is the text a Lean leader marked "only for me": no reply
// to anyone else may hold it. sharedCanary is their comment on the path:
// for the pair's director and the Lean leader only.
const (
	privateCanary = "PANGOLINONLYFORME"
	sharedCanary  = "OKAPISHAREDCOMMENT"
)

// TestLeaderAuthorizationMatrix drives every use case of the path and the
// Lean leader's side, and every admin command, for every kind of person
// around one pair (director and leader): the pair's Lean leader, the
// director's other Lean leader, another director's Lean leader, the
// director, the pair's Lean leader's second director, another director,
// an admin and a stranger. A use case acts on the actor's own pair with the
// person named (a Lean leader's check-in with director is their own; a
// director's path with leader is theirs): that is allowed, nothing else.
// A refusal changes nothing. Nobody but the Lean leader may read the text
// they kept for themselves, and nobody but the pair the comment on their
// path. Wrong allows: 0.
func TestLeaderAuthorizationMatrix(t *testing.T) {
	f := newLeaderFixture(t)
	ctx := t.Context()
	pair := coach.Pair{Director: director, Leader: leader}
	access, err := coach.NewAccess(coach.AccessConfig{Team: "T1", Listed: []coach.UserID{admin}, Store: f.db,
		Directory: teamDirectory{}, Clock: f.clock})
	must(t, err)
	portal, err := coach.NewPortal(coach.PortalConfig{Store: f.db, Access: access, Audit: coach.NewAuditLog(f.db, f.clock),
		Directory: f.dir, Clock: f.clock, Rules: rules()})
	must(t, err)

	// The pair's history: a path with a review, a check-in with a shared
	// and a private part, a comment.
	if _, err := f.paths.SetPath(ctx, director, leader, pathIn(t, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.leaders.AnswerCheckIn(ctx, leader, director, nov, answer(coach.Facilitating, coach.Directing, privateCanary, true)); err != nil {
		t.Fatal(err)
	}
	comment, err := f.leaders.AddComment(ctx, leader, director, sharedCanary)
	must(t, err)

	type subject struct {
		name string
		id   coach.UserID
	}
	subjects := []subject{
		{"the pair's Lean leader", leader},
		{"the director's other Lean leader", leader2},
		{"another director's Lean leader", leader3},
		{"the pair's director", director},
		{"the Lean leader's second director", director2},
		{"another director", other},
		{"an admin", admin},
		{"a stranger", "USTRANGER"},
	}
	// Each operation runs as u and returns what u got to read (for the
	// canary) and its error; allowed says who may.
	type op struct {
		name    string
		allowed func(u coach.UserID) bool
		run     func(u coach.UserID) (any, error)
	}
	only := func(ids ...coach.UserID) func(coach.UserID) bool {
		return func(u coach.UserID) bool {
			for _, id := range ids {
				if u == id {
					return true
				}
			}
			return false
		}
	}
	rev := func(u coach.UserID) int {
		p, _ := f.db.LoadPath(ctx, coach.Pair{Director: u, Leader: leader})
		return p.Rev
	}
	ops := []op{
		{"set a path with leader", only(director, director2), func(u coach.UserID) (any, error) {
			in := pathIn(t, rev(u)) // the same input again: changes nothing when it is set
			return f.paths.SetPath(ctx, u, leader, in)
		}},
		{"review a path with leader", only(director, director2), func(u coach.UserID) (any, error) {
			return f.paths.ReviewPath(ctx, u, leader, coach.ReviewInput{Rev: rev(u), Outcome: coach.NotYet})
		}},
		{"read the pair's path", only(director, leader), func(u coach.UserID) (any, error) { return f.paths.Path(ctx, u, pair) }},
		{"list one's paths", only(director, director2, other), func(u coach.UserID) (any, error) { return f.paths.Paths(ctx, u) }},
		{"answer a check-in with director", only(leader, leader2), func(u coach.UserID) (any, error) {
			return f.leaders.AnswerCheckIn(ctx, u, director, dec, answer(coach.Coaching, "", "", false))
		}},
		{"read a check-in with director", only(leader, leader2), func(u coach.UserID) (any, error) {
			return f.leaders.CheckInContext(ctx, u, director, nov)
		}},
		{"read one's check-ins", func(coach.UserID) bool { return true }, func(u coach.UserID) (any, error) {
			return f.leaders.MyCheckIns(ctx, u)
		}},
		{"read the shared check-ins of leader", only(director, director2), func(u coach.UserID) (any, error) {
			return f.leaders.SharedCheckIns(ctx, u, leader)
		}},
		{"read the pair's comments", only(director, leader), func(u coach.UserID) (any, error) {
			return f.leaders.Comments(ctx, u, pair)
		}},
		{"comment on a path with director", only(leader, leader2), func(u coach.UserID) (any, error) {
			return f.leaders.AddComment(ctx, u, director, "matrix comment")
		}},
		{"delete the pair's comment", only(leader), func(u coach.UserID) (any, error) {
			err := f.leaders.DeleteComment(ctx, u, director, comment.ID)
			if err == nil { // put one back for the next subject
				comment, err = f.leaders.AddComment(ctx, leader, director, sharedCanary)
				must(t, err)
			}
			return nil, err
		}},
		{"count the check-ins", only(admin), func(u coach.UserID) (any, error) { return f.leaders.CheckInCounts(ctx, u) }},
		{"count the paths", only(admin), func(u coach.UserID) (any, error) { return f.paths.Counts(ctx, u) }},
		{"the report", only(admin), func(u coach.UserID) (any, error) { return portal.Report(ctx, u) }},
	}
	for _, cmd := range coach.AdminCommands() {
		ops = append(ops, op{"/coach " + cmd, only(admin), func(u coach.UserID) (any, error) {
			return nil, portal.RequireAdmin(ctx, u, cmd)
		}})
	}
	cells, wrongAllows, wrongDenies, leaks := 0, 0, 0, 0
	for _, o := range ops {
		for _, s := range subjects {
			cells++
			before := snapshot(t, f)
			got, err := o.run(s.id)
			allowed := err == nil
			switch {
			case allowed && !o.allowed(s.id):
				wrongAllows++
				t.Errorf("%s by %s was allowed", o.name, s.name)
			case !allowed && o.allowed(s.id):
				wrongDenies++
				t.Errorf("%s by %s = %v, want allowed", o.name, s.name, err)
			case !allowed:
				// Forbidden; invalid naming whom they can choose; or, for
				// someone else's comment, the same "not there" as for none.
				if c := coach.ErrorCode(err); c != coach.EFORBIDDEN && c != coach.EINVALID && c != coach.ENOTFOUND {
					t.Errorf("%s by %s: code %q, want a refusal", o.name, s.name, c)
				}
				if after := snapshot(t, f); after != before {
					t.Errorf("%s by %s was refused but changed the store", o.name, s.name)
				}
			}
			raw, _ := json.Marshal(got)
			out := string(raw) + fmt.Sprint(err)
			if s.id != leader && strings.Contains(out, privateCanary) {
				leaks++
				t.Errorf("%s by %s returned the Lean leader's private text: %s", o.name, s.name, raw)
			}
			if s.id != leader && s.id != director && strings.Contains(out, sharedCanary) {
				leaks++
				t.Errorf("%s by %s returned the pair's comment: %s", o.name, s.name, raw)
			}
		}
	}
	// The App Home of each, built by the Portal: only the Lean leader's
	// own holds the private text.
	for _, s := range subjects {
		h, err := portal.Home(ctx, s.id)
		must(t, err)
		raw, _ := json.Marshal(h)
		has := strings.Contains(string(raw), privateCanary)
		if has != (s.id == leader) {
			if s.id != leader {
				leaks++
			}
			t.Errorf("Home of %s holds the private text: %v, want %v", s.name, has, s.id == leader)
		}
		if hasShared, want := strings.Contains(string(raw), sharedCanary), s.id == leader || s.id == director; hasShared != want {
			if !want {
				leaks++
			}
			t.Errorf("Home of %s holds the pair's comment: %v, want %v", s.name, hasShared, want)
		}
	}
	t.Logf("leader authorization matrix: %d cells (%d operations x %d subjects), %d wrong allows, %d wrong denies, %d leaks of a private text",
		cells, len(ops), len(subjects), wrongAllows, wrongDenies, leaks)
	if wrongAllows != 0 || leaks != 0 {
		t.Fatalf("wrong allows = %d, leaks = %d; want 0", wrongAllows, leaks)
	}
	if wrongDenies != 0 {
		t.Fatalf("wrong denies = %d, want 0", wrongDenies)
	}
}

// snapshot is every record a refused use case could have changed.
func snapshot(t *testing.T, f *leaderFixture) string {
	t.Helper()
	ctx := t.Context()
	ps, err := f.db.ListPaths(ctx, "")
	must(t, err)
	cs, err := f.db.ListCheckIns(ctx, coach.Pair{})
	must(t, err)
	cms, err := f.db.ListComments(ctx, coach.Pair{})
	must(t, err)
	raw, _ := json.Marshal([]any{ps, cs, cms})
	return string(raw)
}
