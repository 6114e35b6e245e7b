package campaign_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

// Note retention (reliability.md §5.4) through the campaign build of the
// production binary, with its default LEANCOACH_NOTE_RETENTION (365d): a
// director's notes written 401 to 460 days before the run, and another
// director's note written 41 days before it. The bot first starts at noon and records
// when the retention began; 31 days later (past the 30-day grace) it starts
// at 02:59:55 Amsterdam time and at 03:00 removes the old note, from the
// file, not only from the index: afterwards the old canary is in no file
// next to the database, the recent one still is (so the scan reads notes),
// `bot export` shows the old answer done without its note, and the audit
// log holds one notes.expire entry with counts. Before, the old canary was
// in the file, so the scan can fail.
func TestNoteRetentionThroughTheBinary(t *testing.T) {
	t.Parallel()
	tag := fmt.Sprintf("%016x", rng(t).Uint64())
	oldNote, recentNote := "zqold"+tag, "zqrecent"+tag
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	r := newTimeRig(t, 2, "Europe/Amsterdam")
	r.Bot.Env["LEANCOACH_TZ"] = "Europe/Amsterdam"
	first := time.Date(2026, 3, 2, 12, 0, 0, 0, ams)
	run := time.Date(2026, 4, 2, 2, 59, 55, 0, ams) // 31 days later, 5 s before 03:00
	// Sixty old notes of about 2 KB: enough pages that, without the
	// compaction, copies would stay in free pages for the scan to find.
	var oldKeys []coach.OccurrenceKey
	for i := range 60 {
		oldKeys = append(oldKeys, writeAnswer(t, r.DBPath, r.WS.Directors[0], run.AddDate(0, 0, -460+i),
			strings.Repeat(oldNote+" ", 100)))
	}
	oldKey := oldKeys[0]
	writeAnswer(t, r.DBPath, r.WS.Directors[1], first.AddDate(0, 0, -10), recentNote)

	r.startAt(t, first)
	stopRig(t, r.Rig, 10*time.Second)
	if hits := scanFile(t, r.DBPath, oldNote, recentNote); hits[oldNote] == 0 || hits[recentNote] == 0 {
		t.Fatalf("before the run the database holds the old note %d and the recent one %d times; want each > 0",
			hits[oldNote], hits[recentNote])
	}

	r.startAt(t, run)
	r.poll(t, "a note retention run that removed a note", 60*time.Second, func(context.Context) (bool, error) {
		return retentionRemoved(r.Bot.Logs()) > 0, nil
	})
	stopRig(t, r.Rig, 10*time.Second)

	entries, err := os.ReadDir(filepath.Dir(r.DBPath))
	if err != nil {
		t.Fatal(err)
	}
	var recentHits int64
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		hits := scanFile(t, filepath.Join(filepath.Dir(r.DBPath), e.Name()), oldNote, recentNote)
		if hits[oldNote] != 0 {
			t.Errorf("%s holds the note older than the retention %d times, want 0", e.Name(), hits[oldNote])
		}
		if e.Name() == filepath.Base(r.DBPath) {
			recentHits = hits[recentNote]
		}
	}
	if recentHits == 0 {
		t.Errorf("the recent note left the database: the retention removed too much")
	}

	code, out, _ := runCmd(t, r.Rig, nil, "export", "--user", string(r.WS.Directors[0]))
	if code != 0 {
		t.Fatalf("bot export = exit %d:\n%s", code, out)
	}
	if strings.Contains(out, oldNote) || !strings.Contains(out, string(oldKey)) || !strings.Contains(out, `"done"`) {
		t.Errorf("bot export after the retention run: want %s done without its note, got:\n%s", oldKey, tailBytes([]byte(out), 3000))
	}

	db, err := store.Open(r.DBPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	o, err := db.Occurrence(t.Context(), oldKey)
	if err != nil {
		t.Fatal(err)
	}
	if o.Answer == nil || o.Answer.Outcome != coach.Done || o.Answer.Note != "" {
		t.Errorf("the old answer after the run = %+v, want done without its note", o.Answer)
	}
	log, err := db.AuditLog(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var expired []coach.AuditEntry
	for _, e := range log {
		if e.Action == store.ActionNotesExpired {
			expired = append(expired, e)
		}
	}
	if len(expired) != 1 || !strings.HasPrefix(expired[0].Detail, "answers=60 ") || expired[0].At.In(ams).Hour() != 3 {
		t.Errorf("notes.expire audit entries = %+v, want one at 03:00 with answers=60", expired)
	}
}

// writeAnswer stores, with the bot stopped, an answered prompt of d due at
// due with a private note, as a click would have, and returns its key.
func writeAnswer(t *testing.T, path string, d coach.UserID, due time.Time, note string) coach.OccurrenceKey {
	t.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	date := due.Format(time.DateOnly)
	o := coach.Occurrence{Key: coach.NewOccurrenceKey("s90", d, date), Schedule: "s90", Director: d,
		Habit: coach.Standup, LocalDate: date, Due: due.UTC(), State: coach.Sent, SentAt: due.UTC()}
	if _, _, err := db.CreateOccurrence(t.Context(), o); err != nil {
		t.Fatal(err)
	}
	_, err = db.UpdateOccurrence(t.Context(), o.Key, func(o *coach.Occurrence) error {
		o.Answer = &coach.Answer{Outcome: coach.Done, At: o.Due.Add(time.Hour), By: d, Note: note}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return o.Key
}

// retentionRemoved sums the answers the bot's note retention runs logged
// as removed.
func retentionRemoved(logs []byte) int {
	n := 0
	for line := range bytes.Lines(logs) {
		var l struct {
			Message string `json:"message"`
			Answers int    `json:"answers"`
		}
		if json.Unmarshal(line, &l) == nil && l.Message == "note retention run" {
			n += l.Answers
		}
	}
	return n
}
