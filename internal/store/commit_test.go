package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	berrors "go.etcd.io/bbolt/errors"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

// sentPrompts stores n prompts, one per director D0000…, sent and open, and
// returns their keys.
func sentPrompts(t testing.TB, db *store.DB, prefix string, n int) []coach.OccurrenceKey {
	t.Helper()
	keys := make([]coach.OccurrenceKey, n)
	for i := range n {
		o := occ("s1", coach.UserID(fmt.Sprintf("%s%04d", prefix, i)), coach.Standup, 0)
		o.State, o.SentAt, o.Channel, o.TS = coach.Sent, t0, "D1", "1.2"
		if _, _, err := db.CreateOccurrence(t.Context(), o); err != nil {
			t.Fatal(err)
		}
		keys[i] = o.Key
	}
	return keys
}

// answer records director d's answer to k as a click does (coach's record):
// once, by the prompt's director, in one UpdateOccurrence.
func answer(db *store.DB, k coach.OccurrenceKey, d coach.UserID, note string) error {
	_, err := db.UpdateOccurrence(context.Background(), k, func(o *coach.Occurrence) error {
		if o.Director != d {
			return coach.Errorf(coach.EFORBIDDEN, "svc.err.not_your_prompt")
		}
		if o.Answer != nil {
			return coach.Errorf(coach.ECONFLICT, "svc.err.already_recorded")
		}
		o.Answer = &coach.Answer{Outcome: coach.NotToday, At: t0, By: d, Note: note}
		return nil
	})
	return err
}

// holder holds the group-commit queue: its change blocks the commit in
// progress until release, so that the changes started meanwhile queue up
// and commit together as the next group.
type holder struct {
	db      *store.DB
	queued  chan int
	release chan struct{}
	once    sync.Once
	done    chan error
}

// holdGroup starts the holding change (answering its own prompt "H0000")
// and returns once it is being committed. Open db with OnQueued unset.
func holdGroup(t *testing.T, db *store.DB) *holder {
	t.Helper()
	h := &holder{db: db, queued: make(chan int, 10000), release: make(chan struct{}), done: make(chan error, 1)}
	k := sentPrompts(t, db, "H", 1)[0]
	db.OnQueued(func(n int) { h.queued <- n })
	t.Cleanup(func() { h.once.Do(func() { close(h.release) }) }) // on failure too
	entered := make(chan struct{})
	go func() {
		_, err := db.UpdateOccurrence(context.Background(), k, func(o *coach.Occurrence) error {
			close(entered)
			<-h.release
			o.Answer = &coach.Answer{Outcome: coach.Done, At: t0, By: o.Director}
			return nil
		})
		h.done <- err
	}()
	wait(t, entered, "the holding change to run")
	h.joined(t) // its own turn in the queue
	return h
}

// queue starts fn in a goroutine and returns once it has joined the queue.
func (h *holder) queue(t *testing.T, fn func() error) <-chan error {
	t.Helper()
	res := make(chan error, 1)
	go func() { res <- fn() }()
	h.joined(t)
	return res
}

// joined waits until a change joined the queue.
func (h *holder) joined(t *testing.T) {
	t.Helper()
	select {
	case <-h.queued:
	case <-time.After(10 * time.Second):
		t.Fatal("no change joined the group-commit queue within 10 s")
	}
}

// letGo releases the holding change and waits for it.
func (h *holder) letGo(t *testing.T) {
	t.Helper()
	h.once.Do(func() { close(h.release) })
	if err := recv(t, h.done); err != nil {
		t.Fatalf("holding change = %v", err)
	}
}

func recv(t *testing.T, c <-chan error) error {
	t.Helper()
	select {
	case err := <-c:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("no result within 10 s")
		return nil
	}
}

func wait(t *testing.T, c <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(10 * time.Second):
		t.Fatalf("waited 10 s for %s", what)
	}
}

func stats(t *testing.T, db *store.DB) store.Stats {
	t.Helper()
	s, err := db.Stats()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestGroupCommitSharesCommits: n directors answer their own prompts at
// once; their answers share commits, and every one is in the file after a
// reopen.
func TestGroupCommitSharesCommits(t *testing.T) {
	const n = 64
	path := filepath.Join(t.TempDir(), "leancoach.db")
	db, err := store.Open(path, store.Options{})
	must(t, err)
	keys := sentPrompts(t, db, "D", n)
	h := holdGroup(t, db)
	before := stats(t, db)
	var results []<-chan error
	for i, k := range keys {
		d := coach.UserID(fmt.Sprintf("D%04d", i))
		results = append(results, h.queue(t, func() error { return answer(db, k, d, "note "+string(d)) }))
	}
	h.letGo(t)
	for i, r := range results {
		if err := recv(t, r); err != nil {
			t.Errorf("answer %d = %v", i, err)
		}
	}
	after := stats(t, db)
	// The holding change's commit, then one for all n answers.
	if c := after.Commits - before.Commits; c != 2 {
		t.Errorf("%d answers and the holding change took %d commits, want 2", n, c)
	}
	if w := after.WriteTxns - before.WriteTxns; w != n {
		t.Errorf("WriteTxns grew by %d, want %d (one per answer)", w, n)
	}
	must(t, db.Close())
	db = openAt(t, path)
	for i, k := range keys {
		o, err := db.Occurrence(t.Context(), k)
		d := coach.UserID(fmt.Sprintf("D%04d", i))
		if err != nil || o.Answer == nil || o.Answer.Note != "note "+string(d) {
			t.Errorf("after reopen %s = %+v, %v; want its answer", k, o.Answer, err)
		}
	}
}

// TestGroupCommitRefusalFailsOnlyItsCaller: in one group, an answer to a
// prompt already answered, one to a missing prompt and one by the wrong
// director are refused; the others are recorded in the same commit.
func TestGroupCommitRefusalFailsOnlyItsCaller(t *testing.T) {
	db := openTest(t)
	keys := sentPrompts(t, db, "D", 4)
	must(t, answer(db, keys[1], "D0001", "earlier"))
	h := holdGroup(t, db)
	before := stats(t, db)
	ok0 := h.queue(t, func() error { return answer(db, keys[0], "D0000", "a") })
	again := h.queue(t, func() error { return answer(db, keys[1], "D0001", "b") })
	missing := h.queue(t, func() error { return answer(db, coach.NewOccurrenceKey("s1", "D9999", "2026-12-07"), "D9999", "c") })
	wrong := h.queue(t, func() error { return answer(db, keys[3], "D0000", "d") })
	ok2 := h.queue(t, func() error { return answer(db, keys[2], "D0002", "e") })
	h.letGo(t)
	for name, c := range map[string]<-chan error{"first": ok0, "last": ok2} {
		if err := recv(t, c); err != nil {
			t.Errorf("%s answer = %v, want it recorded", name, err)
		}
	}
	wantCode(t, recv(t, again), coach.ECONFLICT)
	wantCode(t, recv(t, missing), coach.ENOTFOUND)
	wantCode(t, recv(t, wrong), coach.EFORBIDDEN)
	if c := stats(t, db).Commits - before.Commits; c != 2 {
		t.Errorf("commits = %d, want 2 (the holding change, then the group)", c)
	}
	for k, note := range map[coach.OccurrenceKey]string{keys[0]: "a", keys[1]: "earlier", keys[2]: "e"} {
		if o, err := db.Occurrence(t.Context(), k); err != nil || o.Answer == nil || o.Answer.Note != note {
			t.Errorf("%s answer = %+v, %v; want note %q", k, o.Answer, err, note)
		}
	}
	if o, _ := db.Occurrence(t.Context(), keys[3]); o.Answer != nil {
		t.Errorf("%s answered by the wrong director: %+v", keys[3], o.Answer)
	}
}

// TestGroupCommitDoubleClickRecordsOnce: two clicks on the same prompt in
// the same group: the first is recorded, the second is told it already was.
func TestGroupCommitDoubleClickRecordsOnce(t *testing.T) {
	db := openTest(t)
	k := sentPrompts(t, db, "D", 1)[0]
	h := holdGroup(t, db)
	first := h.queue(t, func() error { return answer(db, k, "D0000", "first") })
	second := h.queue(t, func() error { return answer(db, k, "D0000", "second") })
	h.letGo(t)
	if err := recv(t, first); err != nil {
		t.Fatalf("first click = %v", err)
	}
	wantCode(t, recv(t, second), coach.ECONFLICT)
	if o, err := db.Occurrence(t.Context(), k); err != nil || o.Answer.Note != "first" {
		t.Errorf("stored answer = %+v, %v; want the first click's", o.Answer, err)
	}
}

// TestGroupCommitFailedWriteRunsAlone: a change whose write fails (a key
// bbolt refuses) rolls its group back; it then fails alone and the others
// are recorded.
func TestGroupCommitFailedWriteRunsAlone(t *testing.T) {
	db := openTest(t)
	keys := sentPrompts(t, db, "D", 3)
	h := holdGroup(t, db)
	before := stats(t, db)
	a := h.queue(t, func() error { return answer(db, keys[0], "D0000", "a") })
	bad := h.queue(t, func() error {
		_, err := db.UpdateOccurrence(context.Background(), keys[1], func(o *coach.Occurrence) error {
			o.Director = coach.UserID(strings.Repeat("x", 40000)) // its index key is too large
			return nil
		})
		return err
	})
	c := h.queue(t, func() error { return answer(db, keys[2], "D0002", "c") })
	h.letGo(t)
	if err := recv(t, a); err != nil {
		t.Errorf("answer before the bad change = %v", err)
	}
	if err := recv(t, c); err != nil {
		t.Errorf("answer after the bad change = %v", err)
	}
	if err := recv(t, bad); !errors.Is(err, berrors.ErrKeyTooLarge) {
		t.Errorf("bad change = %v, want ErrKeyTooLarge", err)
	}
	// The holding change, then the group without the bad change (which
	// failed alone, committing nothing).
	if n := stats(t, db).Commits - before.Commits; n != 2 {
		t.Errorf("commits = %d, want 2", n)
	}
	for i, note := range map[int]string{0: "a", 2: "c"} {
		if o, err := db.Occurrence(t.Context(), keys[i]); err != nil || o.Answer == nil || o.Answer.Note != note {
			t.Errorf("%s = %+v, %v; want note %q", keys[i], o.Answer, err, note)
		}
	}
	if o, err := db.Occurrence(t.Context(), keys[1]); err != nil || o.Director != "D0001" {
		t.Errorf("bad change stored something: %+v, %v", o, err)
	}
}

// TestGroupCommitPanicSurfacesInItsCaller: a change that panics while a
// group is committed panics in its own caller, not in the leader, and the
// rest of its group is recorded.
func TestGroupCommitPanicSurfacesInItsCaller(t *testing.T) {
	db := openTest(t)
	keys := sentPrompts(t, db, "D", 2)
	h := holdGroup(t, db)
	a := h.queue(t, func() error { return answer(db, keys[0], "D0000", "a") })
	panicked := h.queue(t, func() (err error) {
		defer func() {
			if v := recover(); v != nil {
				err = fmt.Errorf("recovered: %v", v)
			}
		}()
		_, err = db.UpdateOccurrence(context.Background(), keys[1], func(*coach.Occurrence) error { panic("boom") })
		return err
	})
	h.letGo(t)
	if err := recv(t, a); err != nil {
		t.Errorf("answer beside the panic = %v", err)
	}
	if err := recv(t, panicked); err == nil || err.Error() != "recovered: boom" {
		t.Errorf("panicking change = %v, want its own panic", err)
	}
	// The queue still works.
	must(t, answer(db, keys[1], "D0001", "after"))
}

// TestRefusalAloneCostsNoCommit: a double click that is only refused
// writes nothing, so it costs no commit (and no fsync).
func TestRefusalAloneCostsNoCommit(t *testing.T) {
	db := openTest(t)
	k := sentPrompts(t, db, "D", 1)[0]
	must(t, answer(db, k, "D0000", "once"))
	before := stats(t, db)
	wantCode(t, answer(db, k, "D0000", "twice"), coach.ECONFLICT)
	after := stats(t, db)
	if after.Commits != before.Commits || after.WriteTxns != before.WriteTxns+1 {
		t.Errorf("refused answer: commits %d → %d, write transactions %d → %d; want no commit, one transaction",
			before.Commits, after.Commits, before.WriteTxns, after.WriteTxns)
	}
}

// TestStatsCountTransactions: each store call counts the transactions it
// ran, so tests elsewhere can count an operation's cost.
func TestStatsCountTransactions(t *testing.T) {
	db := openTest(t)
	k := sentPrompts(t, db, "D", 1)[0]
	before := stats(t, db)
	if _, err := db.Occurrence(t.Context(), k); err != nil {
		t.Fatal(err)
	}
	must(t, answer(db, k, "D0000", "x"))
	must(t, db.PutSetting(t.Context(), "a", "b"))
	after := stats(t, db)
	got := [3]int64{after.ReadTxns - before.ReadTxns, after.WriteTxns - before.WriteTxns, after.Commits - before.Commits}
	if want := [3]int64{1, 2, 2}; got != want {
		t.Errorf("read, write transactions, commits = %v, want %v", got, want)
	}
}

// TestGroupCommitManyWriters runs writers of every group-commit kind at once
// (under -race this checks the queue's hand-offs) and checks each result.
func TestGroupCommitManyWriters(t *testing.T) {
	db := openTest(t)
	const n = 200
	keys := sentPrompts(t, db, "D", n)
	var wg sync.WaitGroup
	errs := make(chan error, 3*n)
	for i, k := range keys {
		d := coach.UserID(fmt.Sprintf("D%04d", i))
		wg.Go(func() { errs <- answer(db, k, d, "n") })
		wg.Go(func() {
			errs <- db.PutReminder(context.Background(), coach.Reminder{Occ: k, Director: d, N: 1, For: t0})
		})
		wg.Go(func() {
			_, _, err := db.CreateOccurrence(context.Background(), occ("s2", d, coach.Standup, 0))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	rs, err := db.Reminders(t.Context())
	if err != nil || len(rs) != n {
		t.Errorf("Reminders = %d, %v; want %d", len(rs), err, n)
	}
	for _, k := range keys {
		if o, err := db.Occurrence(t.Context(), k); err != nil || o.Answer == nil {
			t.Errorf("%s not answered: %v", k, err)
		}
	}
	s := stats(t, db)
	t.Logf("%d writes in %d commits", s.WriteTxns, s.Commits)
}
