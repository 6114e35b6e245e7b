package slackapp_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// BenchmarkAnswerBurst measures recording answers under a burst, end to end
// through slacksim and the real slack-go client: burst directors each have a
// prompt open and all click "Not today" at once, and each click's latency runs until its
// prompt message shows the outcome (click -> ack -> store.Update with fsync ->
// chat.update). One op is one burst. Reported: the median and p95 latency of
// one answer, and answers per second over the burst.
//
//	go test -run XXX -bench AnswerBurst -benchtime 20x ./internal/slackapp/
func BenchmarkAnswerBurst(b *testing.B) {
	for _, burst := range []int{1, 50} {
		b.Run(fmt.Sprintf("burst=%d", burst), func(b *testing.B) { benchAnswerBurst(b, burst) })
	}
}

func benchAnswerBurst(b *testing.B, burst int) {
	w := newWorld(b)
	w.setUp()
	dirs := make([]string, burst)
	for i := range dirs {
		dirs[i] = fmt.Sprintf("UBENCH%03d", i)
		w.sim.AddUser(slacksim.User{ID: dirs[i]})
		if m := w.slash(eAdmin, "director add <@"+dirs[i]+"> leader <@"+eLeader+">"); !strings.Contains(m.Text, "director") {
			b.Fatalf("/coach director add %s = %q, want a confirmation", dirs[i], m.Text)
		}
	}
	var lat []time.Duration
	var wall time.Duration
	round := 0
	for b.Loop() {
		b.StopTimer()
		round++
		prompts := make([]slacksim.Message, burst)
		for i := range prompts {
			prompts[i] = w.deliver(coach.Gemba, dirs[i], fmt.Sprintf("2026-12-07.%d", round))
		}
		b.StartTimer()
		start := time.Now()
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i, p := range prompts {
			wg.Go(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				t0 := time.Now()
				if _, err := w.sim.As(dirs[i]).Click(ctx, p, slackapp.ActionNotToday); err != nil {
					b.Errorf("click: %v", err)
					return
				}
				err := w.sim.WaitFor(ctx, func() bool {
					m, _ := w.sim.Message(p.Channel, p.TS)
					return m.Edited > 0
				})
				if err != nil {
					b.Errorf("prompt %s never updated: %v", p.TS, err)
					return
				}
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			})
		}
		wg.Wait()
		wall += time.Since(start)
	}
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms/answer-p50")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "ms/answer-p95")
	b.ReportMetric(float64(len(lat))/wall.Seconds(), "answers/s")
}

// deliver sends a prompt through the test Prompter under a scheduled-style
// key (no per-day limit) and returns its message.
func (w *world) deliver(h coach.Habit, director, date string) slacksim.Message {
	w.t.Helper()
	o, err := w.bot.prompter.Deliver(w.ctx(), coach.Occurrence{
		Key: coach.NewOccurrenceKey("bench", coach.UserID(director), date), Schedule: "bench",
		Director: coach.UserID(director), Habit: h, LocalDate: "2026-12-07", Due: time.Now().UTC(),
	})
	if err != nil {
		w.t.Fatalf("deliver: %v", err)
	}
	m, ok := w.sim.Message(string(o.Channel), o.TS)
	if !ok {
		w.t.Fatalf("prompt %s not in Slack", o.Key)
	}
	return m
}
