package metrics_test

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/metrics"
)

// scrape fetches m's exposition and returns each sample line's value keyed by
// "name{labels}" exactly as printed.
func scrape(t *testing.T, m *metrics.Metrics) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics = %d, want 200; body %s", rec.Code, rec.Body)
	}
	samples := map[string]float64{}
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("sample %q: %v", line, err)
		}
		samples[line[:i]] = v
	}
	return samples
}

func TestExposesNames(t *testing.T) {
	m := metrics.New()
	m.SetConnected(true)
	m.SetSocketsUp(2)
	m.Reconnect("ping_timeout")
	m.Envelope("interactive")
	m.AckLatency(3 * time.Millisecond)
	m.BadMessage()
	m.PromptDue()
	m.PromptSent(90 * time.Second)
	m.PromptMissed()
	m.PromptFailed("user_not_found")
	m.CommitLatency(2 * time.Millisecond)
	m.Commit(time.Millisecond)
	m.DBSize(func() int64 { return 32768 })

	got := scrape(t, m)
	want := map[string]float64{
		"leancoach_socket_connected":                              1,
		"leancoach_socket_connections":                            2,
		`leancoach_socket_reconnects_total{cause="ping_timeout"}`: 1,
		`leancoach_envelopes_total{type="interactive"}`:           1,
		"leancoach_ack_latency_seconds_count":                     1,
		"leancoach_bad_messages_total":                            1,
		"leancoach_prompts_due_total":                             1,
		"leancoach_prompts_sent_total":                            1,
		"leancoach_prompts_missed_total":                          1,
		`leancoach_prompts_failed_total{reason="user_not_found"}`: 1,
		"leancoach_prompt_delay_seconds_sum":                      90,
		"leancoach_db_commit_seconds_count":                       2,
		"leancoach_db_size_bytes":                                 32768,
	}
	for name, v := range want {
		if g, ok := got[name]; !ok || g != v {
			t.Errorf("scrape[%s] = %v (present %t), want %v", name, g, ok, v)
		}
	}
	for _, name := range []string{"go_goroutines", "leancoach_socket_last_envelope_timestamp_seconds"} {
		if _, ok := got[name]; !ok {
			t.Errorf("scrape[%s] missing", name)
		}
	}
}

func TestDBSizeAbsentUntilSet(t *testing.T) {
	m := metrics.New()
	if v, ok := scrape(t, m)["leancoach_db_size_bytes"]; ok {
		t.Errorf("scrape[leancoach_db_size_bytes] = %v before DBSize, want absent", v)
	}
	m.DBSize(func() int64 { return 1 })
	m.DBSize(func() int64 { return 2 })
	if v := scrape(t, m)["leancoach_db_size_bytes"]; v != 2 {
		t.Errorf("scrape[leancoach_db_size_bytes] = %v after second DBSize, want 2", v)
	}
}

func TestConnectedFlips(t *testing.T) {
	m := metrics.New()
	for _, up := range []bool{true, false, true, false} {
		m.SetConnected(up)
		want := 0.0
		if up {
			want = 1
		}
		if got := scrape(t, m)["leancoach_socket_connected"]; got != want {
			t.Errorf("after SetConnected(%t): leancoach_socket_connected = %v, want %v", up, got, want)
		}
	}
}

func TestLabelsAreBounded(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"slash_commands", "slash_commands"},
		{"Error: connection reset by peer", "other"},
		{"", "other"},
		{strings.Repeat("a", 49), "other"},
		{"disconnect\n", "other"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			m := metrics.New()
			m.Envelope(tt.in)
			key := `leancoach_envelopes_total{type="` + tt.want + `"}`
			if got := scrape(t, m)[key]; got != 1 {
				t.Errorf("Envelope(%q): %s = %v, want 1", tt.in, key, got)
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTransportCountsCallsAnd429s(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/chat.postMessage") && r.URL.Query().Get("limit") == "1" {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"ok":false,"error":"ratelimited"}`)
			return
		}
		io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)

	m := metrics.New()
	client := &http.Client{Transport: m.Transport(nil)}
	for _, p := range []string{
		"/api/chat.postMessage", "/api/chat.postMessage?limit=1", "/api/users.info",
		"/upload/v1/ABC123", "/api/../etc/passwd",
	} {
		resp, err := client.Post(srv.URL+p, "application/x-www-form-urlencoded", nil)
		if err != nil {
			t.Fatalf("POST %s: %v", p, err)
		}
		resp.Body.Close()
	}
	got := scrape(t, m)
	want := map[string]float64{
		`leancoach_slack_api_calls_total{method="chat.postMessage"}`:       2,
		`leancoach_slack_api_calls_total{method="users.info"}`:             1,
		`leancoach_slack_api_calls_total{method="other"}`:                  2,
		`leancoach_slack_api_ratelimited_total{method="chat.postMessage"}`: 1,
	}
	for name, v := range want {
		if got[name] != v {
			t.Errorf("scrape[%s] = %v, want %v", name, got[name], v)
		}
	}
	if v, ok := got[`leancoach_slack_api_ratelimited_total{method="users.info"}`]; ok {
		t.Errorf("users.info rate limited = %v, want absent", v)
	}
}

func TestTransportCountsErrors(t *testing.T) {
	m := metrics.New()
	boom := errors.New("connection refused")
	rt := m.Transport(roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, boom }))
	req := httptest.NewRequest(http.MethodPost, "https://slack.com/api/chat.update", nil)
	if _, err := rt.RoundTrip(req); !errors.Is(err, boom) {
		t.Fatalf("RoundTrip err = %v, want %v", err, boom)
	}
	key := `leancoach_slack_api_transport_errors_total{method="chat.update"}`
	if got := scrape(t, m)[key]; got != 1 {
		t.Errorf("scrape[%s] = %v, want 1", key, got)
	}
}

func TestNilMetricsIsNoOp(t *testing.T) {
	var m *metrics.Metrics
	m.SetConnected(true)
	m.Reconnect("x")
	m.Envelope("x")
	m.AckLatency(time.Second)
	m.BadMessage()
	m.PromptDue()
	m.PromptSent(time.Second)
	m.PromptMissed()
	m.PromptFailed("x")
	m.CommitLatency(time.Second)
	m.Commit(time.Second)
	m.DBSize(func() int64 { return 1 })

	base := roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, io.EOF })
	if _, err := m.Transport(base).RoundTrip(httptest.NewRequest(http.MethodGet, "/", nil)); err != io.EOF {
		t.Errorf("nil Transport(base) did not return base's result: err = %v", err)
	}
	if m.Transport(nil) != http.DefaultTransport {
		t.Errorf("nil Transport(nil) = %v, want http.DefaultTransport", m.Transport(nil))
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("nil Handler() status = %d, want 404", rec.Code)
	}
}

func TestIndependentRegistries(t *testing.T) {
	a, b := metrics.New(), metrics.New()
	a.PromptDue()
	if got := scrape(t, b)["leancoach_prompts_due_total"]; got != 0 {
		t.Errorf("b prompts_due = %v after a.PromptDue(), want 0", got)
	}
}
