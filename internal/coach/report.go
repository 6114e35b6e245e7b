package coach

import (
	"context"
	"fmt"
	"time"
)

// ReportWindow is how far back /coach report counts completion.
const ReportWindow = 28 * 24 * time.Hour

// Completion counts decided prompts: Done of Decided (Done, NotToday and
// Missed; prompts on leave, failed sends and open ones are left out, as
// they are for streaks).
type Completion struct {
	Done, Decided int
}

// Rate is Done/Decided, 0 when nothing was decided.
func (c Completion) Rate() float64 {
	if c.Decided == 0 {
		return 0
	}
	return float64(c.Done) / float64(c.Decided)
}

func (c *Completion) add(m Mark) {
	switch {
	case m.Counts():
		c.Done++
		c.Decided++
	case m.Breaks():
		c.Decided++
	}
}

// HabitStreak is one habit's current and best streak.
type HabitStreak struct {
	Habit
	Current, Best int
}

// ReportRow is one director in the report. It holds counts and streaks
// only: never notes, observations, questions or kudos texts.
type ReportRow struct {
	Director UserID
	Leaders  int
	OnLeave  bool
	Completion
	Streaks []HabitStreak // habits with history, in Habits order
}

// Report is /coach report: per director, completion over the last four
// weeks and current streaks, and a summary for the workspace.
type Report struct {
	From, To time.Time // the completion window, UTC
	Rows     []ReportRow
	Total    Completion
	Active   int // directors with at least one prompt done in the window
	// Paths counts the delegation paths of the pairs registered now:
	// counts only, never a text.
	Paths PathCounts
	// CheckIns counts the Lean leaders' monthly check-ins: never who
	// answered what.
	CheckIns CheckInCounts
}

// BuildReport computes the report at now from every director and their
// occurrences (hist by director; occurrences of any habit, any age).
func BuildReport(dirs []Director, hist map[UserID][]Occurrence, now time.Time) Report {
	r := Report{From: now.Add(-ReportWindow).UTC(), To: now.UTC()}
	for _, d := range dirs {
		occs := hist[d.ID]
		row := ReportRow{Director: d.ID, Leaders: len(d.Leaders), OnLeave: d.OnLeave(now)}
		for _, o := range occs {
			if o.Due.Before(r.From) || o.Due.After(now) {
				continue
			}
			row.Completion.add(MarkOf(o, d.Leave))
		}
		for _, h := range habitsIn(occs) {
			st := Stats(h, occs, d.Leave, now)
			row.Streaks = append(row.Streaks, HabitStreak{Habit: h, Current: st.Current, Best: st.Best})
		}
		r.Total.Done += row.Done
		r.Total.Decided += row.Decided
		if row.Done > 0 {
			r.Active++
		}
		r.Rows = append(r.Rows, row)
	}
	return r
}

// habitsIn returns the habits occs hold, in Habits order.
func habitsIn(occs []Occurrence) []Habit {
	seen := map[Habit]bool{}
	for _, o := range occs {
		seen[o.Habit] = true
	}
	var out []Habit
	for _, h := range Habits() {
		if seen[h] {
			out = append(out, h)
		}
	}
	return out
}

// Report loads and builds the report. Admins only.
func (p *Portal) Report(ctx context.Context, actor UserID) (Report, error) {
	if err := p.access.Require(ctx, actor, "report"); err != nil {
		return Report{}, err
	}
	dirs, err := p.store.Directors(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("report: %w", err)
	}
	hist, err := p.histories(ctx, dirs, time.Time{})
	if err != nil {
		return Report{}, fmt.Errorf("report: %w", err)
	}
	ps, err := p.store.ListPaths(ctx, "")
	if err != nil {
		return Report{}, fmt.Errorf("report: %w", err)
	}
	cs, err := p.store.ListCheckIns(ctx, Pair{})
	if err != nil {
		return Report{}, fmt.Errorf("report: %w", err)
	}
	now := p.clock.Now()
	r := BuildReport(dirs, hist, now)
	r.Paths = CountPaths(dirs, ps, now)
	r.CheckIns = CountCheckIns(cs, MonthOf(DateOf(now.In(p.Location(ctx, actor)))))
	return r, nil
}

// histories loads every director's occurrences due at or after since.
func (p *Portal) histories(ctx context.Context, dirs []Director, since time.Time) (map[UserID][]Occurrence, error) {
	out := make(map[UserID][]Occurrence, len(dirs))
	for _, d := range dirs {
		occs, err := p.store.History(ctx, d.ID, "", since)
		if err != nil {
			return nil, err
		}
		out[d.ID] = occs
	}
	return out, nil
}
