package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSandboxJumpToTomorrow shows a demo's day in seconds: jumping the
// sandbox clock to tomorrow 08:00 makes the production due-loop send the
// seeded 07:30-07:50 prompts (a weekend is jumped over). It goes through the
// page's API, the sandbox clock, the loop's Poke and Socket Mode.
func TestSandboxJumpToTomorrow(t *testing.T) {
	url := startSandbox(t)
	const sarah = "U0DIRECT2"
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/api/events", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	changes := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if l, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				changes <- l
			}
		}
		close(changes)
	}()
	st := sandboxState(t, url, sarah)
	dm := st.Channels[len(st.Channels)-1].ID
	before := len(st.Messages)

	for jump := 1; jump <= 4; jump++ {
		body, _ := json.Marshal(map[string]string{"as": sarah, "action": "tomorrow"})
		res, err := http.Post(url+"/api/clock", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("POST /api/clock tomorrow = %s, want 200", res.Status)
		}
		if waitDM(t, changes, dm, 10*time.Second) {
			break
		}
	}
	st = sandboxState(t, url, sarah)
	if len(st.Messages) <= before {
		t.Fatalf("Sarah's DM has %d messages after jumping ahead, want a prompt", len(st.Messages))
	}
	last := st.Messages[len(st.Messages)-1]
	if !last.IsBot || !strings.Contains(last.HTML, `data-kind="button"`) {
		t.Errorf("last DM = %+v, want a prompt with buttons", last)
	}
	london, _ := time.LoadLocation("Europe/London")
	if now := st.Now.In(london); now.Hour() < 8 || !now.After(time.Now()) {
		t.Errorf("sandbox now = %v, want a later day from 08:00 on", now)
	}
}

// waitDM reports whether a message arrived in channel dm within d.
func waitDM(t *testing.T, changes <-chan string, dm string, d time.Duration) bool {
	t.Helper()
	timeout := time.After(d)
	for {
		select {
		case c, ok := <-changes:
			if !ok {
				t.Fatal("event stream ended")
			}
			var ch struct{ Kind, Channel string }
			if json.Unmarshal([]byte(c), &ch) == nil && ch.Kind == "message" && ch.Channel == dm {
				return true
			}
		case <-timeout:
			return false
		}
	}
}

type sandboxView struct {
	Now      time.Time `json:"now"`
	Channels []struct {
		ID   string `json:"id"`
		IsDM bool   `json:"is_dm"`
	} `json:"channels"`
	Messages []struct {
		IsBot bool   `json:"is_bot"`
		HTML  string `json:"html"`
	} `json:"messages"`
}

func sandboxState(t *testing.T, url, as string) sandboxView {
	t.Helper()
	res, err := http.Get(url + "/api/state?as=" + as)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var st sandboxView
	if err := json.NewDecoder(res.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}
