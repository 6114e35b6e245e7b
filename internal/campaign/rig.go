package campaign

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/leancoach/leancoach/internal/slacksim"
)

// Rig is one scenario's world: a local Slack with a workspace, a database
// file and the production bot pointed at both.
type Rig struct {
	Sim    *slacksim.Server
	WS     Workspace
	Bot    *Bot
	DBPath string
}

// NewRig starts a local Slack with the canary tokens and n directors and
// prepares (does not start) the bot binary at bin, keeping its files in dir.
func NewRig(bin, dir string, opts slacksim.Options, n int, zones ...string) *Rig {
	opts.BotToken, opts.AppToken = CanaryBotToken, CanaryAppToken
	sim := slacksim.New(opts)
	ws := NewWorkspace(sim, n, zones...)
	db := filepath.Join(dir, "leancoach.db")
	return &Rig{
		Sim:    sim,
		WS:     ws,
		DBPath: db,
		Bot:    &Bot{Path: bin, Env: BotEnv(sim, ws, db), LogPath: filepath.Join(dir, "bot.log")},
	}
}

// Start starts the bot and waits until it said hello on each of its
// BotSockets sockets, or fails when it exits first or ctx ends.
func (r *Rig) Start(ctx context.Context) error {
	after := r.Sim.Seq()
	if err := r.Bot.Start(); err != nil {
		return err
	}
	up := make(chan error, 1)
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { up <- waitHellos(wctx, r.Sim, after, BotSockets) }()
	select {
	case err := <-up:
		if err != nil {
			return fmt.Errorf("bot never connected: %w", err)
		}
		return nil
	case <-r.Bot.Exited():
		code, _, _ := r.Bot.Wait(ctx)
		return fmt.Errorf("bot exited with code %d before connecting:\n%s", code, tail(r.Bot.Logs(), 2000))
	}
}

// waitHellos waits until n sockets said hello after seq.
func waitHellos(ctx context.Context, sim *slacksim.Server, seq int64, n int) error {
	for range n {
		ev, err := sim.WaitEvent(ctx, seq, func(ev slacksim.Event) bool { return ev.Kind == slacksim.EventConnOpened })
		if err != nil {
			return err
		}
		seq = ev.Seq
	}
	return nil
}

// Close kills a still running bot and stops the local Slack.
func (r *Rig) Close() {
	if r.Bot.Pid() != 0 {
		select {
		case <-r.Bot.Exited():
		default:
			r.Bot.Kill()
		}
	}
	r.Sim.Close()
}

// WaitReplies waits until every envelope of ids that the bot acked has at
// least one reply, judged by the local Slack's log, or ctx ends.
func (r *Rig) WaitReplies(ctx context.Context, ids []string) error {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	err := r.Sim.WaitFor(ctx, func() bool {
		status := map[string]string{}
		for _, e := range r.Sim.Envelopes() {
			if want[e.ID] {
				status[e.ID] = e.Status
			}
		}
		got := Replies(r.Sim.Events())
		for id := range want {
			if status[id] == slacksim.StatusAcked && got[id] == 0 {
				return false
			}
		}
		return true
	})
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("replies still missing: %w", err)
	}
	return err
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// Deadline is a context for one wait in a scenario.
func Deadline(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}
