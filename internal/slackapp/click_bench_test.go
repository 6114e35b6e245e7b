package slackapp_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

// BenchmarkClickBurst: a morning peak through slacksim with Slack's rate
// tiers on and the bot's one assembly in process (a real bbolt file, fsync
// on every commit): burst directors (default 1,000), each with one prompt
// open, all click "Not today" within one second. One op is one burst.
// Reported: the ack latency (envelope out → ack, as slacksim saw it), the
// time from the click to the prompt shown answered (the response_url post
// reaching slacksim), answers per second (first click to last answer
// recorded), and the Web API calls the clicks made (must be 0).
// LEANCOACH_BENCH_CPUPROFILE=file writes a CPU profile of the bursts alone
// (-cpuprofile would add the prompts sent before each).
//
//	go test -run '^$' -bench ClickBurst -benchtime 3x ./internal/slackapp/
func BenchmarkClickBurst(b *testing.B) {
	const burst = 1000
	sim := slacksim.New(slacksim.Options{})
	b.Cleanup(sim.Close)
	dirs := make([]coach.UserID, burst)
	for i := range dirs {
		dirs[i] = coach.UserID(fmt.Sprintf("UBURST%04d", i))
		sim.AddUser(slacksim.User{ID: string(dirs[i]), TZ: "Europe/Amsterdam"})
	}
	seed := func(ctx context.Context, db *store.DB) error {
		for _, d := range dirs {
			if err := db.PutDirector(ctx, coach.Director{ID: d, Leaders: []coach.UserID{"ULEADER01"}}); err != nil {
				return err
			}
			// Cached at send time, as the bot keeps them (Directory.Warm).
			if err := db.PutProfile(ctx, coach.Profile{ID: d, TZ: "Europe/Amsterdam", Locale: "en-US", FetchedAt: time.Now()}); err != nil {
				return err
			}
		}
		return nil
	}
	life := startBot(b, sim, filepath.Join(b.TempDir(), "leancoach.db"), botOptions{seed: seed})
	var acks, shown []time.Duration
	var wall time.Duration
	calls := 0
	var prof *os.File
	if path := os.Getenv("LEANCOACH_BENCH_CPUPROFILE"); path != "" {
		var err error
		if prof, err = os.Create(path); err != nil {
			b.Fatal(err)
		}
		defer prof.Close()
	}
	for round := 0; b.Loop(); round++ {
		b.StopTimer()
		prompts := make([]slacksim.Message, burst)
		for i, d := range dirs {
			o, err := life.prompter.Deliver(context.Background(), coach.Occurrence{
				Key: coach.NewOccurrenceKey("bench", d, fmt.Sprintf("2026-12-07.%d", round)), Schedule: "bench",
				Director: d, Habit: coach.Gemba, LocalDate: "2026-12-07", Due: time.Now().UTC()})
			if err != nil {
				b.Fatalf("deliver: %v", err)
			}
			prompts[i], _ = sim.Message(string(o.Channel), o.TS)
		}
		before := len(sim.Calls())
		seq := sim.Seq()
		if prof != nil {
			if err := pprof.StartCPUProfile(prof); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		start := time.Now()
		var wg sync.WaitGroup
		for i, p := range prompts {
			at := start.Add(time.Duration(i) * time.Second / burst)
			<-time.After(time.Until(at))
			wg.Go(func() {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				if _, err := sim.As(string(dirs[i])).Click(ctx, p, slackapp.ActionNotToday); err != nil {
					b.Errorf("click: %v", err)
				}
			})
		}
		wg.Wait()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err := sim.WaitFor(ctx, func() bool {
			for _, p := range prompts {
				if m, _ := sim.Message(p.Channel, p.TS); m.Edited == 0 {
					return false
				}
			}
			return true
		})
		cancel()
		if err != nil {
			b.Fatalf("not every prompt shown answered: %v", err)
		}
		b.StopTimer()
		if prof != nil {
			pprof.StopCPUProfile()
			prof = nil // one burst: a profile file holds one
		}
		wall += lastAnswer(b, life.db, prompts).Sub(start)
		sent := map[string]time.Time{}
		for _, ev := range sim.Events()[seq:] {
			switch {
			case ev.Kind == slacksim.EventEnvelope:
				sent[ev.EnvelopeID] = ev.Time
			case ev.Kind == slacksim.EventAck:
				acks = append(acks, ev.Time.Sub(sent[ev.EnvelopeID]))
			case ev.Kind == slacksim.EventResponse && ev.Detail == "replaced":
				shown = append(shown, ev.Time.Sub(sent[ev.EnvelopeID]))
			}
		}
		calls += len(sim.Calls()) - before
		b.StartTimer()
	}
	b.StopTimer()
	q := func(d []time.Duration, p float64) float64 {
		slices.Sort(d)
		return float64(d[int(p*float64(len(d)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(q(acks, 0.5), "ack-p50-ms")
	b.ReportMetric(q(acks, 0.99), "ack-p99-ms")
	b.ReportMetric(q(shown, 0.5), "shown-p50-ms")
	b.ReportMetric(q(shown, 0.99), "shown-p99-ms")
	b.ReportMetric(float64(len(shown))/wall.Seconds(), "answers/s")
	b.ReportMetric(float64(calls), "webapi-calls")
	b.ReportMetric(0, "ns/op")
}

// lastAnswer is when the last of the prompts' answers was recorded.
func lastAnswer(b *testing.B, db *store.DB, prompts []slacksim.Message) time.Time {
	b.Helper()
	var last time.Time
	for _, p := range prompts {
		o, err := db.Occurrence(context.Background(), promptKey(b, p))
		if err != nil || o.Answer == nil {
			b.Fatalf("prompt %s: answer %v, %v", p.TS, o.Answer, err)
		}
		if o.Answer.At.After(last) {
			last = o.Answer.At
		}
	}
	return last
}
