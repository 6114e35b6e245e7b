package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestSandboxInBrowser is the sandbox's acceptance test: the real `bot
// sandbox` (local Slack, production bot over Socket Mode, web page) driven
// by headless Chromium. The admin sends a compliment prompt, the director
// answers it in the modal, the Lean leader sees the kudos in #kudos, and the
// director's App Home shows the streak. A screenshot of each step is saved
// under $LEANCOACH_ARTIFACTS (or a temporary directory) and under
// internal/sandbox/testdata/artifacts/.
func TestSandboxInBrowser(t *testing.T) {
	browser := findChromium()
	if browser == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is not installed; CI must install it (apt-get install chromium)")
		}
		t.Skip("chromium not installed; set CI=true to make this a failure")
	}
	shots := newShots(t)
	url := startSandbox(t)

	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(browser),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	b := &page{t: t, ctx: bctx, shots: shots}
	defer b.onFailure()

	// 1. The admin sends Sarah (a director) a compliment prompt.
	b.do("open the page", chromedp.Navigate(url))
	b.waitText("#person", "Ingrid de Vries")
	b.be("U0ADMIN01")
	b.waitText("#conv-name", "leancoach")
	// Seeding answered the admin already: wait for one answer more.
	seeded, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#messages .msg.ephemeral").length`))
	if err != nil {
		t.Fatal(err)
	}
	b.do("type the command", chromedp.SendKeys(chromedp.CSS("#composer-text"), "/coach send compliment @sarah"),
		chromedp.Click(chromedp.CSS("#composer-send")))
	b.waitJS("wait for the ephemeral answer", fmt.Sprintf(`document.querySelectorAll("#messages .msg.ephemeral .only-you").length > %d`, seeded))
	b.waitText("#messages .item:last-child .msg.ephemeral", "@Sarah Mitchell")
	b.shot("01-admin-sends-prompt")

	// 2. Sarah receives the prompt in her DM with leancoach.
	b.be("U0DIRECT2")
	b.waitText("#messages", "Write a compliment")
	b.shot("02-director-receives-prompt")

	// 3. She clicks, writes the compliment in the modal and submits.
	b.do("click Write a compliment", chromedp.Click(`//button[normalize-space()="Write a compliment"]`))
	b.waitText(".modal", "Tom Peeters")
	kudos := "Tom ran a sharp stand-up today: the board was current and he let the team solve the blocker themselves."
	b.do("fill the modal", chromedp.SendKeys(chromedp.CSS(".modal textarea"), kudos))
	b.shot("03-director-fills-modal")
	b.do("submit the modal", chromedp.Click(chromedp.CSS(".modal-submit")),
		chromedp.WaitNotPresent(chromedp.CSS(".modal")))
	b.waitGone("#messages", "Write a compliment") // the prompt is updated in place
	b.shot("04-prompt-answered")

	// 4. Tom, the Lean leader, sees the kudos in #kudos.
	b.be("U0LEADER2")
	b.do("open #kudos", chromedp.Click(chromedp.CSS(`.sidebar button[data-channel="C0KUDOS01"]`)))
	b.waitText("#conv-name", "kudos")
	b.waitText("#messages", "the board was current")
	b.waitText("#messages", "@Tom Peeters")
	b.shot("05-leader-sees-kudos")

	// 5. Sarah's App Home shows the streak.
	b.be("U0DIRECT2")
	b.do("open the App Home", chromedp.Click(chromedp.CSS("#tab-home")))
	b.waitText("#home", "Streak 1")
	b.shot("06-director-home-streak")

	// 6. The demo clock: jump to the next morning with prompts (a weekend
	// has none) and see them arrive in the DM.
	b.do("back to the DM", chromedp.Click(chromedp.CSS("#tab-messages")))
	b.waitJS("the DM", `document.querySelector("#tab-messages").getAttribute("aria-selected") === "true"`)
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#messages .msg").length`))
	if err != nil {
		t.Fatal(err)
	}
	for jump := 1; ; jump++ {
		b.do("jump to tomorrow 08:00", chromedp.Click(chromedp.CSS("#clock-tomorrow")))
		_, err = chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](
			fmt.Sprintf(`document.querySelectorAll("#messages .msg").length > %d`, n), chromedp.WithPollingTimeout(10*time.Second)))
		if err == nil {
			break
		}
		if jump == 4 {
			t.Fatalf("no prompt after jumping %d mornings ahead: %v", jump, err)
		}
	}
	// Every weekday has the stand-up and the question prompt.
	b.waitJS("two prompts", fmt.Sprintf(`document.querySelectorAll("#messages .msg").length >= %d`, n+2))
	b.waitText("#clock-now", "08:0")
	b.shot("07-next-morning-prompts")
}

// findChromium returns the browser to drive, "" when none is installed.
func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// startSandbox runs `bot sandbox` in-process on a free port and returns the
// page's URL once the demo workspace is seeded.
func startSandbox(t *testing.T) string {
	t.Helper()
	out := newLines()
	logs := newLines()
	env := map[string]string{"LOG_LEVEL": "info"}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"sandbox", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "sandbox.db")},
			func(k string) string { return env[k] }, out, logs)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("bot sandbox returned %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("bot sandbox did not stop within 15s of cancel")
		}
		if t.Failed() {
			t.Logf("sandbox logs:\n%s", logs.String())
		}
	})
	line, err := out.wait(t.Context(), regexp.MustCompile(`leancoach sandbox: open (http://\S+)`), 30*time.Second)
	if err != nil {
		t.Fatalf("bot sandbox printed no URL: %v\nlogs:\n%s", err, logs.String())
	}
	if _, err := out.wait(t.Context(), regexp.MustCompile(`demo workspace ready`), 90*time.Second); err != nil {
		t.Fatalf("bot sandbox never finished seeding: %v\nlogs:\n%s", err, logs.String())
	}
	return line[1]
}

// lines is stdout as a stream of lines one can wait on.
type lines struct {
	mu      sync.Mutex
	text    strings.Builder
	changed chan struct{}
}

func newLines() *lines { return &lines{changed: make(chan struct{})} }

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.text.String()
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.text.Write(p)
	close(l.changed)
	l.changed = make(chan struct{})
	return len(p), nil
}

// wait returns the submatches of the first match of re in the output.
func (l *lines) wait(ctx context.Context, re *regexp.Regexp, d time.Duration) ([]string, error) {
	timeout := time.After(d)
	for {
		l.mu.Lock()
		m := re.FindStringSubmatch(l.text.String())
		ch := l.changed
		l.mu.Unlock()
		if m != nil {
			return m, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-timeout:
			return nil, fmt.Errorf("no %q in %v", re, d)
		}
	}
}

// shots saves screenshots in the artifact directories.
type shots struct {
	t    *testing.T
	dirs []string
}

func newShots(t *testing.T) *shots {
	t.Helper()
	dir := os.Getenv("LEANCOACH_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else {
		dir = filepath.Join(dir, "sandbox")
	}
	s := &shots{t: t, dirs: []string{dir, filepath.Join("..", "..", "internal", "sandbox", "testdata", "artifacts")}}
	for _, d := range s.dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("screenshots: %s", strings.Join(s.dirs, " and "))
	return s
}

func (s *shots) save(name string, png []byte) {
	for _, d := range s.dirs {
		if err := os.WriteFile(filepath.Join(d, name+".png"), png, 0o644); err != nil {
			s.t.Errorf("save screenshot %s: %v", name, err)
		}
	}
}

// page drives the browser tab; every step fails the test with its name.
type page struct {
	t     *testing.T
	ctx   context.Context
	shots *shots
}

func (b *page) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
}

// be picks a person in the people picker, as a visitor does.
func (b *page) be(id string) {
	b.t.Helper()
	b.do("be "+id, chromedp.SetValue(chromedp.CSS("#person"), id),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#person").dispatchEvent(new Event("change", {bubbles: true}))`))
	b.waitJS("be "+id, fmt.Sprintf(`location.hash.includes("as=%s")`, id))
}

func (b *page) waitText(sel, text string) {
	b.t.Helper()
	b.waitJS(fmt.Sprintf("wait for %q in %s", text, sel),
		fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.innerText.includes(%q); })()`, sel, text))
}

func (b *page) waitGone(sel, text string) {
	b.t.Helper()
	b.waitJS(fmt.Sprintf("wait for %q to leave %s", text, sel),
		fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && !e.innerText.includes(%q); })()`, sel, text))
}

func (b *page) waitJS(step, expr string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
}

func (b *page) shot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	b.shots.save(name, png)
}

// onFailure keeps what the page showed when a step failed.
func (b *page) onFailure() {
	if !b.t.Failed() {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(b.ctx), 10*time.Second)
	defer cancel()
	if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		b.shots.save("failure", png)
	}
	if text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`)); err == nil {
		b.t.Logf("page text at failure:\n%s", text)
	}
}
