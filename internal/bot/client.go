package bot

import (
	"net/http"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/leancoach/leancoach/internal/slackio"
)

// client is the bot's Slack client and what it is made of.
type client struct {
	api   *slack.Client
	http  *http.Client // also for response_url posts
	token *slackio.TokenGuard
	idle  func() // closes the transport's idle connections
}

// newClient builds the Slack client; it makes no call.
//
// No connection-error retries: a retried chat.postMessage can post twice
// (the due-loop reconciles instead). Every Web API answer passes the token
// guard, so Slack refusing the bot token on any call stops the bot. The
// reconnect brake paces apps.connections.open (slack-go reconnects at once
// on every disconnect); other calls pass straight through it.
func newClient(o Options) *client {
	token := slackio.NewTokenGuard()
	// A transport of its own, so that Stop can close its idle connections:
	// the wrappers hide CloseIdleConnections from the http.Client.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	hc := &http.Client{Timeout: 15 * time.Second, Transport: token.Transport(o.Metrics.Transport(transport))}
	brake := slackio.NewConnectBrake(hc, slackio.BrakeConfig{Rate: o.ConnectRate, Metrics: o.Metrics, Logger: o.Logger})
	api := slack.New(o.BotToken.Reveal(),
		slack.OptionAPIURL(o.APIURL),
		slack.OptionAppLevelToken(o.AppToken.Reveal()),
		slack.OptionHTTPClient(brake),
	)
	return &client{api: api, http: hc, token: token, idle: transport.CloseIdleConnections}
}

// sockets are the bot's Socket Mode clients, Sockets of them.
func (c *client) sockets(o Options) []*socketmode.Client {
	var opts []socketmode.Option
	if o.PingInterval > 0 {
		opts = append(opts, socketmode.OptionPingInterval(o.PingInterval))
	}
	socks := make([]*socketmode.Client, Sockets)
	for i := range socks {
		socks[i] = socketmode.New(c.api, opts...)
	}
	return socks
}
