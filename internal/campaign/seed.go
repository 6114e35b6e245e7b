package campaign

import (
	"context"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

// SeedPrompts puts one open prompt of habit h in each director's DM, as the
// due-loop would have sent it: the message (rendered by slackapp, with the
// key in its metadata) posted to the local Slack as the bot, and the
// occurrence recorded Sent in the database at dbPath (which must not be
// open). Ad-hoc keys ("send|U…|date.1") keep the due-loop out of it. It
// returns the keys in director order.
func SeedPrompts(ctx context.Context, sim *slacksim.Server, dbPath string, ws Workspace, h coach.Habit, now time.Time) ([]coach.OccurrenceKey, error) {
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		return nil, fmt.Errorf("seed prompts: %w", err)
	}
	defer db.Close()
	api := slack.New(sim.BotToken(), slack.OptionAPIURL(sim.APIURL()))
	date := now.UTC().Format(time.DateOnly)
	var keys []coach.OccurrenceKey
	for _, d := range ws.Directors {
		k := coach.NewOccurrenceKey(coach.AdHoc, d, date+".1")
		o := coach.Occurrence{Key: k, Schedule: coach.AdHoc, Director: d, Habit: h, LocalDate: date, Due: now.UTC()}
		ch, ts, err := bot.PostPrompt(ctx, api, o)
		if err != nil {
			return nil, fmt.Errorf("seed prompts: %w", err)
		}
		o.State, o.Channel, o.TS, o.SentAt, o.StartedAt, o.Attempts = coach.Sent, coach.ChannelID(ch), ts, now.UTC(), now.UTC(), 1
		if _, _, err := db.CreateOccurrence(ctx, o); err != nil {
			return nil, fmt.Errorf("seed prompts: record %s: %w", k, err)
		}
		keys = append(keys, k)
	}
	return keys, nil
}
