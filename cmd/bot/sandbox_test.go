package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestSandboxCommand runs `bot sandbox` as a newcomer does and checks that
// it prints the page's URL, serves the page and the API with the demo
// workspace, and stops cleanly.
func TestSandboxCommand(t *testing.T) {
	out := newLines()
	logs := newLines()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"sandbox", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "s.db")},
			func(string) string { return "" }, out, logs)
	}()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("bot sandbox returned %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("bot sandbox did not stop within 15s of cancel")
		}
	}
	t.Cleanup(stop)
	m, err := out.wait(t.Context(), regexp.MustCompile(`^leancoach sandbox: open (http://127\.0\.0\.1:\d+)\n`), 30*time.Second)
	if err != nil {
		t.Fatalf("bot sandbox printed no URL: %v\nlogs:\n%s", err, logs.String())
	}
	url := m[1]

	res, err := http.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "<title>leancoach sandbox</title>") {
		t.Errorf("GET / = %s, want the sandbox page", res.Status)
	}

	res, err = http.Get(url + "/api/state?as=U0DIRECT2")
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Me struct {
			RealName string `json:"real_name"`
			Role     string `json:"role"`
		} `json:"me"`
		People []struct {
			ID, Role string
		} `json:"people"`
		Channels []struct {
			Name string `json:"name"`
			IsDM bool   `json:"is_dm"`
		} `json:"channels"`
		Clock bool `json:"clock"`
	}
	err = json.NewDecoder(res.Body).Decode(&st)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if st.Me.RealName != "Sarah Mitchell" || st.Me.Role != "director" || !st.Clock {
		t.Errorf("state of U0DIRECT2 = %+v, want Sarah the director with the clock controls", st.Me)
	}
	roles := map[string]int{}
	for _, p := range st.People {
		roles[p.Role]++
	}
	if roles["admin"] != 1 || roles["director"] != 2 || roles["leader"] != 2 {
		t.Errorf("people's roles = %v, want 1 admin, 2 directors, 2 leaders", roles)
	}
	if len(st.Channels) != 2 || st.Channels[0].Name != "kudos" || !st.Channels[1].IsDM || st.Channels[1].Name != "leancoach" {
		t.Errorf("channels = %+v, want #kudos and the DM with leancoach", st.Channels)
	}
	stop()
	if _, err := http.Get(url + "/"); err == nil {
		t.Errorf("the page still answers after the sandbox stopped")
	}
}

func TestSandboxCommandArguments(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"extra argument", []string{"sandbox", "now"}, "no arguments"},
		{"address in use or bad", []string{"sandbox", "--addr", "256.0.0.1:1"}, "--addr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(t.Context(), tt.args, func(string) string { return "" }, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run(%q) = %v, want an error mentioning %q", tt.args, err, tt.want)
			}
		})
	}
}

// TestSandboxKeepsData: with --db, a second start keeps the first one's
// directors and schedules and does not seed them again (which would double
// every schedule).
func TestSandboxKeepsData(t *testing.T) {
	db := filepath.Join(t.TempDir(), "kept.db")
	for run := 1; run <= 2; run++ {
		out, logs := newLines(), newLines()
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() {
			done <- runSandbox(ctx, []string{"--addr", "127.0.0.1:0", "--db", db}, func(string) string { return "" }, out, logs)
		}()
		m, err := out.wait(t.Context(), regexp.MustCompile(`open (http://\S+)\n(?s:.*)demo workspace ready`), 60*time.Second)
		if err != nil {
			cancel()
			t.Fatalf("run %d: sandbox not ready: %v\n%s", run, err, logs.String())
		}
		st := sandboxState(t, m[1], "U0ADMIN01")
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("run %d: sandbox returned %v", run, err)
			}
		case <-time.After(15 * time.Second):
			t.Fatalf("run %d: sandbox did not stop within 15s of cancel", run)
		}
		seeded := len(st.Messages) > 0 // seeding's answers go to the admin's DM
		if seeded != (run == 1) {
			t.Errorf("run %d: seeded = %v (%d answers in the admin's DM), want %v", run, seeded, len(st.Messages), run == 1)
		}
	}
}
