package schedule_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/schedule"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// workspaceLimit stands in front of slacksim and enforces a workspace-wide
// chat.postMessage rate (slacksim limits per channel, as Slack documents;
// the workspace-wide figure is unpublished, so the benchmark sets one).
// Over it, it answers 429 with Retry-After, as Slack does.
type workspaceLimit struct {
	next    http.Handler
	perSec  float64
	burst   float64
	mu      sync.Mutex
	tokens  float64
	last    time.Time
	limited atomic.Int64
}

func (w *workspaceLimit) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/chat.postMessage") && !w.take() {
		w.limited.Add(1)
		rw.Header().Set("Retry-After", "1")
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusTooManyRequests)
		_, _ = rw.Write([]byte(`{"ok":false,"error":"ratelimited"}`))
		return
	}
	w.next.ServeHTTP(rw, r)
}

func (w *workspaceLimit) take() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := time.Now()
	if w.last.IsZero() {
		w.tokens, w.last = w.burst, now
	}
	w.tokens = min(w.burst, w.tokens+now.Sub(w.last).Seconds()*w.perSec)
	w.last = now
	if w.tokens < 1 {
		return false
	}
	w.tokens--
	return true
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkDueBurst: N directors (default 5,000) all due at 09:00; Slack
// (slacksim behind a workspace-wide limit of A messages/s, default 100)
// rate-limits; the Poster paces at P% of A (default 90). Reports the time
// from due to the last prompt, the achieved rate, 429s and duplicates (must
// be 0).
//
//	go test -run '^$' -bench DueBurst -benchtime 1x ./internal/schedule/
//	LEANCOACH_BENCH_DIRECTORS=1000 LEANCOACH_BENCH_RATE=50 LEANCOACH_BENCH_PACE=150 go test ...
func BenchmarkDueBurst(b *testing.B) {
	n := envInt("LEANCOACH_BENCH_DIRECTORS", 5000)
	allowed := float64(envInt("LEANCOACH_BENCH_RATE", 100))
	pace := float64(envInt("LEANCOACH_BENCH_PACE", 90)) / 100 // the Poster's rate, as a share of allowed
	b.StopTimer()
	for range b.N {
		e := newSimEnv(b, n, slacksim.Options{RateLimits: slacksim.TierLimits()})
		proxyTarget, _ := url.Parse(e.sim.URL())
		wl := &workspaceLimit{next: httputil.NewSingleHostReverseProxy(proxyTarget), perSec: allowed, burst: allowed / 10}
		front := httptest.NewServer(wl)
		limits := slackapp.DefaultLimits()
		limits[slackapp.LimitPost] = slackapp.Rate{PerSecond: allowed * pace, Burst: max(int(allowed/20), 1)}
		api := slack.New(e.sim.BotToken(), slack.OptionAPIURL(front.URL+"/api/"))
		p := slackapp.NewPoster(api, simRender, slackapp.PosterOptions{Limits: limits})
		l := schedule.New(schedule.Deps{
			Store:  e.db,
			Poster: shiftedPoster{p, e.clock.Offset},
			Zones:  func(context.Context, coach.UserID) (*time.Location, error) { return time.UTC, nil },
			Clock:  e.clock,
			Logger: zerolog.Nop(),
		})
		ctx := context.Background()
		if _, err := l.Pass(ctx); err != nil { // plan everyone's 09:00
			b.Fatal(err)
		}
		due := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		e.clock.Set(due)
		began := time.Now()
		b.StartTimer()
		for {
			if _, err := l.Pass(ctx); err != nil {
				b.Fatal(err)
			}
			if sent := countSent(b, e); sent == n || time.Since(began) > 30*time.Minute {
				break
			}
		}
		b.StopTimer()
		last := time.Since(began)
		refs := refsIn(b, e.sim, e.dirs)
		dups, missing := 0, 0
		for _, d := range e.dirs {
			switch c := refs[string(coach.NewOccurrenceKey(e.sched, d, "2026-12-07"))]; {
			case c == 0:
				missing++
			case c > 1:
				dups += c - 1
			}
		}
		posts := e.sim.CallsTo("chat.postMessage")
		var times []time.Time
		for _, c := range posts {
			if c.Status == http.StatusOK && c.Error == "" {
				times = append(times, c.Time)
			}
		}
		slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
		rate := 0.0
		if len(times) > 1 {
			rate = float64(len(times)-1) / times[len(times)-1].Sub(times[0]).Seconds()
		}
		b.ReportMetric(last.Seconds(), "s_to_last_prompt")
		b.ReportMetric(rate, "posts/s")
		b.ReportMetric(allowed, "allowed/s")
		b.ReportMetric(float64(wl.limited.Load()+int64(e.sim.RateLimited("chat.postMessage"))), "429s")
		b.ReportMetric(float64(dups), "duplicates")
		b.ReportMetric(float64(missing), "missing")
		b.Logf("%d directors, allowed %.0f/s, paced at %.0f/s: last prompt %v after due, achieved %.1f posts/s, %d workspace 429s, %d channel 429s, %d duplicates, %d missing",
			n, allowed, allowed*pace, last.Round(time.Millisecond), rate, wl.limited.Load(), e.sim.RateLimited("chat.postMessage"), dups, missing)
		front.Close()
		if dups != 0 || missing != 0 {
			b.Fatalf("duplicates %d, missing %d; want 0, 0", dups, missing)
		}
	}
}

func countSent(b *testing.B, e *simEnv) int {
	b.Helper()
	n := 0
	for _, d := range e.dirs {
		o, err := e.db.Occurrence(context.Background(), coach.NewOccurrenceKey(e.sched, d, "2026-12-07"))
		if err == nil && o.State == coach.Sent {
			n++
		}
	}
	return n
}
