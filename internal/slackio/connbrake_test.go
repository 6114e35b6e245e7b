package slackio_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// clockedDoer answers every request with 200 and records, per Web API
// method, the (bubble) time it was sent.
type clockedDoer struct {
	mu    sync.Mutex
	start time.Time
	calls map[string][]time.Duration
}

func newClockedDoer() *clockedDoer {
	return &clockedDoer{start: time.Now(), calls: map[string][]time.Duration{}}
}

func (c *clockedDoer) Do(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := req.URL.Path[strings.LastIndexByte(req.URL.Path, '/')+1:]
	c.calls[m] = append(c.calls[m], time.Since(c.start))
	return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader(`{"ok":true}`)), Request: req}, nil
}

func (c *clockedDoer) at(method string) []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.calls[method]...)
}

// waits records what the brake reports.
type waits struct {
	mu sync.Mutex
	ds []time.Duration
}

func (w *waits) ReconnectWait(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ds = append(w.ds, d)
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.ds...)
}

// post sends one Web API call of method through c.
func post(ctx context.Context, c slackio.HTTPDoer, method string) error {
	body := io.NopCloser(strings.NewReader("{}"))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://slack.test/api/"+method, body)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	return err
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The production numbers: a burst of five goes at once, then one call per
// 20 s; other methods never wait, even while the bucket is empty; an idle
// spell refills the burst.
func TestConnectBrakePacesConnectionsOpen(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		doer := newClockedDoer()
		w := &waits{}
		b := slackio.NewConnectBrake(doer, slackio.BrakeConfig{Metrics: w, Logger: zerolog.Nop()})
		for range 8 {
			if err := post(t.Context(), b, "apps.connections.open"); err != nil {
				t.Fatalf("Do(apps.connections.open) = %v, want nil", err)
			}
			if err := post(t.Context(), b, "chat.postMessage"); err != nil {
				t.Fatalf("Do(chat.postMessage) = %v, want nil", err)
			}
		}
		<-time.After(5 * time.Minute) // bubble time, at once: idle, the bucket refills
		for range 5 {
			if err := post(t.Context(), b, "apps.connections.open"); err != nil {
				t.Fatalf("Do(apps.connections.open) after idling = %v, want nil", err)
			}
		}
		const s = time.Second
		wantOpen := []time.Duration{0, 0, 0, 0, 0, 20 * s, 40 * s, 60 * s,
			360 * s, 360 * s, 360 * s, 360 * s, 360 * s}
		if got := doer.at("apps.connections.open"); !equalDurations(got, wantOpen) {
			t.Errorf("apps.connections.open sent at %v, want %v", got, wantOpen)
		}
		wantPost := []time.Duration{0, 0, 0, 0, 0, 20 * s, 40 * s, 60 * s} // each right after its open
		if got := doer.at("chat.postMessage"); !equalDurations(got, wantPost) {
			t.Errorf("chat.postMessage sent at %v, want %v (never held back itself)", got, wantPost)
		}
		if got, want := w.all(), []time.Duration{20 * s, 20 * s, 20 * s}; !equalDurations(got, want) {
			t.Errorf("ReconnectWait reported %v, want %v", got, want)
		}
	})
}

// A storm: a caller that reconnects as fast as it can for ten minutes gets
// at most burst + one per 20 s through in any minute.
func TestConnectBrakeBoundsStorm(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		doer := newClockedDoer()
		b := slackio.NewConnectBrake(doer, slackio.BrakeConfig{Logger: zerolog.Nop()})
		// Ten minutes and a bit, so the call due at exactly 10 min is in.
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute+time.Second)
		defer cancel()
		// A bound on the loop, so a brake that lets everything through
		// fails the test instead of spinning in frozen bubble time.
		for range 1000 {
			if err := post(ctx, b, "apps.connections.open"); err != nil {
				break
			}
		}
		calls := doer.at("apps.connections.open")
		r := slackio.DefaultConnectRate()
		limit := r.Burst + int(60*r.PerSecond)
		for i := range calls {
			n := 0
			for _, c := range calls[i:] {
				if c-calls[i] < time.Minute {
					n++
				}
			}
			if n > limit {
				t.Errorf("%d calls in the minute from %v, want ≤ %d", n, calls[i], limit)
				break
			}
		}
		if want := r.Burst + int(600*r.PerSecond); len(calls) != want { // 5 at once, then one per 20 s up to 600 s
			t.Errorf("calls in 10 minutes of storm = %d, want %d", len(calls), want)
		}
	})
}

// SIGTERM during a braked wait: the wait ends when the request's context
// does, with its error, and the request never reaches Slack.
func TestConnectBrakeWaitEndsWithContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		doer := newClockedDoer()
		b := slackio.NewConnectBrake(doer, slackio.BrakeConfig{Rate: slackio.Rate{PerSecond: 1.0 / 60, Burst: 1}, Logger: zerolog.Nop()})
		if err := post(t.Context(), b, "apps.connections.open"); err != nil {
			t.Fatalf("first Do = %v, want nil", err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(time.Second, cancel)
		start := time.Now()
		err := post(ctx, b, "apps.connections.open")
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Do during a cancelled wait = %v, want context.Canceled", err)
		}
		if took := time.Since(start); took != time.Second {
			t.Errorf("Do returned %v after its wait began, want at the cancel (1s)", took)
		}
		if n := len(doer.at("apps.connections.open")); n != 1 {
			t.Errorf("requests reaching Slack = %d, want 1 (none after the cancel)", n)
		}
	})
}

// Through slack-go against the local Slack: StartSocketModeContext's call
// is the one braked, by its method name.
func TestConnectBrakeThroughSlackGo(t *testing.T) {
	sim := slacksim.New(slacksim.Options{})
	t.Cleanup(sim.Close)
	httpClient := &http.Client{Timeout: 5 * time.Second}
	t.Cleanup(httpClient.CloseIdleConnections)
	b := slackio.NewConnectBrake(httpClient, slackio.BrakeConfig{Rate: slackio.Rate{PerSecond: 1.0 / 3600, Burst: 1}, Logger: zerolog.Nop()})
	api := slack.New(sim.BotToken(), slack.OptionAPIURL(sim.APIURL()), slack.OptionAppLevelToken(sim.AppToken()),
		slack.OptionHTTPClient(b))
	if _, _, err := api.StartSocketModeContext(t.Context()); err != nil {
		t.Fatalf("StartSocketModeContext = %v, want nil", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, _, err := api.StartSocketModeContext(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second StartSocketModeContext within the hour = %v, want held back until its ctx ended", err)
	}
	actx, acancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer acancel()
	if _, err := api.AuthTestContext(actx); err != nil {
		t.Errorf("AuthTestContext with the brake's bucket empty = %v, want nil", err)
	}
	if n := len(sim.CallsTo("apps.connections.open")); n != 1 {
		t.Errorf("apps.connections.open calls seen by Slack = %d, want 1", n)
	}
}

// A Rate with no pace turns the brake off: an operator's escape hatch.
func TestConnectBrakeOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		doer := newClockedDoer()
		b := slackio.NewConnectBrake(doer, slackio.BrakeConfig{Rate: slackio.Rate{PerSecond: -1}, Logger: zerolog.Nop()})
		for range 20 {
			if err := post(t.Context(), b, "apps.connections.open"); err != nil {
				t.Fatalf("Do = %v, want nil", err)
			}
		}
		if got := doer.at("apps.connections.open"); len(got) != 20 || got[19] != 0 {
			t.Errorf("apps.connections.open sent at %v, want 20 calls at once", got)
		}
	})
}
