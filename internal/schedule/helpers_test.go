package schedule_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/schedule"
	"github.com/leancoach/leancoach/internal/store"
)

// posted is one message the fake Slack accepted.
type posted struct {
	Ref      string
	Director coach.UserID
	Channel  coach.ChannelID
	TS       string
	At       time.Time
}

// memPoster is an in-memory Slack for the loop: it keeps every message and
// can be told to fail calls. fail, when set, runs before each Post and
// decides: return (nil, false) to post normally, (err, true) to post and
// then fail (an unclear outcome after Slack processed it), (err, false) to
// fail without posting.
type memPoster struct {
	mu    sync.Mutex
	msgs  []posted
	seq   int
	fail  func(ref string, call int) (error, bool)
	calls map[string]int
	finds int
	now   func() time.Time // the loop's clock: Find compares with StartedAt
}

func newMemPoster(now func() time.Time) *memPoster {
	return &memPoster{calls: map[string]int{}, now: now}
}

func (p *memPoster) Post(_ context.Context, o coach.Occurrence, ref string) (coach.ChannelID, string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls[ref]++
	var err error
	post := true
	if p.fail != nil {
		var after bool
		if err, after = p.fail(ref, p.calls[ref]); err != nil && !after {
			post = false
		}
	}
	if !post {
		return "", "", err
	}
	p.seq++
	m := posted{Ref: ref, Director: o.Director, Channel: coach.ChannelID("D" + string(o.Director)[1:]),
		TS: fmt.Sprintf("%d.%06d", p.now().Unix(), p.seq), At: p.now()}
	p.msgs = append(p.msgs, m)
	if err != nil {
		return "", "", err
	}
	return m.Channel, m.TS, nil
}

func (p *memPoster) Find(_ context.Context, o coach.Occurrence, ref string, since time.Time) (coach.ChannelID, string, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finds++
	for _, m := range p.msgs {
		if m.Ref == ref && !m.At.Before(since) {
			return m.Channel, m.TS, true, nil
		}
	}
	return "", "", false, nil
}

func (p *memPoster) messages() []posted {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]posted(nil), p.msgs...)
}

// count returns how many messages carry ref.
func (p *memPoster) count(ref string) int {
	n := 0
	for _, m := range p.messages() {
		if m.Ref == ref {
			n++
		}
	}
	return n
}

// slackErr is a Slack error as the Poster reports it.
type slackErr struct {
	code      string
	permanent bool
}

func (e *slackErr) Error() string     { return "slack: " + e.code }
func (e *slackErr) Permanent() bool   { return e.permanent }
func (e *slackErr) ErrorCode() string { return e.code }

type rateErr struct{ wait time.Duration }

func (e *rateErr) Error() string             { return "slack: ratelimited" }
func (e *rateErr) RetryAfter() time.Duration { return e.wait }

// countMetrics counts what the loop reports.
type countMetrics struct {
	mu                        sync.Mutex
	due, sent, missed, failed int
	delays                    []time.Duration
	failReasons               []string
}

func (m *countMetrics) PromptDue()    { m.mu.Lock(); m.due++; m.mu.Unlock() }
func (m *countMetrics) PromptMissed() { m.mu.Lock(); m.missed++; m.mu.Unlock() }
func (m *countMetrics) PromptSent(d time.Duration) {
	m.mu.Lock()
	m.sent++
	m.delays = append(m.delays, d)
	m.mu.Unlock()
}
func (m *countMetrics) PromptFailed(reason string) {
	m.mu.Lock()
	m.failed++
	m.failReasons = append(m.failReasons, reason)
	m.mu.Unlock()
}
func (m *countMetrics) snapshot() (due, sent, missed, failed int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.due, m.sent, m.missed, m.failed
}

// env is a loop over a real store, an in-memory Slack and a clock that reads
// the bubble's fake time shifted to a chosen start.
type env struct {
	t       *testing.T
	db      *store.DB
	poster  *memPoster
	metrics *countMetrics
	offset  time.Duration

	mu    sync.Mutex // guards zones: the loop reads them while the test adds directors
	zones map[coach.UserID]*time.Location
}

func (e *env) zone(id coach.UserID) *time.Location {
	e.mu.Lock()
	defer e.mu.Unlock()
	if loc, ok := e.zones[id]; ok {
		return loc
	}
	return time.UTC
}

// newEnv must run inside a synctest bubble; the clock starts at start.
func newEnv(t *testing.T, start time.Time) *env {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "leancoach.db"), store.Options{SkipCheck: true})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	e := &env{t: t, db: db, metrics: &countMetrics{},
		zones: map[coach.UserID]*time.Location{}, offset: time.Until(start)}
	e.poster = newMemPoster(e.now)
	return e
}

func (e *env) now() time.Time { return time.Now().Add(e.offset).UTC() }

func (e *env) loop(mod ...func(*schedule.Deps)) *schedule.Loop {
	d := schedule.Deps{
		Store:  e.db,
		Poster: e.poster,
		Zones: func(_ context.Context, id coach.UserID) (*time.Location, error) {
			return e.zone(id), nil
		},
		Clock:   coach.ClockFunc(e.now),
		Logger:  zerolog.New(zerolog.NewTestWriter(e.t)).Level(zerolog.WarnLevel),
		Metrics: e.metrics,
	}
	for _, m := range mod {
		m(&d)
	}
	return schedule.New(d)
}

func (e *env) director(id coach.UserID, zone string, leave ...coach.Period) {
	e.t.Helper()
	loc := mustZone(e.t, zone)
	e.mu.Lock()
	e.zones[id] = loc
	e.mu.Unlock()
	if err := e.db.PutDirector(e.t.Context(), coach.Director{ID: id, Leaders: []coach.UserID{"U0LEADER"}, Leave: leave}); err != nil {
		e.t.Fatalf("PutDirector(%s): %v", id, err)
	}
}

func (e *env) schedule(s coach.Schedule) coach.ScheduleID {
	e.t.Helper()
	id, err := e.db.PutSchedule(e.t.Context(), s)
	if err != nil {
		e.t.Fatalf("PutSchedule(%v): %v", s, err)
	}
	return id
}

// run starts l.Run in the bubble and returns a stop func that waits for it.
func run(t *testing.T, l *schedule.Loop) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v, want nil after cancel", err)
		}
	}
}

// advance lets the bubble's fake time pass (no real waiting).
func advance(d time.Duration) { <-time.After(d) }

// occurrence reads an occurrence or fails the test.
func (e *env) occurrence(k coach.OccurrenceKey) coach.Occurrence {
	e.t.Helper()
	o, err := e.db.Occurrence(e.t.Context(), k)
	if err != nil {
		e.t.Fatalf("Occurrence(%s): %v", k, err)
	}
	return o
}

// expected lists the occurrence keys a schedule owes a director in
// [from, to), by the rule alone, skipping dates where skip is true.
func expected(t *testing.T, s coach.Schedule, d coach.UserID, loc *time.Location, from, to time.Time, skip func(time.Time) bool) map[string]time.Time {
	t.Helper()
	r := schedule.MustParseWhen(s.When)
	out := map[string]time.Time{}
	for at := r.Next(from, loc); !at.IsZero() && at.Before(to); at = r.Next(at, loc) {
		if skip != nil && skip(at) {
			continue
		}
		out[string(coach.NewOccurrenceKey(s.ID, d, at.In(loc).Format(time.DateOnly)))] = at
	}
	return out
}
