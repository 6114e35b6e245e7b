package campaign_test

import (
	"bytes"
	"context"
	"debug/buildinfo"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

// campaignClockEnv is the campaign build's clock setting
// (cmd/bot/clock_campaign.go): how far the bot's clock is ahead of the wall
// clock, as a Go duration.
const campaignClockEnv = "LEANCOACH_CAMPAIGN_CLOCK"

// timeRig is a rig running the campaign build of the production binary
// (cmd/bot built with -tags campaign). The test sets the bot's clock before
// every start: simulated time steps while the bot is down (killed) and runs
// at the wall clock's pace while it is up, the pace the due-loop's real
// timers need. The local Slack reads the same clock, so messages carry
// simulated timestamps and the reconciliation after a crash finds them.
type timeRig struct {
	*campaign.Rig
	clock  *campaign.Clock // nil until the first start
	copies string          // where hot copies of the database go
}

func newTimeRig(t *testing.T, n int, zone string, schedules ...coach.Schedule) *timeRig {
	t.Helper()
	rig := campaign.NewRig(campaignBinary(t), t.TempDir(), slacksim.Options{}, n, zone)
	t.Cleanup(func() {
		rig.Close()
		if t.Failed() {
			t.Logf("bot log (tail):\n%s", tailBytes(rig.Bot.Logs(), 6000))
		}
	})
	if _, err := rig.WS.Seed(waitCtx(t, 10*time.Second), rig.DBPath, schedules...); err != nil {
		t.Fatal(err)
	}
	return &timeRig{Rig: rig, copies: t.TempDir()}
}

// startAt starts the bot with its clock at `at` (simulated time only moves
// forward) and returns the wall time the start began.
func (r *timeRig) startAt(t *testing.T, at time.Time) time.Time {
	t.Helper()
	if r.clock == nil {
		r.clock = campaign.NewClock(at, 1)
		r.Sim.SetNow(r.clock.Now)
	} else {
		r.clock.Set(at)
	}
	r.Bot.Env[campaignClockEnv] = r.clock.Offset().String()
	began := time.Now()
	startRig(t, r.Rig)
	return began
}

// loggedPerOcc counts the bot's JSON log lines whose message starts with
// msg, per occurrence.
func loggedPerOcc(logs []byte, msg string) map[coach.OccurrenceKey]int {
	out := map[coach.OccurrenceKey]int{}
	for line := range bytes.Lines(logs) {
		var l struct {
			Message string `json:"message"`
			Occ     string `json:"occ"`
		}
		if json.Unmarshal(line, &l) == nil && strings.HasPrefix(l.Message, msg) {
			out[coach.OccurrenceKey(l.Occ)]++
		}
	}
	return out
}

// waitLogged waits until the bot has logged msg for every key ("prompt
// sent" once a prompt is marked sent, "prompt missed" with its alert).
func (r *timeRig) waitLogged(t *testing.T, msg string, keys []coach.OccurrenceKey, d time.Duration) {
	t.Helper()
	r.poll(t, fmt.Sprintf("%q logged for %v", msg, keys), d, func(ctx context.Context) (bool, error) {
		got := loggedPerOcc(r.Bot.Logs(), msg)
		return !slices.ContainsFunc(keys, func(k coach.OccurrenceKey) bool { return got[k] == 0 }), nil
	})
}

// waitPosted waits until the local Slack holds the prompt of k.
func (r *timeRig) waitPosted(t *testing.T, k coach.OccurrenceKey, d time.Duration) {
	t.Helper()
	err := r.Sim.WaitFor(waitCtx(t, d), func() bool {
		for _, ch := range r.Sim.Channels() {
			for _, m := range r.Sim.Messages(ch.ID) {
				if campaign.RefOf(m) == string(k) {
					return true
				}
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("prompt %s never posted: %v", k, err)
	}
}

// waitDB waits until cond holds on a hot copy of the running bot's
// database. The bot holds the file's lock, so the test looks inside the way
// an operator does: `bot backup`'s socket.
func (r *timeRig) waitDB(t *testing.T, what string, d time.Duration, cond func(context.Context, *store.DB) bool) {
	t.Helper()
	r.poll(t, what, d, func(ctx context.Context) (bool, error) {
		db, path, err := r.hotCopy(ctx)
		if err != nil {
			return false, err
		}
		defer os.Remove(path)
		defer db.Close()
		return cond(ctx, db), nil
	})
}

// poll checks cond every 50 ms (the bot's log and database have no change
// feed for the test) until it holds, d passes or the bot exits.
func (r *timeRig) poll(t *testing.T, what string, d time.Duration, cond func(context.Context) (bool, error)) {
	t.Helper()
	deadline := waitCtx(t, d)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		ok, err := cond(deadline)
		if ok {
			return
		}
		if err != nil {
			last = err
		}
		select {
		case <-tick.C:
		case <-r.Bot.Exited():
			t.Fatalf("bot exited while waiting for %s", what)
		case <-deadline.Done():
			t.Fatalf("no %s within %v (last error: %v)", what, d, last)
		}
	}
}

// hotCopy fetches a consistent copy of the running bot's database from its
// backup socket and opens it; the caller closes it and removes the path.
func (r *timeRig) hotCopy(ctx context.Context) (*store.DB, string, error) {
	sock := r.DBPath + ".sock"
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		},
	}}
	defer client.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://leancoach/backup", nil)
	if err != nil {
		return nil, "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("hot copy: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("hot copy: %s", resp.Status)
	}
	f, err := os.CreateTemp(r.copies, "copy-*.db")
	if err != nil {
		return nil, "", err
	}
	_, err = io.Copy(f, resp.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return nil, "", fmt.Errorf("hot copy: %w", err)
	}
	db, err := store.Open(f.Name(), store.Options{})
	if err != nil {
		os.Remove(f.Name())
		return nil, "", fmt.Errorf("hot copy: %w", err)
	}
	return db, f.Name(), nil
}

// collectHistory reads the history of a stopped bot for figures (check runs the
// oracle on it).
func collectHistory(t *testing.T, rig *campaign.Rig) campaign.History {
	t.Helper()
	ctx, cancel := campaign.Deadline(30 * time.Second)
	defer cancel()
	h, err := campaign.Collect(ctx, rig.Sim, rig.DBPath, rig.Bot.Logs())
	if err != nil {
		t.Fatalf("collect: %v", err)
	}
	return h
}

// postedAt is when the local Slack took the prompt of k, read off its ts
// (stamped on the bot's clock); zero when there is none.
func postedAt(h campaign.History, k coach.OccurrenceKey) time.Time {
	for _, m := range h.Messages {
		if campaign.RefOf(m) != string(k) {
			continue
		}
		sec, micro, _ := strings.Cut(m.TS, ".")
		s, err1 := strconv.ParseInt(sec, 10, 64)
		us, err2 := strconv.ParseInt(micro, 10, 64)
		if err1 == nil && err2 == nil {
			return time.Unix(s, us*1000)
		}
	}
	return time.Time{}
}

// metricValue reads one unlabelled sample from the bot's /metrics.
func metricValue(ctx context.Context, addr, name string) (float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/metrics", nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("scrape: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, fmt.Errorf("scrape: %w", err)
	}
	for line := range strings.Lines(string(body)) {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	return 0, fmt.Errorf("scrape: no %s", name)
}

// runEnd is how one run of the bot in a DST scenario ends.
type runEnd int

const (
	runKillMarked  runEnd = iota // SIGKILL once the day's prompt is marked sent
	runKillPosted                // SIGKILL as soon as Slack has the prompt, maybe before it is marked
	runKillSettled               // SIGKILL once the prompt is recorded sent and its plan past it, and the bot ran on
	runStopMarked                // SIGTERM once the day's prompt is marked sent
)

// dstRun is one run of the production binary in a DST scenario: started
// with its clock at the UTC instant `at`, about the prompt of local date day.
type dstRun struct {
	at, day string
	end     runEnd
}

// B1, B2 with the production binary: a director in Europe/Amsterdam with a
// daily 02:30 schedule, over the spring-forward night (02:30 does not exist:
// the prompt goes at the jump, 03:00 CEST) and the fall-back night (02:30
// comes twice: the prompt goes at the first). The bot is SIGKILLed right
// after the transition day's prompt reached Slack and restarted after the
// transition (in the fall, just after the second 02:30), and lives through
// the day before and after. Exactly one prompt per local day.
func TestDSTDaysBinary(t *testing.T) {
	tests := []struct {
		name string
		runs []dstRun
	}{
		{"spring_forward_2026_03_29", []dstRun{
			{"2026-03-28T01:29:52Z", "2026-03-28", runKillMarked},  // 02:29:52 CET, the day before
			{"2026-03-29T00:59:55Z", "2026-03-29", runKillPosted},  // 01:59:55 CET, up as 02:00 CET becomes 03:00 CEST
			{"2026-03-29T01:00:30Z", "2026-03-29", runKillSettled}, // 03:00:30 CEST, back after the kill
			{"2026-03-30T00:29:55Z", "2026-03-30", runStopMarked},  // 02:29:55 CEST, the day after
		}},
		{"fall_back_2026_10_25", []dstRun{
			{"2026-10-24T00:29:52Z", "2026-10-24", runKillMarked},  // 02:29:52 CEST, the day before
			{"2026-10-25T00:29:55Z", "2026-10-25", runKillPosted},  // 02:29:55 CEST, before the first 02:30
			{"2026-10-25T01:30:02Z", "2026-10-25", runKillSettled}, // 02:30:02 CET, just after the second 02:30
			{"2026-10-26T01:29:55Z", "2026-10-26", runStopMarked},  // 02:29:55 CET, the day after
		}},
	}
	const zone = "Europe/Amsterdam"
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sched := coach.Schedule{ID: "s1", Habit: coach.Gemba, When: "daily 02:30", ToAll: true}
			r := newTimeRig(t, 1, zone, sched)
			dir := r.WS.Directors[0]
			var first, last time.Time
			kills := 0
			for i, s := range tt.runs {
				at, err := time.Parse(time.RFC3339, s.at)
				if err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					first = at
				}
				k := coach.NewOccurrenceKey("s1", dir, s.day)
				r.startAt(t, at)
				switch s.end {
				case runKillPosted:
					r.waitPosted(t, k, 30*time.Second)
				case runKillMarked, runStopMarked:
					r.waitLogged(t, "prompt sent", []coach.OccurrenceKey{k}, 30*time.Second)
				case runKillSettled:
					r.waitDB(t, fmt.Sprintf("%s recorded sent with its plan past it", k), 30*time.Second,
						func(ctx context.Context, db *store.DB) bool {
							o, err := db.Occurrence(ctx, k)
							ds, derr := db.Dues(ctx)
							ds = promptPlans(ds)
							return err == nil && derr == nil && o.State == coach.Sent && len(ds) == 1 && ds[0].Next.After(o.Due)
						})
					// The bot runs on past the skipped or repeated wall
					// time: a second prompt for the day would go now.
					pauseT(t, 2*time.Second)
				}
				last = r.clock.Now()
				if s.end == runStopMarked {
					stopRig(t, r.Rig, 10*time.Second)
				} else {
					r.Bot.Kill()
					kills++
				}
			}
			owed, err := campaign.Owed(sched, r.WS.Directors, r.WS.ZoneOf, first, last)
			if err != nil {
				t.Fatal(err)
			}
			if len(owed) != len(tt.runs)-1 {
				t.Fatalf("rule owes %d prompts over the scenario, want %d", len(owed), len(tt.runs)-1)
			}
			rep := check(t, r.Rig, campaign.Expect{Due: campaign.Dues(owed, last, campaign.WantSent), StrictPrompts: true})
			if rep.PromptsSent != len(owed) || rep.PromptsDuplicated != 0 {
				t.Errorf("sent %d, duplicated %d over %d days, want %d and 0", rep.PromptsSent, rep.PromptsDuplicated, len(owed), len(owed))
			}
			h := collectHistory(t, r.Rig)
			var days []string
			for _, d := range campaign.Dues(owed, last, campaign.WantSent) {
				o := h.Occurrences[d.Key]
				posted := postedAt(h, d.Key)
				if posted.Before(o.Due) {
					t.Errorf("%s posted at %v, before it was due at %v", d.Key, posted, o.Due)
				}
				days = append(days, fmt.Sprintf("%s due %s, posted %s (+%v), recorded sent %s", o.LocalDate,
					o.Due.In(loc).Format("15:04:05 MST"), posted.In(loc).Format("15:04:05 MST"),
					posted.Sub(o.Due).Round(time.Millisecond), o.SentAt.In(loc).Format("15:04:05 MST")))
			}
			t.Logf("FIGURE B1/B2 binary %s: %d runs, %d SIGKILLs; %s; duplicated %d; reconciling history calls %d; %s",
				tt.name, len(tt.runs), kills, strings.Join(days, "; "), rep.PromptsDuplicated,
				len(r.Sim.CallsTo("conversations.history")), rep)
		})
	}
}

// B3 with the production binary: it is SIGKILLed at 08:55 with its plans
// stored; simulated time moves while it is down. Back at 09:10, inside the
// 3 h catch-up window, each director gets the 09:00 prompt once, late. Back
// at 13:00, the 09:00 prompt is recorded missed (with its alert, a warning
// log line and the missed metric) and never sent, while the 12:30 one, still
// inside the window, goes.
func TestDowntimeCatchUpBinary(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 12, 2, 0, 0, 0, 0, ams)
	at := func(h, m, s int) time.Time {
		return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second)
	}
	tests := []struct {
		name      string
		schedules []coach.Schedule
		back      time.Time
		want      map[coach.ScheduleID]campaign.Want
	}{
		{"back_inside_window", []coach.Schedule{{ID: "s1", Habit: coach.Gemba, When: "daily 09:00", ToAll: true}},
			at(9, 10, 0), map[coach.ScheduleID]campaign.Want{"s1": campaign.WantSent}},
		{"back_outside_window", []coach.Schedule{{ID: "s1", Habit: coach.Gemba, When: "daily 09:00", ToAll: true},
			{ID: "s2", Habit: coach.Feedback, When: "daily 12:30", ToAll: true}},
			at(13, 0, 0), map[coach.ScheduleID]campaign.Want{"s1": campaign.WantMissed, "s2": campaign.WantSent}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			const n = 3
			r := newTimeRig(t, n, "Europe/Amsterdam", tt.schedules...)
			r.startAt(t, at(8, 54, 57))
			r.waitDB(t, "the due-loop's plans", 20*time.Second, func(ctx context.Context, db *store.DB) bool {
				ds, err := db.Dues(ctx)
				return err == nil && len(promptPlans(ds)) >= n*len(tt.schedules)
			})
			killed := r.clock.Now()
			r.Bot.Kill() // down from 08:55 …
			addr, err := campaign.FreeAddr()
			if err != nil {
				t.Fatal(err)
			}
			r.Bot.Env["LEANCOACH_HTTP_ADDR"] = addr // the missed metric an operator alerts on
			began := r.startAt(t, tt.back)
			var due []campaign.Due
			var sent, missed []coach.OccurrenceKey
			for _, d := range r.WS.Directors {
				for _, s := range tt.schedules {
					k := coach.NewOccurrenceKey(s.ID, d, "2026-12-02")
					due = append(due, campaign.Due{Key: k, Want: tt.want[s.ID]})
					if tt.want[s.ID] == campaign.WantSent {
						sent = append(sent, k)
					} else {
						missed = append(missed, k)
					}
				}
			}
			r.waitLogged(t, "prompt sent", sent, 30*time.Second)
			wall := time.Since(began)
			r.waitLogged(t, "prompt missed", missed, 30*time.Second)
			metric, err := metricValue(waitCtx(t, 5*time.Second), addr, "leancoach_prompts_missed_total")
			if err != nil || metric != float64(len(missed)) {
				t.Errorf("leancoach_prompts_missed_total = %v (%v), want %d", metric, err, len(missed))
			}
			stopRig(t, r.Rig, 10*time.Second)
			rep := check(t, r.Rig, campaign.Expect{Due: due, StrictPrompts: true})
			h := collectHistory(t, r.Rig)
			alerts := loggedPerOcc(h.Logs, "prompt missed")
			for _, k := range missed {
				if alerts[k] != 1 {
					t.Errorf("missed %s logged %d times, want 1 (the alert)", k, alerts[k])
				}
			}
			var afterBack, afterDue []time.Duration
			for _, k := range sent {
				o := h.Occurrences[k]
				afterBack = append(afterBack, o.SentAt.Sub(tt.back).Round(time.Millisecond))
				afterDue = append(afterDue, o.SentAt.Sub(o.Due).Round(time.Second))
			}
			t.Logf("FIGURE B3 binary %s: killed %s, back %s; sent %d, missed %d (alerts logged %d, missed metric %v), duplicated %d; "+
				"catch-up after the restart: simulated %v, wall %v (start to the last prompt marked); after due %v",
				tt.name, killed.In(ams).Format("15:04:05"), tt.back.In(ams).Format("15:04"), rep.PromptsSent,
				rep.PromptsMissed, len(alerts), metric, rep.PromptsDuplicated, afterBack, wall.Round(time.Millisecond), afterDue)
		})
	}
}

// The campaign's clock is only in the campaign build: the production
// binary was not built with the tag and does not even contain the
// setting's name. The campaign build has both, so the check can fail.
func TestProductionBinaryHasNoCampaignClock(t *testing.T) {
	t.Parallel()
	for _, b := range []struct {
		name string
		path string
		want bool
	}{
		{"production", botBinary(t), false},
		{"campaign", campaignBinary(t), true},
	} {
		info, err := buildinfo.ReadFile(b.path)
		if err != nil {
			t.Fatal(err)
		}
		var tags []string
		for _, s := range info.Settings {
			if s.Key == "-tags" {
				tags = strings.Split(s.Value, ",")
			}
		}
		bin, err := os.ReadFile(b.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := slices.Contains(tags, "campaign"); got != b.want {
			t.Errorf("%s binary built with -tags campaign = %v, want %v (tags %v)", b.name, got, b.want, tags)
		}
		if got := bytes.Contains(bin, []byte(campaignClockEnv)); got != b.want {
			t.Errorf("%s binary contains %s = %v, want %v", b.name, campaignClockEnv, got, b.want)
		}
	}
}
