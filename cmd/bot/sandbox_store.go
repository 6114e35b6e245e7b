package main

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/sandbox"
	"github.com/leancoach/leancoach/internal/store"
)

// sandboxStore lets the sandbox page read the running bot's database: the
// language each person chose with /coach language (sandbox.Prefs) and the
// scheduled prompts planned next (sandbox.Agenda). Until the bot has opened
// the database it knows nothing, and says so by answering empty.
type sandboxStore struct{ db atomic.Pointer[store.DB] }

var (
	_ sandbox.Prefs  = (*sandboxStore)(nil)
	_ sandbox.Agenda = (*sandboxStore)(nil)
)

// Lang is the language user chose; "" when they chose none.
func (s *sandboxStore) Lang(ctx context.Context, user string) (i18n.Lang, error) {
	db := s.db.Load()
	if db == nil {
		return "", nil
	}
	p, err := db.Prefs(ctx, coach.UserID(user))
	if err != nil {
		return "", fmt.Errorf("sandbox language: %w", err)
	}
	return p.Lang, nil
}

// Upcoming lists the due-loop's plans that will send a prompt: not those of
// a paused or removed schedule, nor of a director on leave at that time.
func (s *sandboxStore) Upcoming(ctx context.Context) ([]sandbox.Planned, error) {
	db := s.db.Load()
	if db == nil {
		return nil, nil
	}
	dues, err := db.Dues(ctx)
	if err != nil {
		return nil, fmt.Errorf("sandbox agenda: %w", err)
	}
	scheds, err := db.Schedules(ctx)
	if err != nil {
		return nil, fmt.Errorf("sandbox agenda: %w", err)
	}
	dirs, err := db.Directors(ctx)
	if err != nil {
		return nil, fmt.Errorf("sandbox agenda: %w", err)
	}
	habits := make(map[coach.ScheduleID]coach.Habit, len(scheds))
	for _, sc := range scheds {
		if !sc.Paused {
			habits[sc.ID] = sc.Habit
		}
	}
	byID := make(map[coach.UserID]coach.Director, len(dirs))
	for _, d := range dirs {
		byID[d.ID] = d
	}
	var out []sandbox.Planned
	for _, d := range dues {
		h, ok := habits[d.Schedule]
		dir, known := byID[d.Director]
		if !ok || !known || dir.OnLeave(d.Next) {
			continue
		}
		out = append(out, sandbox.Planned{Director: string(d.Director), Habit: string(h), At: d.Next})
	}
	return out, nil
}
