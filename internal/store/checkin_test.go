package store_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

func storeMonth(t testing.TB, s string) coach.Month {
	t.Helper()
	m, ok := coach.ParseMonth(s)
	if !ok {
		t.Fatalf("bad test month %q", s)
	}
	return m
}

// putCheckIn stores c as it is.
func putCheckIn(t testing.TB, db *store.DB, c coach.CheckIn) {
	t.Helper()
	_, err := db.UpdateCheckIn(t.Context(), c.Pair, c.Month, func(x *coach.CheckIn) error { *x = c; return nil })
	must(t, err)
}

// sampleCheckIn is an answered check-in of pair, with a shared or a
// private note.
func sampleCheckIn(t testing.TB, pair coach.Pair, month, note string, private bool) coach.CheckIn {
	t.Helper()
	return coach.CheckIn{Pair: pair, Month: storeMonth(t, month), Opened: t0, Needed: coach.Facilitating, Got: coach.Directing,
		Note: note, Private: private, Answered: t0.Add(time.Hour), Updated: t0.Add(2 * time.Hour)}
}

func TestCheckInsRoundTrip(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	a := coach.Pair{Director: "UD1", Leader: "UL1"}
	_, err := db.CheckIn(ctx, a, storeMonth(t, "2026-11"))
	wantCode(t, err, coach.ENOTFOUND)

	want := sampleCheckIn(t, a, "2026-11", "the Monday numbers", true)
	putCheckIn(t, db, want)
	got, err := db.CheckIn(ctx, a, want.Month)
	must(t, err)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CheckIn = %+v\nwant %+v", got, want)
	}
	// UpdateCheckIn hands fn the stored one and keeps it under its pair and month.
	got, err = db.UpdateCheckIn(ctx, a, want.Month, func(c *coach.CheckIn) error {
		if c.Note != want.Note {
			return fmt.Errorf("fn got %+v", c)
		}
		c.Got, c.Pair, c.Month = coach.Facilitating, coach.Pair{Director: "UX", Leader: "UY"}, storeMonth(t, "2020-01")
		return nil
	})
	must(t, err)
	if got.Pair != a || got.Month != want.Month || got.Got != coach.Facilitating {
		t.Errorf("UpdateCheckIn = %+v, want the pair and month kept", got)
	}
	errFn := errors.New("no")
	if _, err := db.UpdateCheckIn(ctx, a, want.Month, func(c *coach.CheckIn) error { c.Note = "x"; return errFn }); !errors.Is(err, errFn) {
		t.Errorf("UpdateCheckIn with a failing fn = %v", err)
	}
	if c, _ := db.CheckIn(ctx, a, want.Month); c.Note != want.Note {
		t.Errorf("a failed update changed the note to %q", c.Note)
	}
	for _, bad := range []coach.Pair{{Director: "", Leader: "UL1"}, {Director: "UD1", Leader: "U|X"}} {
		if _, err := db.UpdateCheckIn(ctx, bad, want.Month, func(*coach.CheckIn) error { return nil }); err == nil {
			t.Errorf("UpdateCheckIn(%+v) = nil, want a refusal", bad)
		}
	}
	if _, err := db.UpdateCheckIn(ctx, a, coach.Month{}, func(*coach.CheckIn) error { return nil }); err == nil {
		t.Errorf("UpdateCheckIn without a month = nil, want a refusal")
	}

	// ListCheckIns selects by pair, director, Lean leader or all; UD10 is
	// not UD1's, UL10 not UL1's.
	for _, c := range []coach.CheckIn{
		sampleCheckIn(t, a, "2026-10", "", false),
		sampleCheckIn(t, coach.Pair{Director: "UD1", Leader: "UL10"}, "2026-11", "", false),
		sampleCheckIn(t, coach.Pair{Director: "UD10", Leader: "UL1"}, "2026-11", "", false),
		sampleCheckIn(t, coach.Pair{Director: "UD2", Leader: "UL1"}, "2026-12", "", false),
	} {
		putCheckIn(t, db, c)
	}
	list := func(of coach.Pair) string {
		cs, err := db.ListCheckIns(ctx, of)
		must(t, err)
		var s []string
		for _, c := range cs {
			s = append(s, string(c.Director)+"/"+string(c.Leader)+"/"+c.Month.String())
		}
		return strings.Join(s, " ")
	}
	for _, tt := range []struct {
		of   coach.Pair
		want string
	}{
		{a, "UD1/UL1/2026-10 UD1/UL1/2026-11"},
		{coach.Pair{Director: "UD1"}, "UD1/UL1/2026-10 UD1/UL1/2026-11 UD1/UL10/2026-11"},
		{coach.Pair{Leader: "UL1"}, "UD1/UL1/2026-10 UD1/UL1/2026-11 UD10/UL1/2026-11 UD2/UL1/2026-12"},
		{coach.Pair{}, "UD1/UL1/2026-10 UD1/UL1/2026-11 UD1/UL10/2026-11 UD10/UL1/2026-11 UD2/UL1/2026-12"},
		{coach.Pair{Director: "UNONE"}, ""},
	} {
		if got := list(tt.of); got != tt.want {
			t.Errorf("ListCheckIns(%+v) = %s, want %s", tt.of, got, tt.want)
		}
	}
}

func TestCommentsStore(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	a := coach.Pair{Director: "UD1", Leader: "UL1"}
	var ids []string
	for i := range 3 {
		c, err := db.AddComment(ctx, coach.Comment{Pair: a, At: t0.Add(time.Duration(2-i) * time.Hour), Text: fmt.Sprint("note ", i)}, 3)
		must(t, err)
		ids = append(ids, c.ID)
	}
	if ids[0] == ids[1] || !strings.HasPrefix(ids[0], "c") {
		t.Fatalf("comment IDs %v, want distinct c<n>", ids)
	}
	_, err := db.AddComment(ctx, coach.Comment{Pair: a, At: t0, Text: "fourth"}, 3)
	wantCode(t, err, coach.ECONFLICT)
	other, err := db.AddComment(ctx, coach.Comment{Pair: coach.Pair{Director: "UD10", Leader: "UL1"}, At: t0, Text: "elsewhere"}, 3)
	must(t, err)
	cs, err := db.ListComments(ctx, a)
	must(t, err)
	if len(cs) != 3 || cs[0].Text != "note 2" || cs[2].Text != "note 0" {
		t.Errorf("ListComments = %+v, want three, oldest first", cs)
	}
	if cs, _ := db.ListComments(ctx, coach.Pair{Leader: "UL1"}); len(cs) != 4 {
		t.Errorf("ListComments(UL1) = %d, want 4", len(cs))
	}
	// Another pair's ID is not found under this pair; the own one goes.
	wantCode(t, db.DeleteComment(ctx, a, other.ID), coach.ENOTFOUND)
	wantCode(t, db.DeleteComment(ctx, coach.Pair{Leader: "UL1"}, ids[0]), coach.ENOTFOUND)
	must(t, db.DeleteComment(ctx, a, ids[1]))
	wantCode(t, db.DeleteComment(ctx, a, ids[1]), coach.ENOTFOUND)
	if cs, _ := db.ListComments(ctx, a); len(cs) != 2 {
		t.Errorf("after a delete: %d comments, want 2", len(cs))
	}
	if _, err := db.AddComment(ctx, coach.Comment{Pair: a, At: t0, Text: "room again"}, 3); err != nil {
		t.Errorf("AddComment after a delete = %v", err)
	}
}

// The records are versioned like the paths: a newer one is refused, a
// damaged month is an error.
func TestCheckInRecordVersions(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	must(t, db.PutRaw("checkins", "UD1|UL1|2026-11", `{"v":1,"director":"UD1","leader":"UL1","month":"2026-11","needed":"coaching","later":[1]}`))
	if c, err := db.CheckIn(ctx, coach.Pair{Director: "UD1", Leader: "UL1"}, storeMonth(t, "2026-11")); err != nil || c.Needed != coach.Coaching {
		t.Errorf("CheckIn(v1 with an added field) = %+v, %v", c, err)
	}
	must(t, db.PutRaw("checkins", "UD1|UL1|2026-12", `{"v":2,"director":"UD1","leader":"UL1","month":"2026-12"}`))
	if _, err := db.ListCheckIns(ctx, coach.Pair{Director: "UD1"}); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("ListCheckIns over a v2 record = %v, want a refusal naming a newer version", err)
	}
	must(t, db.PutRaw("comments", "UD2|UL1|x|c1", `{"v":2,"id":"c1","director":"UD2","leader":"UL1"}`))
	if _, err := db.ListComments(ctx, coach.Pair{Director: "UD2"}); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("ListComments over a v2 record = %v, want a refusal", err)
	}
	must(t, db.PutRaw("checkins", "UD3|UL1|2026-13", `{"v":1,"director":"UD3","leader":"UL1","month":"2026-13"}`))
	if _, err := db.ListCheckIns(ctx, coach.Pair{Director: "UD3"}); err == nil || !strings.Contains(err.Error(), "bad month") {
		t.Errorf("ListCheckIns over a bad month = %v, want an error", err)
	}
}

// seedLeaderSide stores, around Lean leader UL with directors UA and UB,
// check-ins and comments whose texts are canaries, and the prefs and paths
// around them.
func seedLeaderSide(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := t.Context()
	must(t, db.PutDirector(ctx, coach.Director{ID: forgetUser, Leaders: []coach.UserID{leader}}))
	must(t, db.PutDirector(ctx, coach.Director{ID: otherUser, Leaders: []coach.UserID{leader}}))
	must(t, db.PutPrefs(ctx, leader, coach.Prefs{Lang: "nl", CheckInsOff: true}))
	putCheckIn(t, db, sampleCheckIn(t, coach.Pair{Director: forgetUser, Leader: leader}, "2026-11", "ULPRIVATEABOUTUA", true))
	putCheckIn(t, db, sampleCheckIn(t, coach.Pair{Director: otherUser, Leader: leader}, "2026-11", "ULSHAREDABOUTUB", false))
	putCheckIn(t, db, sampleCheckIn(t, coach.Pair{Director: otherUser, Leader: "UL2"}, "2026-11", "UL2KEEPABOUTUB", false))
	for _, c := range []coach.Comment{
		{Pair: coach.Pair{Director: forgetUser, Leader: leader}, At: t0, Text: "ULCOMMENTTOUA"},
		{Pair: coach.Pair{Director: otherUser, Leader: leader}, At: t0, Text: "ULCOMMENTTOUB"},
		{Pair: coach.Pair{Director: otherUser, Leader: "UL2"}, At: t0, Text: "UL2COMMENTKEEP"},
	} {
		_, err := db.AddComment(ctx, c, 10)
		must(t, err)
	}
	putPath(t, db, samplePath(t, coach.Pair{Director: otherUser, Leader: leader}, "UBPATHABOUTUL"))
	must(t, db.AddKudos(ctx, coach.Kudos{From: otherUser, To: leader, Text: "UBKUDOSTOUL", At: t0}))
}

// A Lean leader's export holds their check-ins whole and their comments;
// a director's holds what their Lean leaders shared with them, never a
// note marked "only for me", and the paths as leader lack what the
// director saw.
func TestExportHoldsTheLeaderSide(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	seedLeaderSide(t, db)
	ul, err := db.Export(ctx, leader)
	must(t, err)
	if len(ul.CheckIns) != 2 || len(ul.Comments) != 2 || !ul.Prefs.CheckInsOff || len(ul.CheckInsAboutMe) != 0 {
		t.Errorf("Export(UL) = %d check-ins, %d comments, prefs %+v; want 2, 2 and check-ins off", len(ul.CheckIns), len(ul.Comments), ul.Prefs)
	}
	js := exportJSON(t, db, leader)
	for _, w := range []string{"ULPRIVATEABOUTUA", "ULSHAREDABOUTUB", "ULCOMMENTTOUA"} {
		if !strings.Contains(js, w) {
			t.Errorf("Export(UL) lacks %s", w)
		}
	}
	for _, w := range []string{"UL2KEEPABOUTUB", "UL2COMMENTKEEP", "UBPATHABOUTULSAW"} {
		if strings.Contains(js, w) {
			t.Errorf("Export(UL) holds %s, which is not UL's to read", w)
		}
	}
	ua := exportJSON(t, db, forgetUser)
	if strings.Contains(ua, "ULPRIVATEABOUTUA") || !strings.Contains(ua, "ULCOMMENTTOUA") {
		t.Errorf("Export(UA) = %s\nwant UL's comment and not UL's private note", ua)
	}
	ub, err := db.Export(ctx, otherUser)
	must(t, err)
	if len(ub.CheckInsAboutMe) != 2 || len(ub.CommentsReceived) != 2 || len(ub.CheckIns) != 0 {
		t.Errorf("Export(UB) about me = %d check-ins, %d comments; want 2 and 2", len(ub.CheckInsAboutMe), len(ub.CommentsReceived))
	}
	if b, _ := json.Marshal(ub.PathsAsLeader); len(ub.PathsAsLeader) != 0 {
		t.Errorf("Export(UB) paths as leader = %s", b)
	}
}

// A Lean leader's forget erases their check-ins and comments from the
// file, with every pair; the director's kudos and path about them stay,
// and so does another Lean leader's. A director's forget erases the
// check-ins and comments of their pairs.
func TestForgetErasesTheLeaderSide(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	seedLeaderSide(t, db)
	gone := []string{"ULPRIVATEABOUTUA", "ULSHAREDABOUTUB", "ULCOMMENTTOUA", "ULCOMMENTTOUB"}
	kept := []string{"UL2KEEPABOUTUB", "UL2COMMENTKEEP", "UBPATHABOUTULSAW1", "UBKUDOSTOUL"}
	for _, c := range append(gone, kept...) {
		if fileHits(t, db.Path(), c) == 0 {
			t.Fatalf("canary %s not in the file before Forget: the test cannot tell", c)
		}
	}
	must(t, db.Forget(ctx, leader))
	for _, c := range gone {
		if n := fileHits(t, db.Path(), c); n != 0 {
			t.Errorf("%s found %d times in the file after the Lean leader's forget, want 0", c, n)
		}
	}
	for _, c := range kept {
		if fileHits(t, db.Path(), c) == 0 {
			t.Errorf("%s is gone from the file after the Lean leader's forget; it is someone else's record", c)
		}
	}
	if p, _ := db.Prefs(ctx, leader); p != (coach.Prefs{}) {
		t.Errorf("Prefs(UL) after forget = %+v", p)
	}
	// The director's forget takes their pairs' check-ins and comments.
	must(t, db.Forget(ctx, otherUser))
	for _, c := range []string{"UL2KEEPABOUTUB", "UL2COMMENTKEEP", "UBKUDOSTOUL"} {
		if n := fileHits(t, db.Path(), c); n != 0 {
			t.Errorf("%s found %d times after the director's forget, want 0", c, n)
		}
	}
	if cs, _ := db.ListCheckIns(ctx, coach.Pair{}); len(cs) != 0 {
		t.Errorf("check-ins left: %+v", cs)
	}
	must(t, db.Close())
	must(t, store.Check(db.Path()))
}

// Retention clears check-in notes and comments older than the cutoff, from
// the file too; the styles, months and times stay.
func TestPruneLeaderTexts(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	old := sampleCheckIn(t, coach.Pair{Director: "UD", Leader: "UL"}, "2026-11", "OLDNOTECANARY", true)
	putCheckIn(t, db, old)
	newer := sampleCheckIn(t, coach.Pair{Director: "UD", Leader: "UL"}, "2027-06", "NEWNOTEKEEP", false)
	newer.Updated = t0.AddDate(0, 7, 0)
	putCheckIn(t, db, newer)
	for _, c := range []coach.Comment{{At: t0, Text: "OLDCOMMENTCANARY"}, {At: t0.AddDate(0, 7, 0), Text: "NEWCOMMENTKEEP"}} {
		c.Pair = coach.Pair{Director: "UD", Leader: "UL"}
		_, err := db.AddComment(ctx, c, 10)
		must(t, err)
	}
	cutoff := t0.AddDate(0, 3, 0)
	res, err := db.PruneNotes(ctx, cutoff, 0)
	must(t, err)
	if res.Leader != 2 || !res.Compacted {
		t.Fatalf("PruneNotes = %+v, want a check-in and a comment cleared", res)
	}
	got, err := db.CheckIn(ctx, old.Pair, old.Month)
	must(t, err)
	if got.Note != "" || got.Needed != old.Needed || got.Got != old.Got || !got.Answered.Equal(old.Answered) {
		t.Errorf("old check-in after pruning = %+v, want only its note gone", got)
	}
	for _, c := range []string{"OLDNOTECANARY", "OLDCOMMENTCANARY"} {
		if n := fileHits(t, db.Path(), c); n != 0 {
			t.Errorf("%s found %d times after pruning", c, n)
		}
	}
	for _, c := range []string{"NEWNOTEKEEP", "NEWCOMMENTKEEP"} {
		if fileHits(t, db.Path(), c) == 0 {
			t.Errorf("%s is gone after pruning", c)
		}
	}
	cs, _ := db.ListComments(ctx, coach.Pair{Director: "UD", Leader: "UL"})
	if len(cs) != 2 || cs[0].Text != "" || !cs[0].At.Equal(t0) {
		t.Errorf("comments after pruning = %+v, want the old one kept without text", cs)
	}
	log, err := db.AuditLog(ctx, 1)
	must(t, err)
	if want := fmt.Sprintf("answers=0 kudos=0 paths=0 leader=2 before=%s", cutoff.Format(time.DateOnly)); len(log) != 1 || log[0].Detail != want {
		t.Errorf("audit = %+v, want %q", log, want)
	}
	if ev := coach.DescribeAudit(log[0]); !ev.Known || ev.Leader != 2 {
		t.Errorf("the audit entry reads back as %+v", ev)
	}
}

// A schema 2 file (paths, no Lean leader buckets) migrates to 3; bot check
// accepts both and knows the new buckets.
func TestSchema2MigratesToLeaderSide(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v2.db")
	bdb, err := bolt.Open(path, 0o600, nil)
	must(t, err)
	must(t, bdb.Update(func(tx *bolt.Tx) error {
		for _, n := range []string{"meta", "directors", "users", "admins", "settings", "schedules", "occurrences",
			"occ_by_due", "kudos", "questions", "audit", "due", "paths"} {
			if _, err := tx.CreateBucket([]byte(n)); err != nil {
				return err
			}
		}
		if err := tx.Bucket([]byte("users")).Put([]byte("UL1"), []byte(`{"v":1,"lang":"nl"}`)); err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte("2"))
	}))
	must(t, bdb.Close())
	must(t, store.Check(path))
	db, err := store.Open(path, store.Options{})
	must(t, err)
	if p, err := db.Prefs(t.Context(), "UL1"); err != nil || p.Lang != "nl" || p.CheckInsOff {
		t.Errorf("Prefs after migration = %+v, %v", p, err)
	}
	putCheckIn(t, db, sampleCheckIn(t, coach.Pair{Director: "UD1", Leader: "UL1"}, "2026-11", "", false))
	must(t, db.Close())
	bdb, err = bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	must(t, err)
	must(t, bdb.View(func(tx *bolt.Tx) error {
		if v := string(tx.Bucket([]byte("meta")).Get([]byte("schema"))); v != "3" {
			t.Errorf("schema after Open = %q, want 3", v)
		}
		for _, b := range []string{"checkins", "comments"} {
			if tx.Bucket([]byte(b)) == nil {
				t.Errorf("bucket %s missing after the migration", b)
			}
		}
		return nil
	}))
	must(t, bdb.Close())
	must(t, store.Check(path))
	for _, b := range []string{"checkins", "comments"} {
		cp := copyFile(t, path)
		bdb, err := bolt.Open(cp, 0o600, nil)
		must(t, err)
		must(t, bdb.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte(b)) }))
		must(t, bdb.Close())
		if err := store.Check(cp); !errors.Is(err, store.ErrDamaged) || !strings.Contains(err.Error(), `"`+b+`"`) {
			t.Errorf("Check(schema 3 without %s) = %v, want ErrDamaged naming it", b, err)
		}
	}
}
