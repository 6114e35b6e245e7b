package coach

import (
	"context"
	"fmt"
	"time"
)

// HabitStreak returns d's current streak of habit h, reading d's history
// back only as far as the streak goes, in one read transaction.
func (s *Service) HabitStreak(ctx context.Context, d UserID, h Habit) (int, error) {
	now := s.clock.Now()
	var n int
	err := s.store.ReadSnapshot(ctx, func(sn Snapshot) error {
		dir, err := directorIn(sn, d)
		if err != nil {
			return err
		}
		n, err = currentStreak(sn, d, h, dir.Leave, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("streak %s: %w", h, err)
	}
	return n, nil
}

// Streaks returns actor's stats for every habit they have been prompted
// for, in Habits order. ENOTFOUND when actor is no director and has no
// history.
func (s *Service) Streaks(ctx context.Context, actor UserID) ([]HabitStats, error) {
	hist, err := s.store.History(ctx, actor, "", time.Time{})
	if err != nil {
		return nil, fmt.Errorf("streaks: %w", err)
	}
	if len(hist) == 0 {
		if _, err := s.store.Director(ctx, actor); err != nil {
			if ErrorCode(err) == ENOTFOUND {
				return nil, notDirector(ctx, s.store, s.isAdmin, actor, ENOTFOUND, "svc.err.not_registered")
			}
			return nil, fmt.Errorf("streaks: %w", err)
		}
		return nil, nil
	}
	seen := map[Habit]bool{}
	for _, o := range hist {
		seen[o.Habit] = true
	}
	leave, now := s.leave(ctx, actor), s.clock.Now()
	var out []HabitStats
	for _, h := range Habits() {
		if seen[h] {
			out = append(out, Stats(h, hist, leave, now))
		}
	}
	return out, nil
}

// leave returns d's leave periods; none when d is no (longer a) director or
// the store cannot say (a streak shown without leave is still close).
func (s *Service) leave(ctx context.Context, d UserID) []Period {
	dir, err := s.store.Director(ctx, d)
	if err != nil {
		return nil
	}
	return dir.Leave
}
