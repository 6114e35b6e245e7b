package campaign_test

import (
	"context"
	"encoding/json"
	"flag"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
)

var (
	soakDuration = flag.Duration("soak.duration", 15*time.Second, "how long TestSoak runs (wall time); 1h for the recorded soak")
	soakSpeed    = flag.Float64("soak.speed", 240, "how much faster than the wall clock the bot's clock runs during the soak")
	soakOut      = flag.String("soak.out", "", "file to write the soak's figures to (JSON)")
	soakDirs     = flag.Int("soak.directors", 20, "directors in the soak's workspace")
	soakLog      = flag.String("soak.log", "", "file to copy the bot's log to at the end")
)

// SoakResult is what a soak run reports.
type SoakResult struct {
	Wall, Simulated       string
	Directors, Schedules  int
	Report                campaign.Report
	AnswerAcks            string
	Reconnects            int
	ReconnectP50          string
	ReconnectP99          string
	Disconnects, Drops    int
	Faults429, Faults5xx  int
	APICalls              int
	GoroutinesBefore      int
	GoroutinesAfter       int
	RSSBeforeKiB          int64
	RSSAfterKiB           int64
	RSSPeakKiB            int64
	DBBytes               int64
	LiveTokens            int
	UnansweredAfterRetrys int
}

// TestSoak (F1) runs the bot in process on a clock -soak.speed times faster
// than the wall clock for -soak.duration: 20 directors in three zones
// (Amsterdam and New York cross a DST change in the first days, Lord Howe
// its half-hour one), three schedules, directors answering every prompt,
// while Slack disconnects the socket or drops the TCP connection every
// 5–30 s and answers about 1% of Web API calls with a 429 and 1% with a
// 502 after processing. At the end the oracle checks I1–I6 over the whole
// history. CI runs it for 15 s; the recorded soak runs an hour:
//
//	go test -race -timeout=2h ./internal/campaign/ -run '^TestSoak$' -soak.duration=1h -soak.speed=480 -soak.directors=40
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak")
	}
	r := rng(t)
	start := time.Date(2026, 3, 26, 6, 0, 0, 0, time.UTC) // Europe springs forward on 29 March
	clock := campaign.NewClock(start, *soakSpeed)
	schedules := []coach.Schedule{
		{ID: "s1", Habit: coach.Gemba, When: "daily 09:00", ToAll: true},
		{ID: "s2", Habit: coach.Feedback, When: "weekdays 02:30", ToAll: true}, // in the spring-forward gap
		{ID: "s3", Habit: coach.Reflect, When: "weekly fri 16:00", ToAll: true},
	}
	habit := map[coach.ScheduleID]coach.Habit{}
	for _, s := range schedules {
		habit[s.ID] = s.Habit
	}
	directors := *soakDirs
	opts := slacksim.Options{}
	opts.BotToken, opts.AppToken = campaign.CanaryBotToken, campaign.CanaryAppToken
	sim := slacksim.New(opts)
	t.Cleanup(sim.Close)
	ws := campaign.NewWorkspace(sim, directors, "Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe")
	// The baseline: the local Slack running, the bot not yet.
	baseG := runtime.NumGoroutine()
	baseRSS := campaign.Self().RSS
	p := &inproc{sim: sim, ws: ws, dbPath: t.TempDir() + "/leancoach.db", log: &syncBuffer{}}
	if _, err := ws.Seed(context.Background(), p.dbPath, schedules...); err != nil {
		t.Fatal(err)
	}
	p.cfg = campaign.InProcConfig{Sim: sim, WS: ws, DBPath: p.dbPath, Log: p.log}
	withClock(clock)(&p.cfg)
	p.cfg.PingInterval = 10 * time.Second
	p.start(t)
	t.Cleanup(func() {
		if p.bot != nil {
			_ = p.bot.Stop()
		}
	})

	ctx, cancel := context.WithTimeout(context.Background(), *soakDuration)
	defer cancel()
	ans := &campaign.Answerer{Sim: sim, Habit: func(s coach.ScheduleID) coach.Habit { return habit[s] },
		DoneRatio: 0.85, Note: noteCanary, Think: 1500 * time.Millisecond, Rand: rand.New(rand.NewPCG(r.Uint64(), r.Uint64()))}
	var wg sync.WaitGroup
	wg.Go(func() { ans.Run(ctx) })
	var res SoakResult
	var peak int64
	wg.Go(func() { res.Disconnects, res.Drops, res.Faults429, res.Faults5xx, peak = chaos(ctx, sim, r) })
	<-ctx.Done()
	wg.Wait()
	// Faults and answers have stopped: let the sends in flight be marked
	// (or reconciled) before the bot stops, as the end of the history.
	p.waitNoSending(t, 30*time.Second)
	simulated := clock.Now().Sub(start)
	end := clock.Now()
	p.stop(t)
	after := campaign.Settle(waitCtx(t, 10*time.Second), campaign.Resources{Goroutines: baseG, FDs: -1}, campaign.Self)

	// Prompts due up to an hour (bot time) before the end must have gone;
	// later ones may still be on their way.
	cut := end.Add(-time.Hour)
	var due []campaign.Due
	for _, s := range schedules {
		owed, err := campaign.Owed(s, ws.Directors, ws.ZoneOf, start, cut)
		if err != nil {
			t.Fatal(err)
		}
		due = append(due, campaign.Dues(owed, cut, campaign.WantSent)...)
	}
	res.Report = p.check(t, campaign.Expect{Due: due, Interactions: ans.Interactions(), Now: end,
		Canaries: []string{noteCanary}, Resources: &campaign.Resources{Goroutines: baseG, FDs: -1}})
	if after.Goroutines > baseG+5 {
		t.Errorf("goroutines %d before the bot, %d after it stopped", baseG, after.Goroutines)
	}
	known := map[string]bool{"<#" + string(ws.Kudos) + ">": true}
	for _, u := range sim.Users() {
		known["<@"+u.ID+">"] = true
	}
	for _, o := range campaign.BotOutgoing(sim) {
		for _, bad := range campaign.LiveTokens(o, known) {
			res.LiveTokens++
			t.Errorf("outgoing: %s", bad)
		}
	}
	recs := campaign.Reconnects(sim.Events(), 0)
	var took []time.Duration
	for _, rc := range recs {
		took = append(took, rc.Took())
	}
	slices.Sort(took)
	res.Wall, res.Simulated = soakDuration.String(), simulated.Round(time.Minute).String()
	res.Directors, res.Schedules = directors, len(schedules)
	res.AnswerAcks = campaign.AckLatencies(ans.Samples()).String()
	res.Reconnects = len(recs)
	res.ReconnectP50 = campaign.Quantile(took, 0.5).Round(time.Millisecond).String()
	res.ReconnectP99 = campaign.Quantile(took, 0.99).Round(time.Millisecond).String()
	res.APICalls = len(sim.Calls())
	res.GoroutinesBefore, res.GoroutinesAfter = baseG, after.Goroutines
	res.RSSBeforeKiB, res.RSSAfterKiB, res.RSSPeakKiB = baseRSS>>10, after.RSS>>10, peak>>10
	if fi, err := os.Stat(p.dbPath); err == nil {
		res.DBBytes = fi.Size()
	}
	res.UnansweredAfterRetrys = ans.Failed()
	out, _ := json.MarshalIndent(res, "", "  ")
	t.Logf("SOAK RESULT %s", out)
	if *soakLog != "" {
		if err := os.WriteFile(*soakLog, p.log.Bytes(), 0o600); err != nil {
			t.Error(err)
		}
	}
	if *soakOut != "" {
		if err := os.WriteFile(*soakOut, out, 0o644); err != nil {
			t.Error(err)
		}
	}
}

// chaos disturbs the local Slack until ctx ends: a disconnect (a random
// reason) or a dropped TCP connection every 5–30 s, and for every 100 Web
// API calls one 429 and one 502-after-processing on a random method the
// bot uses. It returns what it did and the peak RSS it saw.
func chaos(ctx context.Context, sim *slacksim.Server, r *rand.Rand) (disconnects, drops, f429, f5xx int, peakRSS int64) {
	reasons := []string{"refresh_requested", "warning", "too_many_websockets", "link_disabled"}
	methods := []string{"chat.postMessage", "chat.update", "views.open", "conversations.history", "users.info"}
	next := time.Now().Add(time.Duration(5+r.IntN(25)) * time.Second)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	faulted := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		peakRSS = max(peakRSS, campaign.Self().RSS)
		if time.Now().After(next) {
			if r.IntN(3) == 0 {
				sim.DropConnections()
				drops++
			} else {
				sim.Disconnect(reasons[r.IntN(len(reasons))])
				disconnects++
			}
			next = time.Now().Add(time.Duration(5+r.IntN(25)) * time.Second)
		}
		for n := len(sim.Calls()); faulted+100 <= n; faulted += 100 {
			sim.FailNext(methods[r.IntN(len(methods))], 1, slacksim.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second})
			sim.FailNext(methods[r.IntN(len(methods))], 1, slacksim.Fault{Status: http.StatusBadGateway, AfterProcessing: true})
			f429++
			f5xx++
		}
	}
}

// waitNoSending waits until no occurrence in the running bot's database is
// still being sent.
func (p *inproc) waitNoSending(t *testing.T, d time.Duration) {
	t.Helper()
	deadline := waitCtx(t, d)
	tick := time.NewTicker(50 * time.Millisecond) // the store has no change feed: poll it
	defer tick.Stop()
	for {
		sending := 0
		ds, err := p.bot.DB.Directors(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, dir := range ds {
			occs, err := p.bot.DB.History(context.Background(), dir.ID, "", time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range occs {
				if o.State == coach.Sending {
					sending++
				}
			}
		}
		if sending == 0 {
			return
		}
		select {
		case <-tick.C:
		case <-deadline.Done():
			t.Errorf("%d prompts still being sent %v after the soak ended", sending, d)
			return
		}
	}
}
