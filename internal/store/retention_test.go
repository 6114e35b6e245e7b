package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

// Canaries of the retention tests: old text must leave the file, new text
// must stay.
const (
	oldNote  = "OLDNOTECANARY"
	oldObs   = "OLDOBSERVATIONCANARY"
	oldAsked = "OLDASKEDCANARY"
	oldText  = "OLDCOMPLIMENTCANARY"
	oldKudos = "OLDKUDOSCANARY"
	newNote  = "NEWNOTECANARY"
	newKudos = "NEWKUDOSCANARY"
)

// retentionCutoff is the bound the tests prune with: a year before t0.
var retentionCutoff = t0.AddDate(-1, 0, 0)

// seedRetention stores, for director UR, oldN answered occurrences of each
// of standup, question and compliment from 500 days before t0 on (one a day),
// with every kind of free text, a recent answer with a note, and an old and a
// new kudos. It returns how many answers hold old text.
func seedRetention(t *testing.T, db *store.DB, oldN int) int {
	t.Helper()
	var occs []coach.Occurrence
	answer := func(o coach.Occurrence, a coach.Answer) {
		a.At, a.By = o.Due.Add(time.Hour), o.Director
		o.State, o.SentAt, o.Answer = coach.Sent, o.Due, &a
		occs = append(occs, o)
	}
	for i := range oldN {
		day := -500 + i
		answer(occ("s1", "UR", coach.Standup, day), coach.Answer{Outcome: coach.Done,
			Note: oldNote, Observation: oldObs, FeedbackGiven: true})
		answer(occ("s2", "UR", coach.Question, day), coach.Answer{Outcome: coach.Done,
			QuestionID: "q7", Asked: oldAsked, Note: oldNote})
		answer(occ("s3", "UR", coach.Compliment, day), coach.Answer{Outcome: coach.Done,
			Leader: "UL", Text: oldText})
	}
	// An old answer without text: nothing to clear.
	answer(occ("s4", "UR", coach.Standup, -390), coach.Answer{Outcome: coach.NotToday})
	// Recent: kept.
	answer(occ("s1", "UR", coach.Standup, -10), coach.Answer{Outcome: coach.Done, Note: newNote})
	must(t, db.SeedOccurrences(occs))
	ctx := t.Context()
	must(t, db.AddKudos(ctx, coach.Kudos{From: "UR", To: "UL", Text: oldKudos, At: t0.AddDate(0, 0, -400)}))
	must(t, db.AddKudos(ctx, coach.Kudos{From: "UR", To: "UL", Text: newKudos, At: t0.AddDate(0, 0, -10)}))
	return 3 * oldN
}

// stripText returns the history with the free text removed, for comparing
// what streaks and strength are computed from.
func stripText(occs []coach.Occurrence) []coach.Occurrence {
	out := make([]coach.Occurrence, len(occs))
	for i, o := range occs {
		if o.Answer != nil {
			a := *o.Answer
			a.Note, a.Observation, a.Asked, a.Text = "", "", "", ""
			o.Answer = &a
		}
		out[i] = o
	}
	return out
}

// habitStats computes the streak and strength of every habit of UR.
func habitStats(t *testing.T, db *store.DB) []coach.HabitStats {
	t.Helper()
	var out []coach.HabitStats
	for _, h := range []coach.Habit{coach.Standup, coach.Question, coach.Compliment} {
		occs, err := db.History(t.Context(), "UR", h, time.Time{})
		must(t, err)
		out = append(out, coach.Stats(h, occs, nil, t0))
	}
	return out
}

func TestPruneNotesRemovesOldTextFromTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "leancoach.db")
	db := openAt(t, path)
	// Enough answers to fill many pages: without the compaction their old
	// copies would stay in free pages.
	want := seedRetention(t, db, 100)
	before, err := db.History(t.Context(), "UR", "", time.Time{})
	must(t, err)
	statsBefore := habitStats(t, db)
	for _, w := range []string{oldNote, oldObs, oldAsked, oldText, oldKudos, newNote, newKudos} {
		if fileHits(t, path, w) == 0 {
			t.Fatalf("%s is not in the file before pruning: the test cannot fail", w)
		}
	}

	res, err := db.PruneNotes(t.Context(), retentionCutoff, 64)
	if err != nil {
		t.Fatalf("PruneNotes = %v", err)
	}
	if res.Answers != want || res.Kudos != 1 || !res.Compacted {
		t.Errorf("PruneNotes = %+v, want %d answers, 1 kudos, compacted", res, want)
	}
	for _, w := range []string{oldNote, oldObs, oldAsked, oldText, oldKudos} {
		if n := fileHits(t, path, w); n != 0 {
			t.Errorf("%s is in the file %d times after PruneNotes, want 0", w, n)
		}
	}
	for _, w := range []string{newNote, newKudos} {
		if fileHits(t, path, w) == 0 {
			t.Errorf("%s, younger than the bound, is gone from the file", w)
		}
	}

	after, err := db.History(t.Context(), "UR", "", time.Time{})
	must(t, err)
	if got, want := stripText(after), stripText(before); !reflect.DeepEqual(got, want) {
		t.Errorf("History after PruneNotes differs in more than the text:\n got %+v\nwant %+v", got, want)
	}
	for _, o := range after {
		if a := o.Answer; o.Due.Before(retentionCutoff) && (a.Note != "" || a.Observation != "" || a.Asked != "" || a.Text != "") {
			t.Errorf("answer %s after PruneNotes = %+v, want no text", o.Key, *a)
		}
	}
	if got, want := fmt.Sprint(habitStats(t, db)), fmt.Sprint(statsBefore); got != want {
		t.Errorf("habit stats after PruneNotes = %s, want %s", got, want)
	}
	export := exportJSON(t, db, "UR")
	for _, w := range []string{oldNote, oldObs, oldAsked, oldText, oldKudos} {
		if strings.Contains(export, w) {
			t.Errorf("Export(UR) holds %s after PruneNotes", w)
		}
	}
	if !strings.Contains(export, newNote) || !strings.Contains(export, `"FeedbackGiven":true`) {
		t.Errorf("Export(UR) lost the recent note or the outcomes:\n%s", export)
	}

	log, err := db.AuditLog(t.Context(), 0)
	must(t, err)
	wantDetail := fmt.Sprintf("answers=%d kudos=1 paths=0 before=%s", want, retentionCutoff.Format(time.DateOnly))
	if len(log) != 1 || log[0].Action != store.ActionNotesExpired || log[0].Actor != store.RetentionActor || log[0].Detail != wantDetail {
		t.Errorf("AuditLog after PruneNotes = %+v, want one %s by %s with %q", log, store.ActionNotesExpired, store.RetentionActor, wantDetail)
	}

	// Again: nothing to do, no compaction, no second entry.
	res, err = db.PruneNotes(t.Context(), retentionCutoff, 64)
	if err != nil || res != (store.Pruned{}) {
		t.Errorf("second PruneNotes = %+v, %v, want nothing done", res, err)
	}
	if log, _ := db.AuditLog(t.Context(), 0); len(log) != 1 {
		t.Errorf("AuditLog after a second PruneNotes has %d entries, want 1", len(log))
	}
}

// commitCounter counts write commits and cancels a context at the n-th.
type commitCounter struct {
	mu       sync.Mutex
	commits  int
	cancelAt int
	cancel   context.CancelFunc
}

func (c *commitCounter) Commit(time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.commits++
	if c.commits == c.cancelAt && c.cancel != nil {
		c.cancel()
	}
}

func (c *commitCounter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.commits
}

// openCounted opens a store at path whose commits cc counts.
func openCounted(t *testing.T, path string, cc *commitCounter) *store.DB {
	t.Helper()
	db, err := store.Open(path, store.Options{LockTimeout: 100 * time.Millisecond, Observer: cc,
		Clock: coach.ClockFunc(func() time.Time { return t0 })})
	must(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestPruneNotesBatches(t *testing.T) {
	for _, c := range []struct {
		batch, old, wantAnswerTx int
	}{
		{batch: 1, old: 2, wantAnswerTx: 6},
		{batch: 4, old: 3, wantAnswerTx: 3},
		{batch: 1000, old: 3, wantAnswerTx: 1},
	} {
		t.Run(fmt.Sprintf("batch=%d,answers=%d", c.batch, 3*c.old), func(t *testing.T) {
			cc := &commitCounter{}
			db := openCounted(t, filepath.Join(t.TempDir(), "leancoach.db"), cc)
			want := seedRetention(t, db, c.old)
			seeded := cc.count()
			res, err := db.PruneNotes(t.Context(), retentionCutoff, c.batch)
			if err != nil {
				t.Fatalf("PruneNotes = %v", err)
			}
			// One transaction per batch of answers, one for the kudos, one
			// for the audit entry; none holds more than batch records.
			if res.Answers != want || res.Batches != c.wantAnswerTx+1 {
				t.Errorf("PruneNotes = %+v, want %d answers in %d+1 batches", res, want, c.wantAnswerTx)
			}
			if got, wantTx := cc.count()-seeded, c.wantAnswerTx+2; got != wantTx {
				t.Errorf("PruneNotes made %d commits, want %d", got, wantTx)
			}
		})
	}
}

func TestPruneNotesFinishesAfterACrash(t *testing.T) {
	// Stopped after the first batch, after the last batch (before the
	// compaction): the second run clears the rest, compacts and writes one
	// audit entry that counts both runs.
	for _, stopAfter := range []int{1, 3} {
		t.Run(fmt.Sprintf("stop_after_batch_%d", stopAfter), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "leancoach.db")
			cc := &commitCounter{}
			db := openCounted(t, path, cc)
			want := seedRetention(t, db, 2) // 6 answers: 3 batches of 2
			statsBefore := habitStats(t, db)
			ctx, cancel := context.WithCancel(t.Context())
			cc.mu.Lock()
			cc.cancelAt, cc.cancel = cc.commits+stopAfter, cancel
			cc.mu.Unlock()
			if _, err := db.PruneNotes(ctx, retentionCutoff, 2); err == nil {
				t.Fatalf("PruneNotes with its context canceled after %d batches = nil, want an error", stopAfter)
			}
			if log, _ := db.AuditLog(t.Context(), 0); len(log) != 0 {
				t.Errorf("AuditLog after an interrupted PruneNotes = %+v, want none yet", log)
			}

			res, err := db.PruneNotes(t.Context(), retentionCutoff, 2)
			if err != nil {
				t.Fatalf("PruneNotes after the interrupted one = %v", err)
			}
			if res.Answers != want-2*stopAfter || !res.Compacted {
				t.Errorf("PruneNotes after the interrupted one = %+v, want %d answers, compacted", res, want-2*stopAfter)
			}
			for _, w := range []string{oldNote, oldObs, oldAsked, oldText, oldKudos} {
				if n := fileHits(t, path, w); n != 0 {
					t.Errorf("%s is in the file %d times after the rerun, want 0", w, n)
				}
			}
			log, err := db.AuditLog(t.Context(), 0)
			must(t, err)
			wantPrefix := fmt.Sprintf("answers=%d kudos=1 paths=0 ", want)
			if len(log) != 1 || !strings.HasPrefix(log[0].Detail, wantPrefix) {
				t.Errorf("AuditLog after the rerun = %+v, want one entry %q…", log, wantPrefix)
			}
			if got, want := fmt.Sprint(habitStats(t, db)), fmt.Sprint(statsBefore); got != want {
				t.Errorf("habit stats after the rerun = %s, want %s", got, want)
			}
		})
	}
}

func TestPruneNotesKeepsTextAtTheBound(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	o := occ("s1", "UR", coach.Standup, 0)
	_, _, err := db.CreateOccurrence(ctx, o)
	must(t, err)
	_, err = db.UpdateOccurrence(ctx, o.Key, func(o *coach.Occurrence) error {
		o.State, o.Answer = coach.Sent, &coach.Answer{Outcome: coach.Done, At: t0, Note: newNote}
		return nil
	})
	must(t, err)
	for _, c := range []struct {
		cutoff time.Time
		want   int
	}{
		{t0, 0},                  // written at the cutoff: not older
		{t0.Add(time.Second), 1}, // older than the cutoff
		{t0.Add(time.Second), 0}, // already cleared
		{t0.AddDate(1, 0, 0), 0}, // nothing left
		{time.Time{}, 0},         // zero cutoff: nothing is older
	} {
		res, err := db.PruneNotes(ctx, c.cutoff, 0)
		if err != nil || res.Answers != c.want {
			t.Errorf("PruneNotes(%s) = %+v, %v, want %d answers", c.cutoff, res, err, c.want)
		}
	}
}
