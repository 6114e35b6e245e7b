package slackapp_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

// botOptions are what an end-to-end world sets on the bot it starts.
type botOptions struct {
	admins []coach.UserID // LEANCOACH_ADMINS
	// dueLoop runs the due-loop beside the Slack intake, as cmd/bot does.
	// Without it the Loop still delivers /coach send prompts (it is the
	// Service's Prompter), but nothing scheduled goes out on its own: worlds
	// that seed schedules would otherwise get prompts or not depending on
	// the weekday and hour the test runs.
	dueLoop bool
	// seed, if set, writes to the store before the bot starts.
	seed func(ctx context.Context, db *store.DB) error
}

// botLife is one life of the bot process: internal/bot's assembly, the one
// cmd/bot runs, on a bbolt file and connected to slacksim over Socket Mode.
// The weekly digest loop is left off (it runs on the wall clock; the digest
// tests call Portal.SendDigests at chosen times).
type botLife struct {
	db  *store.DB
	bot *bot.Bot
	// prompter is the assembly's due-loop, the Prompter behind /coach send.
	prompter coach.Prompter
	stop     func()
}

// startBot opens the store at dbPath, assembles the bot with internal/bot
// and runs it against sim until stop (or the end of the test), and waits
// until it is connected.
func startBot(t testing.TB, sim *slacksim.Server, dbPath string, o botOptions) *botLife {
	t.Helper()
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	if o.seed != nil {
		if err := o.seed(t.Context(), db); err != nil {
			db.Close()
			t.Fatalf("seed store: %v", err)
		}
	}
	log := zerolog.Nop()
	if tt, ok := t.(*testing.T); ok {
		log = zerolog.New(zerolog.NewTestWriter(tt)).Level(zerolog.ErrorLevel)
	}
	// As cmd/bot: one HTTP client with a timeout for the Web API and the
	// response_url posts.
	httpClient := &http.Client{Timeout: 15 * time.Second}
	api := slack.New(sim.BotToken(), slack.OptionAPIURL(sim.APIURL()), slack.OptionAppLevelToken(sim.AppToken()),
		slack.OptionHTTPClient(httpClient))
	// Slack's real pacing (one post a second) is the Poster's own subject;
	// here it would only make the tests and the benchmark wait.
	fast := slackapp.Rate{PerSecond: 10_000, Burst: 10_000}
	limits := slackapp.DefaultLimits()
	for k := range limits {
		limits[k] = fast
	}
	b, err := bot.New(bot.Config{Store: db, Slack: api, Team: coach.TeamID(sim.TeamID()),
		Clock: coach.ClockFunc(time.Now), Logger: log, Admins: o.admins, Limits: limits})
	if err != nil {
		db.Close()
		t.Fatalf("assemble the bot: %v", err)
	}
	app := slackapp.New(slackapp.Config{Sockets: []*socketmode.Client{socketmode.New(api)}, Router: b.Router, Logger: log,
		HTTPClient: httpClient, LangOf: b.LangOf})

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	wg.Go(func() {
		if err := app.Run(ctx); err != nil {
			fail(fmt.Errorf("app: %w", err))
		}
	})
	if o.dueLoop {
		wg.Go(func() {
			if err := b.Loop.Run(ctx); err != nil {
				fail(fmt.Errorf("due-loop: %w", err))
			}
		})
	}
	life := &botLife{db: db, bot: b, prompter: b.Loop}
	var once sync.Once
	// stop shuts down as cmd/bot does: the Slack intake and the due-loop
	// first, the store last.
	life.stop = func() {
		once.Do(func() {
			cancel()
			stopped := make(chan struct{})
			go func() { wg.Wait(); close(stopped) }()
			select {
			case <-stopped:
			case <-time.After(10 * time.Second):
				t.Errorf("the bot did not stop within 10s of cancel")
			}
			httpClient.CloseIdleConnections()
			if err := db.Close(); err != nil {
				t.Errorf("close store: %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, err := range errs {
				t.Errorf("the bot stopped with %v, want nil", err)
			}
		})
	}
	t.Cleanup(life.stop)
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	if err := sim.WaitConnected(wctx); err != nil {
		t.Fatalf("bot never connected: %v", err)
	}
	return life
}
