package campaign_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/wait"
)

var (
	soakBinDuration = flag.Duration("soakbin.duration", 0, "how long TestSoakBinary runs the production binary (wall time); 0 skips it; 30m for the recorded run")
	soakBinDirs     = flag.Int("soakbin.directors", 40, "directors in TestSoakBinary's workspace")
	soakBinPerMin   = flag.Int("soakbin.perminute", 4, "prompts falling due every minute in TestSoakBinary")
	soakBinEvery    = flag.Duration("soakbin.sample", 30*time.Second, "how often TestSoakBinary samples the bot's RSS, goroutines and fds")
	soakBinWarmup   = flag.Duration("soakbin.warmup", 5*time.Minute, "TestSoakBinary's warm-up before its baseline and RSS slope (at most a quarter of the run)")
	soakBinSlopeMin = flag.Duration("soakbin.slopewindow", time.Hour, "shortest window after the warm-up over which TestSoakBinary asserts the RSS slope (< 10 %/day); shorter runs only report it")
	soakBinOut      = flag.String("soakbin.out", "", "file to write TestSoakBinary's figures and samples to (JSON)")
	soakBinLog      = flag.String("soakbin.log", "", "file to copy TestSoakBinary's bot log to at the end")
)

// maxRSSPerDay is F1's bound on the bot's resident memory growth.
const maxRSSPerDay = 10.0 // percent

// binSample is one reading of the bot process during the soak.
type binSample struct {
	AtSec      float64 // since the bot started
	VmRSSKiB   int64   // /proc/<pid>/status
	MetricKiB  int64   // process_resident_memory_bytes from its /metrics
	Goroutines int     // go_goroutines
	FDs        int     // process_open_fds
	HeapKiB    int64   // go_memstats_heap_alloc_bytes: live and not yet collected objects
	DBBytes    int64
}

func (s binSample) String() string {
	return fmt.Sprintf("t=%5.0fs rss=%d KiB (metric %d KiB) heap=%d KiB goroutines=%d fds=%d db=%d B",
		s.AtSec, s.VmRSSKiB, s.MetricKiB, s.HeapKiB, s.Goroutines, s.FDs, s.DBBytes)
}

// SoakBinaryResult is what TestSoakBinary reports.
type SoakBinaryResult struct {
	Wall                    string
	Directors, Schedules    int
	PromptsPerMinute        int
	Report                  campaign.Report
	Answers                 int
	UnansweredAfterRetries  int
	AnswerAcks              string
	PromptDelay             string // after due, from the bot's "prompt sent" lines
	Commands, CommandsAcked int
	HomeOpens               int
	Reconnects              int
	Disconnects, Drops      int
	Faults429, Faults5xx    int
	APICalls                int
	Warmup                  string
	RSSStartKiB             int64
	RSSWarmKiB              int64
	RSSEndKiB               int64
	RSSPeakKiB              int64
	RSSSlopePerHour         float64 // percent of the warm-up RSS, least squares over the samples after the warm-up
	RSSSlopePerDay          float64
	GoroutinesStart         int
	GoroutinesWarm          int
	GoroutinesEnd           int
	FDsStart, FDsWarm       int
	FDsEnd                  int
	GoroutinesRange         [2]int // min and max over the samples after the warm-up
	FDsRange                [2]int
	DBBytesSeeded           int64
	DBBytesEnd              int64
	LiveTokens              int
	Samples                 []binSample
}

// TestSoakBinary (F1, the production binary's memory) runs cmd/bot as it
// ships (built without -race) against the local Slack in real time for
// -soakbin.duration: directors in five zones, one schedule per minute of
// the run each owing -soakbin.perminute of them a prompt (a schedule fires
// once per local day, so the minutes are spread over schedules; runs past a
// day reuse them), the answerer clicking or submitting the modal on every
// prompt, directors typing /coach commands and opening App Home, Slack
// disconnecting the socket or dropping TCP every 1–3 min and answering 1%
// of Web API calls with a 429 and 1% with a 502 after processing. Every
// -soakbin.sample it reads the bot process's VmRSS and its own /metrics
// (goroutines, open fds). At the end the goroutines and fds must be back
// within a small margin of the warm-up baseline and I1–I6 must hold; the
// RSS slope after the warm-up is reported as %/h and %/day, and asserted
// below 10 %/day when the window after the warm-up is at least
// -soakbin.slopewindow. The test process's own memory (the local Slack's
// event log) does not count: only the bot's process is measured.
//
//	go test -v -timeout=1h ./internal/campaign/ -run '^TestSoakBinary$' -soakbin.duration=30m
func TestSoakBinary(t *testing.T) {
	run := *soakBinDuration
	if run <= 0 {
		t.Skip("soak of the production binary: enable with -soakbin.duration (e.g. -soakbin.duration=30m; 2m for a quick check)")
	}
	r := rng(t)
	warm := min(*soakBinWarmup, run/4)
	rig := campaign.NewRig(prodBinary(t), t.TempDir(), slacksim.Options{}, *soakBinDirs,
		"Europe/Amsterdam", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Asia/Kathmandu")
	t.Cleanup(func() {
		rig.Close()
		if t.Failed() {
			t.Logf("bot log (tail):\n%s", tailBytes(rig.Bot.Logs(), 6000))
		}
	})
	addr, err := campaign.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	rig.Bot.Env["LEANCOACH_HTTP_ADDR"] = addr

	began := time.Now()
	first := began.Add(90 * time.Second).Truncate(time.Minute) // ≥ 30 s away: after the bot is up
	slots := min(24*60, int(run/time.Minute)+3)
	schedules := soakSchedules(rig.WS, first, slots, *soakBinPerMin)
	ids, err := rig.WS.Seed(waitCtx(t, time.Minute), rig.DBPath, schedules...)
	if err != nil {
		t.Fatal(err)
	}
	habit := map[coach.ScheduleID]coach.Habit{}
	for i, id := range ids {
		schedules[i].ID = id
		habit[id] = schedules[i].Habit
	}
	var res SoakBinaryResult
	res.DBBytesSeeded = fileSize(rig.DBPath)
	startRig(t, rig)
	started := time.Now()
	pid := rig.Bot.Pid()
	t.Logf("bot pid %d, metrics on %s, %d schedules from %s, warm-up %v", pid, addr, len(schedules), first.Format(time.TimeOnly), warm)

	smp := &binSampler{pid: pid, addr: addr, db: rig.DBPath, started: started}
	sctx, stopSampling := context.WithCancel(context.Background())
	var swg sync.WaitGroup
	swg.Go(func() { smp.run(sctx, t, *soakBinEvery) })
	defer func() { stopSampling(); swg.Wait() }()

	ctx, cancel := context.WithTimeout(context.Background(), run)
	defer cancel()
	ans := &campaign.Answerer{Sim: rig.Sim, Habit: func(s coach.ScheduleID) coach.Habit { return habit[s] },
		DoneRatio: 0.85, Note: noteCanary, Think: 20 * time.Second, Rand: rand.New(rand.NewPCG(r.Uint64(), r.Uint64()))}
	users := &binUsers{rig: rig, r: rand.New(rand.NewPCG(r.Uint64(), r.Uint64()))}
	chaosRand := rand.New(rand.NewPCG(r.Uint64(), r.Uint64()))
	// The directors answering stop later than the rest (below): an answer
	// cut off between its click and its modal would look like an acked
	// answer the bot lost.
	actx, stopAnswering := context.WithCancel(context.Background())
	defer stopAnswering()
	var awg sync.WaitGroup
	awg.Go(func() { ans.Run(actx) })
	var wg sync.WaitGroup
	wg.Go(func() { users.run(ctx) })
	wg.Go(func() {
		res.Disconnects, res.Drops, res.Faults429, res.Faults5xx = binChaos(ctx, rig.Sim, chaosRand)
	})
	select {
	case <-ctx.Done():
	case <-rig.Bot.Exited():
		cancel()
		wg.Wait()
		stopAnswering()
		awg.Wait()
		t.Fatalf("the bot exited %v into the soak", time.Since(started).Round(time.Second))
	}
	wg.Wait()
	rig.Sim.ClearFaults()

	// Stop between two minutes' prompts: every prompt due by then must have
	// been sent and answered, and none of the next minute's be in flight
	// when SIGTERM comes, so the history ends on settled records.
	cut := quietMoment(t)
	stopAnswering()
	awg.Wait()
	var due []campaign.Due
	var dueKeys []coach.OccurrenceKey
	for _, s := range schedules {
		owed, err := campaign.Owed(s, s.Directors, rig.WS.ZoneOf, began, cut)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range campaign.Dues(owed, cut, campaign.WantSent) {
			due = append(due, d)
			dueKeys = append(dueKeys, d.Key)
		}
	}
	waitSent(t, rig, dueKeys, time.Minute)
	if err := rig.WaitReplies(waitCtx(t, 30*time.Second), users.commands()); err != nil {
		t.Errorf("commands: %v", err)
	}
	base := smp.at(warm)
	baseline := campaign.Resources{Goroutines: base.Goroutines, FDs: base.FDs, RSS: -1}
	end := campaign.Settle(waitCtx(t, time.Minute), baseline, func() campaign.Resources {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		got, err := campaign.Scrape(sctx, addr)
		if err != nil {
			return campaign.Resources{Goroutines: 1 << 30, FDs: 1 << 30, RSS: -1}
		}
		return got
	})
	last := smp.sample(t)
	stopSampling()
	swg.Wait()
	if msg := baseline.Compare(end); msg != "" {
		t.Errorf("bot after the soak, against the warm-up baseline: %s", msg)
	}
	stopRig(t, rig, 10*time.Second)

	res.Report = check(t, rig, campaign.Expect{Due: due, Interactions: ans.Interactions(), Now: time.Now(),
		Canaries: []string{noteCanary}, Commands: users.commands()})
	known := map[string]bool{"<#" + string(rig.WS.Kudos) + ">": true}
	for _, u := range rig.Sim.Users() {
		known["<@"+u.ID+">"] = true
	}
	for _, o := range campaign.BotOutgoing(rig.Sim) {
		for _, bad := range campaign.LiveTokens(o, known) {
			res.LiveTokens++
			t.Errorf("outgoing: %s", bad)
		}
	}

	ss := smp.all()
	res.Wall, res.Warmup = run.String(), warm.String()
	res.Directors, res.Schedules, res.PromptsPerMinute = *soakBinDirs, len(schedules), *soakBinPerMin
	res.Answers, res.UnansweredAfterRetries = len(ans.Interactions()), ans.Failed()
	res.AnswerAcks = campaign.AckLatencies(ans.Samples()).String()
	res.PromptDelay = promptDelays(rig.Bot.Logs())
	res.Commands, res.CommandsAcked, res.HomeOpens = len(users.commands()), users.ackedCommands(rig.Sim), users.homeOpens()
	res.Reconnects = len(campaign.Reconnects(rig.Sim.Events(), 0))
	res.APICalls = len(rig.Sim.Calls())
	res.RSSStartKiB, res.RSSWarmKiB, res.RSSEndKiB = ss[0].VmRSSKiB, base.VmRSSKiB, last.VmRSSKiB
	for _, s := range ss {
		res.RSSPeakKiB = max(res.RSSPeakKiB, s.VmRSSKiB)
	}
	perHour, window := rssSlope(ss, warm)
	res.RSSSlopePerHour, res.RSSSlopePerDay = perHour, perHour*24
	res.GoroutinesStart, res.GoroutinesWarm, res.GoroutinesEnd = ss[0].Goroutines, base.Goroutines, end.Goroutines
	res.FDsStart, res.FDsWarm, res.FDsEnd = ss[0].FDs, base.FDs, end.FDs
	res.GoroutinesRange, res.FDsRange = [2]int{base.Goroutines, base.Goroutines}, [2]int{base.FDs, base.FDs}
	for _, s := range ss {
		if s.AtSec >= warm.Seconds() && s.Goroutines >= 0 && s.FDs >= 0 {
			res.GoroutinesRange = [2]int{min(res.GoroutinesRange[0], s.Goroutines), max(res.GoroutinesRange[1], s.Goroutines)}
			res.FDsRange = [2]int{min(res.FDsRange[0], s.FDs), max(res.FDsRange[1], s.FDs)}
		}
	}
	res.DBBytesEnd = fileSize(rig.DBPath)
	res.Samples = ss
	switch {
	case window < *soakBinSlopeMin:
		t.Logf("RSS slope %.2f %%/h (%.1f %%/day) over %v after the warm-up: too short a window to hold it to %.0f %%/day (-soakbin.slopewindow=%v)",
			perHour, perHour*24, window.Round(time.Second), maxRSSPerDay, *soakBinSlopeMin)
	case perHour*24 >= maxRSSPerDay:
		t.Errorf("RSS slope %.2f %%/h = %.1f %%/day over %v after the warm-up, want < %.0f %%/day", perHour, perHour*24, window.Round(time.Second), maxRSSPerDay)
	}
	t.Logf("FIGURE F1 binary: %v wall, %d directors, %d prompts/min; %s; answers %d (unanswered after retries %d), ack %s; prompt delay after due %s; "+
		"commands %d (acked %d), home opens %d; reconnects %d (%d disconnects, %d TCP drops), %d × 429, %d × 502 after processing, %d API calls; "+
		"RSS %d → %d (after %v warm-up) → %d KiB, peak %d KiB, slope %.2f %%/h = %.1f %%/day; goroutines %d → %d → %d (after the warm-up %d–%d); fds %d → %d → %d (%d–%d); DB %d → %d B",
		run, res.Directors, res.PromptsPerMinute, res.Report, res.Answers, res.UnansweredAfterRetries, res.AnswerAcks, res.PromptDelay,
		res.Commands, res.CommandsAcked, res.HomeOpens, res.Reconnects, res.Disconnects, res.Drops, res.Faults429, res.Faults5xx, res.APICalls,
		res.RSSStartKiB, res.RSSWarmKiB, warm, res.RSSEndKiB, res.RSSPeakKiB, res.RSSSlopePerHour, res.RSSSlopePerDay,
		res.GoroutinesStart, res.GoroutinesWarm, res.GoroutinesEnd, res.GoroutinesRange[0], res.GoroutinesRange[1],
		res.FDsStart, res.FDsWarm, res.FDsEnd, res.FDsRange[0], res.FDsRange[1], res.DBBytesSeeded, res.DBBytesEnd)
	if *soakBinLog != "" {
		if err := os.WriteFile(*soakBinLog, rig.Bot.Logs(), 0o600); err != nil {
			t.Error(err)
		}
	}
	if *soakBinOut != "" {
		out, _ := json.MarshalIndent(res, "", "  ")
		if err := os.WriteFile(*soakBinOut, out, 0o644); err != nil {
			t.Error(err)
		}
	}
}

// soakSchedules makes one schedule per minute from first, n of them: the
// minute's zone takes the zones in turn, and perMin of that zone's
// directors (in turn) are owed its prompt at that minute, local time.
func soakSchedules(ws campaign.Workspace, first time.Time, n, perMin int) []coach.Schedule {
	byZone := map[string][]coach.UserID{}
	var zones []string
	for i, d := range ws.Directors {
		z := ws.Zones[i]
		if _, ok := byZone[z]; !ok {
			zones = append(zones, z)
		}
		byZone[z] = append(byZone[z], d)
	}
	habits := []coach.Habit{coach.Gemba, coach.Feedback, coach.Reflect, coach.Standup, coach.Question, coach.Learning, coach.Cowork}
	next := map[string]int{}
	out := make([]coach.Schedule, 0, n)
	for i := range n {
		at := first.Add(time.Duration(i) * time.Minute)
		z := zones[i%len(zones)]
		loc, err := time.LoadLocation(z)
		if err != nil {
			loc = time.UTC
		}
		ds := byZone[z]
		var to []coach.UserID
		for range min(perMin, len(ds)) {
			to = append(to, ds[next[z]%len(ds)])
			next[z]++
		}
		out = append(out, coach.Schedule{
			ID:        coach.ScheduleID(fmt.Sprintf("s%d", i+1)),
			Habit:     habits[(i/len(zones))%len(habits)],
			When:      "daily " + at.In(loc).Format("15:04"),
			Directors: to,
		})
	}
	return out
}

// binSampler reads the bot process's figures on a ticker.
type binSampler struct {
	pid     int
	addr    string
	db      string
	started time.Time

	mu      sync.Mutex
	samples []binSample
}

func (s *binSampler) run(ctx context.Context, t *testing.T, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	s.sample(t)
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			s.sample(t)
		}
	}
}

// sample takes one reading, logs and keeps it.
func (s *binSampler) sample(t *testing.T) binSample {
	proc := campaign.ProcResources(s.pid)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	m, err := campaign.Scrape(ctx, s.addr)
	if err != nil {
		t.Logf("sample: %v", err)
	}
	heap, err := metricValue(ctx, s.addr, "go_memstats_heap_alloc_bytes")
	if err != nil {
		t.Logf("sample: %v", err)
	}
	smp := binSample{AtSec: time.Since(s.started).Seconds(), VmRSSKiB: proc.RSS >> 10, MetricKiB: m.RSS >> 10,
		Goroutines: m.Goroutines, FDs: m.FDs, HeapKiB: int64(heap) >> 10, DBBytes: fileSize(s.db)}
	t.Logf("SAMPLE %s", smp)
	s.mu.Lock()
	s.samples = append(s.samples, smp)
	s.mu.Unlock()
	return smp
}

func (s *binSampler) all() []binSample {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.samples)
}

// at is the first sample taken at or after d into the run (the last one if
// none is that late).
func (s *binSampler) at(d time.Duration) binSample {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, smp := range s.samples {
		if smp.AtSec >= d.Seconds() {
			return smp
		}
	}
	return s.samples[len(s.samples)-1]
}

// rssSlope fits VmRSS over time (least squares) to the samples from warm
// on and returns the slope as a percentage of the first of them per hour,
// and the window it spans.
func rssSlope(ss []binSample, warm time.Duration) (perHour float64, window time.Duration) {
	var xs, ys []float64
	for _, s := range ss {
		if s.AtSec >= warm.Seconds() && s.VmRSSKiB > 0 {
			xs = append(xs, s.AtSec/3600)
			ys = append(ys, float64(s.VmRSSKiB))
		}
	}
	if len(xs) < 3 {
		return 0, 0
	}
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= float64(len(xs))
	my /= float64(len(ys))
	var num, den float64
	for i := range xs {
		num += (xs[i] - mx) * (ys[i] - my)
		den += (xs[i] - mx) * (xs[i] - mx)
	}
	if den == 0 {
		return 0, 0
	}
	window = time.Duration((xs[len(xs)-1] - xs[0]) * float64(time.Hour))
	return 100 * (num / den) / ys[0], window
}

// binChaos disturbs the local Slack until ctx ends: every 1–3 min a
// disconnect (a random reason) or, one time in three, a dropped TCP
// connection; and for every 100 Web API calls one 429 and one
// 502-after-processing on a random method the bot uses.
func binChaos(ctx context.Context, sim *slacksim.Server, r *rand.Rand) (disconnects, drops, f429, f5xx int) {
	reasons := []string{"refresh_requested", "warning", "too_many_websockets", "link_disabled"}
	methods := []string{"chat.postMessage", "chat.update", "views.open", "views.publish", "conversations.history", "users.info"}
	gap := func() time.Duration { return time.Minute + time.Duration(r.Int64N(int64(2*time.Minute))) }
	next := time.Now().Add(gap())
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	faulted := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if time.Now().After(next) {
			if r.IntN(3) == 0 {
				sim.DropConnections()
				drops++
			} else {
				sim.Disconnect(reasons[r.IntN(len(reasons))])
				disconnects++
			}
			next = time.Now().Add(gap())
		}
		for n := len(sim.Calls()); faulted+100 <= n; faulted += 100 {
			sim.FailNext(methods[r.IntN(len(methods))], 1, slacksim.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second})
			sim.FailNext(methods[r.IntN(len(methods))], 1, slacksim.Fault{Status: http.StatusBadGateway, AfterProcessing: true})
			f429++
			f5xx++
		}
	}
}

// binUsers are directors (and the admin) using the bot besides answering
// prompts: every 5–15 s one of them types a /coach command or opens the
// bot's App Home.
type binUsers struct {
	rig *campaign.Rig
	r   *rand.Rand

	mu    sync.Mutex
	cmds  []string // envelope ids of the slash commands
	homes int
}

func (u *binUsers) run(ctx context.Context) {
	ws := u.rig.WS
	for {
		_ = wait.For(ctx, 5*time.Second+time.Duration(u.r.Int64N(int64(10*time.Second))))
		if ctx.Err() != nil {
			return
		}
		d := string(ws.Directors[u.r.IntN(len(ws.Directors))])
		actx, cancel := context.WithTimeout(ctx, 10*time.Second)
		var res *slacksim.Result
		switch n := u.r.IntN(10); {
		case n < 4:
			res, _ = u.rig.Sim.As(d).Slash(actx, "/coach", "help")
		case n < 7:
			res, _ = u.rig.Sim.As(d).Slash(actx, "/coach", "streak")
		case n < 8:
			res, _ = u.rig.Sim.As(string(ws.Admin)).Slash(actx, "/coach", "director list")
		default:
			_, _ = u.rig.Sim.As(d).OpenHome(actx)
			u.mu.Lock()
			u.homes++
			u.mu.Unlock()
		}
		cancel()
		if res != nil && res.EnvelopeID != "" {
			u.mu.Lock()
			u.cmds = append(u.cmds, res.EnvelopeID)
			u.mu.Unlock()
		}
	}
}

func (u *binUsers) commands() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return slices.Clone(u.cmds)
}

func (u *binUsers) homeOpens() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.homes
}

func (u *binUsers) ackedCommands(sim *slacksim.Server) int {
	n := 0
	for _, id := range u.commands() {
		if e, ok := sim.EnvelopeStatus(id); ok && e.Status == slacksim.StatusAcked {
			n++
		}
	}
	return n
}

// quietMoment waits until 45–50 s past a minute, when the prompts due at
// the minute have gone (a few seconds, more after a 429 or a reconcile) and
// been answered (the answerer thinks at most 20 s), and the next minute's
// are not due yet, and returns it.
func quietMoment(t *testing.T) time.Time {
	t.Helper()
	now := time.Now()
	var at time.Time
	switch s := now.Sub(now.Truncate(time.Minute)); {
	case s < 45*time.Second:
		at = now.Truncate(time.Minute).Add(45 * time.Second)
	case s <= 50*time.Second:
		return now
	default:
		at = now.Truncate(time.Minute).Add(105 * time.Second)
	}
	<-waitCtx(t, time.Until(at)).Done()
	return time.Now()
}

// waitSent waits until the bot has logged "prompt sent" for every key; the
// log is read once a second (it has no change feed and grows large).
func waitSent(t *testing.T, rig *campaign.Rig, keys []coach.OccurrenceKey, d time.Duration) {
	t.Helper()
	deadline := waitCtx(t, d)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		got := loggedPerOcc(rig.Bot.Logs(), "prompt sent")
		var missing []coach.OccurrenceKey
		for _, k := range keys {
			if got[k] == 0 {
				missing = append(missing, k)
			}
		}
		if len(missing) == 0 {
			return
		}
		select {
		case <-tick.C:
		case <-rig.Bot.Exited():
			t.Fatalf("bot exited with %d prompts not yet sent", len(missing))
		case <-deadline.Done():
			t.Errorf("%d of %d prompts due not logged sent %v after the soak, e.g. %v", len(missing), len(keys), d, missing[:min(5, len(missing))])
			return
		}
	}
}

// promptDelays summarises how late after due each prompt went, from the
// bot's "prompt sent" lines (zerolog writes durations in milliseconds).
func promptDelays(logs []byte) string {
	var ds []time.Duration
	for line := range bytes.Lines(logs) {
		if !bytes.Contains(line, []byte(`"prompt sent"`)) {
			continue
		}
		var l struct {
			Message string  `json:"message"`
			Delay   float64 `json:"delay"`
		}
		if json.Unmarshal(line, &l) == nil && strings.HasPrefix(l.Message, "prompt sent") {
			ds = append(ds, time.Duration(l.Delay*float64(time.Millisecond)))
		}
	}
	if len(ds) == 0 {
		return "none logged"
	}
	slices.Sort(ds)
	return fmt.Sprintf("%d sent, p50 %v, p99 %v, max %v", len(ds), campaign.Quantile(ds, 0.5).Round(time.Millisecond),
		campaign.Quantile(ds, 0.99).Round(time.Millisecond), ds[len(ds)-1].Round(time.Millisecond))
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return -1
	}
	return fi.Size()
}
