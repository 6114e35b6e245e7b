package coach_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

// director2 is leader's second director, beside director.
const director2 coach.UserID = "UDIR002"

// leaderFixture is a LeaderService (and the PathService) over a real
// store: director leads leader and leader2, director2 leads leader too,
// other leads leader3, admin is an admin. The clock stands at 2026-12-07
// 08:45 UTC; the Lean leaders have no zone (UTC), so their month is
// December 2026.
type leaderFixture struct {
	*pathFixture
	leaders *coach.LeaderService
}

func newLeaderFixture(t *testing.T) *leaderFixture {
	t.Helper()
	f := newPathFixture(t)
	must(t, f.db.PutDirector(t.Context(), coach.Director{ID: director2, Leaders: []coach.UserID{leader}}))
	ls, err := coach.NewLeaderService(coach.LeaderServiceConfig{Store: f.db, Directory: f.dir, Clock: f.clock,
		IsAdmin: func(_ context.Context, u coach.UserID) (bool, error) { return u == admin, nil }})
	must(t, err)
	return &leaderFixture{pathFixture: f, leaders: ls}
}

var (
	dec = coach.NewMonth(2026, time.December)
	nov = coach.NewMonth(2026, time.November)
)

func answer(needed, got coach.Style, note string, private bool) coach.CheckInAnswer {
	a := coach.CheckInAnswer{Needed: needed, Got: got}
	if note != "" {
		a.Note = &coach.CheckInNote{Text: note, Private: private}
	}
	return a
}

func (f *leaderFixture) checkIns(t *testing.T) []coach.CheckIn {
	t.Helper()
	cs, err := f.db.ListCheckIns(t.Context(), coach.Pair{})
	must(t, err)
	return cs
}

func TestOpenCheckIn(t *testing.T) {
	f := newLeaderFixture(t)
	ctx := t.Context()
	pair := coach.Pair{Director: director, Leader: leader}
	c, created, err := f.leaders.OpenCheckIn(ctx, pair, dec)
	if err != nil || !created || !c.Opened.Equal(f.clock.Now()) || c.IsAnswered() {
		t.Fatalf("OpenCheckIn = %+v, %v, %v; want a new, open check-in", c, created, err)
	}
	f.clock.Set(f.clock.Now().Add(time.Hour))
	again, created, err := f.leaders.OpenCheckIn(ctx, pair, dec)
	if err != nil || created || !again.Opened.Equal(c.Opened) {
		t.Errorf("OpenCheckIn again = %+v, %v, %v; want the one opened before", again, created, err)
	}
	// One check-in per director: the second director's is its own.
	if _, created, err := f.leaders.OpenCheckIn(ctx, coach.Pair{Director: director2, Leader: leader}, dec); err != nil || !created {
		t.Errorf("OpenCheckIn for the second director = %v, %v; want a check-in of its own", created, err)
	}
	for _, tt := range []struct {
		name string
		pair coach.Pair
		m    coach.Month
		code string
		key  string
	}{
		{"a pair that is not registered", coach.Pair{Director: director, Leader: leader3}, dec, coach.EINVALID, "checkin.err.not_pair"},
		{"no director", coach.Pair{Director: "UNOBODY", Leader: leader}, dec, coach.EINVALID, "checkin.err.not_pair"},
		{"a month to come", pair, dec.Add(1), coach.EINVALID, "checkin.err.future"},
		{"a closed month", pair, dec.Add(-2), coach.ECONFLICT, "checkin.err.closed"},
	} {
		before := len(f.checkIns(t))
		_, _, err := f.leaders.OpenCheckIn(ctx, tt.pair, tt.m)
		if coach.ErrorCode(err) != tt.code || coach.ErrorMessage(err).Key != tt.key {
			t.Errorf("%s: OpenCheckIn = %v, want %s %s", tt.name, err, tt.code, tt.key)
		}
		if n := len(f.checkIns(t)); n != before {
			t.Errorf("%s: a refused OpenCheckIn stored a check-in", tt.name)
		}
	}
	// A Lean leader who turned them off gets none.
	if _, err := f.leaders.SetCheckIns(ctx, leader2, false); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.leaders.OpenCheckIn(ctx, coach.Pair{Director: director, Leader: leader2}, dec)
	wantErr(t, err, coach.ECONFLICT, "checkin.err.off")
	if on, err := f.leaders.CheckIns(ctx, leader2); on || err != nil {
		t.Errorf("CheckIns(leader2) = %v, %v; want off", on, err)
	}
	if changed, err := f.leaders.SetCheckIns(ctx, leader2, false); changed || err != nil {
		t.Errorf("SetCheckIns(off) again = %v, %v; want no change", changed, err)
	}
	if changed, err := f.leaders.SetCheckIns(ctx, leader2, true); !changed || err != nil {
		t.Errorf("SetCheckIns(on) = %v, %v; want a change", changed, err)
	}
	if _, created, err := f.leaders.OpenCheckIn(ctx, coach.Pair{Director: director, Leader: leader2}, dec); err != nil || !created {
		t.Errorf("OpenCheckIn after checkin on = %v, %v", created, err)
	}
	// The check-ins preference lives beside the language, not over it.
	p, _ := f.db.Prefs(ctx, leader2)
	if p.CheckInsOff {
		t.Errorf("prefs after on = %+v", p)
	}
}

func TestCheckInPairs(t *testing.T) {
	f := newLeaderFixture(t)
	ctx := t.Context()
	pairs := func() string {
		ps, err := f.leaders.CheckInPairs(ctx)
		must(t, err)
		return fmt.Sprint(ps)
	}
	// leader has two directors: a check-in with each.
	want := fmt.Sprint([]coach.Pair{{Director: director, Leader: leader}, {Director: director2, Leader: leader},
		{Director: director, Leader: leader2}, {Director: other, Leader: leader3}})
	if got := pairs(); got != want {
		t.Errorf("CheckInPairs = %s, want %s", got, want)
	}
	if _, err := f.leaders.SetCheckIns(ctx, leader, false); err != nil {
		t.Fatal(err)
	}
	want = fmt.Sprint([]coach.Pair{{Director: director, Leader: leader2}, {Director: other, Leader: leader3}})
	if got := pairs(); got != want {
		t.Errorf("CheckInPairs with leader's off = %s, want %s", got, want)
	}
}

func TestAnswerCheckIn(t *testing.T) {
	f := newLeaderFixture(t)
	ctx := t.Context()
	// Click by click, as the check-in message will record it.
	c, err := f.leaders.AnswerCheckIn(ctx, leader, director, dec, answer(coach.Facilitating, "", "", false))
	if err != nil || c.Needed != coach.Facilitating || c.IsAnswered() || c.Opened.IsZero() {
		t.Fatalf("AnswerCheckIn(needed) = %+v, %v", c, err)
	}
	c, err = f.leaders.AnswerCheckIn(ctx, leader, director, dec, answer("", coach.Directing, "", false))
	if err != nil || !c.Differs() || c.Answered.IsZero() {
		t.Fatalf("AnswerCheckIn(got) = %+v, %v", c, err)
	}
	c, err = f.leaders.AnswerCheckIn(ctx, leader, director, dec, coach.CheckInAnswer{Note: &coach.CheckInNote{Text: " the Monday numbers ", Private: true}})
	if err != nil || c.Note != "the Monday numbers" || !c.Private || c.Needed != coach.Facilitating || c.Got != coach.Directing {
		t.Fatalf("AnswerCheckIn(note) = %+v, %v", c, err)
	}
	// Last month's may still be answered; the second director has a check-in of its own.
	if _, err := f.leaders.AnswerCheckIn(ctx, leader, director, nov, answer(coach.Coaching, coach.Coaching, "", false)); err != nil {
		t.Errorf("AnswerCheckIn(November) in December = %v", err)
	}
	if _, err := f.leaders.AnswerCheckIn(ctx, leader, director2, dec, answer(coach.Delegating, coach.Coaching, "", false)); err != nil {
		t.Errorf("AnswerCheckIn for the second director = %v", err)
	}
	if n := len(f.checkIns(t)); n != 3 {
		t.Errorf("check-ins stored = %d, want 3: December with each director and November", n)
	}

	long := strings.Repeat("z", coach.MaxCheckInNote+1)
	for _, tt := range []struct {
		name             string
		actor, dir       coach.UserID
		m                coach.Month
		a                coach.CheckInAnswer
		code, key, field string
	}{
		{"a style that is not one of the four", leader, director, dec, answer("bossing", "", "", false), coach.EINVALID, "checkin.err.bad_style", "needed"},
		{"a note too long", leader, director, dec, answer("", "", long, false), coach.EINVALID, "checkin.err.note_long", "note"},
		{"nothing to answer", leader, director, dec, coach.CheckInAnswer{}, coach.EINVALID, "checkin.err.nothing", ""},
		{"a director who is not theirs", leader, other, dec, answer(coach.Coaching, "", "", false), coach.EINVALID, "checkin.err.not_your_director", ""},
		{"a director answering", director, director2, dec, answer(coach.Coaching, "", "", false), coach.EFORBIDDEN, "checkin.err.leaders_only", ""},
		{"an admin", admin, director, dec, answer(coach.Coaching, "", "", false), coach.EFORBIDDEN, "checkin.err.leaders_only", ""},
		{"a month in the future", leader, director, dec.Add(1), answer(coach.Coaching, "", "", false), coach.EINVALID, "checkin.err.future", ""},
		{"a closed month", leader, director, dec.Add(-2), answer(coach.Coaching, "", "", false), coach.ECONFLICT, "checkin.err.closed", ""},
		{"answering for another Lean leader's pair", leader2, director2, dec, answer(coach.Coaching, "", "", false), coach.EINVALID, "checkin.err.not_your_director", ""},
	} {
		before := f.checkIns(t)
		_, err := f.leaders.AnswerCheckIn(ctx, tt.actor, tt.dir, tt.m, tt.a)
		if coach.ErrorCode(err) != tt.code || coach.ErrorMessage(err).Key != tt.key {
			t.Errorf("%s: AnswerCheckIn = %v, want %s %s", tt.name, err, tt.code, tt.key)
			continue
		}
		if fld, _ := coach.FieldOf(err); string(fld) != tt.field {
			t.Errorf("%s: field %q, want %q", tt.name, fld, tt.field)
		}
		if after := f.checkIns(t); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("%s: a refused answer changed the check-ins", tt.name)
		}
	}
	// "Your directors" names both.
	_, err = f.leaders.AnswerCheckIn(ctx, leader, other, dec, answer(coach.Coaching, "", "", false))
	if msg := fmt.Sprint(coach.ErrorMessage(err).Args); !strings.Contains(msg, string(director)) || !strings.Contains(msg, string(director2)) {
		t.Errorf("not your director names %s, want both directors", msg)
	}
}

func TestCheckInContextPreviewsWhatTheDirectorSees(t *testing.T) {
	f := newLeaderFixture(t)
	ctx := t.Context()
	ctxt, err := f.leaders.CheckInContext(ctx, leader, director, dec)
	if err != nil || ctxt.Visible || ctxt.CheckIn.Pair != (coach.Pair{Director: director, Leader: leader}) || ctxt.PathStyle != "" {
		t.Fatalf("CheckInContext before anything = %+v, %v", ctxt, err)
	}
	if _, err := f.paths.SetPath(ctx, director, leader, pathIn(t, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.leaders.AnswerCheckIn(ctx, leader, director, dec, answer(coach.Facilitating, "", "ONLYMINE", true)); err != nil {
		t.Fatal(err)
	}
	ctxt, err = f.leaders.CheckInContext(ctx, leader, director, dec)
	if err != nil || ctxt.Visible || ctxt.CheckIn.Note != "ONLYMINE" || ctxt.Preview.Note != "" || ctxt.Preview.Needed != coach.Facilitating ||
		ctxt.PathStyle != coach.Coaching {
		t.Fatalf("CheckInContext with a private note = %+v, %v; want the note theirs, the preview without it", ctxt, err)
	}
	if _, err := f.leaders.AnswerCheckIn(ctx, leader, director, dec, answer("", coach.Directing, "SHAREDNOW", false)); err != nil {
		t.Fatal(err)
	}
	ctxt, _ = f.leaders.CheckInContext(ctx, leader, director, dec)
	if !ctxt.Visible || ctxt.Preview.Note != "SHAREDNOW" || ctxt.Preview.Got != coach.Directing {
		t.Errorf("CheckInContext answered = %+v, want it visible with the shared note", ctxt)
	}
	if _, err := f.leaders.CheckInContext(ctx, leader, director, dec.Add(-3)); err != nil {
		t.Errorf("CheckInContext of a closed month = %v, want it readable", err)
	}
	_, err = f.leaders.CheckInContext(ctx, leader, director, dec.Add(1))
	wantErr(t, err, coach.EINVALID, "checkin.err.future")
	_, err = f.leaders.CheckInContext(ctx, leader2, director2, dec)
	wantErr(t, err, coach.EINVALID, "checkin.err.not_your_director")
}

func TestCommentsService(t *testing.T) {
	f := newLeaderFixture(t)
	ctx := t.Context()
	c, err := f.leaders.AddComment(ctx, leader, director, "  I'd like to plan the week myself  ")
	if err != nil || c.ID == "" || c.Text != "I'd like to plan the week myself" || c.Leader != leader || c.Director != director {
		t.Fatalf("AddComment = %+v, %v", c, err)
	}
	for _, tt := range []struct {
		name        string
		actor, dir  coach.UserID
		text        string
		code, key   string
		fieldWanted bool
	}{
		{"empty", leader, director, "  ", coach.EINVALID, "comment.err.empty", true},
		{"too long", leader, director, strings.Repeat("a", coach.MaxCommentLen+1), coach.EINVALID, "comment.err.too_long", true},
		{"another Lean leader's director", leader2, director2, "hi", coach.EINVALID, "checkin.err.not_your_director", false},
		{"a director", director, director2, "hi", coach.EFORBIDDEN, "checkin.err.leaders_only", false},
		{"an admin", admin, director, "hi", coach.EFORBIDDEN, "checkin.err.leaders_only", false},
	} {
		_, err := f.leaders.AddComment(ctx, tt.actor, tt.dir, tt.text)
		if coach.ErrorCode(err) != tt.code || coach.ErrorMessage(err).Key != tt.key {
			t.Errorf("%s: AddComment = %v, want %s %s", tt.name, err, tt.code, tt.key)
		}
		if _, ok := coach.FieldOf(err); ok != tt.fieldWanted {
			t.Errorf("%s: names a field %v, want %v", tt.name, ok, tt.fieldWanted)
		}
	}
	pair := coach.Pair{Director: director, Leader: leader}
	for _, who := range []coach.UserID{leader, director} {
		cs, err := f.leaders.Comments(ctx, who, pair)
		if err != nil || len(cs) != 1 || cs[0].ID != c.ID {
			t.Errorf("Comments as %s = %+v, %v; want the one comment", who, cs, err)
		}
	}
	for _, who := range []coach.UserID{leader2, director2, other, admin} {
		if _, err := f.leaders.Comments(ctx, who, pair); coach.ErrorCode(err) != coach.EFORBIDDEN && coach.ErrorCode(err) != coach.EINVALID {
			t.Errorf("Comments as %s = %v, want a refusal", who, err)
		}
	}
	// Only the author deletes, and a probe of another's ID says the same as none.
	for _, who := range []coach.UserID{director, leader2, admin} {
		err := f.leaders.DeleteComment(ctx, who, director, c.ID)
		wantErr(t, err, coach.ENOTFOUND, "comment.err.not_found")
	}
	wantErr(t, f.leaders.DeleteComment(ctx, leader, director, "x|y"), coach.ENOTFOUND, "comment.err.not_found")
	must(t, f.leaders.DeleteComment(ctx, leader, director, c.ID))
	wantErr(t, f.leaders.DeleteComment(ctx, leader, director, c.ID), coach.ENOTFOUND, "comment.err.not_found")
	// A path card is not a chat: MaxComments, then delete one first.
	for i := range coach.MaxComments {
		if _, err := f.leaders.AddComment(ctx, leader, director, fmt.Sprint("note ", i)); err != nil {
			t.Fatalf("comment %d: %v", i, err)
		}
	}
	_, err = f.leaders.AddComment(ctx, leader, director, "one too many")
	wantErr(t, err, coach.ECONFLICT, "comment.err.too_many")
	if _, err := f.leaders.AddComment(ctx, leader, director2, "to the other director"); err != nil {
		t.Errorf("a comment on the other path = %v, want it counted apart", err)
	}
}

func TestSharedCheckInsAndCounts(t *testing.T) {
	f := newLeaderFixture(t)
	ctx := t.Context()
	if _, err := f.leaders.AnswerCheckIn(ctx, leader, director, nov, answer(coach.Facilitating, coach.Directing, "PRIVATECANARY", true)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.leaders.AnswerCheckIn(ctx, leader, director, dec, answer(coach.Facilitating, coach.Directing, "let go of the agenda", false)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.leaders.AnswerCheckIn(ctx, leader2, director, dec, answer(coach.Coaching, "", "", false)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.leaders.OpenCheckIn(ctx, coach.Pair{Director: director2, Leader: leader}, dec); err != nil {
		t.Fatal(err)
	}
	ss, err := f.leaders.SharedCheckIns(ctx, director, leader)
	raw, _ := json.Marshal(ss)
	if err != nil || len(ss) != 2 || ss[0].Month != nov || ss[1].Note != "let go of the agenda" || strings.Contains(string(raw), "PRIVATECANARY") {
		t.Errorf("SharedCheckIns(director, leader) = %s, %v; want both months, no private text", raw, err)
	}
	if ss, err := f.leaders.SharedCheckIns(ctx, director, leader2); err != nil || len(ss) != 0 {
		t.Errorf("SharedCheckIns of a half answer = %+v, %v; want none", ss, err)
	}
	c, err := f.leaders.CheckInCounts(ctx, admin)
	want := []coach.CheckInMonthCount{{Month: dec, Sent: 3, Answered: 1, Differs: 1}, {Month: nov, Sent: 1, Answered: 1, Differs: 1}, {Month: dec.Add(-2)}}
	if err != nil || fmt.Sprint(c.Months) != fmt.Sprint(want) {
		t.Errorf("CheckInCounts = %+v, %v; want %+v", c.Months, err, want)
	}
	for _, u := range []coach.UserID{director, leader, other} {
		_, err := f.leaders.CheckInCounts(ctx, u)
		wantErr(t, err, coach.EFORBIDDEN, "svc.err.admin_only")
	}
	mine, err := f.leaders.MyCheckIns(ctx, leader)
	if err != nil || len(mine) != 3 || mine[0].Month != dec || mine[2].Month != nov || mine[2].Note != "PRIVATECANARY" {
		t.Errorf("MyCheckIns(leader) = %+v, %v; want theirs, newest first, the private note included", mine, err)
	}
	if theirs, _ := f.leaders.MyCheckIns(ctx, leader3); len(theirs) != 0 {
		t.Errorf("MyCheckIns(leader3) = %+v, want none", theirs)
	}
}

// The path views carry what the Lean leader shared: the director's card
// (Paths) and review form (Path) get the contrast and the comments,
// never the private note; the Lean leader reads the path without what the
// director saw.
func TestPathViewsCarryTheVoice(t *testing.T) {
	f := newLeaderFixture(t)
	ctx := t.Context()
	if _, err := f.paths.SetPath(ctx, director, leader, pathIn(t, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.paths.ReviewPath(ctx, director, leader, coach.ReviewInput{Rev: 1, Outcome: coach.Partly, Saw: "SAWCANARY"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.leaders.AnswerCheckIn(ctx, leader, director, dec, answer(coach.Facilitating, coach.Directing, "PRIVATECANARY", true)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.leaders.AddComment(ctx, leader, director, "shared comment"); err != nil {
		t.Fatal(err)
	}
	vs, err := f.paths.Paths(ctx, director)
	if err != nil {
		t.Fatal(err)
	}
	v := vs[0]
	if v.Voice.Contrast.Latest.Needed != coach.Facilitating || v.Voice.Contrast.Run != 1 || len(v.Voice.Comments) != 1 {
		t.Errorf("director's view voice = %+v", v.Voice)
	}
	one, err := f.paths.Path(ctx, director, v.Pair)
	if err != nil || one.Voice.Contrast.Latest.Got != coach.Directing || one.Path.Reviews[0].Saw != "SAWCANARY" {
		t.Errorf("director's Path = %+v, %v; want the voice and what they saw", one.Voice, err)
	}
	for _, view := range []coach.PathView{v, one} {
		if raw, _ := json.Marshal(view); strings.Contains(string(raw), "PRIVATECANARY") {
			t.Errorf("a director's view holds the private note: %s", raw)
		}
	}
	as, err := f.paths.Path(ctx, leader, v.Pair)
	if err != nil || as.Path.Reviews[0].Saw != "" || as.Path.Reviews[0].Outcome != coach.Partly {
		t.Errorf("the Lean leader's Path = %+v, %v; want the review without what the director saw", as.Path, err)
	}
	lps, err := f.paths.LeaderPaths(ctx, leader)
	if err != nil || len(lps) != 2 || lps[0].Path == nil || lps[0].Path.Reviews[0].Saw != "" {
		t.Errorf("LeaderPaths = %+v, %v; want two directors, without what the director saw", lps, err)
	}
	h, err := f.leaders.Home(ctx, leader)
	if err != nil || len(h.Paths) != 2 || h.Paths[0].Path.Reviews[0].Saw != "" || len(h.CheckIns) != 1 ||
		h.CheckIns[0].Note != "PRIVATECANARY" || len(h.Paths[0].Voice.Comments) != 1 || h.Month != dec {
		t.Errorf("Home(leader) = %+v, %v", h, err)
	}
}
