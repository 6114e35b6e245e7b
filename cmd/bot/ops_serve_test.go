package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/leancoach/leancoach/internal/metrics"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// connWatch is the bot's metrics, also reporting each connection change.
type connWatch struct {
	*metrics.Metrics
	changes chan bool
}

func (w connWatch) SetConnected(up bool) {
	w.Metrics.SetConnected(up)
	w.changes <- up
}

func waitConn(t *testing.T, ch <-chan bool, want bool) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case up := <-ch:
			if up == want {
				return
			}
		case <-deadline:
			t.Fatalf("connection never became up=%t", want)
		}
	}
}

func getBody(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, string(b)
}

// TestReadyzFollowsSocketMode runs the bot's Socket Mode loop against slacksim
// and the real operator endpoints: /readyz is 503 while slacksim has dropped the
// connection and refuses new ones, 200 again after the reconnect, and 503 once
// the database is closed.
func TestReadyzFollowsSocketMode(t *testing.T) {
	db, _ := newDB(t)
	m := metrics.New()
	watch := connWatch{Metrics: m, changes: make(chan bool, 64)}

	sim := slacksim.New(slacksim.Options{})
	t.Cleanup(sim.Close)
	api := slack.New(sim.BotToken(), slack.OptionAPIURL(sim.APIURL()), slack.OptionAppLevelToken(sim.AppToken()),
		slack.OptionHTTPClient(&http.Client{Transport: m.Transport(nil)}))
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	app := slackapp.New(slackapp.Config{Sockets: []*socketmode.Client{socketmode.New(api)}, Router: slackapp.NewRouter(), Logger: log, Metrics: watch})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("App.Run did not return after cancel")
		}
	})

	srv := httptest.NewServer(opsHandler(opsDeps{db: db, connected: app.Connected, metrics: m, log: log}))
	t.Cleanup(srv.Close)
	m.DBSize(func() int64 { n, _ := db.Size(); return n })

	waitConn(t, watch.changes, true)
	if code, body := getBody(t, srv.URL+"/readyz"); code != http.StatusOK {
		t.Fatalf("GET /readyz while connected = %d %q, want 200", code, body)
	}

	// The client sees the socket before slacksim has registered it: wait for
	// slacksim too, or the drop may find nothing to drop.
	wctx, wcancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer wcancel()
	if err := sim.WaitConnected(wctx); err != nil {
		t.Fatalf("slacksim never saw the connection: %v", err)
	}
	sim.ConnectionsOpenError(&slacksim.Fault{Status: http.StatusInternalServerError})
	sim.DropConnections()
	waitConn(t, watch.changes, false)
	code, body := getBody(t, srv.URL+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "slack: "+errNotConnected.Error()) {
		t.Errorf("GET /readyz after the drop = %d %q, want 503 naming slack", code, body)
	}
	if code, _ := getBody(t, srv.URL+"/healthz"); code != http.StatusOK {
		t.Errorf("GET /healthz while disconnected = %d, want 200", code)
	}
	_, metricsBody := getBody(t, srv.URL+"/metrics")
	if !strings.Contains(metricsBody, "leancoach_socket_connected 0") {
		t.Errorf("/metrics while disconnected lacks leancoach_socket_connected 0")
	}

	sim.ConnectionsOpenError(nil)
	waitConn(t, watch.changes, true)
	if code, body := getBody(t, srv.URL+"/readyz"); code != http.StatusOK {
		t.Errorf("GET /readyz after reconnect = %d %q, want 200", code, body)
	}
	_, metricsBody = getBody(t, srv.URL+"/metrics")
	for _, name := range []string{
		"leancoach_socket_connected 1",
		"leancoach_socket_reconnects_total{",
		`leancoach_slack_api_calls_total{method="apps.connections.open"}`,
		"leancoach_db_size_bytes ",
		"go_goroutines ",
	} {
		if !strings.Contains(metricsBody, name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}

	db.Close()
	code, body = getBody(t, srv.URL+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "database: ") {
		t.Errorf("GET /readyz with the database closed = %d %q, want 503 naming database", code, body)
	}
}

func TestServeOpsBadAddr(t *testing.T) {
	db, dbPath := newDB(t)
	cfg := Config{DBPath: dbPath, HTTPAddr: "256.0.0.1:bad"}
	done := make(chan error, 1)
	go func() {
		done <- serveOps(t.Context(), cfg, opsDeps{db: db, connected: func() bool { return true }, log: zerolog.New(zerolog.NewTestWriter(t))})
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "LEANCOACH_HTTP_ADDR") {
			t.Errorf("serveOps(bad addr) = %v, want an error naming LEANCOACH_HTTP_ADDR", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serveOps(bad addr) did not return")
	}
	if _, err := os.Stat(backupSocket(dbPath)); err == nil {
		t.Errorf("backup socket left behind after serveOps returned")
	}
}
