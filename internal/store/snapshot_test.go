package store_test

import (
	"slices"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// HistoryBack walks one director's habit newest first from until, and
// stops when told.
func TestSnapshotHistoryBack(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	for _, o := range []coach.Occurrence{
		occ("s1", "U1", coach.Standup, 3),
		occ("s1", "U1", coach.Standup, 1),
		occ("s2", "U1", coach.Gemba, 2),
		occ("s1", "U1", coach.Standup, 2),
		occ("s3", "U1", coach.Standup, 2), // same due as s1's, later key
		occ("s1", "U10", coach.Standup, 1),
		occ("s1", "U1", coach.Standup, -5),
	} {
		_, _, err := db.CreateOccurrence(ctx, o)
		must(t, err)
	}
	tests := []struct {
		name  string
		d     coach.UserID
		h     coach.Habit
		until int // day
		stop  int // stop after this many; 0 = never
		want  []coach.OccurrenceKey
	}{
		{"all", "U1", coach.Standup, 10, 0, []coach.OccurrenceKey{"s1|U1|2026-12-10", "s3|U1|2026-12-09", "s1|U1|2026-12-09", "s1|U1|2026-12-08", "s1|U1|2026-12-02"}},
		{"until a due date, inclusive", "U1", coach.Standup, 2, 0, []coach.OccurrenceKey{"s3|U1|2026-12-09", "s1|U1|2026-12-09", "s1|U1|2026-12-08", "s1|U1|2026-12-02"}},
		{"stopped", "U1", coach.Standup, 10, 2, []coach.OccurrenceKey{"s1|U1|2026-12-10", "s3|U1|2026-12-09"}},
		{"before everything", "U1", coach.Standup, -6, 0, nil},
		{"other habit", "U1", coach.Gemba, 10, 0, []coach.OccurrenceKey{"s2|U1|2026-12-09"}},
		{"a director whose ID starts like another's", "U10", coach.Standup, 10, 0, []coach.OccurrenceKey{"s1|U10|2026-12-08"}},
		{"nobody", "U2", coach.Standup, 10, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []coach.OccurrenceKey
			err := db.ReadSnapshot(ctx, func(s coach.Snapshot) error {
				return s.HistoryBack(tt.d, tt.h, t0.AddDate(0, 0, tt.until), func(o coach.Occurrence) bool {
					got = append(got, o.Key)
					return tt.stop == 0 || len(got) < tt.stop
				})
			})
			must(t, err)
			if !slices.Equal(got, tt.want) {
				t.Errorf("HistoryBack = %v, want %v", got, tt.want)
			}
		})
	}
}

// A snapshot reads directors, users and settings as the store methods do,
// all in one read transaction.
func TestSnapshotReadsInOneTransaction(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	must(t, db.PutDirector(ctx, coach.Director{ID: "U1", Leaders: []coach.UserID{"U9"}}))
	must(t, db.PutPrefs(ctx, "U1", coach.Prefs{Lang: i18n.NL}))
	must(t, db.PutProfile(ctx, coach.Profile{ID: "U1", TZ: "Europe/Amsterdam", FetchedAt: t0}, coach.Profile{ID: "U9", Name: "Nine"}))
	must(t, db.PutSetting(ctx, coach.SettingKudosChannel, "C1"))
	o := occ("s1", "U1", coach.Gemba, 0)
	_, _, err := db.CreateOccurrence(ctx, o)
	must(t, err)

	before := stats(t, db)
	err = db.ReadSnapshot(ctx, func(s coach.Snapshot) error {
		d, err := s.Director("U1")
		if err != nil || !slices.Equal(d.Leaders, []coach.UserID{"U9"}) {
			t.Errorf("Director(U1) = %+v, %v", d, err)
		}
		if _, err := s.Director("U2"); coach.ErrorCode(err) != coach.ENOTFOUND {
			t.Errorf("Director(U2) error = %v, want ENOTFOUND", err)
		}
		p, prof, err := s.User("U1")
		if err != nil || p.Lang != i18n.NL || prof.TZ != "Europe/Amsterdam" || !prof.FetchedAt.Equal(t0) {
			t.Errorf("User(U1) = %+v, %+v, %v", p, prof, err)
		}
		if _, prof, err := s.User("U9"); err != nil || prof.Name != "Nine" {
			t.Errorf("User(U9) = %+v, %v", prof, err)
		}
		if p, prof, err := s.User("U3"); err != nil || p != (coach.Prefs{}) || prof.ID != "" {
			t.Errorf("User(U3) = %+v, %+v, %v; want zero values", p, prof, err)
		}
		if ch, err := s.Setting(coach.SettingKudosChannel); ch != "C1" || err != nil {
			t.Errorf("Setting = %q, %v", ch, err)
		}
		if got, err := s.Occurrence(o.Key); err != nil || got.Key != o.Key {
			t.Errorf("Occurrence = %+v, %v", got, err)
		}
		if _, err := s.Occurrence("s9|U1|2026-12-07"); coach.ErrorCode(err) != coach.ENOTFOUND {
			t.Errorf("Occurrence(missing) error = %v, want ENOTFOUND", err)
		}
		return nil
	})
	must(t, err)
	after := stats(t, db)
	if reads, writes := after.ReadTxns-before.ReadTxns, after.WriteTxns-before.WriteTxns; reads != 1 || writes != 0 {
		t.Errorf("ReadSnapshot cost %d reads, %d writes; want 1, 0", reads, writes)
	}
}

// RecordAnswer decides on what its snapshot reads within the write, in
// one write transaction; a refusal stores nothing.
func TestRecordAnswer(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	k := sentPrompts(t, db, "D", 1)[0]
	must(t, db.PutPrefs(ctx, "D0000", coach.Prefs{Lang: i18n.NL}))

	before := stats(t, db)
	got, err := db.RecordAnswer(ctx, k, func(o *coach.Occurrence, s coach.Snapshot) error {
		p, _, err := s.User(o.Director)
		if err != nil {
			return err
		}
		o.Answer = &coach.Answer{Outcome: coach.Done, Note: string(p.Lang)}
		return nil
	})
	must(t, err)
	after := stats(t, db)
	if got.Answer == nil || got.Answer.Note != "nl" {
		t.Fatalf("RecordAnswer = %+v, want the answer decided on the user's prefs", got.Answer)
	}
	if reads, writes := after.ReadTxns-before.ReadTxns, after.WriteTxns-before.WriteTxns; reads != 0 || writes != 1 {
		t.Errorf("RecordAnswer cost %d reads, %d writes; want 0, 1", reads, writes)
	}
	refused := coach.Errorf(coach.ECONFLICT, "test.refused")
	_, err = db.RecordAnswer(ctx, k, func(o *coach.Occurrence, _ coach.Snapshot) error {
		o.Answer.Note = "changed"
		return refused
	})
	if err != refused {
		t.Errorf("RecordAnswer refused = %v, want fn's error as it is", err)
	}
	if o, _ := db.Occurrence(ctx, k); o.Answer == nil || o.Answer.Note != "nl" {
		t.Errorf("after a refusal the answer is %+v, want it unchanged", o.Answer)
	}
}
