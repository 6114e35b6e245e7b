package bot

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/metrics"
	"github.com/leancoach/leancoach/internal/retention"
	"github.com/leancoach/leancoach/internal/secret"
	"github.com/leancoach/leancoach/internal/slackio"
)

// Options are what the bot is started with. `bot run`, `bot sandbox` and
// the campaign's in-process bot differ only here. A zero field means what
// its comment says.
type Options struct {
	BotToken secret.Token // xoxb-…; required
	AppToken secret.Token // xapp-…, for Socket Mode; required
	APIURL   string       // Slack's Web API base, ending in "/"; "" = https://slack.com/api/
	DBPath   string       // the database file; required
	MaxSize  int          // bounds the database file (store.Options.MaxSize); 0 = none

	// Clock is the bot's time (coach, store, due-loop); nil = the wall
	// clock. Socket Mode, HTTP timeouts and the life of a click's trigger_id
	// always use the real time: they are Slack's, not the bot's.
	Clock   coach.Clock
	Logger  zerolog.Logger
	Metrics *metrics.Metrics // nil = nothing counted

	Admins        []coach.UserID   // LEANCOACH_ADMINS
	TZ            *time.Location   // for users whose Slack profile has none; nil = UTC
	Lang          i18n.Lang        // for users whose locale is neither nl nor en; "" = en
	NoteRetention retention.Period // how long users' free text is kept; zero = forever
	// WeeklyBudget is the most scheduled prompts a director gets a week
	// (LEANCOACH_WEEKLY_BUDGET, see coach.Budget); zero = no budget.
	WeeklyBudget coach.Budget

	// PostRate is how many prompts a second the bot posts, workspace-wide
	// (LEANCOACH_POST_RATE); 0 = the pace in Limits.
	PostRate float64
	// Limits pace the Poster's Web API calls; nil = slackio.DefaultLimits().
	Limits map[string]slackio.Rate
	// PosterTimeout bounds one Web API call of the Poster; 0 = its default.
	PosterTimeout time.Duration
	// Tick is the due-loop's longest sleep; 0 = its default (30 s).
	Tick time.Duration
	// PingInterval is slack-go's ping watchdog; 0 = its default (30 s).
	PingInterval time.Duration
	// ConnectRate is the reconnect brake on apps.connections.open; the
	// zero Rate is slackio.ConnectRate(Sockets), and one with PerSecond < 0
	// turns the brake off, for scenarios that reconnect far more often than
	// Slack would ask (the envelope fuzzer).
	ConnectRate slackio.Rate

	// NoLoop leaves the due-loop off: nothing scheduled goes out on its
	// own (the loop still delivers /coach send, as the Service's Prompter).
	NoLoop bool
	// NoDigests leaves the weekly digest job off.
	NoDigests bool
	// Ops, if set, runs beside the bot while it runs: the operator
	// endpoints, which see the bot through b. Its ctx is done at the stop,
	// once the intake has drained and before the store closes. An error it
	// returns stops the bot with that error.
	Ops func(ctx context.Context, b *Bot) error
}

// check refuses options the bot cannot start with.
func (o Options) check() error {
	var errs []error
	if o.BotToken.IsZero() {
		errs = append(errs, errors.New("no bot token"))
	}
	if o.AppToken.IsZero() {
		errs = append(errs, errors.New("no app-level token"))
	}
	if o.DBPath == "" {
		errs = append(errs, errors.New("no database path"))
	}
	if o.PostRate < 0 {
		errs = append(errs, errors.New("negative post rate"))
	}
	if o.WeeklyBudget < 0 || o.WeeklyBudget > coach.MaxWeeklyBudget {
		errs = append(errs, fmt.Errorf("weekly budget %d is outside 0 (none) to %d", o.WeeklyBudget, coach.MaxWeeklyBudget))
	}
	return errors.Join(errs...)
}

// withDefaults fills in production's choices for the zero fields.
func (o Options) withDefaults() Options {
	if o.APIURL == "" {
		o.APIURL = "https://slack.com/api/"
	}
	if o.Clock == nil {
		o.Clock = coach.ClockFunc(time.Now)
	}
	if o.TZ == nil {
		o.TZ = time.UTC
	}
	if o.Lang == "" {
		o.Lang = i18n.EN
	}
	if o.Limits == nil {
		o.Limits = slackio.DefaultLimits()
	} else {
		o.Limits = maps.Clone(o.Limits)
	}
	if o.PostRate > 0 {
		o.Limits[slackio.LimitPost] = slackio.Rate{PerSecond: o.PostRate, Burst: max(3, int(o.PostRate))}
	}
	if o.ConnectRate == (slackio.Rate{}) {
		o.ConnectRate = slackio.ConnectRate(Sockets)
	}
	return o
}
