package store_test

import (
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

func storeDate(t testing.TB, s string) coach.Date {
	t.Helper()
	d, ok := coach.ParseDate(s)
	if !ok {
		t.Fatalf("bad test date %q", s)
	}
	return d
}

// samplePath is a path of pair with every field set: two styles, two
// phases, a hand-over and two reviews, its texts prefixed with tag.
func samplePath(t testing.TB, pair coach.Pair, tag string) coach.Path {
	t.Helper()
	p := coach.Path{Pair: pair}.Set(coach.PathInput{Style: coach.Directing, Phase: coach.SelfAcceptance,
		PhaseSince: storeDate(t, "2026-06-01"),
		Next:       coach.Step{Responsibility: tag + "RESP1", DoneLooksLike: tag + "DONE1", Target: storeDate(t, "2027-01-15")}},
		t0, storeDate(t, "2026-12-07"))
	p = p.Apply(coach.ReviewInput{Rev: 1, Outcome: coach.Partly, Saw: tag + "SAW1", Style: coach.Coaching},
		t0.AddDate(0, 1, 0), storeDate(t, "2027-01-07"))
	return p.Apply(coach.ReviewInput{Rev: 2, Outcome: coach.Handed, Saw: tag + "SAW2", Phase: coach.SelfKnowledge,
		Next: coach.Step{Responsibility: tag + "RESP2", DoneLooksLike: tag + "DONE2", Target: storeDate(t, "2027-03-01")}},
		t0.AddDate(0, 2, 0), storeDate(t, "2027-02-07"))
}

// putPath stores p as it is.
func putPath(t testing.TB, db *store.DB, p coach.Path) {
	t.Helper()
	_, err := db.UpdatePath(t.Context(), p.Pair, func(x *coach.Path) error { *x = p; return nil })
	must(t, err)
}

func TestPathsRoundTrip(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	a := coach.Pair{Director: "UD1", Leader: "UL2"}
	_, err := db.LoadPath(ctx, a)
	wantCode(t, err, coach.ENOTFOUND)

	want := samplePath(t, a, "A")
	putPath(t, db, want)
	got, err := db.LoadPath(ctx, a)
	must(t, err)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("LoadPath = %+v\nwant %+v", got, want)
	}

	// UpdatePath hands fn the stored path and keeps it under its pair.
	got, err = db.UpdatePath(ctx, a, func(p *coach.Path) error {
		if p.Rev != want.Rev {
			return fmt.Errorf("fn got Rev %d, want %d", p.Rev, want.Rev)
		}
		p.Rev++
		p.Pair = coach.Pair{Director: "UOTHER", Leader: "UOTHER2"}
		return nil
	})
	must(t, err)
	if got.Pair != a || got.Rev != want.Rev+1 {
		t.Errorf("UpdatePath = %+v, want the pair kept and Rev+1", got.Pair)
	}
	// An error from fn changes nothing.
	errFn := errors.New("no")
	if _, err := db.UpdatePath(ctx, a, func(p *coach.Path) error { p.Rev = 99; return errFn }); !errors.Is(err, errFn) {
		t.Errorf("UpdatePath with a failing fn = %v, want its error", err)
	}
	if _, err := db.UpdatePath(ctx, coach.Pair{Director: "UD9", Leader: "UL9"}, func(*coach.Path) error { return errFn }); !errors.Is(err, errFn) {
		t.Errorf("UpdatePath of a new pair with a failing fn = %v", err)
	}
	if got, _ := db.LoadPath(ctx, a); got.Rev != want.Rev+1 {
		t.Errorf("after a failed update Rev = %d, want %d", got.Rev, want.Rev+1)
	}
	if _, err := db.LoadPath(ctx, coach.Pair{Director: "UD9", Leader: "UL9"}); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("a failed update of a new pair stored it: %v", err)
	}
	for _, bad := range []coach.Pair{{Director: "", Leader: "UL1"}, {Director: "UD1", Leader: "U|X"}, {Director: "UD1|UL1", Leader: "UL2"}} {
		if _, err := db.UpdatePath(ctx, bad, func(*coach.Path) error { return nil }); err == nil {
			t.Errorf("UpdatePath(%+v) = nil, want a refusal", bad)
		}
	}

	// ListPaths: by director, ordered by leader; "" lists all.
	for _, p := range []coach.Pair{{Director: "UD1", Leader: "UL1"}, {Director: "UD10", Leader: "UL1"}, {Director: "UD0", Leader: "UL1"}} {
		putPath(t, db, samplePath(t, p, "X"))
	}
	pairs := func(ps []coach.Path) string {
		var s []string
		for _, p := range ps {
			s = append(s, string(p.Director)+"/"+string(p.Leader))
		}
		return strings.Join(s, " ")
	}
	if ps, err := db.ListPaths(ctx, "UD1"); err != nil || pairs(ps) != "UD1/UL1 UD1/UL2" {
		t.Errorf("ListPaths(UD1) = %s, %v; want UD1/UL1 UD1/UL2 (not UD10's)", pairs(ps), err)
	}
	if ps, err := db.ListPaths(ctx, ""); err != nil || pairs(ps) != "UD0/UL1 UD1/UL1 UD1/UL2 UD10/UL1" {
		t.Errorf("ListPaths(\"\") = %s, %v", pairs(ps), err)
	}
	if ps, err := db.ListPaths(ctx, "UNONE"); err != nil || len(ps) != 0 {
		t.Errorf("ListPaths(UNONE) = %v, %v; want none", ps, err)
	}
}

// The record is versioned: fields a later version adds are ignored by
// this one, and a record of a newer version is refused, not misread.
func TestPathRecordVersions(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	must(t, db.PutRawPath("UD1|UL1", `{"v":1,"director":"UD1","leader":"UL1","rev":1,"styles":[{"style":"coaching","since":"2026-12-07"}],`+
		`"phases":[{"phase":2,"since":"2026-12-07"}],"next":{"responsibility":"x","target":"2027-01-01"},"comments_later":[1,2]}`))
	p, err := db.LoadPath(ctx, coach.Pair{Director: "UD1", Leader: "UL1"})
	if err != nil || p.Style() != coach.Coaching || p.Phase() != coach.SelfKnowledge || p.Next.Target != storeDate(t, "2027-01-01") {
		t.Errorf("LoadPath(v1 with an added field) = %+v, %v", p, err)
	}
	must(t, db.PutRawPath("UD1|UL2", `{"v":2,"director":"UD1","leader":"UL2","rev":1}`))
	if _, err := db.LoadPath(ctx, coach.Pair{Director: "UD1", Leader: "UL2"}); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("LoadPath(v2) = %v, want a refusal naming a newer version", err)
	}
	must(t, db.PutRawPath("UD1|UL3", `{"v":1,"director":"UD1","leader":"UL3","rev":1,"next":{"target":"2027-02-30"}}`))
	if _, err := db.LoadPath(ctx, coach.Pair{Director: "UD1", Leader: "UL3"}); err == nil || !strings.Contains(err.Error(), "bad date") {
		t.Errorf("LoadPath(bad date) = %v, want an error", err)
	}
}

// A director's forget erases their paths and every byte of their texts
// from the file; a Lean leader's forget keeps the paths their directors
// keep about them (the director's record), and other directors' paths stay.
func TestForgetErasesPathsFromFile(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	must(t, db.PutDirector(ctx, coach.Director{ID: forgetUser, Leaders: []coach.UserID{leader, otherUser}}))
	must(t, db.PutDirector(ctx, coach.Director{ID: otherUser, Leaders: []coach.UserID{forgetUser, leader}}))
	putPath(t, db, samplePath(t, coach.Pair{Director: forgetUser, Leader: leader}, "PATHCANARYONE"))
	putPath(t, db, samplePath(t, coach.Pair{Director: forgetUser, Leader: otherUser}, "PATHCANARYTWO"))
	putPath(t, db, samplePath(t, coach.Pair{Director: otherUser, Leader: forgetUser}, "KEEPABOUTUA"))
	putPath(t, db, samplePath(t, coach.Pair{Director: otherUser, Leader: leader}, "KEEPUBUL"))
	putPath(t, db, samplePath(t, coach.Pair{Director: lookalikeOfUser, Leader: leader}, "KEEPUA2"))
	canaries := []string{"PATHCANARYONE", "PATHCANARYTWO"}
	for _, c := range canaries {
		if fileHits(t, db.Path(), c) == 0 {
			t.Fatalf("canary %s not in the file before Forget: the test cannot tell", c)
		}
	}

	must(t, db.Forget(ctx, leader)) // a Lean leader's forget
	if _, err := db.LoadPath(ctx, coach.Pair{Director: forgetUser, Leader: leader}); err != nil {
		t.Errorf("a Lean leader's forget removed the director's path: %v", err)
	}

	must(t, db.Forget(ctx, forgetUser)) // a director's forget
	for _, c := range canaries {
		if n := fileHits(t, db.Path(), c); n != 0 {
			t.Errorf("canary %s found %d times in the file after Forget, want 0", c, n)
		}
	}
	if ps, _ := db.ListPaths(ctx, forgetUser); len(ps) != 0 {
		t.Errorf("ListPaths(UA) after Forget = %v, want none", ps)
	}
	for _, pair := range []coach.Pair{{Director: otherUser, Leader: forgetUser}, {Director: otherUser, Leader: leader},
		{Director: lookalikeOfUser, Leader: leader}} {
		if _, err := db.LoadPath(ctx, pair); err != nil {
			t.Errorf("path %+v after UA's forget: %v, want it kept", pair, err)
		}
	}
	for _, keep := range []string{"KEEPABOUTUASAW1", "KEEPUBULSAW1", "KEEPUA2SAW1"} {
		if fileHits(t, db.Path(), keep) == 0 {
			t.Errorf("%s, a text of another director's path, is gone from the file", keep)
		}
	}
	must(t, db.Close())
	must(t, store.Check(db.Path()))
}

func TestExportHoldsPaths(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	putPath(t, db, samplePath(t, coach.Pair{Director: forgetUser, Leader: leader}, "UAUL"))
	putPath(t, db, samplePath(t, coach.Pair{Director: otherUser, Leader: forgetUser}, "UBUA"))
	putPath(t, db, samplePath(t, coach.Pair{Director: otherUser, Leader: leader}, "UBUL"))
	putPath(t, db, samplePath(t, coach.Pair{Director: lookalikeOfUser, Leader: leader}, "UA2UL"))
	got, err := db.Export(ctx, forgetUser)
	must(t, err)
	if len(got.Paths) != 1 || got.Paths[0].Leader != leader || got.Paths[0].Next.Responsibility != "UAULRESP2" {
		t.Errorf("Export(UA).Paths = %+v, want UA's path with UL", got.Paths)
	}
	if len(got.PathsAsLeader) != 1 || got.PathsAsLeader[0].Director != otherUser {
		t.Errorf("Export(UA).PathsAsLeader = %+v, want UB's path about UA", got.PathsAsLeader)
	}
	js := exportJSON(t, db, forgetUser)
	for _, w := range []string{"UBULRESP", "UA2ULRESP"} {
		if strings.Contains(js, w) {
			t.Errorf("Export(UA) holds %s, a path UA is not part of", w)
		}
	}
	lead, err := db.Export(ctx, leader)
	must(t, err)
	if len(lead.Paths) != 0 || len(lead.PathsAsLeader) != 3 {
		t.Errorf("Export(UL) = %d paths, %d as leader; want 0 and 3", len(lead.Paths), len(lead.PathsAsLeader))
	}
}

// Retention clears the texts of reviews and hand-overs older than the
// cutoff, from the file too; the current step, outcomes, dates, styles and
// phases stay.
func TestPrunePathTexts(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	pair := coach.Pair{Director: "UR", Leader: "UL"}
	p := samplePath(t, pair, "OLD") // reviews at t0+1 month and t0+2 months
	p = p.Apply(coach.ReviewInput{Rev: p.Rev, Outcome: coach.Handed, Saw: "NEWSAWCANARY",
		Next: coach.Step{Responsibility: "NEWRESPCANARY", Target: storeDate(t, "2027-12-01")}}, t0.AddDate(0, 6, 0), storeDate(t, "2027-06-07"))
	putPath(t, db, p)
	cutoff := t0.AddDate(0, 3, 0) // between the second and the third review
	res, err := db.PruneNotes(ctx, cutoff, 0)
	must(t, err)
	if res.Paths != 1 || !res.Compacted {
		t.Fatalf("PruneNotes = %+v, want one path cleared and the file compacted", res)
	}
	got, err := db.LoadPath(ctx, pair)
	must(t, err)
	for i, r := range got.Reviews[:2] {
		if r.Saw != "" || r.Planned.Responsibility != "" || r.Planned.DoneLooksLike != "" || r.Next.Responsibility != "" || r.Next.DoneLooksLike != "" {
			t.Errorf("old review %d keeps text: %+v", i, r)
		}
		if r.Outcome != p.Reviews[i].Outcome || r.On != p.Reviews[i].On || r.Next.Target != p.Reviews[i].Next.Target || r.Style != p.Reviews[i].Style {
			t.Errorf("old review %d lost more than its text: %+v, was %+v", i, r, p.Reviews[i])
		}
	}
	if r := got.Reviews[2]; r != p.Reviews[2] {
		t.Errorf("the new review changed: %+v, want %+v", r, p.Reviews[2])
	}
	if got.HandedOver[0].What != "" || got.HandedOver[1].What != "OLDRESP2" || got.HandedOver[1].On != p.HandedOver[1].On {
		t.Errorf("hand-overs after pruning = %+v; want the old one's text cleared, the new one kept", got.HandedOver)
	}
	if got.Next != p.Next || !reflect.DeepEqual(got.Styles, p.Styles) || !reflect.DeepEqual(got.Phases, p.Phases) || got.Rev != p.Rev {
		t.Errorf("pruning changed the path's current state: %+v", got)
	}
	for _, c := range []string{"OLDSAW1", "OLDSAW2", "OLDDONE1", "OLDRESP1"} {
		if n := fileHits(t, db.Path(), c); n != 0 {
			t.Errorf("old text %s found %d times in the file after pruning", c, n)
		}
	}
	for _, c := range []string{"NEWSAWCANARY", "NEWRESPCANARY", "OLDRESP2"} {
		if fileHits(t, db.Path(), c) == 0 {
			t.Errorf("new text %s is gone from the file", c)
		}
	}
	log, err := db.AuditLog(ctx, 1)
	must(t, err)
	if want := fmt.Sprintf("answers=0 kudos=0 paths=1 before=%s", cutoff.Format(time.DateOnly)); len(log) != 1 || log[0].Detail != want {
		t.Errorf("audit = %+v, want one entry %q", log, want)
	}
	if again, err := db.PruneNotes(ctx, cutoff, 0); err != nil || again.Paths != 0 || again.Compacted {
		t.Errorf("PruneNotes again = %+v, %v; want nothing to do", again, err)
	}
}

// v1File writes a file of schema 1: every bucket of that layout (no
// paths) and its version.
func v1File(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "v1.db")
	bdb, err := bolt.Open(path, 0o600, nil)
	must(t, err)
	must(t, bdb.Update(func(tx *bolt.Tx) error {
		for _, n := range []string{"meta", "directors", "users", "admins", "settings", "schedules", "occurrences",
			"occ_by_due", "kudos", "questions", "audit", "due"} {
			if _, err := tx.CreateBucket([]byte(n)); err != nil {
				return err
			}
		}
		if err := tx.Bucket([]byte("directors")).Put([]byte("UD1"), []byte(`{"v":1,"id":"UD1","leaders":["UL1"]}`)); err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte("1"))
	}))
	must(t, bdb.Close())
	return path
}

// rawSchema reads a closed file's schema version and whether it has the
// paths bucket.
func rawSchema(t *testing.T, path string) (string, bool) {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	must(t, err)
	defer bdb.Close()
	var v string
	var paths bool
	must(t, bdb.View(func(tx *bolt.Tx) error {
		v = string(tx.Bucket([]byte("meta")).Get([]byte("schema")))
		paths = tx.Bucket([]byte("paths")) != nil
		return nil
	}))
	return v, paths
}

func TestSchema1MigratesToPaths(t *testing.T) {
	path := v1File(t)
	if err := store.Check(path); err != nil {
		t.Fatalf("Check(schema 1 file) = %v, want ok: an older layout is not damage", err)
	}
	db, err := store.Open(path, store.Options{})
	must(t, err)
	if d, err := db.Director(t.Context(), "UD1"); err != nil || len(d.Leaders) != 1 {
		t.Errorf("Director(UD1) after migration = %+v, %v", d, err)
	}
	putPath(t, db, samplePath(t, coach.Pair{Director: "UD1", Leader: "UL1"}, "M"))
	must(t, db.Close())
	if v, paths := rawSchema(t, path); v != "3" || !paths {
		t.Errorf("after Open: schema %q, paths bucket %v; want 3 (the current) and true", v, paths)
	}
	must(t, store.Check(path))
}

func TestCheckKnowsTheBuckets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "leancoach.db")
	db, err := store.Open(path, store.Options{})
	must(t, err)
	must(t, db.Close())
	must(t, store.Check(path))

	edit := func(fn func(tx *bolt.Tx) error) string {
		cp := copyFile(t, path)
		bdb, err := bolt.Open(cp, 0o600, nil)
		must(t, err)
		must(t, bdb.Update(fn))
		must(t, bdb.Close())
		return cp
	}
	noPaths := edit(func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte("paths")) })
	if err := store.Check(noPaths); !errors.Is(err, store.ErrDamaged) || !strings.Contains(err.Error(), `"paths"`) {
		t.Errorf("Check(schema 3 without paths) = %v, want ErrDamaged naming the bucket", err)
	}
	newer := edit(func(tx *bolt.Tx) error { return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte("9")) })
	if err := store.Check(newer); err == nil || errors.Is(err, store.ErrDamaged) || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Check(schema 9) = %v, want a refusal naming a newer schema, not damage", err)
	}
	foreign := edit(func(tx *bolt.Tx) error { return tx.Bucket([]byte("meta")).Delete([]byte("schema")) })
	if err := store.Check(foreign); !errors.Is(err, store.ErrDamaged) {
		t.Errorf("Check(no schema version) = %v, want ErrDamaged", err)
	}
	empty := filepath.Join(t.TempDir(), "empty.db")
	bdb, err := bolt.Open(empty, 0o600, nil)
	must(t, err)
	must(t, bdb.Close())
	if err := store.Check(empty); err != nil {
		t.Errorf("Check(new empty file) = %v, want ok", err)
	}
}
