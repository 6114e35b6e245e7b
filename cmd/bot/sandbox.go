package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/sandbox"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// runSandbox starts a local Slack with a demo workspace, the production bot
// connected to it over Socket Mode, and the sandbox web page where a visitor
// acts as any person of the workspace. The bot's clock is the sandbox clock,
// so the page can jump to tomorrow morning through the real scheduling path.
func runSandbox(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:3000", "address of the sandbox web page")
	dbPath := fs.String("db", "", "keep the sandbox data in this file (default: a temporary file)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("sandbox takes no arguments; got %q", fs.Arg(0))
	}
	cfg, err := LoadConfig(getenv, false)
	if err != nil {
		return err
	}
	if *dbPath == "" {
		dir, err := os.MkdirTemp("", "leancoach-sandbox-")
		if err != nil {
			return fmt.Errorf("sandbox: %w", err)
		}
		defer os.RemoveAll(dir)
		*dbPath = filepath.Join(dir, "sandbox.db")
	}
	// A kept database already has its directors and schedules: seeding again
	// would add every schedule twice.
	_, statErr := os.Stat(*dbPath)
	seed := errors.Is(statErr, os.ErrNotExist)
	cfg.DBPath = *dbPath
	cfg.HTTPAddr = ""
	log := newLogger(Config{LogLevel: cfg.LogLevel, LogFormat: "console"}, stderr)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("sandbox: listen on %s (choose another with --addr): %w", *addr, err)
	}
	// One clock for the bot and the local Slack: message timestamps follow
	// the demo clock, so the due-loop's reconciliation (which looks for a
	// prompt by time) is right after "jump to tomorrow".
	clock := sandbox.NewClock(nil)
	sim := slacksim.New(slacksim.Options{BotName: "leancoach", TeamName: "Demo", TeamDomain: "demo", Now: clock.Now})
	defer sim.Close()
	w := seedWorkspace(sim)
	cfg.BotToken, cfg.AppToken = secretToken(sim.BotToken()), secretToken(sim.AppToken())
	cfg.APIURL = sim.APIURL()
	cfg.Admins = append(cfg.Admins, w.admin)

	var poke atomic.Pointer[func()]
	db := &sandboxStore{}
	page := sandbox.New(sim, sandbox.Options{
		Logger: log,
		Clock:  clock,
		Poke: func() {
			if p := poke.Load(); p != nil {
				(*p)()
			}
		},
		Roles:   w.roles(),
		BotName: "leancoach",
		Prefs:   db,
		Agenda:  db,
		Guide:   w.guide(),
	})
	web := &http.Server{Handler: page, ReadHeaderTimeout: 10 * time.Second}
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() {
		if err := web.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error().Err(err).Msg("sandbox page stopped")
		}
	})
	defer func() {
		page.Close()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		_ = web.Shutdown(sctx)
	}()
	fmt.Fprintf(stdout, "leancoach sandbox: open http://%s\n", ln.Addr())

	seedCtx, stopSeed := context.WithCancel(ctx)
	defer stopSeed()
	err = bot.Run(ctx, botOptions(cfg, clock, log), func(b *bot.Bot) {
		// "Send due prompts now" and a clock jump wake the due-loop at once.
		f := b.Loop.Poke
		poke.Store(&f)
		db.db.Store(b.DB)
		wg.Go(func() {
			if err := sim.WaitConnected(seedCtx); err != nil {
				return
			}
			if seed {
				n := page.Seed(seedCtx, string(w.admin), w.seedCommands(), log)
				if err := w.seedPaths(seedCtx, b.DB, clock.Now()); err != nil {
					log.Warn().Err(err).Msg("sandbox demo paths not seeded")
				}
				if err := w.seedLeaderSide(seedCtx, b.DB, clock.Now()); err != nil {
					log.Warn().Err(err).Msg("sandbox demo check-ins not seeded")
				}
				log.Info().Int("commands", n).Msg("sandbox demo workspace seeded")
			} else {
				log.Info().Str("db", cfg.DBPath).Msg("sandbox data kept from an earlier run; not seeding")
			}
			fmt.Fprintf(stdout, "leancoach sandbox: demo workspace ready\n")
		})
	})
	stopSeed()
	return err
}

// roles are the people the sandbox visitor may be, with their roles.
func (w demoWorkspace) roles() map[string]string {
	r := map[string]string{string(w.admin): "admin"}
	for _, d := range w.directors {
		r[string(d)] = "director"
	}
	for _, l := range w.leaders {
		r[string(l)] = "leader"
	}
	return r
}

// seedCommands set the demo workspace up the way an admin would, typed as
// the admin: the kudos channel, each director with their Lean leader, and the
// three core habits on schedules early enough that "Jump to tomorrow 08:00"
// lands after a working day's prompt: one each working day, five a week,
// the default weekly budget, so none is held back; and each Lean leader's
// check-in of this month, to try.
func (w demoWorkspace) seedCommands() []string {
	return []string{
		"/coach channel #kudos",
		"/coach director add @maarten leader @fatima",
		"/coach director add @sarah leader @tom",
		"/coach schedule add " + string(coach.Standup) + " mon,thu 07:30 to all",
		"/coach schedule add " + string(coach.Question) + " tue,fri 07:45 to all",
		"/coach schedule add " + string(coach.Compliment) + " weekly wed 07:50 to all",
		// This month's check-in, for each Lean leader to try.
		"/coach send checkin @fatima",
		"/coach send checkin @tom",
	}
}
