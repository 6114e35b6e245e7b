package main

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/health"
	"github.com/leancoach/leancoach/internal/metrics"
	"github.com/leancoach/leancoach/internal/store"
)

// opsDeps is what the operator endpoints watch.
type opsDeps struct {
	db        *store.DB
	connected func() bool      // a Socket Mode connection is up: (*slackio.App).Connected
	metrics   *metrics.Metrics // may be nil: then /metrics is 404
	log       zerolog.Logger
	// token is nil while Slack accepts the bot token and the refusal once it
	// did not ((*slackio.TokenGuard).Err); nil func = not checked.
	token func() error
}

// serveOps runs the operator endpoints until ctx is done: /healthz, /readyz and
// /metrics on cfg.HTTPAddr (none when it is ""), and the backup socket beside the
// database (see ops_socket.go). It also reports the database size to d.metrics.
//
// It returns early with an error only when cfg.HTTPAddr cannot be served. A
// backup socket that cannot be created is logged and the bot runs on: only hot
// backups are lost, and `bot backup` then says so.
func serveOps(ctx context.Context, cfg Config, d opsDeps) error {
	d.metrics.DBSize(func() int64 {
		n, _ := d.db.Size()
		return n
	})
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel() // before Wait: the backup socket runs until ctx is done
		wg.Wait()
	}()
	wg.Go(func() {
		if err := serveBackups(ctx, cfg.DBPath, d.db, d.log); err != nil {
			d.log.Error().Err(err).Msg("hot backups unavailable: bot backup works only while the bot is stopped")
		}
	})
	if cfg.HTTPAddr == "" {
		<-ctx.Done()
		return nil
	}
	d.log.Info().Str("addr", cfg.HTTPAddr).Msg("serving /healthz, /readyz and /metrics")
	return health.Serve(ctx, cfg.HTTPAddr, opsHandler(d))
}

// errNotConnected is /readyz's reason while Socket Mode is down.
var errNotConnected = errors.New("socket mode is not connected")

// opsHandler serves /healthz, /readyz (Socket Mode connected, the bot token
// not refused, and the database open) and /metrics.
func opsHandler(d opsDeps) http.Handler {
	checks := []health.Check{
		{Name: "slack", Err: health.Up(d.connected, errNotConnected.Error())},
		{Name: "database", Err: func() error {
			_, err := d.db.Stats() // store.ErrClosed once closed
			return err
		}},
	}
	if d.token != nil {
		checks = append(checks, health.Check{Name: "slack_token", Err: d.token})
	}
	return health.Handler(metricsHandler(d.metrics), checks...)
}

// metricsHandler is m's handler, or nil for no /metrics route.
func metricsHandler(m *metrics.Metrics) http.Handler {
	if m == nil {
		return nil
	}
	return m.Handler()
}
