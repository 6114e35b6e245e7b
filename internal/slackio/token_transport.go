package slackio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// peekLimit is how much of a Web API answer the token transport reads to
// find its error code. Slack's refusals ({"ok":false,"error":"invalid_auth"})
// are tiny; a longer answer is passed on unread.
const peekLimit = 16 << 10

// Transport returns an http.RoundTripper over base (nil = http.DefaultTransport)
// that makes every Slack Web API call observe g, whoever makes it: the
// directory's users.info, App Home's views.publish, the kudos post, exports,
// digests, reconciles and any call added later. It trips g when Slack answers
// a bot-token method with ok:false and invalid_auth, not_authed,
// token_revoked or token_expired, or auth.test with any of those or
// account_inactive (auth.test's refusal can only mean the token); the answer
// itself still reaches the caller unchanged. Once g is tripped it fails
// every Web API call with the *AuthError, without a request, so a refused
// bot makes no more calls while it stops.
//
// Only paths under /api/ are Web API calls. apps.* methods (Socket Mode's
// apps.connections.open) use the app-level token, whose refusal is the
// Socket Mode client's to report, so they are passed through unseen;
// response_url posts and file uploads are not under /api/.
//
// account_inactive on other methods is left to their callers: on
// chat.postMessage it may be the recipient's (the Poster asks auth.test).
func (g *TokenGuard) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &tokenTransport{guard: g, base: base}
}

type tokenTransport struct {
	guard *TokenGuard
	base  http.RoundTripper
}

func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	method, ok := botTokenMethod(req)
	if !ok {
		return t.base.RoundTrip(req)
	}
	if err := t.guard.err.Load(); err != nil {
		// A RoundTripper closes the request body, even on an error.
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "json") {
		return resp, err
	}
	head, err := io.ReadAll(io.LimitReader(resp.Body, peekLimit))
	if err != nil {
		resp.Body.Close()
		return nil, err
	}
	if len(head) < peekLimit {
		var ans struct {
			OK    bool   `json:"ok"`
			Error string `json:"error"`
		}
		if json.Unmarshal(head, &ans) == nil && !ans.OK && refusesToken(method, ans.Error) {
			t.guard.Trip(&AuthError{Method: method, Code: ans.Error})
		}
	}
	resp.Body = readCloser{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	return resp, nil
}

// refusesToken reports whether Slack's code for method says the bot token
// is refused.
func refusesToken(method, code string) bool {
	if method == "auth.test" {
		return authCodes[code]
	}
	return tokenCodes[code]
}

// botTokenMethod returns the Web API method req calls, and whether it is
// one called with the bot token.
func botTokenMethod(req *http.Request) (string, bool) {
	_, method, ok := strings.Cut(req.URL.Path, "/api/")
	if !ok || method == "" || strings.Contains(method, "/") || strings.HasPrefix(method, "apps.") {
		return "", false
	}
	return method, true
}

// readCloser reads from r and closes c: the peeked head, then the rest.
type readCloser struct {
	io.Reader
	c io.Closer
}

func (r readCloser) Close() error { return r.c.Close() }
