package metrics

import (
	"net/http"
	"path"
)

// Transport wraps base (http.DefaultTransport when nil) so that every Slack Web API
// request is counted by method, taken from the last URL path element
// (".../api/chat.postMessage"), and every HTTP 429 is counted as rate limited. On a
// nil *Metrics it returns base unchanged.
func (m *Metrics) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	if m == nil {
		return base
	}
	return &transport{m: m, base: base}
}

type transport struct {
	m    *Metrics
	base http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	method := apiMethod(req)
	t.m.apiCalls.WithLabelValues(method).Inc()
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		t.m.apiErrors.WithLabelValues(method).Inc()
		return resp, err
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		t.m.apiRateLimited.WithLabelValues(method).Inc()
	}
	return resp, nil
}

// apiMethod returns the Slack method name of req, or "other" when the path does not
// look like one (file upload URLs, for example).
func apiMethod(req *http.Request) string {
	if req.URL == nil {
		return other
	}
	name := path.Base(req.URL.Path)
	if !isMethodName(name) {
		return other
	}
	return name
}

// isMethodName reports whether s looks like a Slack method: dotted ASCII words
// ("chat.postMessage", "admin.users.session.list"), at most 64 bytes.
func isMethodName(s string) bool {
	if len(s) == 0 || len(s) > 64 || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	dots := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			if s[i-1] == '.' {
				return false
			}
			dots++
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_':
		default:
			return false
		}
	}
	return dots > 0
}
