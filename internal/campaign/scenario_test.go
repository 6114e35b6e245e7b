package campaign_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
)

const noteCanary = "CANARY-private-note-91c4"

// fastLimits lets the Poster send 50 prompts a second (slacksim does not
// rate limit unless told to), so a morning of prompts takes a moment.
func fastLimits() map[string]bot.Rate {
	l := bot.DefaultLimits()
	l[bot.LimitPost] = bot.Rate{PerSecond: 50, Burst: 50}
	return l
}

// withClock runs the in-process bot on clock, with a short loop tick.
func withClock(c *campaign.Clock) func(*campaign.InProcConfig) {
	return func(cfg *campaign.InProcConfig) {
		cfg.Clock = c
		cfg.Tick = 100 * time.Millisecond
		cfg.Limits = fastLimits()
	}
}

// answeredOn waits until every occurrence in keys has an answer in the
// running bot's database.
func (p *inproc) waitAnswered(t testing.TB, keys []coach.OccurrenceKey, d time.Duration) {
	t.Helper()
	err := p.sim.WaitFor(waitCtx(t, d), func() bool {
		for _, k := range keys {
			o, err := p.bot.DB.Occurrence(context.Background(), k)
			if err != nil || o.Answer == nil {
				return false
			}
		}
		return true
	})
	if err != nil {
		var missing []string
		for _, k := range keys {
			if o, err := p.bot.DB.Occurrence(context.Background(), k); err != nil || o.Answer == nil {
				missing = append(missing, string(k)+" ("+string(o.State)+")")
			}
		}
		t.Fatalf("not answered in %v: %s", d, strings.Join(missing, ", "))
	}
}

// Five mornings of prompts to ten directors while Slack answers 429s and
// 5xx after posting, and disconnects the socket in the middle of the
// answers. Every prompt arrives once, every acked answer is recorded once,
// and the streaks equal the reference model's.
func TestPromptMorningsUnderFaults(t *testing.T) {
	t.Parallel()
	r := rng(t)
	start := time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC) // 08:00 in Amsterdam
	clock := campaign.NewClock(start, 1)
	sched := coach.Schedule{ID: "s1", Habit: coach.Gemba, When: "daily 09:00", ToAll: true}
	p := newInProc(t, slacksim.Options{}, 10, []coach.Schedule{sched}, withClock(clock))
	p.waitPlanned(t, 10) // planned before the clock jumps to 09:00
	ctx, cancel := context.WithCancel(context.Background())
	ans := &campaign.Answerer{Sim: p.sim, Habit: func(coach.ScheduleID) coach.Habit { return coach.Gemba },
		DoneRatio: 0.8, Note: noteCanary, Think: time.Second, Rand: r}
	answering := make(chan struct{})
	go func() { ans.Run(ctx); close(answering) }()
	defer func() { cancel(); <-answering }()

	const days = 5
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	var last time.Time
	for d := range days {
		due := time.Date(2026, 11, 30+d, 9, 0, 0, 0, ams)
		last = due
		p.sim.FailNext("chat.postMessage", 1, slacksim.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second})
		p.sim.FailNext("chat.postMessage", 1, slacksim.Fault{Status: http.StatusBadGateway, AfterProcessing: true})
		clock.Set(due.Add(time.Second))
		p.bot.Loop.Poke()
		if r.IntN(2) == 0 {
			p.sim.Disconnect("refresh_requested")
		}
		var keys []coach.OccurrenceKey
		for _, dir := range p.ws.Directors {
			keys = append(keys, coach.NewOccurrenceKey("s1", dir, due.Format(time.DateOnly)))
		}
		p.waitAnswered(t, keys, 60*time.Second)
		// An answer may now come while its prompt is still being
		// reconciled after the 502; the reconcile still has to mark it sent.
		for _, k := range keys {
			p.waitState(t, k, 30*time.Second)
		}
	}
	cancel()
	<-answering
	owed, err := campaign.Owed(sched, p.ws.Directors, p.ws.ZoneOf, start, last.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	rep := p.check(t, campaign.Expect{Due: campaign.Dues(owed, last.Add(time.Minute), campaign.WantSent),
		Interactions: ans.Interactions(), Now: clock.Now(), Canaries: []string{noteCanary}, StrictPrompts: true})
	if rep.PromptsSent != 10*days {
		t.Errorf("prompts sent = %d, want %d", rep.PromptsSent, 10*days)
	}
	refusals := map[string]int{}
	for _, d := range p.ws.Directors {
		for _, m := range p.sim.Ephemerals(string(d)) {
			refusals[m.Text]++
		}
	}
	t.Logf("FIGURE prompts under faults: %s; answer acks %s; refusals seen %v", rep, campaign.AckLatencies(ans.Samples()), refusals)
}
