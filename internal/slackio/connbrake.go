package slackio

import (
	"fmt"
	"net/http"
	"path"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/wait"
)

// methodConnectionsOpen is the Web API method that hands out a Socket Mode
// URL; slack-go calls it before every (re)connection.
const methodConnectionsOpen = "apps.connections.open"

// ConnectRate paces apps.connections.open for an app keeping sockets Socket
// Mode connections open: a burst of 5 per socket, then one call every 20 s
// in all.
//
// Why these numbers. Slack rates apps.connections.open Tier 1: "1+ per
// minute ... a small amount of burst behavior is tolerated"
// (api.slack.com/methods/apps.connections.open, api.slack.com/docs/rate-limits;
// java-slack-sdk's tier table agrees, reliability.md 1.3). The figure is a
// floor, not a ceiling, and an excess earns a 429 whose Retry-After
// slack-go honours (A4), so the brake need not be exact; it must turn a
// storm of disconnect-after-hello (50 reconnects in 72 ms, about 41,600 a
// minute, before it) into a trickle near the tier while leaving ordinary
// reconnects alone:
//   - A burst of 5 per socket covers each socket's first connect plus four
//     quick reconnects (Slack's refresh plus a dropped link or two: A1
//     reconnects three times within 2 s, every socket at once for a dropped
//     link) with no wait at all.
//   - One call per 20 s after that, whatever the number of sockets, is 3 a
//     minute, a few times Tier 1's floor and far below Tier 2, and it bounds
//     the time a socket is down per further reconnect to 20 s times the
//     sockets waiting: Slack retries an undelivered events_api envelope
//     after about a minute, so that retry finds the bot back.
//
// Over any window W at most 5×sockets + W/20s calls go out.
func ConnectRate(sockets int) Rate { return Rate{PerSecond: 1.0 / 20, Burst: 5 * max(sockets, 1)} }

// DefaultConnectRate is ConnectRate for one socket.
func DefaultConnectRate() Rate { return ConnectRate(1) }

// HTTPDoer is the HTTP client slack.OptionHTTPClient takes; *http.Client
// is one.
type HTTPDoer interface {
	Do(req *http.Request) (*http.Response, error)
}

// BrakeMetrics is what the brake reports: each held-back call and for how
// long. *metrics.Metrics satisfies it.
type BrakeMetrics interface {
	ReconnectWait(d time.Duration)
}

// BrakeConfig configures a ConnectBrake.
type BrakeConfig struct {
	Rate    Rate         // zero = DefaultConnectRate(); any other with PerSecond ≤ 0 = no brake
	Metrics BrakeMetrics // nil = none
	Logger  zerolog.Logger
}

// ConnectBrake is a client-side token bucket on apps.connections.open, the
// one brake on slack-go's reconnect loop: slack-go reconnects at once on
// every disconnect message and backs off only after failures, so a Slack
// that disconnects right after each hello would otherwise be called as
// fast as the network allows. Give it to slack.New through
// slack.OptionHTTPClient in place of the *http.Client.
//
// It wraps the client rather than its Transport so that a wait happens
// before the client's Timeout starts: a 20 s wait inside a 15 s timeout
// would fail the call, and slack-go's retry would take yet another token.
// Every other request passes straight through. A wait ends early when the
// request's context is done (slack-go passes RunContext's ctx, so SIGTERM
// stops a braked reconnect at once); the token stays spent. Safe for
// concurrent use.
type ConnectBrake struct {
	client HTTPDoer
	lim    *Limiter
	m      BrakeMetrics
	log    zerolog.Logger
}

// NewConnectBrake returns a brake in front of client.
func NewConnectBrake(client HTTPDoer, cfg BrakeConfig) *ConnectBrake {
	r := cfg.Rate
	if r == (Rate{}) {
		r = DefaultConnectRate()
	}
	return &ConnectBrake{
		client: client,
		lim:    NewLimiter(map[string]Rate{methodConnectionsOpen: r}, time.Now),
		m:      cfg.Metrics,
		log:    cfg.Logger,
	}
}

// Do sends req through the client, first waiting for a token when req is a
// call to apps.connections.open.
func (b *ConnectBrake) Do(req *http.Request) (*http.Response, error) {
	if req.URL == nil || path.Base(req.URL.Path) != methodConnectionsOpen {
		return b.client.Do(req)
	}
	if d := b.lim.reserve([][2]string{{methodConnectionsOpen}}); d > 0 {
		if b.m != nil {
			b.m.ReconnectWait(d)
		}
		b.log.Warn().Dur("wait", d).Msg("reconnecting too often: holding the next apps.connections.open back")
		if err := wait.For(req.Context(), d); err != nil {
			// Do's contract, like http.Client's: the body is closed even on error.
			if req.Body != nil {
				_ = req.Body.Close()
			}
			return nil, fmt.Errorf("%s: waiting for the reconnect brake: %w", methodConnectionsOpen, err)
		}
	}
	return b.client.Do(req)
}
