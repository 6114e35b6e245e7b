package schedule_test

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/schedule"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

var long = flag.Bool("long", false, "run the long versions of the crash tests")

// The child process of TestCrashMatrix is this test binary, re-executed
// with these variables set.
const (
	envChild  = "LEANCOACH_CRASH_CHILD" // "1" in the child
	envDB     = "LEANCOACH_CRASH_DB"
	envAPI    = "LEANCOACH_CRASH_API"
	envToken  = "LEANCOACH_CRASH_TOKEN"
	envNow    = "LEANCOACH_CRASH_NOW"   // RFC3339Nano: the child's clock at start
	envPhase  = "LEANCOACH_CRASH_PHASE" // kill at this phase…
	envHitNum = "LEANCOACH_CRASH_HIT"   // …the nth time it is reached
)

// TestCrashMatrix kills a real bot process with SIGKILL at every phase of a
// send (before recording, after recording, after posting, after marking
// sent), at a random one of the morning's prompts, then restarts it, day
// after day, counting the messages in slacksim: every prompt arrives, none
// twice.
func TestCrashMatrix(t *testing.T) {
	if os.Getenv(envChild) != "" {
		t.Skip("in the child")
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	cycles := 52
	if *long {
		cycles = 400
	}
	const directors = 5
	e := newSimEnv(t, directors, slacksim.Options{})
	path := e.db.Path()
	day0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	// Plan every director's 09:00 prompt, then hand the file to the children.
	e.clock.Set(day0.Add(8 * time.Hour))
	if _, err := e.loop(t, fastLimits(), time.Second).Pass(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := e.db.Close(); err != nil {
		t.Fatal(err)
	}
	phases := []string{schedule.PhaseDue, schedule.PhaseRecorded, schedule.PhasePosted, schedule.PhaseMarked}
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	killed := map[string]int{}
	for c := range cycles {
		day := day0.AddDate(0, 0, c)
		phase := phases[c%len(phases)]
		hit := 1 + rng.IntN(directors)
		wasKilled := runChild(t, e, path, day.Add(9*time.Hour+10*time.Second), phase, hit)
		if wasKilled {
			killed[phase]++
		}
		// Restart (as often as it takes) without crashing.
		for restart := 1; ; restart++ {
			if !runChild(t, e, path, day.Add(9*time.Hour+time.Duration(restart)*time.Minute), "", 0) {
				break
			}
			if restart > 3 {
				t.Fatalf("day %s: the restarted bot keeps dying", day.Format(time.DateOnly))
			}
		}
		checkDay(t, e, path, day, fmt.Sprintf("cycle %d (kill at %s #%d, killed %v)", c, phase, hit, wasKilled))
		if t.Failed() {
			return
		}
	}
	t.Logf("%d cycles; kills per phase: %v; reconciling history calls: %d", cycles, killed, len(e.sim.CallsTo("conversations.history")))
	for _, p := range phases {
		if killed[p] == 0 {
			t.Errorf("no child was killed at phase %s; the matrix did not run", p)
		}
	}
}

// runChild runs one bot process and reports whether it died of SIGKILL.
func runChild(t *testing.T, e *simEnv, path string, now time.Time, phase string, hit int) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envChild+"=1", envDB+"="+path, envAPI+"="+e.sim.APIURL(),
		envToken+"="+e.sim.BotToken(), envNow+"="+now.Format(time.RFC3339Nano),
		envPhase+"="+phase, envHitNum+"="+strconv.Itoa(hit))
	out, err := cmd.CombinedOutput()
	if err == nil {
		return false
	}
	if ee, ok := err.(*exec.ExitError); ok {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true
		}
	}
	t.Fatalf("child at %v (phase %q #%d) = %v\n%s", now, phase, hit, err, out)
	return false
}

// checkDay opens the file after the children and checks the day: one
// message per director in slacksim, and every occurrence marked sent.
func checkDay(t *testing.T, e *simEnv, path string, day time.Time, what string) {
	t.Helper()
	db, err := store.Open(path, store.Options{SkipCheck: true})
	if err != nil {
		t.Fatalf("%s: open: %v", what, err)
	}
	defer db.Close()
	refs := refsIn(t, e.sim, e.dirs)
	for _, d := range e.dirs {
		k := coach.NewOccurrenceKey(e.sched, d, day.Format(time.DateOnly))
		if n := refs[string(k)]; n != 1 {
			t.Errorf("%s: %s has %d messages in Slack, want 1", what, k, n)
		}
		o, err := db.Occurrence(t.Context(), k)
		if err != nil || o.State != coach.Sent {
			t.Errorf("%s: %s = %s, %v; want sent", what, k, o.State, err)
		}
	}
}

// TestCrashChild is the bot process of TestCrashMatrix: one pass of the
// due-loop against the shared file and slacksim, killing itself at the
// chosen phase.
func TestCrashChild(t *testing.T) {
	if os.Getenv(envChild) == "" {
		t.Skip("only runs as the child of TestCrashMatrix")
	}
	start, err := time.Parse(time.RFC3339Nano, os.Getenv(envNow))
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(os.Getenv(envDB), store.Options{SkipCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	clock := newShiftClock(start)
	api := slack.New(os.Getenv(envToken), slack.OptionAPIURL(os.Getenv(envAPI)))
	p := slackapp.NewPoster(api, simRender, slackapp.PosterOptions{Limits: fastLimits(), Timeout: 5 * time.Second})
	phase := os.Getenv(envPhase)
	hit, _ := strconv.Atoi(os.Getenv(envHitNum))
	var hits atomic.Int32
	l := schedule.New(schedule.Deps{
		Store:  db,
		Poster: shiftedPoster{p, clock.Offset},
		Zones:  func(context.Context, coach.UserID) (*time.Location, error) { return time.UTC, nil },
		Clock:  clock,
		Logger: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.ErrorLevel),
		CrashPoint: func(at string) {
			if at == phase && int(hits.Add(1)) == hit {
				_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
				select {} // never go on past the crash point
			}
		},
	})
	if _, err := l.Pass(t.Context()); err != nil {
		t.Fatal(err)
	}
}
