package coach

import (
	"context"
	"fmt"
)

// checkInInfo previews a check-in schedule as the check-ins will go: to
// the Lean leaders of the directors it names, once per Lean leader however
// many directors lead them, in each Lean leader's own zone (not the
// directors'); a Lean leader who turned them off gets none. Only the first
// check-in schedule not paused is the one they go on: another has no send
// times of its own, and CheckInBy names that one.
func (s *Schedules) checkInInfo(ctx context.Context, info ScheduleInfo, rule Rule) (ScheduleInfo, error) {
	sc := info.Schedule
	all, err := s.c.Store.Schedules(ctx)
	if err != nil {
		return ScheduleInfo{}, fmt.Errorf("check-in schedule preview: %w", err)
	}
	for _, o := range all {
		if o.Habit != CheckInHabit || o.Paused {
			continue
		}
		if _, err := s.c.Rules.Parse(o.When); err != nil {
			continue // the due-loop skips it too
		}
		if o.ID != sc.ID {
			info.CheckInBy = o.ID
			return info, nil
		}
		break
	}
	leaders, err := s.checkInLeaders(ctx, sc)
	if err != nil {
		return ScheduleInfo{}, err
	}
	return s.preview(ctx, info, rule, leaders, func(l UserID) Upcoming { return Upcoming{Leader: l} }), nil
}

// checkInLeaders lists, once each, the Lean leaders of the directors sc
// names who have not turned the check-ins off.
func (s *Schedules) checkInLeaders(ctx context.Context, sc Schedule) ([]UserID, error) {
	dirs, err := s.c.Store.Directors(ctx)
	if err != nil {
		return nil, fmt.Errorf("check-in schedule preview: %w", err)
	}
	seen := map[UserID]bool{}
	var out []UserID
	for _, d := range dirs {
		if !sc.Targets(d.ID) {
			continue
		}
		for _, l := range d.Leaders {
			if seen[l] {
				continue
			}
			seen[l] = true
			p, err := s.c.Store.Prefs(ctx, l)
			if err != nil {
				return nil, fmt.Errorf("check-in schedule preview: %w", err)
			}
			if !p.CheckInsOff {
				out = append(out, l)
			}
		}
	}
	return out, nil
}
