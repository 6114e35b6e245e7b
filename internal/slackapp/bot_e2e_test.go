package slackapp_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/secret"
	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

// botOptions are what an end-to-end world sets on the bot it starts.
type botOptions struct {
	admins []coach.UserID // LEANCOACH_ADMINS
	// dueLoop runs the due-loop beside the Slack intake, as cmd/bot does.
	dueLoop bool
	// seed, if set, writes to the store before the bot starts.
	seed func(ctx context.Context, db *store.DB) error
	// clock, if set, is the bot's time (the wall clock otherwise).
	clock coach.Clock
}

// botLife is one life of the bot process: the one assembly (internal/bot)
// that cmd/bot starts, on a bbolt file and connected to slacksim over Socket
// Mode. The weekly digest job is left off (it runs on the wall clock; the
// digest tests call Portal.SendDigests at chosen times).
type botLife struct {
	db  *store.DB
	bot *bot.Bot
	// prompter is the bot's due-loop, the Prompter behind /coach send.
	prompter coach.Prompter
	stop     func()
}

// startBot seeds the store at dbPath, starts the bot on it against sim
// until stop (or the end of the test), and waits until each of its
// sockets is connected.
func startBot(t testing.TB, sim *slacksim.Server, dbPath string, o botOptions) *botLife {
	t.Helper()
	if o.seed != nil {
		db, err := store.Open(dbPath, store.Options{})
		if err != nil {
			t.Fatalf("open store: %v", err)
		}
		err = o.seed(t.Context(), db)
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatalf("seed store: %v", err)
		}
	}
	log := zerolog.Nop()
	if tt, ok := t.(*testing.T); ok {
		log = zerolog.New(zerolog.NewTestWriter(tt)).Level(zerolog.ErrorLevel)
	}
	// Slack's real pacing (one post a second) is the Poster's own subject;
	// here it would only make the tests and the benchmark wait.
	fast := slackio.Rate{PerSecond: 10_000, Burst: 10_000}
	limits := slackio.DefaultLimits()
	for k := range limits {
		limits[k] = fast
	}
	b, err := bot.Start(t.Context(), bot.Options{
		BotToken: secret.Token(sim.BotToken()),
		AppToken: secret.Token(sim.AppToken()),
		APIURL:   sim.APIURL(),
		DBPath:   dbPath,
		Logger:   log,
		Admins:   o.admins,
		Limits:   limits,
		// Without the due-loop it still delivers /coach send prompts (it
		// is the Service's Prompter), but nothing scheduled goes out on its
		// own: worlds that seed schedules would otherwise get prompts or not
		// depending on the weekday and hour the test runs.
		NoLoop:    !o.dueLoop,
		NoDigests: true,
		Clock:     o.clock,
	})
	if err != nil {
		t.Fatalf("start the bot: %v", err)
	}
	life := &botLife{db: b.DB, bot: b, prompter: b.Loop}
	var once sync.Once
	life.stop = func() {
		once.Do(func() {
			if err := b.Stop(); err != nil {
				t.Errorf("the bot stopped with %v, want nil", err)
			}
		})
	}
	t.Cleanup(life.stop)
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	if err := sim.WaitFor(wctx, func() bool { return sim.Connections() == bot.Sockets }); err != nil {
		t.Fatalf("bot never connected its %d sockets: %v", bot.Sockets, err)
	}
	return life
}
