// Package bot is leancoach's one assembly: it builds the bot from its parts
// (the use cases in coach, the Slack routes and senders in slackapp, the
// durable due-loop in schedule, over one store and one Slack client), runs
// it, and stops it in order. `bot run`, `bot sandbox` and the reliability
// campaign's in-process bot all start it here and differ only in Options,
// so what the campaign tests is what ships.
package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/store"
)

// Sockets is how many Socket Mode connections the bot keeps open. Slack
// spreads envelopes over an app's connections (it allows ten), so while one
// is being replaced (a refresh every few hours: slack-go closes the old
// socket before it opens the new one) the other still takes commands and
// clicks, which Slack does not redeliver. Each has its share of the
// reconnect brake (slackio.ConnectRate).
const Sockets = 2

// DigestEvery is how often the weekly digest job looks for directors whose
// Friday afternoon has come; each digest is sent once per week by its key.
const DigestEvery = 5 * time.Minute

// Bot is the running bot: its parts, its store and its Slack App, and the
// loops beside them. Start one with Start; Stop it once.
type Bot struct {
	*Parts
	// DB is the open store, closed by Stop after everything else stopped.
	DB *store.DB

	app  *slackio.App
	log  zerolog.Logger
	idle func() // closes the client's idle connections

	intake     context.Context // done once the bot begins to stop
	stopIntake context.CancelFunc
	stopJobs   context.CancelFunc
	wg         sync.WaitGroup

	mu   sync.Mutex
	errs []error

	stopOnce sync.Once
	stopErr  error
}

// Start builds the bot and starts it; it returns once the bot runs (its
// sockets connect in the background). ctx bounds the start only: the bot
// runs until Stop, or until it stops on its own (Done).
//
// Nothing is created before the options are checked and Slack has accepted
// the bot token (auth.test, a plain Web API call: Slack routes nothing to a
// process for it). The database, with its file lock, is opened next and
// before any Socket Mode connection, so that a second bot on the same file
// stops there and Slack never routes a user's click to it.
func Start(ctx context.Context, o Options) (*Bot, error) {
	if err := o.check(); err != nil {
		return nil, fmt.Errorf("start the bot: %w", err)
	}
	o = o.withDefaults()
	c := newClient(o)
	auth, err := c.api.AuthTestContext(ctx)
	if err != nil {
		c.idle()
		return nil, fmt.Errorf("check the bot token with Slack (auth.test): %w", err)
	}
	db, err := store.Open(o.DBPath, store.Options{Clock: o.Clock, MaxSize: o.MaxSize, Observer: o.Metrics})
	if err != nil {
		c.idle()
		return nil, fmt.Errorf("open database %s: %w", o.DBPath, err)
	}
	parts, err := wire(o, wiring{db: db, api: c.api, http: c.http, token: c.token, team: coach.TeamID(auth.TeamID),
		clock: o.Clock, log: o.Logger})
	if err != nil {
		c.idle()
		return nil, errors.Join(fmt.Errorf("assemble the bot: %w", err), db.Close())
	}
	b := &Bot{Parts: parts, DB: db, log: o.Logger, idle: c.idle}
	b.app = slackio.New(slackio.Config{Sockets: c.sockets(o), Router: parts.Router, Logger: o.Logger,
		Metrics: o.Metrics, HTTPClient: c.http, Voice: slackapp.Voice{LangOf: parts.LangOf}})
	b.run(o)
	o.Logger.Info().Str("db", o.DBPath).Str("team_id", auth.TeamID).Msg("leancoach started")
	return b, nil
}

// Run starts the bot, runs it until ctx is done or it stops on its own, and
// stops it. started, if not nil, is called once the bot runs. A ctx done
// while starting is no error.
func Run(ctx context.Context, o Options, started func(*Bot)) error {
	b, err := Start(ctx, o)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	if started != nil {
		started(b)
	}
	select {
	case <-ctx.Done():
	case <-b.Done():
	}
	return b.Stop()
}

// run starts the Slack App and the loops beside it. The App comes first in
// the order of a stop: ending its intake (Stop, or a failure) makes it drain
// in-flight handlers (bounded) and return, and only then are the due-loop,
// the jobs and the operator endpoints stopped, so that no handler finds
// them gone; the store is closed last, by Stop.
func (b *Bot) run(o Options) {
	intake, stopIntake := context.WithCancel(context.Background())
	jobs, stopJobs := context.WithCancel(context.Background())
	b.intake, b.stopIntake, b.stopJobs = intake, stopIntake, stopJobs
	b.wg.Go(func() {
		defer stopJobs()
		if err := b.app.Run(intake); err != nil {
			b.fail(fmt.Errorf("slack connection: %w", err))
		}
	})
	b.wg.Go(func() { b.watchToken(jobs) })
	// After the App: it hands its updates on until it returns, then the
	// queue gets its own bounded drain.
	b.wg.Go(func() { b.Updates.Run(jobs) })
	if !o.NoLoop {
		b.wg.Go(func() {
			if err := b.Loop.Run(jobs); err != nil && !errors.Is(err, context.Canceled) {
				b.log.Error().Err(err).Msg("due-loop stopped")
				b.fail(fmt.Errorf("due-loop: %w", err))
			}
		})
	}
	b.wg.Go(func() { _ = b.Retention.Run(jobs) }) // logs its own failures; returns at once when off
	b.wg.Go(func() { b.Profiles.Refresh(jobs, b.people, ProfileMaxAge, b.log) })
	if !o.NoDigests {
		b.wg.Go(func() { b.Portal.DigestLoop(jobs, DigestEvery, b.Surfaces, b.digestsSent) })
	}
	if o.Ops != nil {
		b.wg.Go(func() {
			if err := o.Ops(jobs, b); err != nil {
				b.log.Error().Err(err).Msg("operator endpoints stopped")
				b.fail(fmt.Errorf("operator endpoints: %w", err))
			}
		})
	}
}

// watchToken stops the bot when Slack refuses its token. Nothing can be
// sent until an operator fixes SLACK_BOT_TOKEN, so the bot stops with an
// error (its supervisor restarts it and the operator sees why) rather than
// let prompts age into missed. They stay recorded Sending; the next process
// reconciles them.
func (b *Bot) watchToken(ctx context.Context) {
	select {
	case <-b.Token.Rejected():
		err := b.Token.Err()
		b.log.Error().Err(err).
			Msg("slack refused the bot token; stopping: fix SLACK_BOT_TOKEN and restart, unsent prompts stay pending")
		b.fail(fmt.Errorf("slack refused the bot token (fix SLACK_BOT_TOKEN): %w", err))
	case <-ctx.Done():
	}
}

// people are the users whose profiles the bot keeps fresh: the directors
// and their Lean leaders.
func (b *Bot) people(ctx context.Context) ([]coach.UserID, error) {
	ds, err := b.DB.Directors(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[coach.UserID]bool{}
	var out []coach.UserID
	for _, d := range ds {
		for _, u := range append([]coach.UserID{d.ID}, d.Leaders...) {
			if !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	return out, nil
}

func (b *Bot) digestsSent(sent int, err error) {
	if err != nil && errors.Is(err, context.Canceled) && b.intake.Err() != nil {
		// Stopped midway (a run for many directors keeps to Slack's pace):
		// the week of the interrupted one was taken back, the next start
		// sends the rest.
		b.log.Info().Err(err).Int("sent", sent).Msg("weekly digests stopped with the bot; the next start sends the rest")
		return
	}
	if err != nil {
		b.log.Error().Err(err).Msg("weekly digests")
	} else if sent > 0 {
		b.log.Info().Int("sent", sent).Msg("weekly digests sent")
	}
}

// fail records why the bot stops, and begins the stop.
func (b *Bot) fail(err error) {
	b.mu.Lock()
	b.errs = append(b.errs, err)
	b.mu.Unlock()
	b.stopIntake()
}

// Done is closed once the bot has begun to stop: by Stop, or on its own
// (Slack refused a token, the due-loop or the operator endpoints failed),
// as the process should then exit. Call Stop to wait for it and learn why.
func (b *Bot) Done() <-chan struct{} { return b.intake.Done() }

// Connected reports whether a Socket Mode connection is up.
func (b *Bot) Connected() bool { return b.app.Connected() }

// Stop stops the bot in order: the Slack intake, then in-flight handlers
// drain (bounded), then the due-loop, the jobs and the operator endpoints,
// and the store last. It returns why the bot stopped on its own, if it did,
// and any failure to close the store; nil after a plain stop. Later calls
// return the same.
func (b *Bot) Stop() error {
	b.stopOnce.Do(func() {
		b.stopIntake()
		b.wg.Wait()
		b.stopJobs()
		// A process that exits closes its connections; in process, idle
		// keep-alive connections would otherwise stay as goroutines.
		b.idle()
		closeErr := b.DB.Close()
		b.log.Info().Msg("leancoach stopped")
		b.mu.Lock()
		defer b.mu.Unlock()
		if closeErr != nil {
			b.errs = append(b.errs, fmt.Errorf("close database: %w", closeErr))
		}
		b.stopErr = errors.Join(b.errs...)
	})
	return b.stopErr
}
