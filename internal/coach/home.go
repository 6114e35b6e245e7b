package coach

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// MaxNextPrompts is how many upcoming prompts the App Home lists.
const MaxNextPrompts = 5

// NextPrompt is one upcoming prompt.
type NextPrompt struct {
	Schedule ScheduleID
	Habit    Habit
	At       time.Time // in the director's zone
}

// Participation is the workspace at a glance for admins: this week's
// prompts sent and answered (Done or NotToday) per director.
type Participation struct {
	WeekStart time.Time // Monday 00:00 in the viewer's zone
	Directors int
	Active    int // directors who answered at least one prompt this week
	Sent      int
	Answered  int
	Rows      []ParticipationRow // every director, ordered by ID
}

// ParticipationRow is one director's week.
type ParticipationRow struct {
	Director       UserID
	Sent, Answered int
	OnLeave        bool
}

// Home is what the App Home shows one user.
type Home struct {
	User       UserID
	Now        time.Time // in the user's zone
	IsDirector bool
	Leave      *Period      // the leave period now running, in the user's zone
	Habits     []HabitStats // habits with history or a schedule, in Habits order
	Next       []NextPrompt // soonest first, at most MaxNextPrompts
	IsAdmin    bool
	IsLeader   bool           // a director names User as a Lean leader
	Week       *Participation // admins only
	Admins     AdminList      // whom to ask, for users who are no director
	// Paths are a director's delegation paths, one per Lean leader in the
	// order of their registration (a nil Path where none is set yet).
	Paths []PathView
	// PathCounts is what admins see of the paths: counts, never a text.
	PathCounts *PathCounts
	// CheckInCounts is what admins see of the Lean leaders' check-ins:
	// counts, never who answered what.
	CheckInCounts *CheckInCounts
	// Leader is a Lean leader's own part: their paths, check-ins and kudos.
	Leader *LeaderHome
}

// HomeInput is everything BuildHome needs; loading it is Portal.Home's job.
type HomeInput struct {
	User      UserID
	Now       time.Time
	Loc       *time.Location
	Director  *Director    // nil when User is no director
	History   []Occurrence // User's occurrences, any habit, any age
	Schedules []Schedule
	Rules     RuleParser // reads the schedules' rules; nil: no next prompts
	IsAdmin   bool
	IsLeader  bool
	Admins    AdminList
	Week      *Participation
	Paths     []Path      // a director's stored paths, any order
	Counts    *PathCounts // admins only
	// CheckIns and Comments are those of the director's pairs, any order:
	// the path cards show what their Lean leaders shared (WithVoices reads
	// the check-ins through CheckIn.Shared).
	CheckIns      []CheckIn
	Comments      []Comment
	CheckInCounts *CheckInCounts // admins only
	Leader        *LeaderHome    // Lean leaders only
}

// BuildHome computes the App Home. It is pure: same input, same Home.
func BuildHome(in HomeInput) Home {
	loc := in.Loc
	if loc == nil {
		loc = time.UTC
	}
	h := Home{User: in.User, Now: in.Now.In(loc), IsDirector: in.Director != nil, IsAdmin: in.IsAdmin,
		IsLeader: in.IsLeader, Week: in.Week, Admins: in.Admins, PathCounts: in.Counts, CheckInCounts: in.CheckInCounts,
		Leader: in.Leader}
	var leave []Period
	if in.Director != nil {
		h.Paths = WithVoices(PathViews(*in.Director, in.Paths, DateOf(h.Now), loc), in.CheckIns, in.Comments)
		leave = in.Director.Leave
		for _, p := range leave {
			if p.Contains(in.Now) {
				lp := Period{From: p.From.In(loc), Until: p.Until.In(loc)}
				h.Leave = &lp
			}
		}
	}
	habits := map[Habit]bool{}
	for _, o := range in.History {
		habits[o.Habit] = true
	}
	if in.Director != nil {
		for _, s := range in.Schedules {
			if !s.Targets(in.User) || s.Paused || s.Habit == CheckInHabit {
				continue // the check-in goes to the Lean leaders
			}
			habits[s.Habit] = true
			if at, ok := nextOutsideLeave(in.Rules, s.When, in.Now, loc, leave); ok {
				h.Next = append(h.Next, NextPrompt{Schedule: s.ID, Habit: s.Habit, At: at.In(loc)})
			}
		}
	}
	for _, hb := range Habits() {
		if habits[hb] {
			h.Habits = append(h.Habits, Stats(hb, in.History, leave, in.Now))
		}
	}
	slices.SortStableFunc(h.Next, func(a, b NextPrompt) int { return a.At.Compare(b.At) })
	if len(h.Next) > MaxNextPrompts {
		h.Next = h.Next[:MaxNextPrompts]
	}
	return h
}

// nextOutsideLeave returns the first send time of the rule when after now
// that is not in a leave period (no prompts go out on leave). A rule that
// does not parse has none.
func nextOutsideLeave(rules RuleParser, when string, now time.Time, loc *time.Location, leave []Period) (time.Time, bool) {
	if rules == nil {
		return time.Time{}, false
	}
	rule, err := rules.Parse(when)
	if err != nil {
		return time.Time{}, false
	}
	t := now
	// A year of daily prompts bounds the walk through a long leave.
	for range 400 {
		at := rule.Next(t, loc)
		if at.IsZero() || !at.After(t) {
			return time.Time{}, false
		}
		onLeave := false
		for _, p := range leave {
			if p.Contains(at) {
				onLeave = true
				break
			}
		}
		if !onLeave {
			return at, true
		}
		t = at
	}
	return time.Time{}, false
}

// WeekStart returns Monday 00:00 of t's ISO week, in loc.
func WeekStart(t time.Time, loc *time.Location) time.Time {
	lt := t.In(loc)
	back := (int(lt.Weekday()) + 6) % 7 // days since Monday
	return time.Date(lt.Year(), lt.Month(), lt.Day()-back, 0, 0, 0, 0, loc)
}

// ISOWeek names t's ISO week in loc, "2026-W48".
func ISOWeek(t time.Time, loc *time.Location) string {
	y, w := t.In(loc).ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// BuildParticipation counts, per director, the prompts due since weekStart
// (and by now) that were sent, and how many of them were answered.
func BuildParticipation(dirs []Director, hist map[UserID][]Occurrence, weekStart, now time.Time) Participation {
	p := Participation{WeekStart: weekStart, Directors: len(dirs)}
	for _, d := range dirs {
		row := ParticipationRow{Director: d.ID, OnLeave: d.OnLeave(now)}
		for _, o := range hist[d.ID] {
			if o.Due.Before(weekStart) || o.Due.After(now) || o.State != Sent {
				continue
			}
			row.Sent++
			if o.Answer != nil && (o.Answer.Outcome == Done || o.Answer.Outcome == NotToday) {
				row.Answered++
			}
		}
		p.Sent += row.Sent
		p.Answered += row.Answered
		if row.Answered > 0 {
			p.Active++
		}
		p.Rows = append(p.Rows, row)
	}
	return p
}

// Home loads and builds u's App Home. Anyone may open it; what they see
// depends on who they are.
func (p *Portal) Home(ctx context.Context, u UserID) (Home, error) {
	now := p.clock.Now()
	loc := p.Location(ctx, u)
	in := HomeInput{User: u, Now: now, Loc: loc, Rules: p.rules}
	d, isDir, err := p.director(ctx, u)
	if err != nil {
		return Home{}, fmt.Errorf("home %s: %w", u, err)
	}
	if isDir {
		in.Director = &d
	}
	if in.History, err = p.store.History(ctx, u, "", time.Time{}); err != nil {
		return Home{}, fmt.Errorf("home %s: %w", u, err)
	}
	if isDir {
		if in.Schedules, err = p.store.Schedules(ctx); err != nil {
			return Home{}, fmt.Errorf("home %s: %w", u, err)
		}
		if in.Paths, err = p.store.ListPaths(ctx, u); err != nil {
			return Home{}, fmt.Errorf("home %s: %w", u, err)
		}
		if in.CheckIns, err = p.store.ListCheckIns(ctx, Pair{Director: u}); err != nil {
			return Home{}, fmt.Errorf("home %s: %w", u, err)
		}
		if in.Comments, err = p.store.ListComments(ctx, Pair{Director: u}); err != nil {
			return Home{}, fmt.Errorf("home %s: %w", u, err)
		}
	}
	// A failed admin check shows the member's home: fail closed.
	rs, err := LoadRoles(ctx, p.store, p.access.IsAdmin, u)
	if err != nil {
		return Home{}, fmt.Errorf("home %s: %w", u, err)
	}
	in.IsAdmin, in.IsLeader = rs.Has(RoleAdmin), rs.Has(RoleLeader)
	if in.IsAdmin {
		dirs, err := p.store.Directors(ctx)
		if err != nil {
			return Home{}, fmt.Errorf("home %s: %w", u, err)
		}
		start := WeekStart(now, loc)
		hist, err := p.histories(ctx, dirs, start)
		if err != nil {
			return Home{}, fmt.Errorf("home %s: %w", u, err)
		}
		w := BuildParticipation(dirs, hist, start, now)
		in.Week = &w
		ps, err := p.store.ListPaths(ctx, "")
		if err != nil {
			return Home{}, fmt.Errorf("home %s: %w", u, err)
		}
		c := CountPaths(dirs, ps, now)
		in.Counts = &c
		cs, err := p.store.ListCheckIns(ctx, Pair{})
		if err != nil {
			return Home{}, fmt.Errorf("home %s: %w", u, err)
		}
		cc := CountCheckIns(cs, MonthOf(DateOf(now.In(loc))))
		in.CheckInCounts = &cc
	}
	if in.IsLeader {
		lh, err := loadLeaderHome(ctx, p.store, p.dir, p.tz, now, u)
		if err != nil {
			return Home{}, err
		}
		in.Leader = &lh
	}
	if !isDir {
		if in.Admins, err = p.access.Admins(ctx); err != nil {
			return Home{}, fmt.Errorf("home %s: %w", u, err)
		}
	}
	return BuildHome(in), nil
}
