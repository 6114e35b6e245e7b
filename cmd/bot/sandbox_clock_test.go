package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/i18n"
)

// TestSandboxJumpToTomorrow shows a demo's day in seconds: jumping the
// sandbox clock to tomorrow 08:00 makes the production due-loop send the
// seeded 07:30-07:50 prompt of that day (a weekend is jumped over). It goes through the
// page's API, the sandbox clock, the loop's Poke and Socket Mode.
func TestSandboxJumpToTomorrow(t *testing.T) {
	url := startSandbox(t)
	const sarah = "U0DIRECT2"
	changes := sandboxEvents(t, url)
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

// sandboxEvents streams the page's change events (their JSON) until the test ends.
func sandboxEvents(t *testing.T, url string) <-chan string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/api/events", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); res.Body.Close() })
	changes := make(chan string, 100)
	go func() {
		defer close(changes)
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if l, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				select {
				case changes <- l:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return changes
}

// TestSandboxFollowsTheBot: the page reads the running bot's database.
// "Send due prompts now" names the next scheduled prompt (the person's own,
// none while they are on leave), and the page's words follow /coach
// language.
func TestSandboxFollowsTheBot(t *testing.T) {
	url := startSandbox(t)
	changes := sandboxEvents(t, url)
	const sarah = "U0DIRECT2"
	habits := strings.Join([]string{i18n.EN.T("habit.standup.name"), i18n.EN.T("habit.question.name"), i18n.EN.T("habit.compliment.name")}, "|")
	prefix := func(key string) string { p, _, _ := strings.Cut(i18n.EN.T(key), "%"); return regexp.QuoteMeta(p) }

	note := sandboxClock(t, url, sarah, "due")
	if !regexp.MustCompile(`^` + prefix("sandbox.due.next_mine") + `(` + habits + `), .+\.$`).MatchString(note) {
		t.Errorf("due note for Sarah = %q, want her next prompt", note)
	}
	sandboxType(t, url, changes, sarah, "/coach pause 2w")
	note = sandboxClock(t, url, sarah, "due")
	if !regexp.MustCompile(`^` + prefix("sandbox.due.next") + `(` + habits + `) for Maarten Jansen, .+ \(your time\)\.$`).MatchString(note) {
		t.Errorf("due note for Sarah on leave = %q, want Maarten's next prompt", note)
	}

	if st := sandboxState(t, url, sarah); st.Me.Lang != "en" || st.Labels["send"] != i18n.EN.T("sandbox.send") {
		t.Fatalf("Sarah's page = %s %q, want English", st.Me.Lang, st.Labels["send"])
	}
	sandboxType(t, url, changes, sarah, "/coach language nl")
	if st := sandboxState(t, url, sarah); st.Me.Lang != "nl" || st.Labels["send"] != i18n.NL.T("sandbox.send") || st.Guide.Title != i18n.NL.T("sandbox.guide.title") {
		t.Errorf("Sarah's page after /coach language nl = %s %q %q, want Dutch", st.Me.Lang, st.Labels["send"], st.Guide.Title)
	}
	if note := sandboxClock(t, url, sarah, "due"); !strings.HasPrefix(note, "Er staat nu niets klaar") {
		t.Errorf("due note in Dutch = %q", note)
	}
}

// sandboxClock presses a clock button as `as` and returns the page's note.
func sandboxClock(t *testing.T, url, as, action string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"as": as, "action": action})
	res, err := http.Post(url+"/api/clock", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		OK   bool   `json:"ok"`
		Note string `json:"note"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || !out.OK {
		t.Fatalf("POST /api/clock %s = %s %+v %v", action, res.Status, out, err)
	}
	return out.Note
}

// sandboxType types a command as `as` in their DM and waits for the bot's
// ephemeral answer to them.
func sandboxType(t *testing.T, url string, changes <-chan string, as, text string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"as": as, "kind": "message", "text": text})
	res, err := http.Post(url+"/api/action", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST /api/action %q = %s", text, res.Status)
	}
	if !waitChange(t, changes, 20*time.Second, func(c change) bool { return c.Kind == "ephemeral" && c.User == as }) {
		t.Fatalf("no answer to %q within 20s", text)
	}
}

// waitDM reports whether a message arrived in channel dm within d.
func waitDM(t *testing.T, changes <-chan string, dm string, d time.Duration) bool {
	t.Helper()
	return waitChange(t, changes, d, func(c change) bool { return c.Kind == "message" && c.Channel == dm })
}

// change is one of the page's change events.
type change struct{ Kind, Channel, User string }

// waitChange reports whether a change matching ok arrived within d.
func waitChange(t *testing.T, changes <-chan string, d time.Duration, ok func(change) bool) bool {
	t.Helper()
	timeout := time.After(d)
	for {
		select {
		case c, open := <-changes:
			if !open {
				t.Fatal("event stream ended")
			}
			var ch change
			if json.Unmarshal([]byte(c), &ch) == nil && ok(ch) {
				return true
			}
		case <-timeout:
			return false
		}
	}
}

type sandboxView struct {
	Now time.Time `json:"now"`
	Me  struct {
		Lang string `json:"lang"`
	} `json:"me"`
	Labels   map[string]string      `json:"labels"`
	Guide    struct{ Title string } `json:"guide"`
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
