package campaign_test

import (
	"context"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// inZone starts the in-process bot for one director in zone with one
// schedule, the clock at from.
func inZone(t *testing.T, zone, when string, from time.Time) (*inproc, *campaign.Clock, coach.Schedule) {
	t.Helper()
	clock := campaign.NewClock(from, 1)
	sched := coach.Schedule{ID: "s1", Habit: coach.Gemba, When: when, ToAll: true}
	opts := slacksim.Options{}
	opts.BotToken, opts.AppToken = campaign.CanaryBotToken, campaign.CanaryAppToken
	sim := slacksim.New(opts)
	t.Cleanup(sim.Close)
	ws := campaign.NewWorkspace(sim, 1, zone)
	p := &inproc{sim: sim, ws: ws, dbPath: t.TempDir() + "/leancoach.db", log: &syncBuffer{}}
	if _, err := ws.Seed(context.Background(), p.dbPath, sched); err != nil {
		t.Fatal(err)
	}
	p.cfg = campaign.InProcConfig{Sim: sim, WS: ws, DBPath: p.dbPath, Log: p.log}
	withClock(clock)(&p.cfg)
	p.start(t)
	p.waitPlanned(t, 1) // planned before the clock hops
	t.Cleanup(func() {
		if p.bot != nil {
			_ = p.bot.Stop()
		}
		if t.Failed() {
			t.Logf("bot log (tail):\n%s", tailBytes(p.log.Bytes(), 4000))
		}
	})
	return p, clock, sched
}

func tailBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// hop moves the clock to each owed instant in turn (plus a second) and
// waits for the prompt's final state: the bot lives through the days as
// they come, the nights skipped.
func (p *inproc) hop(t *testing.T, clock *campaign.Clock, owed map[coach.OccurrenceKey]time.Time) {
	t.Helper()
	type due struct {
		k  coach.OccurrenceKey
		at time.Time
	}
	var order []due
	for k, at := range owed {
		order = append(order, due{k, at})
	}
	for i := range order {
		for j := i + 1; j < len(order); j++ {
			if order[j].at.Before(order[i].at) {
				order[i], order[j] = order[j], order[i]
			}
		}
	}
	for _, d := range order {
		clock.Set(d.at.Add(time.Second))
		p.bot.Loop.Poke()
		p.waitState(t, d.k, 20*time.Second)
	}
}

// B1, B2: the daylight-saving days of New York, Paris and Lord Howe (its
// shift is half an hour). A time in the spring-forward gap is sent once, at
// the transition; a time that occurs twice in the fall-back night is sent
// once. Every day around them gets exactly one prompt.
func TestDSTDays(t *testing.T) {
	tests := []struct {
		name, zone, when string
		day              string // the transition day, local
	}{
		{"new_york_spring_gap", "America/New_York", "daily 02:30", "2026-03-08"},
		{"paris_spring_gap", "Europe/Paris", "daily 02:30", "2026-03-29"},
		{"lord_howe_spring_gap", "Australia/Lord_Howe", "daily 02:15", "2026-10-04"},
		{"new_york_fall_twice", "America/New_York", "daily 01:30", "2026-11-01"},
		{"paris_fall_twice", "Europe/Paris", "daily 02:30", "2026-10-25"},
		{"lord_howe_fall_twice", "Australia/Lord_Howe", "daily 01:45", "2026-04-05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			loc, err := time.LoadLocation(tt.zone)
			if err != nil {
				t.Fatal(err)
			}
			day, _ := time.ParseInLocation(time.DateOnly, tt.day, loc)
			from, to := day.AddDate(0, 0, -2), day.AddDate(0, 0, 2)
			p, clock, sched := inZone(t, tt.zone, tt.when, from)
			owed, err := campaign.Owed(sched, p.ws.Directors, p.ws.ZoneOf, from, to)
			if err != nil {
				t.Fatal(err)
			}
			if len(owed) != 4 {
				t.Fatalf("rule owes %d prompts over 4 days, want 4", len(owed))
			}
			p.hop(t, clock, owed)
			transition := coach.NewOccurrenceKey("s1", p.ws.Directors[0], tt.day)
			o, _ := p.bot.DB.Occurrence(context.Background(), transition)
			rep := p.check(t, campaign.Expect{Due: campaign.Dues(owed, to, campaign.WantSent), StrictPrompts: true})
			if rep.PromptsSent != 4 || rep.PromptsDuplicated != 0 {
				t.Errorf("sent %d, duplicated %d over 4 days, want 4 and 0", rep.PromptsSent, rep.PromptsDuplicated)
			}
			t.Logf("FIGURE B1/B2 %s: %s prompt due %s local, sent %v after", tt.name, tt.day,
				o.Due.In(loc).Format("15:04 MST"), o.SentAt.Sub(o.Due).Round(time.Millisecond))
		})
	}
}

// B3: the bot is down over 09:00. Back within the 3 h catch-up window, the
// prompt goes late; back after it, the prompt is recorded missed and never
// sent, while a later one still inside the window goes.
func TestDowntimeCatchUp(t *testing.T) {
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	day := time.Date(2026, 12, 2, 0, 0, 0, 0, ams)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	tests := []struct {
		name      string
		schedules []coach.Schedule
		back      time.Time
		want      map[coach.ScheduleID]campaign.Want
	}{
		{"back_inside_window", []coach.Schedule{{ID: "s1", Habit: coach.Gemba, When: "daily 09:00", ToAll: true}},
			at(9, 10), map[coach.ScheduleID]campaign.Want{"s1": campaign.WantSent}},
		{"back_outside_window", []coach.Schedule{{ID: "s1", Habit: coach.Gemba, When: "daily 09:00", ToAll: true},
			{ID: "s2", Habit: coach.Feedback, When: "daily 12:30", ToAll: true}},
			at(13, 0), map[coach.ScheduleID]campaign.Want{"s1": campaign.WantMissed, "s2": campaign.WantSent}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := campaign.NewClock(at(8, 55), 1)
			p := newInProc(t, slacksim.Options{}, 3, tt.schedules, withClock(clock))
			p.waitPlanned(t, 3*len(tt.schedules)) // a bot that ran before the outage had its plans
			p.stop(t)                             // down from 08:55 …
			clock.Set(tt.back)
			p.start(t) // … until back
			var due []campaign.Due
			var keys []coach.OccurrenceKey
			for _, d := range p.ws.Directors {
				for _, s := range tt.schedules {
					k := coach.NewOccurrenceKey(s.ID, d, "2026-12-02")
					due = append(due, campaign.Due{Key: k, Want: tt.want[s.ID]})
					keys = append(keys, k)
				}
			}
			var delays []time.Duration
			for _, k := range keys {
				o := p.waitState(t, k, 20*time.Second)
				if o.State == coach.Sent {
					delays = append(delays, o.SentAt.Sub(o.Due).Round(time.Second))
				}
			}
			rep := p.check(t, campaign.Expect{Due: due, StrictPrompts: true})
			t.Logf("FIGURE B3 %s: sent %d, missed %d; catch-up delays %v", tt.name, rep.PromptsSent, rep.PromptsMissed, delays)
		})
	}
}

// B6: the bot restarts again and again while 09:00 passes for 30
// directors. Every director gets exactly one prompt.
func TestRestartsAroundDueTime(t *testing.T) {
	t.Parallel()
	r := rng(t)
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	due := time.Date(2026, 12, 3, 9, 0, 0, 0, ams)
	clock := campaign.NewClock(due.Add(-2*time.Second), 1)
	sched := coach.Schedule{ID: "s1", Habit: coach.Gemba, When: "daily 09:00", ToAll: true}
	// 15 restarts of two sockets each in a few seconds: far more
	// apps.connections.open than Slack's Tier 1 takes (the bot then waits
	// its Retry-After, up to a minute). This test is about the prompts.
	opts := slacksim.Options{RateLimits: slacksim.TierLimits().Without("apps.connections.open")}
	p := newInProc(t, opts, 30, []coach.Schedule{sched}, withClock(clock), func(c *campaign.InProcConfig) {
		c.Limits = nil // Slack's real pace: the morning takes seconds, so restarts land mid-send
	})
	p.waitPlanned(t, 30)
	clock.Set(due.Add(-time.Second))
	const restarts = 15
	for range restarts {
		pauseT(t, time.Duration(100+r.IntN(400))*time.Millisecond)
		p.stop(t)
		p.start(t)
	}
	var dues []campaign.Due
	for _, d := range p.ws.Directors {
		k := coach.NewOccurrenceKey("s1", d, "2026-12-03")
		dues = append(dues, campaign.Due{Key: k, Want: campaign.WantSent})
		p.waitState(t, k, 60*time.Second)
	}
	rep := p.check(t, campaign.Expect{Due: dues, StrictPrompts: true})
	t.Logf("FIGURE B6 %d restarts around 09:00: %s", restarts, rep)
}

// B7: an admin deletes a schedule while its morning batch is being sent.
// No send starts after the delete committed; what was sent is recorded.
func TestDeleteScheduleDuringSend(t *testing.T) {
	t.Parallel()
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	due := time.Date(2026, 12, 4, 9, 0, 0, 0, ams)
	clock := campaign.NewClock(due.Add(-time.Minute), 1)
	sched := coach.Schedule{ID: "s1", Habit: coach.Gemba, When: "daily 09:00", ToAll: true}
	p := newInProc(t, slacksim.Options{}, 30, []coach.Schedule{sched}, withClock(clock), func(c *campaign.InProcConfig) {
		l := bot.DefaultLimits()
		l[bot.LimitPost] = bot.Rate{PerSecond: 5, Burst: 1} // the batch takes 6 s
		c.Limits = l
	})
	p.waitPlanned(t, 30)
	clock.Set(due.Add(-100 * time.Millisecond))
	p.bot.Loop.Poke()
	if err := p.sim.WaitFor(waitCtx(t, 30*time.Second), func() bool { return len(p.sim.CallsTo("chat.postMessage")) >= 3 }); err != nil {
		t.Fatalf("batch never started: %v", err)
	}
	if err := p.bot.DB.DeleteSchedule(context.Background(), "s1"); err != nil {
		t.Fatal(err)
	}
	deleted := clock.Now()
	p.bot.Loop.Poke()
	pauseT(t, 8*time.Second) // what the batch would still send
	p.stop(t)
	ctx, cancel := campaign.Deadline(10 * time.Second)
	defer cancel()
	h, err := campaign.Collect(ctx, p.sim, p.dbPath, p.log.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var dues []campaign.Due
	startedAfter := 0
	for k, o := range h.Occurrences {
		if o.StartedAt.After(deleted) {
			startedAfter++
			t.Errorf("%s: send started at %v, after the delete at %v", k, o.StartedAt, deleted)
		}
		if o.State == coach.Sent {
			dues = append(dues, campaign.Due{Key: k, Want: campaign.WantSent})
		}
	}
	rep := campaign.Check(h, campaign.Expect{Due: dues, Canaries: []string{campaign.CanaryBotToken, campaign.CanaryAppToken}})
	if !rep.OK() {
		t.Errorf("oracle: %s", rep)
	}
	t.Logf("FIGURE B7 delete during a 30-prompt batch: %d sent, %d sends started after the delete (want 0); %s",
		rep.PromptsSent, startedAfter, rep)
}

// waitPlanned waits until the due-loop has stored n plans.
func (p *inproc) waitPlanned(t *testing.T, n int) {
	t.Helper()
	deadline := waitCtx(t, 10*time.Second)
	tick := time.NewTicker(10 * time.Millisecond) // the store has no change feed: poll it
	defer tick.Stop()
	for {
		if ds, err := p.bot.DB.Dues(context.Background()); err == nil && len(promptPlans(ds)) >= n {
			return
		}
		select {
		case <-tick.C:
		case <-deadline.Done():
			t.Fatalf("the due-loop never planned %d prompts", n)
		}
	}
}

// B4/B6 with the production binary: a schedule falls due for 30 directors
// (paced at 2 posts a second) and the bot is SIGKILLed every 0.3–1.5 s
// while it sends, then restarted. Every director gets exactly one prompt,
// each recorded sent: the sends cut short are reconciled through the key in
// the message metadata. (The schedule package's TestCrashMatrix kills at
// each phase of a send, 52 cycles, 400 with -long.)
func killRestartAroundDueTime(t *testing.T) {
	r := rng(t)
	const n = 30
	// A restart every 0.3–1.5 s opens more sockets than Slack's Tier 1 for
	// apps.connections.open takes; this test is about the prompts.
	rig := newRig(t, slacksim.Options{RateLimits: slacksim.TierLimits().Without("apps.connections.open")}, n, "UTC")
	rig.Bot.Env["LEANCOACH_POST_RATE"] = "2"
	// The next minute that leaves the bot time to start and plan.
	due := time.Now().UTC().Truncate(time.Minute).Add(time.Minute)
	if time.Until(due) < 15*time.Second {
		due = due.Add(time.Minute)
	}
	sched := coach.Schedule{ID: "s1", Habit: coach.Gemba, When: due.Format("daily 15:04"), ToAll: true}
	if _, err := rig.WS.Seed(waitCtx(t, 10*time.Second), rig.DBPath, sched); err != nil {
		t.Fatal(err)
	}
	startRig(t, rig)
	if err := rig.Sim.WaitFor(waitCtx(t, 2*time.Minute), func() bool { return len(rig.Sim.CallsTo("chat.postMessage")) > 0 }); err != nil {
		t.Fatalf("no prompt went out at %v: %v", due, err)
	}
	keys := make([]coach.OccurrenceKey, n)
	for i, d := range rig.WS.Directors {
		keys[i] = coach.NewOccurrenceKey("s1", d, due.Format(time.DateOnly))
	}
	sent := func() int {
		got := map[string]bool{}
		for _, ch := range rig.Sim.Channels() {
			for _, m := range rig.Sim.Messages(ch.ID) {
				got[campaign.RefOf(m)] = true
			}
		}
		c := 0
		for _, k := range keys {
			if got[string(k)] {
				c++
			}
		}
		return c
	}
	kills := 0
	for sent() < n && kills < 12 {
		pauseT(t, time.Duration(300+r.IntN(1200))*time.Millisecond)
		rig.Bot.Kill()
		kills++
		startRig(t, rig)
	}
	if err := rig.Sim.WaitFor(waitCtx(t, time.Minute), func() bool { return sent() == n }); err != nil {
		t.Fatalf("only %d of %d prompts arrived after %d kills", sent(), n, kills)
	}
	pauseT(t, 2*time.Second) // the last marks
	stopRig(t, rig, 10*time.Second)
	rep := check(t, rig, campaign.Expect{Due: campaign.DuesOf(keys, campaign.WantSent), StrictPrompts: true})
	t.Logf("FIGURE B4/B6 production binary SIGKILLed %d times while sending %d prompts: %s; reconciling history calls %d",
		kills, n, rep, len(rig.Sim.CallsTo("conversations.history")))
}
