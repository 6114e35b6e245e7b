package campaign_test

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
)

var seedFlag = flag.Uint64("campaign.seed", 0, "seed of the randomized scenarios (0 = from the clock); failures print theirs")

// shmDirs are scratch directories outside t.TempDir kept for the whole
// test binary (large seeded databases), removed at its end.
var shmDirs []string

var (
	binDir  string
	binOnce = sync.OnceValues(func() (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		return campaign.BuildBot(ctx, binDir, campaign.RaceEnabled)
	})
)

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "campaign-bot-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	for _, d := range shmDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

// botBinary builds cmd/bot once per test binary.
func botBinary(t testing.TB) string {
	t.Helper()
	bin, err := binOnce()
	if err != nil {
		t.Fatalf("%v", err)
	}
	return bin
}

// prodBinOnce builds cmd/bot as it ships, without the race detector even
// when the tests run with -race: a soak's memory figures must be the bot's,
// not the detector's shadow memory.
var prodBinOnce = sync.OnceValues(func() (string, error) {
	if !campaign.RaceEnabled {
		return binOnce()
	}
	dir := filepath.Join(binDir, "norace")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("build bot without -race: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	return campaign.BuildBot(ctx, dir, false)
})

// prodBinary builds cmd/bot without -race once per test binary.
func prodBinary(t testing.TB) string {
	t.Helper()
	bin, err := prodBinOnce()
	if err != nil {
		t.Fatalf("%v", err)
	}
	return bin
}

// campaignBinOnce builds cmd/bot with -tags campaign: the production bot
// plus a clock the test sets before each start (cmd/bot/clock_campaign.go).
var campaignBinOnce = sync.OnceValues(func() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out := filepath.Join(binDir, "leancoach-bot-campaign")
	args := []string{"build", "-tags", "campaign", "-o", out}
	if campaign.RaceEnabled {
		args = append(args, "-race")
	}
	args = append(args, "github.com/leancoach/leancoach/cmd/bot")
	gotool, err := exec.LookPath("go")
	if err != nil {
		gotool = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	if msg, err := exec.CommandContext(ctx, gotool, args...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("build bot -tags campaign: %w\n%s", err, msg)
	}
	return out, nil
})

// campaignBinary builds cmd/bot with -tags campaign once per test binary.
func campaignBinary(t testing.TB) string {
	t.Helper()
	bin, err := campaignBinOnce()
	if err != nil {
		t.Fatalf("%v", err)
	}
	return bin
}

// rng returns a seeded source and logs its seed so a failure can be replayed
// with -campaign.seed.
func rng(t testing.TB) *rand.Rand {
	t.Helper()
	seed := *seedFlag
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (replay with -campaign.seed=%d)", seed, seed)
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// newRig starts a local Slack with n directors and prepares the bot; the
// bot is killed and the Slack closed at cleanup, and on failure the tail of
// the bot's log is printed.
func newRig(t testing.TB, opts slacksim.Options, n int, zones ...string) *campaign.Rig {
	t.Helper()
	rig := campaign.NewRig(botBinary(t), t.TempDir(), opts, n, zones...)
	t.Cleanup(func() {
		rig.Close()
		if t.Failed() {
			logs := rig.Bot.Logs()
			if len(logs) > 6000 {
				logs = logs[len(logs)-6000:]
			}
			t.Logf("bot log (tail):\n%s", logs)
		}
	})
	return rig
}

func startRig(t testing.TB, rig *campaign.Rig) {
	t.Helper()
	ctx, cancel := campaign.Deadline(20 * time.Second)
	defer cancel()
	if err := rig.Start(ctx); err != nil {
		t.Fatalf("start bot: %v", err)
	}
}

// stopRig stops the bot with SIGTERM and checks it exits cleanly in time.
func stopRig(t testing.TB, rig *campaign.Rig, within time.Duration) time.Duration {
	t.Helper()
	code, took, err := rig.Bot.Stop(within)
	if err != nil {
		t.Errorf("stop: %v", err)
	}
	if code != 0 {
		t.Errorf("bot exit code after SIGTERM = %d, want 0", code)
	}
	return took
}

// check collects the history of a stopped bot and runs the oracle.
func check(t testing.TB, rig *campaign.Rig, e campaign.Expect, extra ...coach.OccurrenceKey) campaign.Report {
	t.Helper()
	ctx, cancel := campaign.Deadline(30 * time.Second)
	defer cancel()
	e.Canaries = append(e.Canaries, campaign.CanaryBotToken, campaign.CanaryAppToken)
	h, err := campaign.Collect(ctx, rig.Sim, rig.DBPath, rig.Bot.Logs(), extra...)
	if err != nil {
		t.Fatalf("collect: %v", err)
	}
	r := campaign.Check(h, e)
	if !r.OK() {
		t.Errorf("oracle: %s", r)
	} else {
		t.Logf("oracle: %s", r)
	}
	return r
}

func waitCtx(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// helpBurst is an Action: director i%n types /coach help.
func helpBurst(rig *campaign.Rig) campaign.Action {
	return func(ctx context.Context, i int) (*slacksim.Result, error) {
		d := rig.WS.Directors[i%len(rig.WS.Directors)]
		return rig.Sim.As(string(d)).Slash(ctx, "/coach", "help")
	}
}

// syncBuffer is a log sink safe for the bot's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  []byte
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b = append(s.b, p...)
	return len(p), nil
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.b...)
}

// inproc is the bot wired in process, with its local Slack and log.
type inproc struct {
	sim    *slacksim.Server
	ws     campaign.Workspace
	dbPath string
	log    *syncBuffer
	bot    *bot.Bot
	cfg    campaign.InProcConfig
}

// newInProc starts a local Slack with n directors, seeds the database with
// schedules and starts the in-process bot; mod adjusts its configuration.
func newInProc(t testing.TB, opts slacksim.Options, n int, schedules []coach.Schedule, mod ...func(*campaign.InProcConfig)) *inproc {
	t.Helper()
	opts.BotToken, opts.AppToken = campaign.CanaryBotToken, campaign.CanaryAppToken
	sim := slacksim.New(opts)
	t.Cleanup(sim.Close)
	ws := campaign.NewWorkspace(sim, n)
	p := &inproc{sim: sim, ws: ws, dbPath: t.TempDir() + "/leancoach.db", log: &syncBuffer{}}
	if _, err := ws.Seed(context.Background(), p.dbPath, schedules...); err != nil {
		t.Fatal(err)
	}
	p.cfg = campaign.InProcConfig{Sim: sim, WS: ws, DBPath: p.dbPath, Log: p.log}
	for _, m := range mod {
		m(&p.cfg)
	}
	p.start(t)
	t.Cleanup(func() {
		if p.bot != nil {
			_ = p.bot.Stop()
		}
		if t.Failed() {
			l := p.log.Bytes()
			if len(l) > 6000 {
				l = l[len(l)-6000:]
			}
			t.Logf("bot log (tail):\n%s", l)
		}
	})
	return p
}

func (p *inproc) start(t testing.TB) {
	t.Helper()
	ctx, cancel := campaign.Deadline(20 * time.Second)
	defer cancel()
	b, err := campaign.StartInProc(ctx, p.cfg)
	if err != nil {
		t.Fatalf("start bot: %v", err)
	}
	p.bot = b
}

func (p *inproc) stop(t testing.TB) {
	t.Helper()
	if err := p.bot.Stop(); err != nil {
		t.Errorf("stop: %v", err)
	}
	p.bot = nil
}

// check stops the bot (if running), collects and runs the oracle.
func (p *inproc) check(t testing.TB, e campaign.Expect, extra ...coach.OccurrenceKey) campaign.Report {
	t.Helper()
	if p.bot != nil {
		p.stop(t)
	}
	ctx, cancel := campaign.Deadline(30 * time.Second)
	defer cancel()
	e.Canaries = append(e.Canaries, campaign.CanaryBotToken, campaign.CanaryAppToken)
	h, err := campaign.Collect(ctx, p.sim, p.dbPath, p.log.Bytes(), extra...)
	if err != nil {
		t.Fatalf("collect: %v", err)
	}
	r := campaign.Check(h, e)
	if !r.OK() {
		t.Errorf("oracle: %s", r)
	} else {
		t.Logf("oracle: %s", r)
	}
	return r
}

// noLoop leaves the due-loop off.
func noLoop(c *campaign.InProcConfig) { c.NoLoop = true }

// promptPlans are the due-loop's plans of the directors' prompts in ds,
// without the Lean leaders' check-in plans (bot.CheckInPlan).
func promptPlans(ds []coach.Due) []coach.Due {
	return slices.DeleteFunc(slices.Clone(ds), func(d coach.Due) bool { return d.Schedule == bot.CheckInPlan })
}
