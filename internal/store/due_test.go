package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

func openDueTest(t *testing.T) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "due.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db, path
}

func TestDuePlans(t *testing.T) {
	db, path := openDueTest(t)
	ctx := t.Context()
	at := time.Date(2026, 12, 7, 7, 45, 0, 0, time.UTC)
	a := coach.Due{Schedule: "s1", Director: "U1", Next: at, When: "weekdays 08:45", Zone: "Europe/Amsterdam"}
	b := coach.Due{Schedule: "s1", Director: "U2", Next: at.Add(time.Hour), When: "weekdays 08:45", Zone: "UTC",
		Held: "s1|U2|2026-12-04", HeldAt: at.AddDate(0, 0, 4), HeldDue: at.AddDate(0, 0, -3)}
	for _, d := range []coach.Due{b, a} {
		if err := db.PutDue(ctx, d); err != nil {
			t.Fatalf("PutDue(%v): %v", d, err)
		}
	}
	a.Next = at.AddDate(0, 0, 1)
	if err := db.PutDue(ctx, a); err != nil {
		t.Fatal(err)
	}
	got, err := db.Dues(ctx)
	if err != nil || len(got) != 2 || got[0] != a || got[1] != b {
		t.Fatalf("Dues() = %v, %v; want [%v %v]", got, err, a, b)
	}
	if err := db.PutDue(ctx, coach.Due{Director: "U1"}); err == nil {
		t.Error("PutDue without a schedule = nil, want an error")
	}
	if err := db.DeleteDue(ctx, "s1", "U2"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteDue(ctx, "s1", "U9"); err != nil {
		t.Errorf("DeleteDue of a missing plan = %v, want nil", err)
	}
	// Durable: a reopened file has the same plans.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db2, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	got, err = db2.Dues(ctx)
	if err != nil || len(got) != 1 || got[0] != a {
		t.Errorf("Dues() after reopen = %v, %v; want [%v]", got, err, a)
	}
}

func TestMissDue(t *testing.T) {
	db, _ := openDueTest(t)
	ctx := t.Context()
	due := time.Date(2026, 12, 7, 7, 45, 0, 0, time.UTC)
	o := coach.Occurrence{Key: "s1|U1|2026-12-07", Schedule: "s1", Director: "U1", Habit: coach.Standup,
		LocalDate: "2026-12-07", Due: due, State: coach.Missed}
	next := coach.Due{Schedule: "s1", Director: "U1", Next: due.AddDate(0, 0, 1), When: "daily 08:45", Zone: "Europe/Amsterdam"}
	got, created, err := db.MissDue(ctx, o, next)
	if err != nil || !created || got.State != coach.Missed {
		t.Fatalf("MissDue = %v, %v, %v; want the missed occurrence, created", got, created, err)
	}
	// The record is a real occurrence: History sees it.
	hist, err := db.History(ctx, "U1", coach.Standup, due.Add(-time.Hour))
	if err != nil || len(hist) != 1 || hist[0].State != coach.Missed {
		t.Errorf("History = %v, %v; want the missed occurrence", hist, err)
	}
	// An existing occurrence is kept as it is; the plan still advances.
	next2 := next
	next2.Next = next.Next.AddDate(0, 0, 1)
	o.State = coach.Sent
	got, created, err = db.MissDue(ctx, o, next2)
	if err != nil || created || got.State != coach.Missed {
		t.Errorf("second MissDue = %v, %v, %v; want the stored missed occurrence, not created", got.State, created, err)
	}
	dues, err := db.Dues(ctx)
	if err != nil || len(dues) != 1 || !dues[0].Next.Equal(next2.Next) {
		t.Errorf("Dues() = %v, %v; want the plan advanced to %v", dues, err, next2.Next)
	}
}

func TestReminders(t *testing.T) {
	db, _ := openDueTest(t)
	ctx := t.Context()
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	r := coach.Reminder{Occ: "s1|U1|2026-12-07", Director: "U1"}
	if err := db.PutReminder(ctx, r); err != nil {
		t.Fatal(err)
	}
	r.N, r.For, r.State, r.StartedAt, r.SentAt, r.Channel, r.TS = 1, at, coach.Sent, at, at, "D1", "1.000001"
	if err := db.PutReminder(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := db.PutReminder(ctx, coach.Reminder{Occ: "s1|U2|2026-12-07", Director: "U2"}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Reminders(ctx)
	if err != nil || len(got) != 2 || got[0] != r {
		t.Fatalf("Reminders() = %v, %v; want 2, the first %v", got, err, r)
	}
	if err := db.DeleteReminder(ctx, r.Occ); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteReminder(ctx, r.Occ); err != nil {
		t.Errorf("DeleteReminder of a missing one = %v, want nil", err)
	}
	if got, _ := db.Reminders(ctx); len(got) != 1 || got[0].Director != "U2" {
		t.Errorf("Reminders() after delete = %v, want U2's only", got)
	}
	if err := db.PutReminder(ctx, coach.Reminder{}); err == nil {
		t.Error("PutReminder without a key = nil, want an error")
	}
	// Watch creates records that are missing and leaves existing ones.
	sent := coach.Reminder{Occ: "s1|U2|2026-12-07", Director: "U2", N: 1, For: at, State: coach.Sending, StartedAt: at}
	if err := db.PutReminder(ctx, sent); err != nil {
		t.Fatal(err)
	}
	if err := db.Watch(ctx, coach.Reminder{Occ: sent.Occ, Director: "U2"}, coach.Reminder{Occ: "s1|U3|2026-12-07", Director: "U3"}); err != nil {
		t.Fatal(err)
	}
	got, _ = db.Reminders(ctx)
	if len(got) != 2 || got[0] != sent || got[1].Occ != "s1|U3|2026-12-07" || got[1].N != 0 {
		t.Errorf("Reminders() after Watch = %v, want %v kept and U3's new", got, sent)
	}
}

// TestForgetDropsDuePlans: erasing a director removes their plans and
// reminders (the due bucket's keys name them as a whole token).
func TestForgetDropsDuePlans(t *testing.T) {
	db, _ := openDueTest(t)
	ctx := t.Context()
	for _, d := range []coach.UserID{"U1", "U12"} {
		if err := db.PutDue(ctx, coach.Due{Schedule: "s1", Director: d, When: "daily 09:00", Zone: "UTC"}); err != nil {
			t.Fatal(err)
		}
		if err := db.PutReminder(ctx, coach.Reminder{Occ: coach.NewOccurrenceKey("s1", d, "2026-12-07"), Director: d}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Forget(ctx, "U1"); err != nil {
		t.Fatal(err)
	}
	dues, _ := db.Dues(ctx)
	rems, _ := db.Reminders(ctx)
	if len(dues) != 1 || dues[0].Director != "U12" || len(rems) != 1 || rems[0].Director != "U12" {
		t.Errorf("after Forget(U1): dues %v, reminders %v; want U12's only", dues, rems)
	}
}
