package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/slackapp"
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
	guard := slackapp.NewTokenGuard()
	srv := httptest.NewServer(opsHandler(opsDeps{db: db, connected: func() bool { return true },
		log: zerolog.Nop(), token: guard.Err}))
	t.Cleanup(srv.Close)
	if code, body := getBody(t, srv.URL+"/readyz"); code != http.StatusOK {
		t.Fatalf("GET /readyz with a good token = %d %q, want 200", code, body)
	}
	guard.Trip(&slackapp.AuthError{Method: "chat.postMessage", Code: "token_revoked"})
	code, body := getBody(t, srv.URL+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "slack_token: chat.postMessage: slack refused the bot token: token_revoked") {
		t.Errorf("GET /readyz after the token was refused = %d %q, want 503 naming slack_token", code, body)
	}
}
