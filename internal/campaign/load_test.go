package campaign_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
	"github.com/leancoach/leancoach/internal/wait"
)

var loadFlag = flag.Bool("campaign.load", false, "run the load scenarios (F); figures in BENCHMARKS.md come from -count 5 runs")

func needLoad(t *testing.T) {
	t.Helper()
	if !*loadFlag {
		t.Skip("load scenario: run with -campaign.load")
	}
}

// loadRig is the production bot over n directors, each with one open
// prompt of habit h already in their DM, and its /metrics endpoint on.
func loadRig(t *testing.T, n int, h coach.Habit) (*campaign.Rig, string, []coach.OccurrenceKey) {
	t.Helper()
	rig := newRig(t, slacksim.Options{}, n)
	addr, err := campaign.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	rig.Bot.Env["LEANCOACH_HTTP_ADDR"] = addr
	rig.Bot.Env["LOG_LEVEL"] = "info" // debug lines per envelope would measure the log, not the bot
	ctx := waitCtx(t, 2*time.Minute)
	if _, err := rig.WS.Seed(ctx, rig.DBPath); err != nil {
		t.Fatal(err)
	}
	if err := rig.WS.SeedProfiles(ctx, rig.DBPath, time.Now()); err != nil {
		t.Fatal(err)
	}
	keys, err := campaign.SeedPrompts(ctx, rig.Sim, rig.DBPath, rig.WS, h, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	startRig(t, rig)
	return rig, addr, keys
}

// scrape reads the bot's /metrics, waiting up to 5 s for the endpoint: it
// comes up beside the sockets, a moment after the bot says it runs.
func scrape(t *testing.T, addr string) campaign.Resources {
	t.Helper()
	ctx := waitCtx(t, 5*time.Second)
	for {
		r, err := campaign.Scrape(ctx, addr)
		if err == nil {
			return r
		}
		if wait.For(ctx, 20*time.Millisecond) != nil {
			t.Fatalf("scrape /metrics: %v", err)
		}
	}
}

// promptOf returns director d's prompt message.
func promptOf(t *testing.T, sim *slacksim.Server, d coach.UserID) slacksim.Message {
	t.Helper()
	for _, m := range sim.Messages(sim.DMChannel(string(d))) {
		if campaign.RefOf(m) != "" {
			return m
		}
	}
	t.Fatalf("no prompt in %s's DM", d)
	return slacksim.Message{}
}

// waitEdited waits until every message has been updated at least once and
// returns when the last one was.
func waitEdited(t *testing.T, sim *slacksim.Server, msgs []slacksim.Message, d time.Duration) time.Time {
	t.Helper()
	return waitEditedTimes(t, sim, msgs, 1, d)
}

// waitEditedTimes waits until every message was edited at least n times and
// returns when.
func waitEditedTimes(t *testing.T, sim *slacksim.Server, msgs []slacksim.Message, n int, d time.Duration) time.Time {
	t.Helper()
	var last time.Time
	err := sim.WaitFor(waitCtx(t, d), func() bool {
		for _, m := range msgs {
			now, _ := sim.Message(m.Channel, m.TS)
			if now.Edited < n {
				return false
			}
		}
		last = time.Now()
		return true
	})
	if err != nil {
		t.Fatalf("not every prompt was updated with its answer: %v", err)
	}
	return last
}

// F3: 1,000 directors click "Not today" within one second, against the
// production bot, with Slack's rate tiers on. Every click is acked well
// inside Slack's 3 s, recorded once, and shown answered through its
// response_url; no click calls a rate-limited Web API method. The figures
// are the ack latencies, click → prompt shown answered (the response_url
// post reaching the local Slack), the answers recorded per second, and the
// bot's goroutines and memory.
func TestLoadClickBurst(t *testing.T) {
	needLoad(t)
	const n = 1000
	rig, addr, keys := loadRig(t, n, coach.Gemba)
	before := scrape(t, addr)
	msgs := promptsOf(t, rig)
	calls := len(rig.Sim.Calls())
	start := time.Now()
	samples := clickBurst(t, rig, msgs, n)
	waitEdited(t, rig.Sim, msgs, 2*time.Minute)
	peak := scrape(t, addr)
	after := campaign.Settle(waitCtx(t, 10*time.Second), before, func() campaign.Resources {
		r, _ := campaign.Scrape(context.Background(), addr)
		return r
	})
	burstCalls := rig.Sim.Calls()[calls:]
	stopRig(t, rig, 10*time.Second)
	rep := check(t, rig, campaign.Expect{Due: campaign.DuesOf(keys, campaign.WantSent), Interactions: clicks(rig, keys, samples), Now: time.Now()})
	lat := campaign.AckLatencies(samples)
	if lat.Acked != n {
		t.Errorf("acked %d of %d clicks", lat.Acked, n)
	}
	if msg := before.Compare(after); msg != "" {
		t.Errorf("after the burst: %s", msg)
	}
	shown := shownLatencies(t, rig.Sim, samples)
	if len(shown) != n {
		t.Errorf("%d prompts shown answered through their response_url, want %d", len(shown), n)
	}
	for _, c := range burstCalls {
		if clickMethods[c.Method] {
			t.Errorf("a click called the Web API: %s", c.Method)
		}
	}
	recordedIn := lastAnswerAt(t, rig, keys).Sub(start)
	t.Logf("FIGURE F3 clicks=%d ack_p50_ms=%.2f ack_p99_ms=%.2f ack_max_ms=%.2f shown_p50_ms=%.1f shown_p99_ms=%.1f recorded=%d all_recorded_within_s=%.2f recorded_per_s=%.0f click_web_api_calls=%d goroutines_before=%d goroutines_peak=%d goroutines_after=%d rss_before_mib=%.1f rss_peak_mib=%.1f rss_after_mib=%.1f",
		n, ms(lat.P50), ms(lat.P99), ms(lat.Max), ms(campaign.Quantile(shown, 0.5)), ms(campaign.Quantile(shown, 0.99)),
		rep.Recorded, recordedIn.Seconds(), float64(rep.Recorded)/recordedIn.Seconds(), countCalls(burstCalls, clickMethods),
		before.Goroutines, peak.Goroutines, after.Goroutines, mib(before.RSS), mib(peak.RSS), mib(after.RSS))
}

// F3 with a stop: the same burst, and SIGTERM 2 s after it, or as soon as
// the last click is acked, while answers are still being recorded and
// shown. Every click the bot acked is in the database when it has exited
// (the oracle's I3), and its exit is clean; prompts it had no time to show
// answered are the only ones left stale.
func TestLoadClickBurstStopped(t *testing.T) {
	needLoad(t)
	for _, after := range []time.Duration{2 * time.Second, 0} {
		t.Run(fmt.Sprintf("SIGTERM %s after the burst", after), func(t *testing.T) {
			const n = 1000
			rig, _, keys := loadRig(t, n, coach.Gemba)
			msgs := promptsOf(t, rig)
			start := time.Now()
			samples := clickBurst(t, rig, msgs, n)
			_ = wait.For(waitCtx(t, 5*time.Second), after) // the bot works on; nobody acts
			took := stopRig(t, rig, 30*time.Second)
			rep := check(t, rig, campaign.Expect{Due: campaign.DuesOf(keys, campaign.WantSent), Interactions: clicks(rig, keys, samples), Now: time.Now()})
			lat := campaign.AckLatencies(samples)
			if rep.Recorded != lat.Acked {
				t.Errorf("recorded %d of the %d acked clicks", rep.Recorded, lat.Acked)
			}
			shown := shownLatencies(t, rig.Sim, samples)
			t.Logf("FIGURE F3s stop_after_s=%.0f clicks=%d acked=%d recorded=%d shown_answered=%d stop_took_ms=%.0f all_recorded_within_s=%.2f",
				after.Seconds(), n, lat.Acked, rep.Recorded, len(shown), ms(took), lastAnswerAt(t, rig, keys).Sub(start).Seconds())
		})
	}
}

// clickMethods are the Web API methods a click on a prompt used to call,
// all rate limited: the answered prompt's chat.update, the App Home's
// views.publish, users.info for the language and zone, and
// chat.postEphemeral to tell a failed update. (During the burst the bot's
// own jobs may call others: a weekly digest, a profile refresh.)
var clickMethods = map[string]bool{"chat.update": true, "views.publish": true, "users.info": true,
	"chat.postEphemeral": true, "views.open": true}

// countCalls counts the calls of the methods.
func countCalls(calls []slacksim.Call, methods map[string]bool) int {
	n := 0
	for _, c := range calls {
		if methods[c.Method] {
			n++
		}
	}
	return n
}

// promptsOf returns each director's prompt message, in directors' order.
func promptsOf(t *testing.T, rig *campaign.Rig) []slacksim.Message {
	t.Helper()
	msgs := make([]slacksim.Message, len(rig.WS.Directors))
	for i, d := range rig.WS.Directors {
		msgs[i] = promptOf(t, rig.Sim, d)
	}
	return msgs
}

// clickBurst has n directors click "Not today" on their prompt within 1 s.
func clickBurst(t *testing.T, rig *campaign.Rig, msgs []slacksim.Message, n int) []campaign.Sample {
	t.Helper()
	return campaign.Burst(waitCtx(t, time.Minute), n, time.Second, func(ctx context.Context, i int) (*slacksim.Result, error) {
		return rig.Sim.As(string(rig.WS.Directors[i])).Click(ctx, msgs[i], bot.ActionNotToday)
	})
}

// clicks are the burst's samples as the oracle's interactions.
func clicks(rig *campaign.Rig, keys []coach.OccurrenceKey, samples []campaign.Sample) []campaign.Interaction {
	var in []campaign.Interaction
	for i, s := range samples {
		in = append(in, campaign.Interaction{EnvelopeID: s.EnvelopeID, Key: keys[i], Director: rig.WS.Directors[i], Habit: coach.Gemba, Outcome: coach.NotToday})
	}
	return in
}

// shownLatencies are, per click shown answered through its response_url,
// the time from the envelope going out to the replacement reaching the
// local Slack.
func shownLatencies(t *testing.T, sim *slacksim.Server, samples []campaign.Sample) []time.Duration {
	t.Helper()
	sent, shown := map[string]time.Time{}, map[string]time.Time{}
	for _, ev := range sim.Events() {
		switch {
		case ev.Kind == slacksim.EventEnvelope && ev.EnvelopeID != "":
			sent[ev.EnvelopeID] = ev.Time
		case ev.Kind == slacksim.EventResponse && ev.Detail == "replaced" && ev.Source == "response_url":
			if _, ok := shown[ev.EnvelopeID]; !ok {
				shown[ev.EnvelopeID] = ev.Time
			}
		}
	}
	var out []time.Duration
	for _, s := range samples {
		if at, ok := shown[s.EnvelopeID]; ok && !sent[s.EnvelopeID].IsZero() {
			out = append(out, at.Sub(sent[s.EnvelopeID]))
		}
	}
	slices.Sort(out)
	return out
}

// lastAnswerAt is when the last of keys' answers was recorded (the bot
// stamps an answer as it records it), read from the stopped bot's file.
func lastAnswerAt(t *testing.T, rig *campaign.Rig, keys []coach.OccurrenceKey) time.Time {
	t.Helper()
	db, err := store.Open(rig.DBPath, store.Options{SkipCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var last time.Time
	for _, k := range keys {
		if o, err := db.Occurrence(t.Context(), k); err == nil && o.Answer != nil && o.Answer.At.After(last) {
			last = o.Answer.At
		}
	}
	return last
}

// F3: 50 directors submit the note of their done answer at the same moment.
func TestLoadModalBurst(t *testing.T) {
	needLoad(t)
	const n = 50
	rig, addr, keys := loadRig(t, n, coach.Gemba)
	before := scrape(t, addr)
	msgs := make([]slacksim.Message, n)
	for i, d := range rig.WS.Directors {
		msgs[i] = promptOf(t, rig.Sim, d)
	}
	// Everyone answers Done and opens "Add a note" first …
	views := make([]string, n)
	var wg sync.WaitGroup
	for i, d := range rig.WS.Directors {
		wg.Go(func() { views[i] = openNoteForm(t, rig.Sim, d, msgs[i]).ID })
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	// … then all submit at once.
	start := time.Now()
	samples := campaign.Burst(waitCtx(t, time.Minute), n, 0, func(ctx context.Context, i int) (*slacksim.Result, error) {
		return rig.Sim.As(string(rig.WS.Directors[i])).Submit(ctx, views[i], slacksim.Values{bot.BlockNote: noteCanary})
	})
	last := waitEditedTimes(t, rig.Sim, msgs, 2, time.Minute)
	stopRig(t, rig, 10*time.Second)
	var in []campaign.Interaction
	for i, s := range samples {
		in = append(in, campaign.Interaction{EnvelopeID: s.EnvelopeID, Key: keys[i], Director: rig.WS.Directors[i], Habit: coach.Gemba, Outcome: coach.Done})
	}
	rep := check(t, rig, campaign.Expect{Due: campaign.DuesOf(keys, campaign.WantSent), Interactions: in, Now: time.Now(), Canaries: []string{noteCanary}})
	lat := campaign.AckLatencies(samples)
	if lat.Acked != n {
		t.Errorf("acked %d of %d submissions", lat.Acked, n)
	}
	t.Logf("FIGURE F3m submissions=%d ack_p50_ms=%.2f ack_p99_ms=%.2f ack_max_ms=%.2f recorded=%d recorded_per_s=%.0f goroutines_before=%d rss_before_mib=%.1f",
		n, ms(lat.P50), ms(lat.P99), ms(lat.Max), rep.Recorded, float64(rep.Recorded)/last.Sub(start).Seconds(), before.Goroutines, mib(before.RSS))
}

// answerDone has director d click Done on prompt m and returns the message
// once it shows the answer.
func answerDone(t *testing.T, sim *slacksim.Server, d coach.UserID, m slacksim.Message) slacksim.Message {
	t.Helper()
	before, _ := sim.Message(m.Channel, m.TS)
	if _, err := sim.As(string(d)).Click(waitCtx(t, 30*time.Second), m, bot.ActionAnswer); err != nil {
		t.Fatalf("%s: Done: %v", d, err)
	}
	var now slacksim.Message
	if err := sim.WaitFor(waitCtx(t, 30*time.Second), func() bool {
		now, _ = sim.Message(m.Channel, m.TS)
		return now.Edited > before.Edited
	}); err != nil {
		t.Fatalf("%s: the prompt does not show the answer: %v", d, err)
	}
	return now
}

// openNoteForm has director d answer prompt m Done with one click, then
// click "Add a note", and returns the form it opened.
func openNoteForm(t *testing.T, sim *slacksim.Server, d coach.UserID, m slacksim.Message) slacksim.View {
	t.Helper()
	done := answerDone(t, sim, d, m)
	res, err := sim.As(string(d)).Click(waitCtx(t, 30*time.Second), done, bot.ActionNote)
	if err != nil {
		t.Fatalf("%s: Add a note: %v", d, err)
	}
	for {
		v, err := res.WaitView(waitCtx(t, 30*time.Second))
		if err != nil {
			t.Fatalf("%s: no note form: %v", d, err)
		}
		if v.Type == "modal" { // not the App Home republished after the answer
			return v
		}
	}
}

var (
	answersOnce sync.Once
	answersPath string
	answersErr  error
)

// answers100k builds, once per test binary, a database of 100,000 answered
// prompts: 10 directors × 10 habits × 1,000 days, written on /dev/shm (no
// fsync cost) and then copied where the test wants it.
func answers100k(t *testing.T, ws campaign.Workspace) string {
	t.Helper()
	answersOnce.Do(func() {
		dir := "/dev/shm"
		if _, err := os.Stat(dir); err != nil {
			dir = os.TempDir()
		}
		d, err := os.MkdirTemp(dir, "campaign-100k-")
		if err != nil {
			answersErr = err
			return
		}
		shmDirs = append(shmDirs, d)
		answersPath = filepath.Join(d, "leancoach.db")
		answersErr = seed100k(answersPath, ws)
	})
	if answersErr != nil {
		t.Fatalf("seed 100k answers: %v", answersErr)
	}
	return answersPath
}

func seed100k(path string, ws campaign.Workspace) error {
	ctx := context.Background()
	if _, err := ws.Seed(ctx, path); err != nil {
		return err
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	day0 := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1000)
	for hi, h := range coach.Habits()[:10] {
		sid := coach.ScheduleID(fmt.Sprintf("s%d", hi+1))
		for _, d := range ws.Directors {
			for day := range 1000 {
				due := day0.AddDate(0, 0, day).Add(8 * time.Hour)
				o := coach.Occurrence{Key: coach.NewOccurrenceKey(sid, d, due.Format(time.DateOnly)), Schedule: sid,
					Director: d, Habit: h, LocalDate: due.Format(time.DateOnly), Due: due, State: coach.Sent,
					SentAt: due, StartedAt: due, Channel: "D0SIM00001", TS: fmt.Sprintf("%d.000100", due.Unix()),
					Answer: &coach.Answer{Outcome: coach.Done, At: due.Add(time.Hour), By: d, Note: "a short private note about today's visit"}}
				if _, _, err := db.CreateOccurrence(ctx, o); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// F4: the production bot over a database of 100,000 answers: startup time
// (exec to Socket Mode hello, consistency check included), /coach streak for
// a director with 10,000 of them, and the file size per 1,000
// director-years.
func TestLoad100kAnswers(t *testing.T) {
	needLoad(t)
	rig := newRig(t, slacksim.Options{}, 10)
	rig.Bot.Env["LOG_LEVEL"] = "info"
	src := answers100k(t, rig.WS)
	if err := copyFile(src, rig.DBPath); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(rig.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	// bbolt grows its file in steps: the pages in use are the real size.
	db, err := store.Open(rig.DBPath, store.Options{SkipCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	st, err := db.Stats()
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	used := st.FileSize - int64(st.FreePages+st.PendingPages)*int64(os.Getpagesize())
	// And compacted (what erasure and a fresh copy give), on a scratch copy.
	scratch := t.TempDir() + "/compact.db"
	if err := copyFile(rig.DBPath, scratch); err != nil {
		t.Fatal(err)
	}
	cdb, err := store.Open(scratch, store.Options{SkipCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := cdb.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	compacted, _ := cdb.Size()
	cdb.Close()
	var starts []time.Duration
	for range 3 {
		begin := time.Now()
		startRig(t, rig)
		starts = append(starts, time.Since(begin))
		stopRig(t, rig, 10*time.Second)
	}
	startRig(t, rig)
	d := rig.WS.Directors[5]
	var streaks []time.Duration
	for range 20 {
		begin := time.Now()
		res, err := rig.Sim.As(string(d)).Slash(waitCtx(t, 30*time.Second), "/coach", "streak")
		if err != nil {
			t.Fatalf("/coach streak: %v", err)
		}
		if _, err := res.WaitResponse(waitCtx(t, 30*time.Second)); err != nil {
			t.Fatalf("no reply to /coach streak: %v", err)
		}
		streaks = append(streaks, time.Since(begin))
	}
	stopRig(t, rig, 10*time.Second)
	check(t, rig, campaign.Expect{})
	slices.Sort(streaks)
	perOcc := float64(used) / 100_000
	t.Logf("FIGURE F4 answers=100000 file_mib=%.1f used_mib=%.1f compacted_mib=%.1f bytes_per_answer=%.0f used_mib_per_1000_director_years_1_daily_habit=%.0f compacted_mib_per_1000_director_years=%.0f startup_ms=%.0f streak_p50_ms=%.1f streak_p99_ms=%.1f",
		mib(fi.Size()), mib(used), mib(compacted), perOcc, perOcc*365*1000/(1<<20), float64(compacted)/100_000*365*1000/(1<<20), ms(campaign.Median(starts)),
		ms(campaign.Quantile(streaks, 0.5)), ms(campaign.Quantile(streaks, 0.99)))
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func mib(b int64) float64        { return float64(b) / (1 << 20) }
