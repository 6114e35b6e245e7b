package coach

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/leancoach/leancoach/internal/i18n"
)

// SchedulesConfig wires Schedules. Every field but DefaultTZ and Changed is
// required.
type SchedulesConfig struct {
	Store interface {
		ScheduleStore
		DirectorStore
		// Prefs says which Lean leaders turned the check-ins off.
		Prefs(ctx context.Context, id UserID) (Prefs, error)
	}
	IsAdmin   func(ctx context.Context, u UserID) (bool, error) // an error counts as "no"
	Audit     *AuditLog
	Directory Directory // directors' time zones
	Clock     Clock
	// Rules validates a <when> rule and reads stored ones.
	Rules RuleParser
	// DefaultTZ is for directors whose Slack profile has no zone; default UTC.
	DefaultTZ *time.Location
	// Changed, if set, is told after every change (the due-loop looks again).
	Changed func()
	// Budget is the weekly prompt budget (LEANCOACH_WEEKLY_BUDGET); Add
	// warns when a schedule takes a director over it. 0: no budget.
	Budget Budget
}

// Schedules holds the admin use cases of /coach schedule: add, list,
// remove, pause and resume. Like Service, a method that fails with anything
// but EINTERNAL has changed nothing.
type Schedules struct {
	c SchedulesConfig
}

// NewSchedules returns Schedules; it fails when a required field is missing.
func NewSchedules(c SchedulesConfig) (*Schedules, error) {
	switch {
	case c.Store == nil:
		return nil, fmt.Errorf("new schedules: no store")
	case c.IsAdmin == nil:
		return nil, fmt.Errorf("new schedules: no admin check")
	case c.Audit == nil:
		return nil, fmt.Errorf("new schedules: no audit log")
	case c.Directory == nil:
		return nil, fmt.Errorf("new schedules: no directory")
	case c.Clock == nil:
		return nil, fmt.Errorf("new schedules: no clock")
	case c.Rules == nil:
		return nil, fmt.Errorf("new schedules: no rule parser")
	}
	if c.DefaultTZ == nil {
		c.DefaultTZ = time.UTC
	}
	if c.Changed == nil {
		c.Changed = func() {}
	}
	return &Schedules{c: c}, nil
}

// PreviewTimes is how many upcoming send times a preview shows per director
// (per Lean leader for a check-in schedule),
// and PreviewDirectors for how many directors.
const (
	PreviewTimes     = 3
	PreviewDirectors = 5
)

// ScheduleInfo is a schedule with its upcoming send times.
type ScheduleInfo struct {
	Schedule Schedule
	Upcoming []Upcoming // per director, at most PreviewDirectors
	More     int        // directors not previewed
	// Over are the loads of the addressed directors whose schedules now
	// exceed the weekly budget (Add only), at most PreviewDirectors;
	// OverMore counts the others.
	Over     []Load
	OverMore int
	// CheckInBy is, for a check-in schedule that is not the one the
	// check-ins go on, the ID of the one they do go on (the first check-in
	// schedule not paused); Upcoming is then empty.
	CheckInBy ScheduleID
}

// Upcoming are one director's next send times, in their zone; for a
// check-in schedule, one Lean leader's, in the Lean leader's zone (the
// check-ins go in it), with Director "".
type Upcoming struct {
	Director UserID
	Leader   UserID      // a check-in schedule's: the Lean leader
	Times    []time.Time // in Loc
	Loc      *time.Location
}

// ScheduleRequest is a parsed "/coach schedule add".
type ScheduleRequest struct {
	Habit     Habit
	When      string
	ToAll     bool
	Directors []UserID
}

// ParseScheduleID reads a schedule ID as typed ("s3" or "3"). The ID is
// in its normal form (lower case, with its "s") even when ok is false, for
// a message to quote.
func ParseScheduleID(s string) (id ScheduleID, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		s = "s" + s
	}
	if len(s) < 2 || len(s) > 12 || s[0] != 's' || strings.Trim(s[1:], "0123456789") != "" {
		return ScheduleID(s), false
	}
	return ScheduleID(s), true
}

// admin refuses actor unless they are an admin; cmd names the command in
// the refusal ("schedule add").
func (s *Schedules) admin(ctx context.Context, actor UserID, cmd string) error {
	ok, err := s.c.IsAdmin(ctx, actor)
	if err != nil || !ok {
		return &Error{Code: EFORBIDDEN, Msg: i18n.M("svc.err.admin_only", cmd)}
	}
	return nil
}

// Add validates and stores a schedule and returns it with its next send
// times in each addressed director's zone.
func (s *Schedules) Add(ctx context.Context, actor UserID, req ScheduleRequest) (ScheduleInfo, error) {
	if err := s.admin(ctx, actor, "schedule add"); err != nil {
		return ScheduleInfo{}, err
	}
	rule, err := s.c.Rules.Parse(req.When)
	if err != nil {
		return ScheduleInfo{}, err
	}
	for _, d := range req.Directors {
		if _, err := s.c.Store.Director(ctx, d); err != nil {
			if ErrorCode(err) == ENOTFOUND {
				return ScheduleInfo{}, &Error{Code: EINVALID, Msg: i18n.M("sched.err.not_director", mention(d))}
			}
			return ScheduleInfo{}, fmt.Errorf("add schedule: %w", err)
		}
	}
	sc := Schedule{Habit: req.Habit, When: rule.String(), ToAll: req.ToAll, Directors: req.Directors,
		CreatedBy: actor, CreatedAt: s.c.Clock.Now().UTC()}
	id, err := s.c.Store.PutSchedule(ctx, sc)
	if err != nil {
		return ScheduleInfo{}, fmt.Errorf("add schedule: %w", err)
	}
	sc.ID = id
	s.c.Changed()
	info, err := s.info(ctx, sc)
	if err != nil {
		return ScheduleInfo{}, err
	}
	if info.Over, info.OverMore, err = s.overBudget(ctx, sc); err != nil {
		return ScheduleInfo{}, err
	}
	return info, s.c.Audit.Audit(ctx, actor, ActionScheduleAdd, string(id)+" "+string(sc.Habit)+" "+sc.When+" "+targetsDetail(sc))
}

// List returns every schedule with its upcoming send times.
func (s *Schedules) List(ctx context.Context, actor UserID) ([]ScheduleInfo, error) {
	if err := s.admin(ctx, actor, "schedule list"); err != nil {
		return nil, err
	}
	all, err := s.c.Store.Schedules(ctx)
	if err != nil {
		return nil, fmt.Errorf("list schedules: %w", err)
	}
	out := make([]ScheduleInfo, 0, len(all))
	for _, sc := range all {
		info, err := s.info(ctx, sc)
		if err != nil {
			return nil, err
		}
		out = append(out, info)
	}
	return out, nil
}

// Remove deletes a schedule: no prompt of it is sent after this returns.
func (s *Schedules) Remove(ctx context.Context, actor UserID, id ScheduleID) (Schedule, error) {
	if err := s.admin(ctx, actor, "schedule remove"); err != nil {
		return Schedule{}, err
	}
	sc, err := s.get(ctx, id)
	if err != nil {
		return Schedule{}, err
	}
	if err := s.c.Store.DeleteSchedule(ctx, id); err != nil {
		return Schedule{}, fmt.Errorf("remove schedule: %w", err)
	}
	s.c.Changed()
	return sc, s.c.Audit.Audit(ctx, actor, ActionScheduleRemove, string(id))
}

// SetPaused pauses or resumes a schedule.
func (s *Schedules) SetPaused(ctx context.Context, actor UserID, id ScheduleID, paused bool) (ScheduleInfo, error) {
	cmd := "schedule resume"
	if paused {
		cmd = "schedule pause"
	}
	if err := s.admin(ctx, actor, cmd); err != nil {
		return ScheduleInfo{}, err
	}
	sc, err := s.get(ctx, id)
	if err != nil {
		return ScheduleInfo{}, err
	}
	if sc.Paused == paused {
		key := "sched.err.already_running"
		if paused {
			key = "sched.err.already_paused"
		}
		return ScheduleInfo{}, &Error{Code: ECONFLICT, Msg: i18n.M(key, string(id))}
	}
	sc.Paused = paused
	if _, err := s.c.Store.PutSchedule(ctx, sc); err != nil {
		return ScheduleInfo{}, fmt.Errorf("pause schedule: %w", err)
	}
	s.c.Changed()
	info, err := s.info(ctx, sc)
	if err != nil {
		return ScheduleInfo{}, err
	}
	action := ActionScheduleResume
	if paused {
		action = ActionSchedulePause
	}
	return info, s.c.Audit.Audit(ctx, actor, action, string(id))
}

func (s *Schedules) get(ctx context.Context, id ScheduleID) (Schedule, error) {
	sc, err := s.c.Store.Schedule(ctx, id)
	if ErrorCode(err) == ENOTFOUND {
		return Schedule{}, &Error{Code: ENOTFOUND, Msg: i18n.M("sched.err.unknown_id", string(id))}
	}
	if err != nil {
		return Schedule{}, fmt.Errorf("read schedule %s: %w", id, err)
	}
	return sc, nil
}

// info previews sc's next send times for the directors it addresses.
func (s *Schedules) info(ctx context.Context, sc Schedule) (ScheduleInfo, error) {
	info := ScheduleInfo{Schedule: sc}
	if sc.Paused {
		return info, nil
	}
	rule, err := s.c.Rules.Parse(sc.When)
	if err != nil {
		return info, nil // a stored rule that no longer parses has no upcoming times
	}
	if sc.Habit == CheckInHabit {
		return s.checkInInfo(ctx, info, rule)
	}
	targets := sc.Directors
	if sc.ToAll {
		dirs, err := s.c.Store.Directors(ctx)
		if err != nil {
			return ScheduleInfo{}, fmt.Errorf("schedule preview: %w", err)
		}
		targets = nil
		for _, d := range dirs {
			targets = append(targets, d.ID)
		}
	}
	return s.preview(ctx, info, rule, targets, func(d UserID) Upcoming { return Upcoming{Director: d} }), nil
}

// preview adds to info the upcoming send times of the first
// PreviewDirectors of us, each in their own zone, and counts the others in
// More; of says whose they are.
func (s *Schedules) preview(ctx context.Context, info ScheduleInfo, rule Rule, us []UserID, of func(UserID) Upcoming) ScheduleInfo {
	if len(us) > PreviewDirectors {
		info.More = len(us) - PreviewDirectors
		us = us[:PreviewDirectors]
	}
	for _, u := range us {
		info.Upcoming = append(info.Upcoming, s.upcoming(ctx, rule, u, of(u)))
	}
	return info
}

// upcoming fills up with rule's next PreviewTimes send times in u's zone.
func (s *Schedules) upcoming(ctx context.Context, rule Rule, u UserID, up Upcoming) Upcoming {
	up.Loc = s.location(ctx, u)
	after := s.c.Clock.Now()
	for range PreviewTimes {
		t := rule.Next(after, up.Loc)
		if t.IsZero() {
			break
		}
		up.Times = append(up.Times, t.In(up.Loc))
		after = t
	}
	return up
}

// Loads returns every director's expected prompts a week under the
// schedules and the weekly budget, for /coach schedule list.
func (s *Schedules) Loads(ctx context.Context, actor UserID) ([]Load, error) {
	if err := s.admin(ctx, actor, "schedule list"); err != nil {
		return nil, err
	}
	return s.loads(ctx, func(Director) bool { return true })
}

// overBudget returns the loads over the budget of the directors sc
// addresses, at most PreviewDirectors, and how many more there are.
func (s *Schedules) overBudget(ctx context.Context, sc Schedule) ([]Load, int, error) {
	if s.c.Budget <= 0 || sc.Paused {
		return nil, 0, nil
	}
	loads, err := s.loads(ctx, func(d Director) bool { return sc.Targets(d.ID) })
	if err != nil {
		return nil, 0, err
	}
	var over []Load
	for _, l := range loads {
		if l.Over() {
			over = append(over, l)
		}
	}
	if len(over) > PreviewDirectors {
		return over[:PreviewDirectors], len(over) - PreviewDirectors, nil
	}
	return over, 0, nil
}

// loads computes the Load of each director that want holds, over the
// LoadWeeks weeks from next Monday in their zone.
func (s *Schedules) loads(ctx context.Context, want func(Director) bool) ([]Load, error) {
	dirs, err := s.c.Store.Directors(ctx)
	if err != nil {
		return nil, fmt.Errorf("weekly load: %w", err)
	}
	scheds, err := s.c.Store.Schedules(ctx)
	if err != nil {
		return nil, fmt.Errorf("weekly load: %w", err)
	}
	rules := make(map[ScheduleID]Rule, len(scheds))
	for _, sc := range scheds {
		if r, err := s.c.Rules.Parse(sc.When); err == nil {
			rules[sc.ID] = r
		}
	}
	now := s.c.Clock.Now()
	var out []Load
	for _, d := range dirs {
		if !want(d) {
			continue
		}
		loc := s.location(ctx, d.ID)
		start := WeekStart(now, loc).AddDate(0, 0, 7)
		end := start.AddDate(0, 0, 7*LoadWeeks)
		var owed []BudgetPrompt
		for _, sc := range scheds {
			if r, ok := rules[sc.ID]; ok && sc.Targets(d.ID) && sc.Habit != CheckInHabit { // the check-in is no prompt of theirs
				owed = append(owed, Owed(sc, d.ID, r, start, end, loc)...)
			}
		}
		l := s.c.Budget.Load(owed, d.Leave, loc, start, LoadWeeks)
		l.Director = d.ID
		out = append(out, l)
	}
	return out, nil
}

// location is u's zone: a director's, or a Lean leader's.
func (s *Schedules) location(ctx context.Context, d UserID) *time.Location {
	return LocationOf(ctx, s.c.Directory, d, s.c.DefaultTZ)
}

func targetsDetail(sc Schedule) string {
	if sc.ToAll {
		return "to=all"
	}
	ids := make([]string, len(sc.Directors))
	for i, d := range sc.Directors {
		ids[i] = string(d)
	}
	return "to=" + strings.Join(ids, ",")
}
