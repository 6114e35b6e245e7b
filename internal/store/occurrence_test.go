package store_test

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

func TestCreateOccurrence(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	o := occ("s1", "U1", coach.Standup, 0)

	_, err := db.Occurrence(ctx, o.Key)
	wantCode(t, err, coach.ENOTFOUND)

	got, created, err := db.CreateOccurrence(ctx, o)
	if err != nil || !created || got.Key != o.Key {
		t.Fatalf("CreateOccurrence(new) = %v, %v, %v, want created", got.Key, created, err)
	}
	again := o
	again.Attempts = 9
	got, created, err = db.CreateOccurrence(ctx, again)
	if err != nil || created || got.Attempts != 0 {
		t.Fatalf("CreateOccurrence(existing) = attempts %d, created %v, %v, want the stored one, not created", got.Attempts, created, err)
	}
	stored, err := db.Occurrence(ctx, o.Key)
	must(t, err)
	if stored.Director != "U1" || stored.Habit != coach.Standup || !stored.Due.Equal(o.Due) || stored.State != coach.Sending {
		t.Errorf("Occurrence(%s) = %+v, want %+v", o.Key, stored, o)
	}
}

func TestCreateOccurrenceConcurrentlyCreatesOnce(t *testing.T) {
	db := openTest(t)
	o := occ("s1", "U1", coach.Standup, 0)
	const n = 32
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		creates int
	)
	for i := range n {
		wg.Go(func() {
			mine := o
			mine.Attempts = i
			_, created, err := db.CreateOccurrence(t.Context(), mine)
			if err != nil {
				t.Error(err)
			}
			if created {
				mu.Lock()
				creates++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if creates != 1 {
		t.Errorf("%d concurrent CreateOccurrence calls created %d times, want 1", n, creates)
	}
	h, err := db.History(t.Context(), "U1", "", time.Time{})
	must(t, err)
	if len(h) != 1 {
		t.Errorf("History after concurrent creates has %d entries, want 1", len(h))
	}
}

func TestUpdateOccurrence(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	o := occ("s1", "U1", coach.Compliment, 0)
	_, _, err := db.CreateOccurrence(ctx, o)
	must(t, err)

	got, err := db.UpdateOccurrence(ctx, o.Key, func(o *coach.Occurrence) error {
		o.State, o.Channel, o.TS = coach.Sent, "D1", "1.2"
		o.Answer = &coach.Answer{Outcome: coach.Done, At: t0, By: "U1", Leader: "UL", Text: "great dagstart"}
		return nil
	})
	must(t, err)
	if got.State != coach.Sent || got.Answer == nil || got.Answer.Text != "great dagstart" {
		t.Fatalf("UpdateOccurrence = %+v, want sent and answered", got)
	}
	stored, err := db.Occurrence(ctx, o.Key)
	must(t, err)
	if stored.Channel != "D1" || stored.Answer == nil || stored.Answer.Leader != "UL" || !stored.Answer.At.Equal(t0) {
		t.Errorf("Occurrence after update = %+v, want the update stored", stored)
	}

	// An error from fn aborts and comes back as it is.
	errNope := errors.New("nope")
	_, err = db.UpdateOccurrence(ctx, o.Key, func(o *coach.Occurrence) error {
		o.Answer.Text = "changed"
		return errNope
	})
	if err != errNope {
		t.Errorf("UpdateOccurrence(fn fails) = %v, want fn's error as it is", err)
	}
	if stored, _ := db.Occurrence(ctx, o.Key); stored.Answer.Text != "great dagstart" {
		t.Errorf("Answer.Text after aborted update = %q, want it unchanged", stored.Answer.Text)
	}

	_, err = db.UpdateOccurrence(ctx, "s1|U9|2026-01-01", func(*coach.Occurrence) error { return nil })
	wantCode(t, err, coach.ENOTFOUND)

	_, err = db.UpdateOccurrence(ctx, o.Key, func(o *coach.Occurrence) error { o.Key = "other"; return nil })
	if err == nil {
		t.Error("UpdateOccurrence(fn changes key) = nil, want an error")
	}
}

func TestHistory(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	// Created out of order, two habits, two directors.
	for _, o := range []coach.Occurrence{
		occ("s1", "U1", coach.Standup, 3),
		occ("s1", "U1", coach.Standup, 1),
		occ("s2", "U1", coach.Gemba, 2),
		occ("s1", "U1", coach.Standup, 2),
		occ("s1", "U2", coach.Standup, 1),
		occ("s1", "U1", coach.Standup, -5),
	} {
		_, _, err := db.CreateOccurrence(ctx, o)
		must(t, err)
	}
	tests := []struct {
		d     coach.UserID
		h     coach.Habit
		since time.Time
		want  []coach.OccurrenceKey
	}{
		{"U1", coach.Standup, t0, []coach.OccurrenceKey{"s1|U1|2026-12-08", "s1|U1|2026-12-09", "s1|U1|2026-12-10"}},
		{"U1", coach.Standup, t0.AddDate(0, 0, 2), []coach.OccurrenceKey{"s1|U1|2026-12-09", "s1|U1|2026-12-10"}},
		{"U1", coach.Standup, time.Time{}, []coach.OccurrenceKey{"s1|U1|2026-12-02", "s1|U1|2026-12-08", "s1|U1|2026-12-09", "s1|U1|2026-12-10"}},
		{"U1", "", t0, []coach.OccurrenceKey{"s1|U1|2026-12-08", "s1|U1|2026-12-09", "s2|U1|2026-12-09", "s1|U1|2026-12-10"}},
		{"U1", coach.Gemba, t0.AddDate(0, 0, 3), nil},
		{"U2", coach.Standup, t0, []coach.OccurrenceKey{"s1|U2|2026-12-08"}},
		{"U3", "", time.Time{}, nil},
	}
	for _, tt := range tests {
		got, err := db.History(ctx, tt.d, tt.h, tt.since)
		must(t, err)
		if keys := occKeys(got); !slices.Equal(keys, tt.want) {
			t.Errorf("History(%s, %q, %s) = %v, want %v", tt.d, tt.h, tt.since.Format(time.DateOnly), keys, tt.want)
		}
	}
}

func TestHistoryFollowsUpdatedDue(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	a, b := occ("s1", "U1", coach.Standup, 1), occ("s1", "U1", coach.Standup, 2)
	for _, o := range []coach.Occurrence{a, b} {
		_, _, err := db.CreateOccurrence(ctx, o)
		must(t, err)
	}
	// Move a after b: History must list it once, in its new place.
	_, err := db.UpdateOccurrence(ctx, a.Key, func(o *coach.Occurrence) error {
		o.Due = o.Due.AddDate(0, 0, 5)
		return nil
	})
	must(t, err)
	got, err := db.History(ctx, "U1", coach.Standup, time.Time{})
	must(t, err)
	if keys := occKeys(got); !slices.Equal(keys, []coach.OccurrenceKey{b.Key, a.Key}) {
		t.Errorf("History after moving %s = %v, want [%s %s]", a.Key, keys, b.Key, a.Key)
	}
	// Moving it before since drops it.
	got, err = db.History(ctx, "U1", coach.Standup, t0.AddDate(0, 0, 6))
	must(t, err)
	if keys := occKeys(got); !slices.Equal(keys, []coach.OccurrenceKey{a.Key}) {
		t.Errorf("History(since day 6) = %v, want [%s]", keys, a.Key)
	}
}

func occKeys(os []coach.Occurrence) []coach.OccurrenceKey {
	var out []coach.OccurrenceKey
	for _, o := range os {
		out = append(out, o.Key)
	}
	return out
}
