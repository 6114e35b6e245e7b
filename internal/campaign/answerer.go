package campaign

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/wait"
)

// Answerer plays the directors: it watches the local Slack for prompts and
// answers each one once, Done (one click, then typing Note into the form
// "Add a note" opens) or Not today, as a person would, retrying a click
// Slack could not deliver (the socket was down). It records every answering
// click for the oracle.
type Answerer struct {
	Sim *slacksim.Server
	// Habit tells a prompt's habit from its schedule (for the streak check).
	Habit func(coach.ScheduleID) coach.Habit
	// DoneRatio is the share of prompts answered Done; the rest Not today.
	DoneRatio float64
	// Note is typed into a done answer's note form (a canary for I6); ""
	// adds no note.
	Note string
	// Think is the longest a person takes to read a prompt before clicking
	// (a random share of it each time); 0 = at once.
	Think time.Duration
	Rand  *rand.Rand

	mu      sync.Mutex
	seen    map[string]bool // channel/ts of prompts taken
	inter   []Interaction
	samples []Sample
	failed  int
	wg      sync.WaitGroup
}

// Run answers prompts until ctx ends, then waits for the answers in flight.
func (a *Answerer) Run(ctx context.Context) {
	a.mu.Lock()
	if a.seen == nil {
		a.seen = map[string]bool{}
	}
	a.mu.Unlock()
	evs, cancel := a.Sim.Subscribe()
	defer cancel()
	sweep := time.NewTicker(500 * time.Millisecond)
	defer sweep.Stop()
	for {
		select {
		case <-ctx.Done():
			a.wg.Wait()
			return
		case ev, ok := <-evs:
			if !ok {
				a.wg.Wait()
				return
			}
			if ev.Kind == slacksim.EventMessage {
				if m, ok := a.Sim.Message(ev.Channel, ev.TS); ok {
					a.take(ctx, m)
				}
			}
		case <-sweep.C:
			// The feed drops events when it falls behind: look at every DM.
			for _, ch := range a.Sim.Channels() {
				if ch.IsIM {
					for _, m := range a.Sim.Messages(ch.ID) {
						a.take(ctx, m)
					}
				}
			}
		}
	}
}

// take starts answering m if it is a prompt not taken yet.
func (a *Answerer) take(ctx context.Context, m slacksim.Message) {
	ref := RefOf(m)
	if ref == "" || !m.IsBot() || strings.Contains(ref, "#") {
		return
	}
	id := m.Channel + "/" + m.TS
	a.mu.Lock()
	if a.seen[id] {
		a.mu.Unlock()
		return
	}
	a.seen[id] = true
	done := a.Rand.Float64() < a.DoneRatio
	think := time.Duration(0)
	if a.Think > 0 {
		think = time.Duration(a.Rand.Int64N(int64(a.Think)))
	}
	a.mu.Unlock()
	a.wg.Go(func() {
		_ = wait.For(ctx, think) // a stop ends the think; answer then sees ctx done
		a.answer(ctx, m, coach.OccurrenceKey(ref), done)
	})
}

// answer answers one prompt. Like a person, it tries again when Slack
// could not deliver the action (the socket was down) or the bot answered
// with an error (the prompt was still being sent), up to five times.
func (a *Answerer) answer(ctx context.Context, m slacksim.Message, key coach.OccurrenceKey, done bool) {
	parts := strings.Split(string(key), "|")
	in := Interaction{Key: key, Director: coach.UserID(parts[1]), Outcome: coach.NotToday}
	if done {
		in.Outcome = coach.Done
	}
	if a.Habit != nil {
		in.Habit = a.Habit(coach.ScheduleID(parts[0]))
	}
	actor := a.Sim.As(parts[1])
	for attempt := 0; attempt < 5 && ctx.Err() == nil; attempt++ {
		if attempt > 0 {
			_ = wait.For(ctx, time.Duration(attempt)*300*time.Millisecond) // the loop checks ctx
		}
		before, _ := a.Sim.Message(m.Channel, m.TS)
		action := bot.ActionNotToday
		if done {
			action = bot.ActionAnswer
		}
		res, err := actor.Click(ctx, m, action)
		if res != nil {
			in.EnvelopeID = res.EnvelopeID
			a.mu.Lock()
			a.samples = append(a.samples, Sample{EnvelopeID: res.EnvelopeID, Acked: res.Acked(), Latency: res.Envelope.Latency})
			a.inter = append(a.inter, in)
			a.mu.Unlock()
		}
		if err != nil {
			if errors.Is(err, slacksim.ErrNoConnection) || errors.Is(err, slacksim.ErrNotAcked) {
				continue
			}
			break
		}
		// Acked: the prompt is updated with the outcome, or the bot says
		// why not.
		wctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		werr := a.Sim.WaitFor(wctx, func() bool {
			now, _ := a.Sim.Message(m.Channel, m.TS)
			return now.Edited > before.Edited || len(res.Responses()) > 0
		})
		cancel()
		if now, _ := a.Sim.Message(m.Channel, m.TS); werr == nil && now.Edited > before.Edited {
			if done && a.Note != "" {
				a.addNote(ctx, actor, now)
			}
			return
		}
	}
	a.mu.Lock()
	a.failed++
	a.mu.Unlock()
}

// addNote clicks "Add a note" on the answered prompt m and submits the form
// it opens with Note, trying again, like a person, when Slack could not
// deliver a step. The answer is recorded already: a note that never gets
// through is not a failed answer.
func (a *Answerer) addNote(ctx context.Context, actor *slacksim.Actor, m slacksim.Message) {
	for attempt := 0; attempt < 3 && ctx.Err() == nil; attempt++ {
		if attempt > 0 {
			_ = wait.For(ctx, time.Duration(attempt)*300*time.Millisecond) // the loop checks ctx
		}
		// A form left open by an earlier attempt whose submission Slack
		// could not deliver is not this click's: only a view opened after
		// it is.
		open := map[string]bool{}
		for _, v := range a.Sim.Views(actor.ID()) {
			open[v.ID] = true
		}
		click, err := actor.Click(ctx, m, bot.ActionNote)
		if err != nil {
			continue
		}
		wctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		var view slacksim.View
		_ = a.Sim.WaitFor(wctx, func() bool {
			if vs := a.Sim.Views(actor.ID()); len(vs) > 0 && !open[vs[len(vs)-1].ID] {
				view = vs[len(vs)-1]
				return true
			}
			return len(click.Responses()) > 0
		})
		cancel()
		switch {
		case view.ID == "":
			continue // the bot said why not, or nothing came: try again
		case view.CallbackID != bot.ViewDone:
			return // the standup's and the question's forms ask more than a note
		}
		if _, err := actor.Submit(ctx, view.ID, slacksim.Values{bot.BlockNote: a.Note}); err == nil {
			return
		}
	}
}

// Interactions returns every answer given so far.
func (a *Answerer) Interactions() []Interaction {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Interaction(nil), a.inter...)
}

// Samples returns the ack samples of the answers.
func (a *Answerer) Samples() []Sample {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Sample(nil), a.samples...)
}

// Failed counts prompts that could not be answered after retries.
func (a *Answerer) Failed() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.failed
}
