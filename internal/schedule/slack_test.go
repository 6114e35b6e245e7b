package schedule_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/schedule"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

// These tests send through the real Poster to slacksim over loopback, in
// real time (an HTTP client's idle connections keep a synctest bubble from
// ever being idle, so its fake clock would never move).

// shiftClock runs at real speed from a time the test sets: Now is the real
// time plus an offset. Tests only move it forward.
type shiftClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func newShiftClock(start time.Time) *shiftClock { return &shiftClock{offset: time.Until(start)} }

func (c *shiftClock) Now() time.Time { return time.Now().Add(c.Offset()) }

func (c *shiftClock) Offset() time.Duration { c.mu.Lock(); defer c.mu.Unlock(); return c.offset }

// Set moves the clock to t; it must not move it back.
func (c *shiftClock) Set(t time.Time) { c.mu.Lock(); c.offset = time.Until(t); c.mu.Unlock() }

// shiftedPoster is the real Poster under a shifted clock: slacksim stamps
// messages with the real time, so Find's since (from the loop's clock) is
// moved back by the clock's offset. The offset only grows, so the window
// only widens.
type shiftedPoster struct {
	*slackapp.Poster
	offset func() time.Duration
}

func (p shiftedPoster) Find(ctx context.Context, o coach.Occurrence, ref string, since time.Time) (coach.ChannelID, string, bool, error) {
	return p.Poster.Find(ctx, o, ref, since.Add(-p.offset()))
}

func simRender(_ context.Context, o coach.Occurrence) (string, []slack.Block, error) {
	return "Prompt " + string(o.Habit), nil, nil
}

// refsIn counts the bot's messages per metadata ref in the DMs of users.
func refsIn(t testing.TB, sim *slacksim.Server, users []coach.UserID) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, u := range users {
		ch := sim.DMChannel(string(u))
		if ch == "" {
			continue
		}
		for _, m := range sim.Messages(ch) {
			var meta slack.SlackMetadata
			if len(m.Metadata) == 0 || json.Unmarshal(m.Metadata, &meta) != nil || meta.EventType != slackapp.MetadataEventType {
				continue
			}
			ref, _ := meta.EventPayload["occ"].(string)
			out[ref]++
		}
	}
	return out
}

type simEnv struct {
	sim   *slacksim.Server
	db    *store.DB
	clock *shiftClock
	dirs  []coach.UserID
	sched coach.ScheduleID
}

// newSimEnv starts slacksim with n directors and a daily 09:00 UTC schedule
// for all of them; the clock stands at 08:00 on 2026-12-07.
func newSimEnv(t testing.TB, n int, opts slacksim.Options) *simEnv {
	t.Helper()
	sim := slacksim.New(opts)
	t.Cleanup(sim.Close)
	db, err := store.Open(filepath.Join(t.TempDir(), "leancoach.db"), store.Options{SkipCheck: true})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	e := &simEnv{sim: sim, db: db, clock: newShiftClock(time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC))}
	ctx := context.Background()
	for i := range n {
		id := coach.UserID(fmt.Sprintf("U%05dD", i))
		sim.AddUser(slacksim.User{ID: string(id), Name: fmt.Sprintf("dir%d", i), TZ: "UTC"})
		if err := db.PutDirector(ctx, coach.Director{ID: id, Leaders: []coach.UserID{"U0LEADER"}}); err != nil {
			t.Fatal(err)
		}
		e.dirs = append(e.dirs, id)
	}
	if e.sched, err = db.PutSchedule(ctx, coach.Schedule{Habit: coach.Standup, When: "daily 09:00", ToAll: true}); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *simEnv) loop(t testing.TB, limits map[string]slackio.Rate, timeout time.Duration, mod ...func(*schedule.Deps)) *schedule.Loop {
	api := slack.New(e.sim.BotToken(), slack.OptionAPIURL(e.sim.APIURL()))
	p := slackapp.NewPoster(api, simRender, slackapp.PosterOptions{Limits: limits, Timeout: timeout})
	d := schedule.Deps{
		Store:  e.db,
		Poster: shiftedPoster{p, e.clock.Offset},
		Zones:  func(context.Context, coach.UserID) (*time.Location, error) { return time.UTC, nil },
		Clock:  e.clock,
		Logger: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel),
	}
	for _, m := range mod {
		m(&d)
	}
	return schedule.New(d)
}

func fastLimits() map[string]slackio.Rate {
	return map[string]slackio.Rate{slackio.LimitPost: {PerSecond: 500, Burst: 50}}
}

// TestSlackFaults sends one morning's prompts to 12 directors through
// slacksim while it answers 429s, 5xx after posting, 5xx before posting and
// hangs: every director gets exactly one message.
func TestSlackFaults(t *testing.T) {
	e := newSimEnv(t, 12, slacksim.Options{})
	l := e.loop(t, fastLimits(), 500*time.Millisecond)
	ctx := t.Context()
	if _, err := l.Pass(ctx); err != nil { // plans for 09:00
		t.Fatal(err)
	}
	e.sim.FailNext("chat.postMessage", 2, slacksim.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second})
	e.sim.FailNext("chat.postMessage", 2, slacksim.Fault{Status: http.StatusBadGateway, AfterProcessing: true})
	e.sim.FailNext("chat.postMessage", 1, slacksim.Fault{Status: http.StatusInternalServerError})
	e.sim.FailNext("chat.postMessage", 1, slacksim.Fault{Hang: true})
	e.sim.FailNext("conversations.history", 1, slacksim.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second})
	e.clock.Set(time.Date(2026, 12, 7, 9, 0, 5, 0, time.UTC))
	deadline := time.Now().Add(time.Minute)
	for {
		if _, err := l.Pass(ctx); err != nil {
			t.Fatal(err)
		}
		refs := refsIn(t, e.sim, e.dirs)
		settled := 0
		for _, d := range e.dirs {
			k := coach.NewOccurrenceKey(e.sched, d, "2026-12-07")
			if n := refs[string(k)]; n > 1 {
				t.Fatalf("%s posted %d times, want once", k, n)
			}
			if o, err := e.db.Occurrence(ctx, k); err == nil && o.State == coach.Sent && refs[string(k)] == 1 {
				settled++
			}
		}
		if settled == len(e.dirs) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a minute %d of %d prompts settled", settled, len(e.dirs))
		}
		e.clock.Set(e.clock.Now().Add(30 * time.Second))
	}
	if n := len(e.sim.CallsTo("conversations.history")); n == 0 {
		t.Error("no reconciliation happened; the faults did not bite")
	}
}

// TestSlackPermanent: a director who left (deleted in Slack) gets a Failed
// record with the reason, no retries, and the others get their prompt.
func TestSlackPermanent(t *testing.T) {
	e := newSimEnv(t, 3, slacksim.Options{})
	e.sim.AddUser(slacksim.User{ID: string(e.dirs[1]), Deleted: true})
	l := e.loop(t, fastLimits(), time.Second)
	ctx := t.Context()
	if _, err := l.Pass(ctx); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2026, 12, 7, 9, 0, 5, 0, time.UTC))
	for range 3 {
		if _, err := l.Pass(ctx); err != nil {
			t.Fatal(err)
		}
	}
	o, err := e.db.Occurrence(ctx, coach.NewOccurrenceKey(e.sched, e.dirs[1], "2026-12-07"))
	if err != nil || o.State != coach.Failed || o.FailReason != "user_disabled" {
		t.Errorf("deleted director's occurrence = %s %q, %v; want failed user_disabled", o.State, o.FailReason, err)
	}
	posts := 0
	for _, c := range e.sim.CallsTo("chat.postMessage") {
		if c.Error == "user_disabled" {
			posts++
		}
	}
	if posts != 1 {
		t.Errorf("posts to the deleted director = %d, want 1 (no retries)", posts)
	}
	refs := refsIn(t, e.sim, e.dirs)
	for _, d := range []coach.UserID{e.dirs[0], e.dirs[2]} {
		if n := refs[string(coach.NewOccurrenceKey(e.sched, d, "2026-12-07"))]; n != 1 {
			t.Errorf("%s got %d prompts, want 1", d, n)
		}
	}
}
