package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/metrics"
)

// runBot is the production command: connect to Slack and coach.
func runBot(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("run takes no arguments (configuration comes from the environment); got %q", args[0])
	}
	cfg, err := LoadConfig(getenv, true)
	if err != nil {
		return err
	}
	clock, err := campaignClock(getenv) // nil (the wall clock) unless built with -tags campaign
	if err != nil {
		return err
	}
	return bot.Run(ctx, botOptions(cfg, clock, newLogger(cfg, stderr)), nil)
}

func newLogger(cfg Config, w io.Writer) zerolog.Logger {
	if cfg.LogFormat == "console" {
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.RFC3339}
	}
	return zerolog.New(w).Level(cfg.LogLevel).With().Timestamp().Logger()
}

// botOptions are the assembly's options for cfg, with the operator
// endpoints; clock nil is the wall clock.
func botOptions(cfg Config, clock coach.Clock, log zerolog.Logger) bot.Options {
	m := metrics.New()
	return bot.Options{
		BotToken:      cfg.BotToken,
		AppToken:      cfg.AppToken,
		APIURL:        cfg.APIURL,
		DBPath:        cfg.DBPath,
		Clock:         clock,
		Logger:        log,
		Metrics:       m,
		Admins:        cfg.Admins,
		TZ:            cfg.TZ,
		Lang:          cfg.Lang,
		NoteRetention: cfg.NoteRetention,
		PostRate:      cfg.PostRate,
		WeeklyBudget:  cfg.WeeklyBudget,
		Ops: func(ctx context.Context, b *bot.Bot) error {
			return serveOps(ctx, cfg, opsDeps{db: b.DB, connected: b.Connected, metrics: m, log: log, token: b.Token.Err})
		},
	}
}
