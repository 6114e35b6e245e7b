package coach

import (
	"context"
	"fmt"
	"time"
)

// HabitStreak returns d's current streak of habit h.
//
// It reads a recent window of history first and widens it only while the
// streak reaches the start of what it read: an answer must not cost a read
// of the director's whole history (it runs on every click).
func (s *Service) HabitStreak(ctx context.Context, d UserID, h Habit) (int, error) {
	leave, now := s.leave(ctx, d), s.clock.Now()
	for _, w := range [...]time.Duration{45 * 24 * time.Hour, 400 * 24 * time.Hour, 0} {
		var since time.Time
		if w > 0 {
			since = now.Add(-w)
		}
		hist, err := s.store.History(ctx, d, h, since)
		if err != nil {
			return 0, fmt.Errorf("streak %s: %w", h, err)
		}
		cur, _ := Streak(hist, leave, now)
		if w == 0 || cur < decided(hist, leave) {
			return cur, nil // the streak starts inside the window
		}
	}
	return 0, nil // not reached: the last window is everything
}

// decided counts the occurrences that count for or break a streak.
func decided(occs []Occurrence, leave []Period) int {
	n := 0
	for _, o := range occs {
		if m := MarkOf(o, leave); m.Counts() || m.Breaks() {
			n++
		}
	}
	return n
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
