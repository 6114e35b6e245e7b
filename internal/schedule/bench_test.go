package schedule_test

import (
	"context"
	"net/http"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/schedule"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/slacksim"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkDueBurst: N directors (default 5,000) all due at 09:00; Slack
// (slacksim with Slack's tiers and a workspace-wide allowance of A
// messages/s, default 100, which Slack does not publish) rate-limits; the
// Poster paces at P% of A (default 97). The parts are the bot's: the
// directors' zones and languages come from their cached Slack profiles,
// cold at the start and filled by the planning pass from users.list
// (Directory.Warm), and each prompt is rendered as the bot renders it.
// Reports the time from due to the last prompt, the achieved rate, 429s,
// the users.info and users.list calls, and duplicates and missing prompts
// (must be 0).
//
//	go test -run '^$' -bench DueBurst -benchtime 1x ./internal/schedule/
//	LEANCOACH_BENCH_DIRECTORS=1000 LEANCOACH_BENCH_RATE=50 LEANCOACH_BENCH_PACE=150 go test ...
func BenchmarkDueBurst(b *testing.B) {
	n := envInt("LEANCOACH_BENCH_DIRECTORS", 5000)
	allowed := float64(envInt("LEANCOACH_BENCH_RATE", 100))
	pace := float64(envInt("LEANCOACH_BENCH_PACE", 97)) / 100 // the Poster's rate, as a share of allowed
	b.StopTimer()
	for range b.N {
		e := newSimEnv(b, n, slacksim.Options{
			RateLimits: slacksim.TierLimits().WithPostAllowance(allowed, max(int(allowed/10), 1)),
		})
		limits := slackio.DefaultLimits()
		limits[slackio.LimitPost] = slackio.Rate{PerSecond: allowed * pace, Burst: max(int(allowed/20), 1)}
		api := slack.New(e.sim.BotToken(), slack.OptionAPIURL(e.sim.APIURL()))
		dir := slackapp.NewDirectory(api, e.db, e.clock)
		profiles := slackapp.CachedDirectory{Dir: dir, MaxAge: 7 * 24 * time.Hour}
		langOf := func(ctx context.Context, u coach.UserID) i18n.Lang {
			prefs, _ := e.db.Prefs(ctx, u)
			prof, _ := profiles.Profile(ctx, u)
			return coach.LangFor(prefs, prof, i18n.EN)
		}
		render := slackapp.NewPromptRenderer(e.db, langOf, nil).Render
		p := slackapp.NewPoster(api, render, slackapp.PosterOptions{Limits: limits})
		l := schedule.New(schedule.Deps{
			Store:  e.db,
			Poster: shiftedPoster{p, e.clock.Offset},
			Zones: func(ctx context.Context, u coach.UserID) (*time.Location, error) {
				return coach.LocationOf(ctx, profiles, u, time.UTC), nil
			},
			Warm:   func(ctx context.Context, ds []coach.UserID) error { return dir.Warm(ctx, ds, 0) },
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
		others := 0 // 429s of the other methods (reconciling history calls, say)
		for m := range slacksim.TierLimits() {
			if m != "chat.postMessage" {
				others += e.sim.RateLimited(m)
			}
		}
		b.ReportMetric(float64(e.sim.RateLimited("chat.postMessage")), "429s")
		b.ReportMetric(float64(len(e.sim.CallsTo("users.info"))), "users.info")
		b.ReportMetric(float64(len(e.sim.CallsTo("users.list"))), "users.list")
		b.ReportMetric(float64(others), "other_429s")
		b.ReportMetric(float64(dups), "duplicates")
		b.ReportMetric(float64(missing), "missing")
		b.Logf("%d directors, allowed %.0f/s, paced at %.0f/s: last prompt %v after due, achieved %.1f posts/s, %d 429s (%d of other methods), %d users.info, %d users.list, %d duplicates, %d missing",
			n, allowed, allowed*pace, last.Round(time.Millisecond), rate, e.sim.RateLimited("chat.postMessage"), others,
			len(e.sim.CallsTo("users.info")), len(e.sim.CallsTo("users.list")), dups, missing)
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
