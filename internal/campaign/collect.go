package campaign

import (
	"context"
	"fmt"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

// Collect gathers a run's History: the local Slack's messages and envelopes,
// and the database at dbPath. The bot must have stopped (the database is
// locked while it runs); Collect opens it, checks it and closes it again.
// extraKeys are occurrence keys to read even when no director lists them
// any more (a director removed during the run).
func Collect(ctx context.Context, sim *slacksim.Server, dbPath string, logs []byte, extraKeys ...coach.OccurrenceKey) (History, error) {
	h := History{
		Envelopes:   sim.Envelopes(),
		Replies:     Replies(sim.Events()),
		Occurrences: map[coach.OccurrenceKey]coach.Occurrence{},
		Leave:       map[coach.UserID][]coach.Period{},
		Logs:        logs,
	}
	for _, ch := range sim.Channels() {
		h.Messages = append(h.Messages, sim.Messages(ch.ID)...)
	}
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		return h, fmt.Errorf("collect: open %s: %w", dbPath, err)
	}
	defer db.Close()
	if err := readOccurrences(ctx, db, &h, extraKeys); err != nil {
		return h, err
	}
	return h, nil
}

// Replies counts the replies per envelope id in a slacksim event log: the
// response_url posts and ack payloads slacksim ties to an envelope, and the
// ephemeral messages the bot shows a user after an interactive envelope of
// theirs. A click's prompt replaced through its response_url
// (replace_original) is how an answer is shown, not a reply: it is left out.
// A modal submission has no response_url, so the bot tells its refusal (say,
// the prompt expired while the modal was open) through the response_url of
// the click that opened it, or with chat.postEphemeral in the prompt's DM;
// such a message belongs to the user's latest interactive envelope before
// it. Without it a refused submission would look accepted, and the oracle
// would want it recorded.
func Replies(events []slacksim.Event) map[string]int {
	out := map[string]int{}
	latest := map[string]string{} // user → their latest interactive envelope
	for _, ev := range events {
		switch {
		case ev.Kind == slacksim.EventResponse && ev.Detail == "replaced":
		case ev.Kind == slacksim.EventResponse && ev.EnvelopeID != "":
			out[ev.EnvelopeID]++
		case ev.Kind == slacksim.EventEnvelope && ev.Detail == "interactive" && ev.User != "":
			latest[ev.User] = ev.EnvelopeID
		case ev.Kind == slacksim.EventEnvelope && ev.User != "":
			delete(latest, ev.User) // what follows a command answers the command
		case ev.Kind == slacksim.EventEphemeral && latest[ev.User] != "":
			out[latest[ev.User]]++
		}
	}
	return out
}

// readOccurrences reads every occurrence of every director, plus the ones
// named by extraKeys or by a message's metadata.
func readOccurrences(ctx context.Context, db *store.DB, h *History, extraKeys []coach.OccurrenceKey) error {
	ds, err := db.Directors(ctx)
	if err != nil {
		return fmt.Errorf("collect: directors: %w", err)
	}
	for _, d := range ds {
		h.Leave[d.ID] = d.Leave
		occs, err := db.History(ctx, d.ID, "", time.Time{})
		if err != nil {
			return fmt.Errorf("collect: history of %s: %w", d.ID, err)
		}
		for _, o := range occs {
			h.Occurrences[o.Key] = o
		}
	}
	keys := append([]coach.OccurrenceKey(nil), extraKeys...)
	for _, m := range h.Messages {
		if ref := RefOf(m); ref != "" {
			keys = append(keys, coach.OccurrenceKey(trimReminder(ref)))
		}
	}
	for _, k := range keys {
		if _, ok := h.Occurrences[k]; ok {
			continue
		}
		o, err := db.Occurrence(ctx, k)
		if err != nil {
			if coach.ErrorCode(err) == coach.ENOTFOUND {
				continue
			}
			return fmt.Errorf("collect: occurrence %s: %w", k, err)
		}
		h.Occurrences[k] = o
	}
	return nil
}

func trimReminder(ref string) string {
	for i := range len(ref) {
		if ref[i] == '#' {
			return ref[:i]
		}
	}
	return ref
}
