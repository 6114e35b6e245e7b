// Package health serves the operator endpoints: /healthz (the process runs),
// /readyz (the bot can do its work) and /metrics.
package health

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Check is one readiness condition. Err must be fast and safe for concurrent
// use: it runs on every /readyz request. A nil error means ready.
type Check struct {
	Name string
	Err  func() error
}

// Handler returns the mux for /healthz, /readyz and /metrics (metrics may be nil:
// then /metrics is 404).
//
// /healthz answers 200 while the process can serve HTTP; a liveness probe that
// fails restarts the process, so it must not depend on Slack or the database.
// /readyz answers 200 only while every check passes, else 503 listing each
// failing check as "name: reason".
func Handler(metrics http.Handler, checks ...Check) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		write(w, http.StatusOK, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		var failed []string
		for _, c := range checks {
			if err := run(c); err != nil {
				failed = append(failed, c.Name+": "+err.Error())
			}
		}
		if len(failed) > 0 {
			write(w, http.StatusServiceUnavailable, "not ready\n"+strings.Join(failed, "\n")+"\n")
			return
		}
		write(w, http.StatusOK, "ready\n")
	})
	if metrics != nil {
		mux.Handle("GET /metrics", metrics)
	}
	return mux
}

// run calls c.Err, turning a panic into a failed check so one broken check cannot
// take /readyz down with it.
func run(c Check) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("check panicked: %v", r)
		}
	}()
	if c.Err == nil {
		return errors.New("no check function")
	}
	return c.Err()
}

func write(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}
