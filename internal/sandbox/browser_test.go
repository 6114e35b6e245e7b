package sandbox_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser opens the page of f in headless Chromium as person `as`. It fails
// the test in CI (CI=true) when Chromium is missing, and skips it elsewhere.
func browser(t *testing.T, f *fixture, as string) *tab {
	t.Helper()
	exe := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			exe = p
			break
		}
	}
	if exe == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is not installed; CI must install it (apt-get install chromium)")
		}
		t.Skip("chromium not installed; set CI=true to make this a failure")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1200, 900))
	t.Cleanup(cancelAlloc)
	bctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(cancelTab)
	tb := &tab{t: t, ctx: bctx}
	tb.do("open the page", chromedp.Navigate(f.web.URL+"/#as="+as))
	tb.waitJS("the page drew "+as, fmt.Sprintf(`document.querySelector("#person").value === %q && document.querySelector("#conv-name").innerText !== ""`, as))
	return tb
}

type tab struct {
	t   *testing.T
	ctx context.Context
}

func (b *tab) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
}

func (b *tab) waitJS(step, expr string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		text, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body.innerText`))
		b.t.Fatalf("%s: %v\npage:\n%s", step, err, text)
	}
}

func (b *tab) type_(text string) {
	b.t.Helper()
	b.do("type "+text, chromedp.SendKeys(chromedp.CSS("#composer-text"), text), chromedp.Click(chromedp.CSS("#composer-send")))
}

// shot saves a screenshot under testdata/artifacts (git-ignored) and
// $LEANCOACH_ARTIFACTS/sandbox when set.
func (b *tab) shot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	dirs := []string{filepath.Join("testdata", "artifacts")}
	if d := os.Getenv("LEANCOACH_ARTIFACTS"); d != "" {
		dirs = append(dirs, filepath.Join(d, "sandbox"))
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			b.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, name+".png"), png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
}

// expect waits for what the bot received.
func (f *fixture) expect(t *testing.T, step, want string) {
	t.Helper()
	select {
	case got := <-f.got:
		if got != want {
			t.Errorf("%s: the bot got %q, want %q", step, got, want)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("%s: the bot got nothing, want %q", step, want)
	}
}

// TestBrowserWidgets drives every interactive element kind through the page
// and checks what the bot receives: the page's script sends each click,
// selection and submission like Slack's client.
func TestBrowserWidgets(t *testing.T) {
	f := newFixture(t)
	b := browser(t, f, director)

	b.type_("/coach widgets")
	b.waitJS("the widgets message", `!!document.querySelector('#messages [data-action="w_btn"]')`)
	b.shot("widgets-message")

	b.do("press the button", chromedp.Click(chromedp.CSS(`#messages button[data-action="w_btn"]`)))
	f.expect(t, "button", "w_btn=v")
	b.do("open the overflow", chromedp.Click(chromedp.CSS(`#messages details[data-action="w_over"] summary`)))
	b.do("choose Remove", chromedp.Click(chromedp.CSS(`#messages details[data-action="w_over"] .bk-menu-item[data-value="remove"]`)))
	f.expect(t, "overflow", "w_over=remove")
	b.do("choose in the select", chromedp.SetValue(chromedp.CSS(`#messages select[data-action="w_sel"]`), "b"))
	f.expect(t, "static_select", "w_sel=b")
	b.do("choose a person", chromedp.SetValue(chromedp.CSS(`#messages select[data-action="w_user"]`), leader))
	f.expect(t, "users_select", "w_user="+leader)
	b.do("choose a date", chromedp.SetValue(chromedp.CSS(`#messages input[data-action="w_date"]`), "2026-12-24"))
	f.expect(t, "datepicker", "w_date=2026-12-24")
	b.do("tick Tue", chromedp.Click(chromedp.CSS(`#messages [data-action="w_days"] input[value="tue"]`)))
	f.expect(t, "checkboxes", "w_days=mon,tue")
	b.do("choose Nederlands", chromedp.Click(chromedp.CSS(`#messages [data-action="w_lang"] input[value="nl"]`)))
	f.expect(t, "radio_buttons", "w_lang=nl")

	b.type_("/coach form")
	b.waitJS("the modal", `!!document.querySelector('.modal [data-key="title/title"]')`)
	b.do("submit it empty", chromedp.Click(chromedp.CSS(".modal-submit")))
	b.waitJS("the required-field error", `document.querySelector('.modal .bk-input[data-block="title"] .bk-error').innerText !== ""`)
	b.shot("widgets-modal-required")
	select {
	case got := <-f.got:
		t.Errorf("an empty required field was submitted: the bot got %q", got)
	default:
	}
	b.do("fill the form",
		chromedp.SendKeys(chromedp.CSS(`.modal [data-key="title/title"]`), "Gemba at line 3"),
		chromedp.SendKeys(chromedp.CSS(`.modal [data-key="note/note"]`), "two lines\nof note"),
		chromedp.SetValue(chromedp.CSS(`.modal [data-key="leader/leader"]`), leader),
		chromedp.SetValue(chromedp.CSS(`.modal [data-key="habit/habit"]`), "question"),
		chromedp.Click(chromedp.CSS(`.modal [data-key="fb/fb"] input[value="yes"]`)),
		chromedp.Click(chromedp.CSS(`.modal [data-key="more/more"] input[value="share"]`)),
	)
	b.shot("widgets-modal-filled")
	b.do("submit", chromedp.Click(chromedp.CSS(".modal-submit")), chromedp.WaitNotPresent(chromedp.CSS(".modal")))
	f.expect(t, "form", "form:fb=yes;habit=question;leader="+leader+";more=share;note=two lines\nof note;title=Gemba at line 3;when=")
}
