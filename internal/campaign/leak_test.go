package campaign_test

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// I5 in process: the bot's parts (Socket Mode app, due-loop, store, HTTP
// client) started, used (prompts, clicks, a disconnect) and stopped five
// times leave no goroutine behind (goleak, against the goroutines that ran
// before the first start).
func TestNoGoroutineLeakAcrossRestarts(t *testing.T) {
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	due := time.Date(2026, 12, 9, 9, 0, 0, 0, ams)
	clock := campaign.NewClock(due.Add(-time.Second), 1)
	sched := coach.Schedule{ID: "s1", Habit: coach.Gemba, When: "daily 09:00", ToAll: true}
	// Five restarts and refreshes of two sockets in seconds: more
	// apps.connections.open than Slack's Tier 1 takes. This test is about
	// goroutines.
	opts := slacksim.Options{RateLimits: slacksim.TierLimits().Without("apps.connections.open")}
	opts.BotToken, opts.AppToken = campaign.CanaryBotToken, campaign.CanaryAppToken
	sim := slacksim.New(opts)
	t.Cleanup(sim.Close)
	ws := campaign.NewWorkspace(sim, 3)
	p := &inproc{sim: sim, ws: ws, dbPath: t.TempDir() + "/leancoach.db", log: &syncBuffer{}}
	if _, err := ws.Seed(context.Background(), p.dbPath, sched); err != nil {
		t.Fatal(err)
	}
	p.cfg = campaign.InProcConfig{Sim: sim, WS: ws, DBPath: p.dbPath, Log: p.log}
	withClock(clock)(&p.cfg)
	base := goleak.IgnoreCurrent()
	for day := range 5 {
		p.start(t)
		p.waitPlanned(t, 3)
		at := due.AddDate(0, 0, day)
		clock.Set(at.Add(time.Second))
		p.bot.Loop.Poke()
		for _, d := range ws.Directors {
			k := coach.NewOccurrenceKey("s1", d, at.Format(time.DateOnly))
			o := p.waitState(t, k, 20*time.Second)
			m, ok := sim.Message(string(o.Channel), o.TS)
			if !ok {
				t.Fatalf("%s: no message", k)
			}
			if _, err := sim.As(string(d)).Click(waitCtx(t, 10*time.Second), m, bot.ActionNotToday); err != nil {
				t.Fatalf("%s: click: %v", k, err)
			}
		}
		sim.Disconnect("refresh_requested")
		if err := sim.WaitConnected(waitCtx(t, 10*time.Second)); err != nil {
			t.Fatal(err)
		}
		p.stop(t)
		// The local Slack's side of the closed socket and HTTP
		// connections goes away on its own schedule: goleak retries.
		if err := goleak.Find(base); err != nil {
			t.Fatalf("after restart %d: %v", day+1, err)
		}
	}
	p.check(t, campaign.Expect{})
}
