package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

// TestDemoPaths: the demo starts with a path for each pair, with a review
// or two of history, whatever day it starts on: Maarten's review with
// Fatima falls due within the week, Sarah's target with Tom has passed.
// Each path, as its form shows it, saves unchanged.
func TestDemoPaths(t *testing.T) {
	sim := slacksim.New(slacksim.Options{})
	t.Cleanup(sim.Close)
	w := seedWorkspace(sim)
	for _, now := range []time.Time{
		time.Date(2026, 12, 4, 16, 0, 0, 0, time.UTC),
		time.Date(2027, 3, 28, 1, 30, 0, 0, time.UTC), // the night the clocks go forward
		time.Date(2028, 2, 29, 23, 59, 0, 0, time.UTC),
	} {
		ps, err := w.paths(now)
		if err != nil {
			t.Fatalf("paths(%s) = %v", now, err)
		}
		if len(ps) != len(w.directors) {
			t.Fatalf("paths(%s) = %d paths, want one per pair (%d)", now, len(ps), len(w.directors))
		}
		for i, p := range ps {
			if p.Director != w.directors[i] || p.Leader != w.leaders[i] || p.Rev < 2 || len(p.Reviews) < 1 || len(p.Reviews) > 2 {
				t.Errorf("paths(%s)[%d] = %s with %s, Rev %d, %d reviews; want the pair's path with one or two reviews",
					now, i, p.Director, p.Leader, p.Rev, len(p.Reviews))
			}
			loc, _ := time.LoadLocation(w.zones[p.Director])
			today := coach.DateOf(now.In(loc))
			v := coach.ViewPath(p.Pair, &p, today, loc)
			in, err := p.Form().Input()
			if err == nil {
				in.Rev = p.Rev
				_, err = coach.ValidatePath(in, p, today)
			}
			if err != nil {
				t.Errorf("paths(%s)[%d]: its form does not save unchanged: %v", now, i, err)
			}
			switch i {
			case 0:
				if v.Overdue != 0 || v.Due.Due || v.Due.Next.After(today.AddDays(7)) || p.Phase() != coach.SelfKnowledge || len(p.HandedOver) != 1 {
					t.Errorf("Maarten's path on %s = %+v; want a review due within the week, phase 2, one responsibility handed over", today, v.Due)
				}
			case 1:
				if v.Overdue != 10 || !v.Due.Due || v.Due.Reason != coach.DueTarget {
					t.Errorf("Sarah's path on %s: overdue %d, due %+v; want the target passed 10 days ago, due for a review", today, v.Overdue, v.Due)
				}
			}
		}
	}
}

// TestDemoLeaderSide: each demo Lean leader starts with two check-ins, a
// comment on the path and a compliment; the director's card shows the
// contrast and the comment, never the note Fatima kept for herself.
func TestDemoLeaderSide(t *testing.T) {
	sim := slacksim.New(slacksim.Options{})
	t.Cleanup(sim.Close)
	w := seedWorkspace(sim)
	db, err := store.Open(filepath.Join(t.TempDir(), "demo.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	ctx := t.Context()
	now := time.Date(2026, 12, 4, 16, 0, 0, 0, time.UTC)
	for i, d := range w.directors {
		if err := db.PutDirector(ctx, coach.Director{ID: d, Leaders: []coach.UserID{w.leaders[i]}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.seedPaths(ctx, db, now); err != nil {
		t.Fatal(err)
	}
	if err := w.seedLeaderSide(ctx, db, now); err != nil {
		t.Fatal(err)
	}
	ls, err := coach.NewLeaderService(coach.LeaderServiceConfig{Store: db, Directory: zoneDirectory(w.zones), Clock: coach.ClockFunc(func() time.Time { return now }),
		IsAdmin: func(context.Context, coach.UserID) (bool, error) { return false, nil }})
	if err != nil {
		t.Fatal(err)
	}
	private := w.demoLeaders()[0].checkIns[1].note
	for i, l := range w.leaders {
		h, err := ls.Home(ctx, l)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Paths) != 1 || h.Paths[0].Path == nil || len(h.CheckIns) != 2 || len(h.Kudos) != 1 || len(h.Paths[0].Voice.Comments) != 1 {
			t.Errorf("Home of %s = %d paths, %d check-ins, %d kudos; want a path with a comment, two check-ins and a compliment",
				l, len(h.Paths), len(h.CheckIns), len(h.Kudos))
		}
		shared, err := ls.SharedCheckIns(ctx, w.directors[i], l)
		if err != nil || len(shared) != 2 {
			t.Errorf("SharedCheckIns(%s, %s) = %d, %v; want both", w.directors[i], l, len(shared), err)
		}
		for _, s := range shared {
			if s.Note == private {
				t.Errorf("the director sees the note %s kept for herself", l)
			}
		}
	}
	if h, _ := ls.Home(ctx, w.leaders[0]); !h.CheckIns[0].Differs() || !h.CheckIns[0].Private {
		t.Errorf("Fatima's last check-in = %+v, want needed ≠ got with a private note", h.CheckIns[0])
	}
}

// zoneDirectory tells each demo person's time zone.
type zoneDirectory map[coach.UserID]string

func (z zoneDirectory) Profile(_ context.Context, id coach.UserID) (coach.Profile, error) {
	return coach.Profile{ID: id, TZ: z[id]}, nil
}
