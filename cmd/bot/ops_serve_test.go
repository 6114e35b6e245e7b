package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/slacksim"
)

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

// TestReadyzFollowsSocketMode runs `bot run` against slacksim with its
// operator endpoints: /readyz is 200 once a socket is up, 503 while
// slacksim has dropped the connections and refuses new ones, and 200 again
// after the reconnect; /metrics counts it all.
func TestReadyzFollowsSocketMode(t *testing.T) {
	addr, err := freeAddr()
	if err != nil {
		t.Fatal(err)
	}
	e := startBot(t, "LEANCOACH_HTTP_ADDR", addr)
	url := "http://" + addr
	readyz := func() int {
		code, _ := getBody(t, url+"/readyz")
		return code
	}
	// A command answered went through a socket the bot knows is up.
	answered := func() {
		t.Helper()
		res, err := e.sim.As("U0DIRECT2").Slash(waitCtx(t), "/coach", "help")
		if err == nil {
			_, err = res.WaitResponse(waitCtx(t))
		}
		if err != nil {
			t.Fatalf("/coach help unanswered: %v", err)
		}
	}
	answered()
	if code, body := getBody(t, url+"/readyz"); code != http.StatusOK {
		t.Fatalf("GET /readyz while connected = %d %q, want 200", code, body)
	}

	e.sim.ConnectionsOpenError(&slacksim.Fault{Status: http.StatusInternalServerError})
	e.sim.DropConnections()
	// Every refused reconnect is a change in slacksim: look again then.
	wctx, wcancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer wcancel()
	if err := e.sim.WaitFor(wctx, func() bool { return readyz() == http.StatusServiceUnavailable }); err != nil {
		t.Fatalf("GET /readyz after the drop never became 503: %v", err)
	}
	if code, body := getBody(t, url+"/readyz"); !strings.Contains(body, "slack: "+errNotConnected.Error()) {
		t.Errorf("GET /readyz after the drop = %d %q, want 503 naming slack", code, body)
	}
	if code, _ := getBody(t, url+"/healthz"); code != http.StatusOK {
		t.Errorf("GET /healthz while disconnected = %d, want 200", code)
	}
	_, metricsBody := getBody(t, url+"/metrics")
	if !strings.Contains(metricsBody, "leancoach_socket_connected 0") {
		t.Errorf("/metrics while disconnected lacks leancoach_socket_connected 0")
	}

	e.sim.ConnectionsOpenError(nil)
	if err := e.sim.WaitConnected(wctx); err != nil {
		t.Fatalf("the bot never reconnected: %v", err)
	}
	answered()
	if code, body := getBody(t, url+"/readyz"); code != http.StatusOK {
		t.Errorf("GET /readyz after reconnect = %d %q, want 200", code, body)
	}
	_, metricsBody = getBody(t, url+"/metrics")
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
	if err := e.stop(); err != nil {
		t.Errorf("run returned %v after cancel, want nil", err)
	}
}

// /readyz says not ready, naming the database, once the store is closed.
func TestReadyzDatabaseClosed(t *testing.T) {
	db, _ := newDB(t)
	srv := httptest.NewServer(opsHandler(opsDeps{db: db, connected: func() bool { return true }, log: zerolog.Nop()}))
	t.Cleanup(srv.Close)
	if code, body := getBody(t, srv.URL+"/readyz"); code != http.StatusOK {
		t.Fatalf("GET /readyz = %d %q, want 200", code, body)
	}
	db.Close()
	code, body := getBody(t, srv.URL+"/readyz")
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

// freeAddr is a loopback address whose port was free a moment ago.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
