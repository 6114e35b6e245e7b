package schedule

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/wait"
)

// Defaults of Deps.
const (
	DefaultCatchUp = 3 * time.Hour
	DefaultWorkers = 8
	// DefaultTick caps every wait of the loop, so that a suspended machine, a
	// wall-clock step or a lost Poke is noticed within it.
	DefaultTick = 30 * time.Second
	// maxSleep is how soon a pass retries what it could not settle.
	maxSleep = 30 * time.Second
	// maxCatchUpSteps bounds how many past due dates of one pair are settled
	// per pass (after a long outage); the next pass goes on.
	maxCatchUpSteps = 64
)

// Deps are what the loop works with. Store, Poster and Zones are required.
type Deps struct {
	Store  Store
	Poster Poster
	// Zones returns a director's time zone: their Slack profile's tz, cached
	// and refreshed by the caller, falling back to LEANCOACH_TZ.
	Zones func(ctx context.Context, d coach.UserID) (*time.Location, error)
	// Warm, if set, is called by every pass with the directors it plans,
	// before it asks Zones: the caller fills its cache in bulk (a page of
	// users.list holds 200) rather than Zones asking Slack about each
	// director in turn. An error is logged; Zones has the last word.
	Warm    func(ctx context.Context, ds []coach.UserID) error
	Clock   coach.Clock // default time.Now
	Logger  zerolog.Logger
	Metrics Metrics       // nil: none
	CatchUp time.Duration // how late a prompt may still go after downtime; default 3h
	// Questions picks the question of a new question prompt, e.g.
	// coach.PickQuestion (nil: none; the prompt renderer then picks one,
	// see coach.EnsureQuestion). It is called once per occurrence.
	Questions func(ctx context.Context, d coach.UserID) (questionID string, err error)
	Workers   int           // prompts sent in parallel; default 8 (the Poster's rate limiter paces them)
	Tick      time.Duration // the longest the loop sleeps; default 30s
	// CrashPoint, when set, is called between the phases of a send (see the
	// Phase constants); tests use it to kill the process there.
	CrashPoint func(phase string)
	// Rules parses the schedules' rules once; the assembly shares it with
	// the domain. Nil: the loop keeps its own.
	Rules *Rules
	// Budget is the most scheduled prompts a director gets a week
	// (LEANCOACH_WEEKLY_BUDGET, see coach.Budget and budget.go); 0: no
	// budget, every prompt goes when due.
	Budget coach.Budget
	// CheckIns and CheckInPoster, both set, make the loop send the Lean
	// leaders' monthly check-ins (checkin.go) on CheckInWhen (default
	// coach.CheckInDefaultWhen), in each Lean leader's zone.
	CheckIns      CheckIns
	CheckInPoster CheckInPoster
	CheckInWhen   string
}

// Loop is the durable due-loop. Every (schedule, director) pair has a plan in
// the store: the nominal time of its next prompt. A pass settles every plan
// that is due (send, skip or record as missed) and then advances it; a plan is
// advanced only after its occurrence reached a final send state, so a crash at
// any point repeats the pass, and the occurrence key makes the repeat
// harmless.
type Loop struct {
	deps    Deps
	log     zerolog.Logger
	metrics Metrics
	poke    chan struct{}

	mu         sync.Mutex
	inFlight   map[coach.OccurrenceKey]bool // keys being sent by this process
	skewWarned time.Time                    // when noteSkew last warned (loop clock)

	// halted is closed, with haltErr set before, when Slack refused the
	// bot token (see halt.go).
	haltOnce sync.Once
	halted   chan struct{}
	haltErr  error
}

var _ coach.Prompter = (*Loop)(nil)

// New returns a loop; call Run to start it.
func New(deps Deps) *Loop {
	if deps.Clock == nil {
		deps.Clock = coach.ClockFunc(time.Now)
	}
	if deps.CatchUp <= 0 {
		deps.CatchUp = DefaultCatchUp
	}
	if deps.Workers <= 0 {
		deps.Workers = DefaultWorkers
	}
	if deps.Tick <= 0 {
		deps.Tick = DefaultTick
	}
	if deps.Rules == nil {
		deps.Rules = NewRules()
	}
	if deps.CheckInWhen == "" {
		deps.CheckInWhen = coach.CheckInDefaultWhen
	}
	m := deps.Metrics
	if m == nil {
		m = noMetrics{}
	}
	l := &Loop{
		deps:     deps,
		log:      deps.Logger.With().Str("component", "schedule").Logger(),
		metrics:  m,
		poke:     make(chan struct{}, 1),
		inFlight: map[coach.OccurrenceKey]bool{},
		halted:   make(chan struct{}),
	}
	l.deps.Poster = haltingPoster{Poster: deps.Poster, halt: l.halt}
	return l
}

// Poke makes the loop look again now, after a schedule or director change.
// It never blocks.
func (l *Loop) Poke() {
	select {
	case l.poke <- struct{}{}:
	default:
	}
}

// Run runs passes until ctx is done, waking at the earliest next due time,
// after at most Deps.Tick (30 s), and when poked. It returns nil when ctx is
// done. Once Slack refused the bot token it sends nothing more and only
// waits for ctx (see halt.go).
func (l *Loop) Run(ctx context.Context) error {
	l.recoverAdHoc(ctx)
	for {
		next, err := l.Pass(ctx)
		if l.isHalted() {
			<-ctx.Done()
			return nil
		}
		if err != nil && ctx.Err() == nil {
			l.log.Error().Err(err).Msg("due pass failed; retrying")
		}
		d := l.deps.Tick
		if !next.IsZero() {
			d = min(max(next.Sub(l.now()), 0), l.deps.Tick)
		}
		if _, err := wait.ForOr(ctx, d, l.poke); err != nil {
			return nil
		}
	}
}

func (l *Loop) now() time.Time { return l.deps.Clock.Now().UTC() }

// item is one due plan with what it needs to be settled.
type item struct {
	due   coach.Due
	sched coach.Schedule
	dir   coach.Director
	rule  Rule
	loc   *time.Location
	plans book // the pass's plans, for the weekly budget
}

// Pass brings every plan up to date with the schedules and directors, settles
// the due ones, sends due snooze reminders, and returns the earliest next due
// time (zero when nothing is planned). Run calls it; tests may call it
// directly. Once Slack refused the bot token it settles no more plans and
// returns the refusal.
func (l *Loop) Pass(ctx context.Context) (time.Time, error) {
	if l.isHalted() {
		return time.Time{}, l.haltErr
	}
	now := l.now()
	items, read, next, err := l.plan(ctx, now)
	if err != nil {
		return time.Time{}, err
	}
	jobs := make(chan item)
	results := make(chan settled)
	var wg sync.WaitGroup
	for range min(l.deps.Workers, max(len(items), 1)) {
		wg.Go(func() {
			for it := range jobs {
				results <- l.settle(ctx, it)
			}
		})
	}
	go func() {
		defer close(jobs)
		for _, it := range items {
			select {
			case jobs <- it:
			case <-ctx.Done():
				return
			case <-l.halted:
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	var b batch
	for r := range results {
		next = earliest(next, r.next)
		b.add(r)
		if len(b.plans) >= flushEvery {
			l.flush(ctx, &b)
		}
	}
	l.flush(ctx, &b)
	if l.isHalted() {
		return next, l.haltErr
	}
	snooze, err := l.remind(ctx, read.dirs)
	if err != nil && ctx.Err() == nil {
		l.log.Error().Err(err).Msg("reminder pass failed")
	}
	checkIns, err := l.checkInPass(ctx, l.now(), read.scheds, read.dues)
	if err != nil && ctx.Err() == nil {
		l.log.Error().Err(err).Msg("check-in pass failed")
		checkIns = l.now().Add(maxSleep)
	}
	return earliest(earliest(next, snooze), checkIns), ctx.Err()
}

// settled is what settling one due plan produced: its next due time, its
// advanced plan (nil when it did not move) and the sent prompts to watch for
// a snooze.
type settled struct {
	next    time.Time
	plan    *coach.Due
	watches []coach.Reminder
}

// batch gathers the writes of settled plans so that a morning's prompts cost
// two commits each (record, mark sent) instead of four.
type batch struct {
	plans   []coach.Due
	watches []coach.Reminder
}

func (b *batch) add(r settled) {
	if r.plan != nil {
		b.plans = append(b.plans, *r.plan)
	}
	b.watches = append(b.watches, r.watches...)
}

// flushEvery bounds how many settled plans wait for their advance: after a
// crash, those are replayed (cheaply: their keys exist).
const flushEvery = 256

// flush stores the watches, then the advanced plans. Until a plan is
// advanced its occurrences are replayed, and a replay of a sent prompt
// watches it again, so a crash between the two writes loses nothing. It runs
// even while shutting down, so that finished work is kept.
func (l *Loop) flush(ctx context.Context, b *batch) {
	ctx = context.WithoutCancel(ctx)
	if err := l.deps.Store.Watch(ctx, b.watches...); err != nil {
		l.log.Error().Err(err).Int("plans", len(b.plans)).Msg("store snooze watches failed; plans replay next pass")
	} else if err := l.deps.Store.PutDue(ctx, b.plans...); err != nil {
		l.log.Error().Err(err).Int("plans", len(b.plans)).Msg("advance plans failed; they replay next pass")
	}
	b.plans, b.watches = b.plans[:0], b.watches[:0]
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// passRead is what a pass's plan read: the directors by ID, the schedules
// and the due plans as they were before the pass settled any (the
// check-in pass, the only writer of the check-in plans, reads them there).
type passRead struct {
	dirs   map[coach.UserID]coach.Director
	scheds []coach.Schedule
	dues   []coach.Due
}

// plan reconciles the stored plans with the schedules and directors: a pair
// that appeared (a new schedule, a new director of a "to all" schedule) is
// planned from now; a pair whose rule or zone changed is replanned (see
// replan); a pair that is gone is dropped. It returns the due items, what
// it read, and the earliest time among the rest.
func (l *Loop) plan(ctx context.Context, now time.Time) ([]item, passRead, time.Time, error) {
	st := l.deps.Store
	scheds, err := st.Schedules(ctx)
	if err != nil {
		return nil, passRead{}, time.Time{}, fmt.Errorf("plan: %w", err)
	}
	dirs, err := st.Directors(ctx)
	if err != nil {
		return nil, passRead{}, time.Time{}, fmt.Errorf("plan: %w", err)
	}
	dues, err := st.Dues(ctx)
	if err != nil {
		return nil, passRead{}, time.Time{}, fmt.Errorf("plan: %w", err)
	}
	type pair struct {
		s coach.ScheduleID
		d coach.UserID
	}
	stored := make(map[pair]coach.Due, len(dues))
	for _, d := range dues {
		stored[pair{d.Schedule, d.Director}] = d
	}
	byID := make(map[coach.UserID]coach.Director, len(dirs))
	ids := make([]coach.UserID, 0, len(dirs))
	for _, d := range dirs {
		byID[d.ID] = d
		ids = append(ids, d.ID)
	}
	if l.deps.Warm != nil && len(scheds) > 0 {
		if err := l.deps.Warm(ctx, ids); err != nil && ctx.Err() == nil {
			l.log.Warn().Err(err).Msg("profiles not warmed; asking for zones one by one")
		}
	}
	zones := map[coach.UserID]*time.Location{}
	plans := book{}
	var items []item
	var changed []coach.Due
	var next time.Time
	for _, s := range scheds {
		if s.Habit == coach.CheckInHabit {
			continue // the Lean leaders' check-in (checkin.go): no director's prompt
		}
		rule, err := l.deps.Rules.Rule(s.When)
		if err != nil {
			l.log.Error().Str("schedule", string(s.ID)).Msg("schedule has an unreadable rule; skipping it")
			continue
		}
		for _, d := range dirs {
			if !s.Targets(d.ID) {
				continue
			}
			p := pair{s.ID, d.ID}
			old, had := stored[p]
			delete(stored, p)
			loc, ok := zones[d.ID]
			if !ok {
				if loc, err = l.deps.Zones(ctx, d.ID); err != nil || loc == nil {
					l.log.Warn().Err(err).Str("director", string(d.ID)).Msg("no time zone for director; trying again later")
					continue
				}
				zones[d.ID] = loc
			}
			due := old
			if !had || old.When != s.When || old.Zone != loc.String() {
				due = coach.Due{Schedule: s.ID, Director: d.ID, When: s.When, Zone: loc.String(),
					Next: replan(old, had, rule, loc, now), Held: old.Held, HeldAt: old.HeldAt, HeldDue: old.HeldDue}
				changed = append(changed, due)
			}
			plans[d.ID] = append(plans[d.ID], planned{due: due, sched: s, rule: rule})
			if w := wake(due); w.After(now) {
				next = earliest(next, w)
				continue
			}
			items = append(items, item{due: due, sched: s, dir: d, rule: rule, loc: loc, plans: plans})
		}
	}
	if err := st.PutDue(ctx, changed...); err != nil {
		return nil, passRead{}, time.Time{}, fmt.Errorf("plan: %w", err)
	}
	for p := range stored {
		if p.s == CheckInPlan {
			continue // the check-ins' own plans (checkin.go)
		}
		if err := st.DeleteDue(ctx, p.s, p.d); err != nil {
			return nil, passRead{}, time.Time{}, fmt.Errorf("plan: %w", err)
		}
	}
	return items, passRead{dirs: byID, scheds: scheds, dues: dues}, next, nil
}

// replan computes the next due time of a new or changed plan, from now.
// Policy for an edit (a new rule or a new zone): if the old plan still had
// today's prompt ahead and the new rule's time today has already passed, the
// prompt goes now, so an edit before today's time never loses today's prompt;
// it still goes only once, because today's occurrence key is the same
// whatever the time.
func replan(old coach.Due, had bool, rule Rule, loc *time.Location, now time.Time) time.Time {
	next := rule.Next(now, loc)
	if !had || !old.Next.After(now) || !sameDate(old.Next, now, loc) {
		return next
	}
	for t := rule.Next(now.Add(-48*time.Hour), loc); !t.IsZero() && !t.After(now); t = rule.Next(t, loc) {
		if sameDate(t, now, loc) {
			return now
		}
	}
	return next
}

func sameDate(a, b time.Time, loc *time.Location) bool {
	return localDate(a, loc) == localDate(b, loc)
}

func localDate(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.DateOnly) }

// settle handles one due plan, possibly several due dates of it after an
// outage. A plan advances only past dates whose occurrence is settled (sent,
// failed, missed or skipped); on an error it stays due and the next pass
// tries again.
func (l *Loop) settle(ctx context.Context, it item) settled {
	now := l.now()
	var r settled
	for range maxCatchUpSteps {
		if it.due.Next.After(now) || ctx.Err() != nil || l.isHalted() {
			break
		}
		next := it.due
		next.Next = it.rule.Next(it.due.Next, it.loc)
		watch, err := l.settleOne(ctx, it, &next)
		if err != nil {
			if l.isHalted() {
				r.next = now.Add(maxSleep)
				return r // logged once by halt
			}
			l.log.Error().Err(err).Str("schedule", string(it.sched.ID)).Str("director", string(it.dir.ID)).
				Msg("due prompt not settled; retrying")
			r.next = now.Add(maxSleep)
			return r
		}
		if watch != nil {
			r.watches = append(r.watches, *watch)
		}
		it.due = next
		r.plan = &next
	}
	if !l.settleHeld(ctx, &it, &r) {
		return r // the held prompt is weighed again next pass
	}
	r.next = wake(it.due)
	return r
}

// settleOne settles the plan's current due date and returns the prompt to
// watch for a snooze, if one was sent. next is the plan advanced past it;
// the weekly budget may make it hold the prompt.
func (l *Loop) settleOne(ctx context.Context, it item, next *coach.Due) (*coach.Reminder, error) {
	due := it.due.Next
	now := l.now()
	o := coach.Occurrence{
		Key:       coach.NewOccurrenceKey(it.sched.ID, it.dir.ID, localDate(due, it.loc)),
		Schedule:  it.sched.ID,
		Director:  it.dir.ID,
		Habit:     it.sched.Habit,
		LocalDate: localDate(due, it.loc),
		Due:       due,
	}
	switch {
	case it.dir.OnLeave(due) || it.sched.Paused:
		return nil, nil // no prompt and no record: leave and pauses neither count nor break
	case now.Sub(due) > l.deps.CatchUp:
		return nil, l.miss(ctx, o, *next)
	}
	if wanted, err := l.stillWanted(ctx, it, due); err != nil || !wanted {
		return nil, err // changed since the pass planned it: no prompt, no record
	}
	if held, err := l.overBudget(ctx, it, o, next); held || err != nil {
		return nil, err // held for next week (budget.go): recorded, not sent
	}
	if !l.claim(o.Key) {
		return nil, errBusy
	}
	got, err := l.deliver(ctx, o)
	l.release(o.Key)
	switch coach.ErrorCode(err) {
	case "", coach.ECONFLICT:
		// Sent now, or settled by an earlier pass whose advance was lost: a
		// sent one is watched (again; watching is idempotent).
	default:
		if got.State != coach.Failed {
			return nil, err // still Sending (unclear) or not recorded: retry
		}
	}
	return watchOf(got), nil
}

// stillWanted re-reads the plan's schedule and director right before a
// prompt is recorded: a pass plans from a snapshot, and a batch held back by
// Slack's rate limit can take minutes, during which an admin may delete or
// pause the schedule, remove the director, or the director may go on leave.
// Nothing is recorded or sent for a plan changed like that.
func (l *Loop) stillWanted(ctx context.Context, it item, due time.Time) (bool, error) {
	sc, err := l.deps.Store.Schedule(ctx, it.sched.ID)
	switch {
	case coach.ErrorCode(err) == coach.ENOTFOUND:
		return false, nil
	case err != nil:
		return false, err
	case sc.Paused || !sc.Targets(it.dir.ID):
		return false, nil
	}
	d, err := l.deps.Store.Director(ctx, it.dir.ID)
	switch {
	case coach.ErrorCode(err) == coach.ENOTFOUND:
		return false, nil
	case err != nil:
		return false, err
	}
	return !d.OnLeave(due), nil
}
