package metrics_test

import (
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/metrics"
)

func TestReconnectWait(t *testing.T) {
	m := metrics.New()
	m.ReconnectWait(1500 * time.Millisecond)
	m.ReconnectWait(500 * time.Millisecond)
	m.ReconnectWait(-time.Second) // a clock step counts the wait, not a negative time
	got := scrape(t, m)
	want := map[string]float64{
		"leancoach_socket_reconnect_waits_total":        3,
		"leancoach_socket_reconnect_wait_seconds_total": 2,
	}
	for name, v := range want {
		if g, ok := got[name]; !ok || g != v {
			t.Errorf("scrape[%s] = %v (present %t), want %v", name, g, ok, v)
		}
	}
	var nilM *metrics.Metrics
	nilM.ReconnectWait(time.Second) // must not panic
}
