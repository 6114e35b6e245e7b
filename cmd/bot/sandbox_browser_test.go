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

	"github.com/leancoach/leancoach/internal/i18n"
)

// The demo workspace's people (demo.go).
const (
	demoAdmin  = "U0ADMIN01" // Ingrid, English, Amsterdam
	demoSarah  = "U0DIRECT2" // a director, English, London
	demoTom    = "U0LEADER2" // Sarah's Lean leader, Dutch
	demoKudos  = "C0KUDOS01"
	kudosWords = "the board was current"
)

// TestSandboxInBrowser is the sandbox's acceptance test: the real `bot
// sandbox` (local Slack, production bot over Socket Mode, web page) driven
// by headless Chromium the way a first visitor uses it. The visitor starts
// as the English-speaking admin and follows the page's "try this" guide by
// its own buttons: set up, get a prompt, answer it, give kudos, see Home,
// see and open a delegation path, switch to Dutch; then the same steps again in Dutch. It then checks the
// clock buttons, the export's file in the DM, and the page on a phone.
// Screenshots at 1400 and 420 px wide are saved under $LEANCOACH_ARTIFACTS
// (or a temporary directory) and under internal/sandbox/testdata/artifacts/.
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

	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
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
		chromedp.WindowSize(1400, 900),
	)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	b := &page{t: t, ctx: bctx, shots: shots}
	defer b.onFailure()

	// A first visit: the English-speaking admin, with the guide open.
	b.do("open the page", chromedp.EmulateViewport(1400, 900), chromedp.Navigate(url))
	b.waitJS("the admin first", fmt.Sprintf(`document.querySelector("#person").value === %q`, demoAdmin))
	b.waitText("#person", "Ingrid de Vries")
	b.waitJS("an English page", `document.documentElement.lang === "en"`)
	b.waitGuide(i18n.EN)
	b.shot("01-first-visit-1400")

	// The guide in English, ending with Sarah switching to Dutch.
	b.walkGuide(i18n.EN, 1)
	b.guideAction("language", 0) // /coach language nl, as Sarah
	b.sendCommand("/coach language nl")
	b.waitLang(i18n.NL)
	b.shot("08-sarah-switched-to-dutch")

	// The guide in Dutch: Ingrid switches to Dutch too, walks it again, and
	// Sarah switches back to English at the end.
	b.be(demoAdmin)
	b.waitLang(i18n.EN)
	b.guideAction("language", 0)
	b.sendCommand("/coach language nl")
	b.waitLang(i18n.NL)
	b.walkGuide(i18n.NL, 2)
	b.guideAction("language", 1) // /coach language en, as Sarah
	b.sendCommand("/coach language en")
	b.waitLang(i18n.EN)

	// "Send due prompts now" says what it did, in the person's words.
	b.do("send due prompts", chromedp.Click(chromedp.CSS("#clock-due")))
	nothing, _, _ := strings.Cut(i18n.EN.T("sandbox.due.next"), ".")
	sending := strings.ReplaceAll(regexp.QuoteMeta(i18n.EN.T("sandbox.due.sending.one"))+"|"+
		regexp.QuoteMeta(i18n.EN.T("sandbox.due.sending.other")), `%\[1\]d`, `\d+`)
	b.waitJS("the due note", fmt.Sprintf(`(() => { const t = document.querySelector("#toast");
		return !t.hidden && (t.innerText.startsWith(%q) || new RegExp(%q).test(t.innerText)); })()`, nothing, sending))
	b.shot("15-send-due-note")

	// "Jump to tomorrow 08:00" is 08:00 where the acting person is: in
	// Amsterdam for Ingrid (Dutch by now), in London for Sarah.
	b.be(demoAdmin)
	b.do("jump as Ingrid", chromedp.Click(chromedp.CSS("#clock-tomorrow")))
	b.waitText("#clock-now", "08:0")
	b.be(demoSarah)
	b.waitJS("Sarah's clock", `!document.querySelector("#clock-now").innerText.includes("08:00")`)
	n := b.count("#messages .msg")
	for jump := 1; ; jump++ {
		b.do("jump to tomorrow 08:00", chromedp.Click(chromedp.CSS("#clock-tomorrow")))
		_, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](
			fmt.Sprintf(`document.querySelectorAll("#messages .msg").length > %d`, n), chromedp.WithPollingTimeout(10*time.Second)))
		if err == nil {
			break
		}
		if jump == 4 {
			t.Fatalf("no prompt after jumping %d mornings ahead: %v", jump, err)
		}
	}
	b.waitText("#clock-now", "08:0")
	b.shot("16-next-morning-prompts")

	// The export's file shows in the DM and downloads.
	b.do("export", chromedp.SendKeys(chromedp.CSS("#composer-text"), "/coach export"), chromedp.Click(chromedp.CSS("#composer-send")))
	b.waitJS("the export's file", `!!document.querySelector("#messages a.file[href^='/api/file']")`)
	kind, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](
		`fetch(document.querySelector("#messages a.file").getAttribute("href")).then(r => r.json()).then(j => typeof j)`, chromedp.EvalAwaitPromise))
	if err != nil || kind != "object" {
		t.Errorf("the export's file link gave %q, %v; want a JSON object", kind, err)
	}
	b.shot("17-export-file")

	// A phone: the person picker and the clock are on screen, nothing
	// scrolls sideways, and the guide opens over the page.
	b.do("a phone", chromedp.EmulateViewport(420, 860))
	b.do("close the guide if open", chromedp.Evaluate[chromedp.Void](`(() => { const g = document.querySelector("#guide"); if (!g.hidden) document.querySelector("#guide-close").click(); })()`))
	b.waitJS("the guide closed", `document.querySelector("#guide").hidden`)
	for _, sel := range []string{"#person", "#clock-tomorrow", "#guide-toggle", "#composer-send"} {
		b.waitJS(sel+" on screen at 420 px", fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect();
			return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth && r.top >= 0 && r.bottom <= window.innerHeight; })()`, sel))
	}
	b.waitJS("no sideways scrolling at 420 px", `document.documentElement.scrollWidth <= window.innerWidth`)
	b.shot("18-phone-420")
	b.do("open the guide", chromedp.Click(chromedp.CSS("#guide-toggle")))
	b.waitJS("the guide covers the page", `(() => { const r = document.querySelector("#guide").getBoundingClientRect(); return r.width >= window.innerWidth - 1; })()`)
	b.shot("19-phone-420-guide")
	b.guideAction("home", 0)
	b.waitJS("the guide closed after a step", `document.querySelector("#guide").hidden`)
	b.waitJS("Home on a phone", `document.querySelector("#home").innerText.trim() !== ""`)
	b.shot("20-phone-420-home")
}

// walkGuide follows steps 1 to 7 of the guide by its buttons, in lang; pass
// counts the walks, as each one adds a kudos.
func (b *page) walkGuide(lang i18n.Lang, pass int) {
	b.t.Helper()
	b.waitGuide(lang)
	suffix := "-" + string(lang)
	shot := func(n int, name string) { b.shot(fmt.Sprintf("%02d-%s%s", n+(pass-1)*7, name, suffix)) }

	// 1. Set up: as the admin, see the directors and the schedules.
	b.guideAction("setup", 0)
	b.sendCommand("/coach director list")
	b.waitText("#messages .item:last-child .msg.ephemeral", "@Sarah Mitchell")
	b.guideAction("setup", 1)
	b.sendCommand("/coach schedule list")
	b.waitText("#messages .item:last-child .msg.ephemeral", "07:30")
	shot(2, "setup")

	// 2. Get a prompt: the admin sends Sarah the stand-up prompt.
	b.guideAction("prompt", 0)
	b.sendCommand("/coach send standup @sarah")
	b.waitText("#messages .item:last-child .msg.ephemeral", "@Sarah Mitchell")

	// 3. Answer it: Sarah clicks the prompt's green button (and fills the
	// form, if the button opens one); the prompt changes in place.
	b.guideAction("answer", 0)
	b.waitJS("Sarah's DM", fmt.Sprintf(`location.hash.includes("as=%s") && !!document.querySelector("#messages .msg:not(.ephemeral) .bk-primary")`, demoSarah))
	b.waitText("#messages", lang.T("habit.standup.name"))
	shot(3, "prompt")
	ts, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](
		`[...document.querySelectorAll("#messages .msg:not(.ephemeral)")].filter(m => m.querySelector(".bk-primary")).pop().dataset.ts`))
	if err != nil {
		b.t.Fatalf("find the prompt: %v", err)
	}
	msg := fmt.Sprintf(`#messages .msg[data-ts=%q]`, ts)
	b.do("click the green button", chromedp.Click(chromedp.CSS(msg+" .bk-primary")))
	b.waitJS("recorded or a form", fmt.Sprintf(`!!document.querySelector(".modal") || !!document.querySelector(%q)`, msg+" .msg-edited"))
	if open, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`!!document.querySelector(".modal")`)); open {
		b.do("answer the form's required questions", chromedp.Evaluate[chromedp.Void](fillRequired))
		shot(4, "answer-form")
		b.do("submit the form", chromedp.Click(chromedp.CSS(".modal-submit")))
		b.waitJS("the form closed", `!document.querySelector(".modal")`)
	}
	b.waitJS("the prompt changed in place", fmt.Sprintf(`!!document.querySelector(%q)`, msg+" .msg-edited"))
	shot(4, "answered")

	// 4. Give kudos: Sarah compliments Tom; Tom reads it in #kudos.
	b.guideAction("kudos", 0)
	b.waitJS("the kudos command", `document.querySelector("#composer-text").value.startsWith("/coach kudos @tom ")`)
	b.sendNext()
	b.guideAction("kudos", 1)
	b.waitJS("Tom in #kudos", fmt.Sprintf(`location.hash.includes("as=%s") && location.hash.includes("c=%s")`, demoTom, demoKudos))
	b.waitJS("the kudos", fmt.Sprintf(`document.querySelector("#messages").innerText.split(%q).length > %d`, kudosWords, pass))
	b.waitText("#messages", "@Tom Peeters")
	shot(5, "kudos")

	// 5. See Home: Sarah's Home tab, in her language.
	b.guideAction("home", 0)
	b.waitJS("Sarah's Home", fmt.Sprintf(`location.hash.includes("as=%s") && location.hash.includes("tab=home")`, demoSarah))
	b.waitText("#home", lang.T("habit.standup.name"))
	shot(6, "home")

	// 6. Plot a path: Sarah's path with Tom is on her Home, in her
	// language with her own words; /coach path @tom opens its form,
	// prefilled, and saving it unchanged says so in the DM.
	b.guideAction("path", 0)
	b.waitJS("Sarah's Home", fmt.Sprintf(`location.hash.includes("as=%s") && location.hash.includes("tab=home")`, demoSarah))
	b.waitText("#home", lang.T("path.home.title"))
	b.waitText("#home", demoPathWords)
	b.waitText("#home", lang.T("path.button.review"))
	b.guideAction("path", 1)
	b.waitJS("the path command", `document.querySelector("#composer-text").value === "/coach path @tom"`)
	b.do("send", chromedp.Click(chromedp.CSS("#composer-send")))
	b.waitJS("the path form", `!!document.querySelector(".modal")`)
	b.waitText(".modal", lang.T("path.form.title"))
	b.waitJS("the form prefilled", fmt.Sprintf(`[...document.querySelectorAll(".modal input, .modal textarea")].some(e => e.value === %q)`, demoPathWords))
	shot(7, "path-form")
	n := b.count("#messages .msg")
	b.do("save the path unchanged", chromedp.Click(chromedp.CSS(".modal-submit")))
	b.waitJS("the form closed", `!document.querySelector(".modal")`)
	b.waitJS("the path saved", fmt.Sprintf(`document.querySelectorAll("#messages .msg").length > %d`, n))
	b.waitText("#messages .item:last-child .msg.ephemeral", "@Tom Peeters")

	// Tom sees the same path from his side, in his Dutch: read-only, with
	// his check-ins and the comment he left for Sarah. Then back to Sarah.
	b.guideAction("path", 2)
	b.waitJS("Tom's Home", fmt.Sprintf(`location.hash.includes("as=%s") && location.hash.includes("tab=home")`, demoTom))
	b.waitText("#home", i18n.NL.T("leader.home.title"))
	b.waitText("#home", demoTomComment)
	b.waitText("#home", demoPathWords)
	shot(7, "leader-home")

	// Tom answers his monthly check-in about Sarah, seeded in his DM, in
	// his Dutch: one click on the style he needed, and the message shows
	// it recorded, with what Sarah will see.
	b.guideAction("checkin", 0)
	needed := `#messages .msg:not(.ephemeral) [data-action="checkin.needed.facilitating"]`
	b.waitJS("Tom's check-in", fmt.Sprintf(`location.hash.includes("as=%s") && !!document.querySelector(%q)`, demoTom, needed))
	b.waitText("#messages", "Welke stijl had je deze maand het meest nodig van")
	b.do("click facilitating", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`[...document.querySelectorAll(%q)].pop().click()`, needed)))
	b.waitText("#messages", "✓ faciliteren")
	shot(8, "checkin")
	b.guideAction("path", 0)
	b.waitJS("Sarah's Home", fmt.Sprintf(`location.hash.includes("as=%s") && location.hash.includes("tab=home")`, demoSarah))
}

// demoTomComment is Tom's comment on his path with Sarah (demo.go).
const demoTomComment = "Could we move the Monday stand-up to 09:00"

// demoPathWords are Sarah's words for the next responsibility she hands
// over to Tom (demo.go).
const demoPathWords = "Runs the Monday stand-up without me"

// fillRequired answers every required input of the open modal the way a
// visitor would: the first choice, or a few words.
const fillRequired = `(() => {
	for (const blk of document.querySelectorAll(".modal .bk-input")) {
		if (blk.querySelector(".bk-optional")) continue;
		const choice = blk.querySelector("input[type=radio], input[type=checkbox]");
		if (choice) { if (!choice.checked) choice.click(); continue; }
		const sel = blk.querySelector("select");
		if (sel) {
			const o = [...sel.options].find((o) => o.value);
			if (o && !sel.value) { sel.value = o.value; sel.dispatchEvent(new Event("change", { bubbles: true })); }
			continue;
		}
		const text = blk.querySelector("textarea, input");
		if (text && !text.value) text.value = "It went well.";
	}
})()`

// waitGuide waits for the guide, open, in lang.
func (b *page) waitGuide(lang i18n.Lang) {
	b.t.Helper()
	b.waitJS("the guide open", `!document.querySelector("#guide").hidden`)
	b.waitText("#guide-title", lang.T("sandbox.guide.title"))
	b.waitText(`[data-guide-step="answer"]`, lang.T("sandbox.guide.answer.title"))
}

// waitLang waits until the page speaks lang: its own labels and the guide.
func (b *page) waitLang(lang i18n.Lang) {
	b.t.Helper()
	b.waitJS("the page in "+string(lang), fmt.Sprintf(`document.documentElement.lang === %q && document.querySelector("#composer-send").innerText === %q`,
		string(lang), lang.T("sandbox.send")))
	b.waitText("#guide-toggle", lang.T("sandbox.guide.title"))
	b.waitText(".sidebar", lang.T("sandbox.channels"))
}

// guideAction clicks button i of a guide step, opening the guide first.
func (b *page) guideAction(step string, i int) {
	b.t.Helper()
	b.do("open the guide", chromedp.Evaluate[chromedp.Void](`(() => { if (document.querySelector("#guide").hidden) document.querySelector("#guide-toggle").click(); })()`))
	sel := fmt.Sprintf(`[data-guide-step=%q] [data-guide-action="%d"]`, step, i)
	b.waitJS("guide step "+step, fmt.Sprintf(`!!document.querySelector(%q)`, sel))
	b.do(fmt.Sprintf("guide step %s, button %d", step, i), chromedp.Click(chromedp.CSS(sel)))
}

// sendCommand checks the guide put command in the message box and sends it.
func (b *page) sendCommand(command string) {
	b.t.Helper()
	b.waitJS("the command "+command, fmt.Sprintf(`document.querySelector("#composer-text").value === %q`, command))
	b.sendNext()
}

// sendNext sends the message box and waits for the bot's answer.
func (b *page) sendNext() {
	b.t.Helper()
	n := b.count("#messages .msg")
	b.do("send", chromedp.Click(chromedp.CSS("#composer-send")))
	b.waitJS("an answer", fmt.Sprintf(`document.querySelectorAll("#messages .msg").length > %d`, n))
}

func (b *page) count(sel string) int {
	b.t.Helper()
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
	if err != nil {
		b.t.Fatalf("count %s: %v", sel, err)
	}
	return n
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
		// A failure screenshot of an earlier run would mislead.
		if err := os.Remove(filepath.Join(d, "failure.png")); err != nil && !os.IsNotExist(err) {
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
	b.waitJS("be "+id, fmt.Sprintf(`location.hash.includes("as=%s") && document.querySelector("#person").value === %q`, id, id))
}

func (b *page) waitText(sel, text string) {
	b.t.Helper()
	b.waitJS(fmt.Sprintf("wait for %q in %s", text, sel),
		fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.innerText.includes(%q); })()`, sel, text))
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
