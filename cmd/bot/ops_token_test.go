package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/store"
)

// /readyz says not ready, naming the token, once Slack refused the bot
// token (the moments before the process stops).
func TestReadyzTokenRefused(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "r.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var refused atomic.Pointer[error] // as the bot's token guard reports it
	srv := httptest.NewServer(opsHandler(opsDeps{db: db, connected: func() bool { return true },
		log: zerolog.Nop(), token: func() error {
			if err := refused.Load(); err != nil {
				return *err
			}
			return nil
		}}))
	t.Cleanup(srv.Close)
	if code, body := getBody(t, srv.URL+"/readyz"); code != http.StatusOK {
		t.Fatalf("GET /readyz with a good token = %d %q, want 200", code, body)
	}
	err = errors.New("chat.postMessage: slack refused the bot token: token_revoked")
	refused.Store(&err)
	code, body := getBody(t, srv.URL+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "slack_token: chat.postMessage: slack refused the bot token: token_revoked") {
		t.Errorf("GET /readyz after the token was refused = %d %q, want 503 naming slack_token", code, body)
	}
}
