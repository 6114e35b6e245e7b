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

	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
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
	keys, err := campaign.SeedPrompts(ctx, rig.Sim, rig.DBPath, rig.WS, h, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	startRig(t, rig)
	return rig, addr, keys
}

func scrape(t *testing.T, addr string) campaign.Resources {
	t.Helper()
	r, err := campaign.Scrape(waitCtx(t, 5*time.Second), addr)
	if err != nil {
		t.Fatalf("scrape /metrics: %v", err)
	}
	return r
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
// production bot. Every click is acked well inside Slack's 3 s and recorded
// once; the figures are the ack latencies, the answers recorded per second
// (first click to last prompt updated) and the bot's goroutines and memory.
func TestLoadClickBurst(t *testing.T) {
	needLoad(t)
	const n = 1000
	rig, addr, keys := loadRig(t, n, coach.Gemba)
	before := scrape(t, addr)
	msgs := make([]slacksim.Message, n)
	for i, d := range rig.WS.Directors {
		msgs[i] = promptOf(t, rig.Sim, d)
	}
	start := time.Now()
	samples := campaign.Burst(waitCtx(t, time.Minute), n, time.Second, func(ctx context.Context, i int) (*slacksim.Result, error) {
		return rig.Sim.As(string(rig.WS.Directors[i])).Click(ctx, msgs[i], slackapp.ActionNotToday)
	})
	last := waitEdited(t, rig.Sim, msgs, 2*time.Minute)
	peak := scrape(t, addr)
	after := campaign.Settle(waitCtx(t, 10*time.Second), before, func() campaign.Resources {
		r, _ := campaign.Scrape(context.Background(), addr)
		return r
	})
	stopRig(t, rig, 10*time.Second)
	var in []campaign.Interaction
	for i, s := range samples {
		in = append(in, campaign.Interaction{EnvelopeID: s.EnvelopeID, Key: keys[i], Director: rig.WS.Directors[i], Habit: coach.Gemba, Outcome: coach.NotToday})
	}
	rep := check(t, rig, campaign.Expect{Due: campaign.DuesOf(keys, campaign.WantSent), Interactions: in, Now: time.Now()})
	lat := campaign.AckLatencies(samples)
	if lat.Acked != n {
		t.Errorf("acked %d of %d clicks", lat.Acked, n)
	}
	if msg := before.Compare(after); msg != "" {
		t.Errorf("after the burst: %s", msg)
	}
	t.Logf("FIGURE F3 clicks=%d ack_p50_ms=%.2f ack_p99_ms=%.2f ack_max_ms=%.2f recorded=%d recorded_per_s=%.0f goroutines_before=%d goroutines_peak=%d goroutines_after=%d rss_before_mib=%.1f rss_peak_mib=%.1f rss_after_mib=%.1f",
		n, ms(lat.P50), ms(lat.P99), ms(lat.Max), rep.Recorded, float64(rep.Recorded)/last.Sub(start).Seconds(),
		before.Goroutines, peak.Goroutines, after.Goroutines, mib(before.RSS), mib(peak.RSS), mib(after.RSS))
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
		return rig.Sim.As(string(rig.WS.Directors[i])).Submit(ctx, views[i], slacksim.Values{slackapp.BlockNote: noteCanary})
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
	if _, err := sim.As(string(d)).Click(waitCtx(t, 30*time.Second), m, slackapp.ActionAnswer); err != nil {
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
	res, err := sim.As(string(d)).Click(waitCtx(t, 30*time.Second), done, slackapp.ActionNote)
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
