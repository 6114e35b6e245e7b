package health_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/health"
	"github.com/leancoach/leancoach/internal/metrics"
)

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

func TestReadyz(t *testing.T) {
	dbErr := errors.New("database closed")
	tests := []struct {
		name     string
		slackUp  bool
		db       error
		wantCode int
		wantBody []string
	}{
		{"all up", true, nil, http.StatusOK, []string{"ready"}},
		{"slack down", false, nil, http.StatusServiceUnavailable, []string{"slack: socket mode not connected"}},
		{"db down", true, dbErr, http.StatusServiceUnavailable, []string{"database: database closed"}},
		{"both down", false, dbErr, http.StatusServiceUnavailable, []string{"slack: socket mode not connected", "database: database closed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := health.Handler(nil,
				health.Check{Name: "slack", Err: health.Up(func() bool { return tt.slackUp }, "socket mode not connected")},
				health.Check{Name: "database", Err: func() error { return tt.db }},
			)
			code, body := get(t, h, "/readyz")
			if code != tt.wantCode {
				t.Errorf("GET /readyz = %d, want %d", code, tt.wantCode)
			}
			for _, w := range tt.wantBody {
				if !strings.Contains(body, w) {
					t.Errorf("GET /readyz body = %q, want it to contain %q", body, w)
				}
			}
			if code, _ := get(t, h, "/healthz"); code != http.StatusOK {
				t.Errorf("GET /healthz = %d while not ready, want 200", code)
			}
		})
	}
}

func TestReadyzFlips(t *testing.T) {
	var connected atomic.Bool
	h := health.Handler(nil, health.Check{Name: "slack", Err: health.Up(connected.Load, "socket mode not connected")})
	for _, up := range []bool{false, true, false, true} {
		connected.Store(up)
		want := http.StatusServiceUnavailable
		if up {
			want = http.StatusOK
		}
		if code, _ := get(t, h, "/readyz"); code != want {
			t.Errorf("after Set(%t): GET /readyz = %d, want %d", up, code, want)
		}
	}
}

func TestBrokenChecksFail(t *testing.T) {
	h := health.Handler(nil,
		health.Check{Name: "nil"},
		health.Check{Name: "panics", Err: func() error { panic("boom") }},
	)
	code, body := get(t, h, "/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "nil: no check function") || !strings.Contains(body, "panics: check panicked: boom") {
		t.Errorf("GET /readyz = %d %q, want 503 naming both checks", code, body)
	}
}

func TestMetricsAndRoutes(t *testing.T) {
	m := metrics.New()
	m.SetConnected(true)
	h := health.Handler(m.Handler())
	code, body := get(t, h, "/metrics")
	if code != http.StatusOK || !strings.Contains(body, "leancoach_socket_connected 1") {
		t.Errorf("GET /metrics = %d, body lacks leancoach_socket_connected 1:\n%.500s", code, body)
	}
	if code, _ := get(t, h, "/"); code != http.StatusNotFound {
		t.Errorf("GET / = %d, want 404", code)
	}
	if code, _ := get(t, health.Handler(nil), "/metrics"); code != http.StatusNotFound {
		t.Errorf("GET /metrics without metrics = %d, want 404", code)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/healthz", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz = %d, want 405", rec.Code)
	}
}

func TestServeShutsDownOnCancel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- health.ServeListener(ctx, ln, health.Handler(nil)) }()

	url := "http://" + ln.Addr().String() + "/healthz"
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "ok\n" {
		t.Errorf("GET /healthz = %d %q, want 200 ok", resp.StatusCode, body)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("ServeListener after cancel = %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ServeListener did not return after cancel")
	}
	if _, err := http.Get(url); err == nil {
		t.Errorf("GET after shutdown succeeded, want connection refused")
	}
}

func TestServeBadAddr(t *testing.T) {
	err := health.Serve(t.Context(), "256.0.0.1:bad", health.Handler(nil))
	if err == nil || !strings.Contains(err.Error(), "LEANCOACH_HTTP_ADDR") {
		t.Errorf("Serve(bad addr) = %v, want an error naming LEANCOACH_HTTP_ADDR", err)
	}
}
