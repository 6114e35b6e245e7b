package campaign_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// B5 with wall-clock steps and a paused VM, in process. Two clocks run
// side by side: the world's (the local Slack stamps messages with it, as
// Slack uses its own correct time) and the bot's. A step moves only the
// bot's clock: before an NTP correction the bot's clock was wrong and Slack's
// was not. A pause moves both and wakes nobody: a VM paused with its clock
// stopped (QEMU stops kvmclock) resumes with its Go timers where they were
// and its wall clock then set forward, so the due-loop notices only when its
// current sleep ends, at most one tick later.
//
// Both clocks run stepSpeed times faster than real time and the loop's tick
// is production's 30 s in simulated time, so the delay after a step or a
// resume is measured on the production scale.
const (
	stepSpeed = 20
	stepTick  = bot.Tick / stepSpeed
)

// stepZones are the directors' zones, in turn.
var stepZones = []string{"Europe/Amsterdam", "America/New_York"}

// stepSchedules: a daily and a weekday prompt around 09:00, and a late one
// that a step back across midnight passes again.
var stepSchedules = []coach.Schedule{
	{ID: "s1", Habit: coach.Gemba, When: "daily 09:00", ToAll: true},
	{ID: "s2", Habit: coach.Feedback, When: "weekdays 09:20", ToAll: true},
	{ID: "s3", Habit: coach.WeekReview, When: "daily 23:30", ToAll: true},
}

// stepWorld is one time-fault scenario: the bot in process on its own clock,
// the local Slack on the world's.
type stepWorld struct {
	*inproc
	clk, world *campaign.Clock                   // the bot's clock and the world's
	owed       map[coach.OccurrenceKey]time.Time // by rule, from the start to end
	from, end  time.Time                         // on the bot's clock
}

// newStepWorld starts four directors in stepZones with stepSchedules; the
// bot's clock reads start+skew while the world's reads start.
func newStepWorld(t *testing.T, start, end time.Time, skew time.Duration) *stepWorld {
	t.Helper()
	opts := slacksim.Options{}
	opts.BotToken, opts.AppToken = campaign.CanaryBotToken, campaign.CanaryAppToken
	sim := slacksim.New(opts)
	t.Cleanup(sim.Close)
	ws := campaign.NewWorkspace(sim, 4, stepZones...)
	p := &inproc{sim: sim, ws: ws, dbPath: t.TempDir() + "/leancoach.db", log: &syncBuffer{}}
	if _, err := ws.Seed(context.Background(), p.dbPath, stepSchedules...); err != nil {
		t.Fatal(err)
	}
	w := &stepWorld{inproc: p, world: campaign.NewClock(start, stepSpeed), end: end}
	w.clk = campaign.NewClock(start, stepSpeed)
	w.clk.Step(skew)
	w.from = w.clk.Now()
	p.cfg = campaign.InProcConfig{Sim: sim, WS: ws, DBPath: p.dbPath, Log: p.log}
	withClock(w.clk)(&p.cfg)
	p.cfg.Tick = stepTick
	w.startBot(t)
	t.Cleanup(func() {
		if p.bot != nil {
			_ = p.bot.Stop()
		}
		if t.Failed() {
			t.Logf("bot log (tail):\n%s", tailBytes(p.log.Bytes(), 6000))
		}
	})
	p.waitPlanned(t, len(ws.Directors)*len(stepSchedules))
	w.owed = map[coach.OccurrenceKey]time.Time{}
	for _, s := range stepSchedules {
		o, err := campaign.Owed(s, ws.Directors, ws.ZoneOf, w.from, end)
		if err != nil {
			t.Fatal(err)
		}
		for k, at := range o {
			w.owed[k] = at
		}
	}
	return w
}

// startBot starts the bot and puts the local Slack back on the world's
// clock (StartInProc sets it to the bot's).
func (w *stepWorld) startBot(t *testing.T) {
	t.Helper()
	w.start(t)
	w.sim.SetNow(w.world.Now)
}

// pass lets d of time pass for everyone at once (a night the scenario
// skips): both clocks move and the loop is poked.
func (w *stepWorld) pass(d time.Duration) {
	if d <= 0 {
		return
	}
	w.clk.Step(d)
	w.world.Step(d)
	w.bot.Loop.Poke()
}

// liveTo lives through the days up to the bot's clock reading until: the
// clocks jump to each owed prompt in turn (a second after it) and wait until
// its occurrences are settled. Prompts the bot's clock has already passed
// are only waited for.
func (w *stepWorld) liveTo(t *testing.T, until time.Time) {
	t.Helper()
	var instants []time.Time
	byInstant := map[time.Time][]coach.OccurrenceKey{}
	for k, at := range w.owed {
		if at.After(until) {
			continue
		}
		if _, ok := byInstant[at]; !ok {
			instants = append(instants, at)
		}
		byInstant[at] = append(byInstant[at], k)
	}
	slices.SortFunc(instants, func(a, b time.Time) int { return a.Compare(b) })
	for _, at := range instants {
		w.pass(at.Add(time.Second).Sub(w.clk.Now()))
		for _, k := range byInstant[at] {
			w.waitState(t, k, 20*time.Second)
		}
	}
	w.pass(until.Sub(w.clk.Now()))
}

// asleep lets the loop finish the pass the last jump poked and fall asleep
// for a tick, so that a step or a resume lands in its sleep: the loop then
// notices only when that sleep ends (the worst case).
func (w *stepWorld) asleep(t *testing.T) {
	t.Helper()
	pauseT(t, stepTick/3)
}

// keysAt lists the occurrence keys of the directors in zone for the
// schedules ids on the local date day.
func (w *stepWorld) keysAt(zone, day string, ids ...coach.ScheduleID) []coach.OccurrenceKey {
	var out []coach.OccurrenceKey
	for i, d := range w.ws.Directors {
		if w.ws.Zones[i] != zone {
			continue
		}
		for _, id := range ids {
			k := coach.NewOccurrenceKey(id, d, day)
			if _, ok := w.owed[k]; ok {
				out = append(out, k)
			}
		}
	}
	return out
}

// settleDelays waits until keys are settled and returns, for the sent
// ones, how long after since (on the bot's clock) the loop recorded the
// first and the last of them as being sent, and when the last was marked
// sent.
func (w *stepWorld) settleDelays(t *testing.T, keys []coach.OccurrenceKey, since time.Time) (first, last, lastSent time.Duration) {
	t.Helper()
	first = -1
	for _, k := range keys {
		o := w.waitState(t, k, 30*time.Second)
		if o.State != coach.Sent {
			continue
		}
		d := o.StartedAt.Sub(since)
		if first < 0 || d < first {
			first = d
		}
		last = max(last, d)
		lastSent = max(lastSent, o.SentAt.Sub(since))
	}
	return first, last, lastSent
}

// finish lives to the end, stops the bot and runs the oracle: every owed
// prompt sent exactly once (or missed where want says so) and nothing else.
func (w *stepWorld) finish(t *testing.T, want map[coach.OccurrenceKey]campaign.Want) campaign.Report {
	t.Helper()
	w.liveTo(t, w.end)
	var due []campaign.Due
	for _, d := range campaign.Dues(w.owed, w.end, campaign.WantSent) {
		if x, ok := want[d.Key]; ok {
			d.Want = x
		}
		due = append(due, d)
	}
	return w.check(t, campaign.Expect{Due: due, StrictPrompts: true})
}

// promptsOf counts the local Slack's prompt messages per occurrence key.
func (w *stepWorld) promptsOf(keys []coach.OccurrenceKey) map[coach.OccurrenceKey]int {
	want := map[string]bool{}
	for _, k := range keys {
		want[string(k)] = true
	}
	out := map[coach.OccurrenceKey]int{}
	for _, ch := range w.sim.Channels() {
		for _, m := range w.sim.Messages(ch.ID) {
			if ref := campaign.RefOf(m); want[ref] {
				out[coach.OccurrenceKey(ref)]++
			}
		}
	}
	return out
}

// localAt is the instant the wall clock of zone reads hh:mm on day.
func localAt(t *testing.T, zone, day string, hh, mm int) time.Time {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	d, err := time.ParseInLocation(time.DateOnly, day, loc)
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), hh, mm, 0, 0, loc)
}

// The scenarios run Thursday 3 to Saturday 5 December 2026; the fault
// comes on Friday 4 (a weekday, so s2 is due too).
var (
	stepStart = time.Date(2026, 12, 3, 5, 0, 0, 0, time.UTC) // 06:00 Amsterdam, 00:00 New York
	stepEnd   = time.Date(2026, 12, 5, 15, 0, 0, 0, time.UTC)
)

const stepDay = "2026-12-04"

// B5: the wall clock steps back an hour just after the 09:00 prompts went
// (09:10 → 08:10: the clock was an hour fast and NTP corrected it). The
// wall clock passes 09:00 again; nobody gets a second prompt, the 09:20
// prompts go once, and the next day is normal.
func TestWallStepBack(t *testing.T) {
	t.Parallel()
	const zone = "Europe/Amsterdam"
	w := newStepWorld(t, stepStart, stepEnd, time.Hour)
	w.liveTo(t, localAt(t, zone, stepDay, 9, 10))
	sent := w.keysAt(zone, stepDay, "s1")
	w.clk.Step(-time.Hour) // 08:10, now the same as Slack's
	// Let the loop run while the clock reads 09:00–09:10 a second time.
	w.pass(localAt(t, zone, stepDay, 9, 1).Sub(w.clk.Now()))
	pauseT(t, 2*stepTick)
	dups := 0
	for _, n := range w.promptsOf(sent) {
		dups += n - 1
	}
	rep := w.finish(t, nil)
	if dups != 0 || rep.PromptsDuplicated != 0 {
		t.Errorf("duplicates after stepping back over 09:00 = %d (by the end %d), want 0", dups, rep.PromptsDuplicated)
	}
	t.Logf("FIGURE B5 wall step -1h at 09:10 %s: duplicates %d, missed %d; %s", zone, rep.PromptsDuplicated, rep.PromptsMissed, rep)
}

// B5: the wall clock steps forward an hour over the due time (08:50 →
// 09:50: the clock was an hour slow). The 09:00 and 09:20 prompts are
// inside the catch-up window: each goes once, on the loop's next tick.
func TestWallStepForward(t *testing.T) {
	t.Parallel()
	const zone = "America/New_York"
	w := newStepWorld(t, stepStart, stepEnd, -time.Hour)
	w.liveTo(t, localAt(t, zone, stepDay, 8, 50))
	w.asleep(t)
	w.clk.Step(time.Hour) // 09:50; nobody is woken
	stepped := w.clk.Now()
	keys := w.keysAt(zone, stepDay, "s1", "s2")
	first, last, lastSent := w.settleDelays(t, keys, stepped)
	if first < 0 || last > 2*bot.Tick {
		t.Errorf("prompts recorded %v to %v after the step, want all within %v (one tick)", first, last, 2*bot.Tick)
	}
	rep := w.finish(t, nil)
	t.Logf("FIGURE B5 wall step +1h at 08:50 %s: %d prompts started %v–%v after the step (simulated; tick %v), last marked sent %v after; duplicates %d, missed %d; %s",
		zone, len(keys), first.Round(time.Second), last.Round(time.Second), bot.Tick, lastSent.Round(time.Second),
		rep.PromptsDuplicated, rep.PromptsMissed, rep)
}

// B5: the process is paused (a VM paused) from 08:30 over the due time.
// Paused for 2 h, the 09:00 and 09:20 prompts go within a tick of the
// resume, once each; paused for 4 h they are beyond the 3 h catch-up
// window: no prompt, a missed record each.
func TestPausedProcess(t *testing.T) {
	tests := []struct {
		name  string
		zone  string
		pause time.Duration
		want  campaign.Want
	}{
		{"2h_amsterdam", "Europe/Amsterdam", 2 * time.Hour, campaign.WantSent},
		{"2h_new_york", "America/New_York", 2 * time.Hour, campaign.WantSent},
		{"4h_new_york", "America/New_York", 4 * time.Hour, campaign.WantMissed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newStepWorld(t, stepStart, stepEnd, 0)
			w.liveTo(t, localAt(t, tt.zone, stepDay, 8, 30))
			w.asleep(t)
			// Frozen: no tick, no clock read; the world goes on. On the
			// resume the clock reads the world's time again.
			w.clk.Step(tt.pause)
			w.world.Step(tt.pause)
			resumed := w.clk.Now()
			keys := w.keysAt(tt.zone, stepDay, "s1", "s2")
			first, last, lastSent := w.settleDelays(t, keys, resumed)
			want := map[coach.OccurrenceKey]campaign.Want{}
			for _, k := range keys {
				want[k] = tt.want
			}
			if tt.want == campaign.WantSent && (first < 0 || last > 2*bot.Tick) {
				t.Errorf("prompts recorded %v to %v after the resume, want all within %v", first, last, 2*bot.Tick)
			}
			rep := w.finish(t, want)
			if first < 0 {
				t.Logf("FIGURE B5 paused %v from 08:30 %s: %d prompts due meanwhile, none sent; duplicates %d, missed %d; %s",
					tt.pause, tt.zone, len(keys), rep.PromptsDuplicated, rep.PromptsMissed, rep)
				return
			}
			t.Logf("FIGURE B5 paused %v from 08:30 %s: %d prompts due meanwhile, started %v–%v after the resume (simulated; tick %v), last marked sent %v after; duplicates %d, missed %d; %s",
				tt.pause, tt.zone, len(keys), first.Round(time.Second), last.Round(time.Second), bot.Tick,
				lastSent.Round(time.Second), rep.PromptsDuplicated, rep.PromptsMissed, rep)
		})
	}
}

// B5: the wall clock steps back across midnight (00:10 → 23:10 of the day
// before) and the bot restarts right after. Yesterday's prompts, the 23:30
// one included, whose wall time comes round again, are not sent again.
func TestWallStepBackOverMidnight(t *testing.T) {
	t.Parallel()
	const zone = "America/New_York"
	w := newStepWorld(t, stepStart, stepEnd, time.Hour)
	w.liveTo(t, localAt(t, zone, "2026-12-05", 0, 10))
	yesterday := w.keysAt(zone, stepDay, "s1", "s2", "s3")
	w.clk.Step(-time.Hour) // Friday 23:10 again
	w.stop(t)
	w.startBot(t)
	w.pass(localAt(t, zone, stepDay, 23, 31).Sub(w.clk.Now()))
	pauseT(t, 2*stepTick)
	dups := 0
	for _, n := range w.promptsOf(yesterday) {
		dups += n - 1
	}
	rep := w.finish(t, nil)
	if dups != 0 {
		t.Errorf("yesterday's prompts sent again after the step back over midnight: %d, want 0", dups)
	}
	t.Logf("FIGURE B5 wall step -1h at 00:10 %s, then a restart: duplicates of yesterday's %d prompts %d; missed %d; %s",
		zone, len(yesterday), dups, rep.PromptsMissed, rep)
}

// B5 with C2: the bot's clock runs an hour fast, a 09:00 prompt is posted
// but Slack answers 502, and NTP then steps the clock back. The send is
// reconciled with Slack's history, whose timestamps are Slack's correct
// time, an hour behind the bot's: the prompt must be found, not posted
// again.
func TestWallStepBackAfterUnclearPost(t *testing.T) {
	t.Parallel()
	const zone = "Europe/Amsterdam"
	w := newStepWorld(t, stepStart, stepEnd, time.Hour)
	w.liveTo(t, localAt(t, zone, stepDay, 8, 59))
	w.sim.FailNext("chat.postMessage", 1, slacksim.Fault{Status: http.StatusBadGateway, AfterProcessing: true})
	w.liveTo(t, localAt(t, zone, stepDay, 9, 10))
	w.clk.Step(-time.Hour)
	rep := w.finish(t, nil)
	if n := len(w.sim.CallsTo("conversations.history")); n == 0 {
		t.Error("no reconciliation happened; the 502 did not bite")
	}
	t.Logf("FIGURE B5 clock 1 h fast, 502 after posting, then stepped back: duplicates %d, reconciling history calls %d; %s",
		rep.PromptsDuplicated, len(w.sim.CallsTo("conversations.history")), rep)
}
