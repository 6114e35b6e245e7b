package campaign_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// seededRig is the production bot over n directors with one open gemba
// prompt each, not started.
func seededRig(t *testing.T, n int) (*campaign.Rig, []coach.OccurrenceKey) {
	t.Helper()
	return seededRigWith(t, slacksim.Options{}, n)
}

// seededRigWith is seededRig on a local Slack with opts.
func seededRigWith(t *testing.T, opts slacksim.Options, n int) (*campaign.Rig, []coach.OccurrenceKey) {
	t.Helper()
	rig := newRig(t, opts, n)
	ctx := waitCtx(t, time.Minute)
	if _, err := rig.WS.Seed(ctx, rig.DBPath); err != nil {
		t.Fatal(err)
	}
	keys, err := campaign.SeedPrompts(ctx, rig.Sim, rig.DBPath, rig.WS, coach.Gemba, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return rig, keys
}

// runCmd runs `bot args…` with the rig's environment (plus extra) and
// returns its exit code, output and duration.
func runCmd(t *testing.T, rig *campaign.Rig, extra map[string]string, args ...string) (int, string, time.Duration) {
	t.Helper()
	env := map[string]string{}
	for k, v := range rig.Bot.Env {
		env[k] = v
	}
	for k, v := range extra {
		env[k] = v
	}
	b := &campaign.Bot{Path: rig.Bot.Path, Env: env, LogPath: t.TempDir() + "/cmd.log"}
	start := time.Now()
	if err := b.Start(args...); err != nil {
		t.Fatal(err)
	}
	code, _, err := b.Wait(waitCtx(t, 30*time.Second))
	if err != nil {
		b.Kill()
		t.Fatalf("bot %s did not finish: %v", strings.Join(args, " "), err)
	}
	return code, string(b.Logs()), time.Since(start)
}

// D1: SIGKILL in the middle of a burst of answers, four times over. Each
// time the file opens clean (bot check), and every answer the user was told
// was recorded (the prompt updated with it) is in the database; directors
// whose click died with the bot click again, as they would.
func TestSIGKILLDuringAnswers(t *testing.T) {
	t.Parallel()
	r := rng(t)
	const n, cycles = 160, 4
	// Slack's tiers are on: an answer is shown through its click's
	// response_url (no tier), and the digests are paced.
	rig, keys := seededRigWith(t, slacksim.Options{}, n)
	msgs := make([]slacksim.Message, n)
	for i, d := range rig.WS.Directors {
		msgs[i] = promptOf(t, rig.Sim, d)
	}
	var in []campaign.Interaction
	click := func(idx []int, killAfter time.Duration) {
		if killAfter > 0 {
			go func() {
				<-time.After(killAfter)
				_ = rig.Bot.Signal(syscall.SIGKILL)
			}()
		}
		ss := campaign.Burst(waitCtx(t, time.Minute), len(idx), 500*time.Millisecond, func(ctx context.Context, j int) (*slacksim.Result, error) {
			i := idx[j]
			return rig.Sim.As(string(rig.WS.Directors[i])).Click(ctx, msgs[i], bot.ActionNotToday)
		})
		for j, s := range ss {
			if s.EnvelopeID != "" {
				i := idx[j]
				in = append(in, campaign.Interaction{EnvelopeID: s.EnvelopeID, Key: keys[i], Director: rig.WS.Directors[i], Habit: coach.Gemba, Outcome: coach.NotToday})
			}
		}
	}
	open := func() []int {
		var idx []int
		for i, m := range msgs {
			if now, _ := rig.Sim.Message(m.Channel, m.TS); now.Edited == 0 {
				idx = append(idx, i)
			}
		}
		return idx
	}
	for c := range cycles {
		startRig(t, rig)
		idx := open()
		if len(idx) > n/cycles {
			idx = idx[:n/cycles]
		}
		click(idx, time.Duration(100+r.IntN(400))*time.Millisecond)
		code, _, err := rig.Bot.Wait(waitCtx(t, 10*time.Second))
		if err != nil {
			t.Fatalf("cycle %d: bot survived SIGKILL: %v", c, err)
		}
		if code, out, _ := runCmd(t, rig, nil, "check"); code != 0 {
			t.Fatalf("cycle %d (exit %d after SIGKILL): bot check = %d:\n%s", c, code, code, out)
		}
		_ = code
	}
	// Everyone whose prompt still shows open clicks again: the bot records
	// it, or answers that it was already recorded (the kill came between
	// the commit and chat.update, so the message was never updated).
	startRig(t, rig)
	rest := open()
	if len(rest) > 0 {
		click(rest, 0)
	}
	replies := campaign.Replies(rig.Sim.Events())
	if err := rig.Sim.WaitFor(waitCtx(t, time.Minute), func() bool {
		replies = campaign.Replies(rig.Sim.Events())
		stale := 0
		for _, i := range open() {
			answered := false
			for _, x := range in {
				answered = answered || (x.Key == keys[i] && replies[x.EnvelopeID] > 0)
			}
			if !answered {
				stale++
			}
		}
		return stale == 0
	}); err != nil {
		t.Fatalf("some prompts neither updated nor answered after the last round: %v", err)
	}
	stopRig(t, rig, 10*time.Second)
	rep := check(t, rig, campaign.Expect{Due: campaign.DuesOf(keys, campaign.WantSent), Interactions: in, Now: time.Now()})
	t.Logf("FIGURE D1 %d SIGKILLs mid-burst over %d prompts: bot check clean every time; prompts left showing buttons though answered (killed between commit and chat.update): %d; %s",
		cycles, n, len(open()), rep)
}

// D5: a damaged database file (bytes flipped in the middle; cut in half)
// is refused at once, by bot check and by bot run, with a message that says
// so, instead of a crash loop or a silent start.
func TestDamagedDatabaseRefused(t *testing.T) {
	t.Parallel()
	rig, _ := seededRig(t, 200)
	good, err := os.ReadFile(rig.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	damage := map[string][]byte{
		"flipped":   flip(t, rig.DBPath, good),
		"truncated": good[:len(good)/2],
	}
	for name, b := range damage {
		path := t.TempDir() + "/" + name + ".db"
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range [][]string{{"check"}, {"run"}} {
			code, out, took := runCmd(t, rig, map[string]string{"LEANCOACH_DB": path}, cmd...)
			if code == 0 {
				t.Errorf("bot %s on a %s file: exit 0, want a refusal:\n%s", cmd[0], name, out)
			}
			// A crash prints "panic: …" and goroutine stacks; the store's own
			// message may name the panic it recovered from.
			if strings.Contains(out, "\npanic: ") || strings.HasPrefix(out, "panic: ") || strings.Contains(out, "goroutine 1 [") {
				t.Errorf("bot %s on a %s file crashed:\n%s", cmd[0], name, out)
			}
			t.Logf("FIGURE D5 %s %s: exit %d after %v: %.300s", cmd[0], name, code, took.Round(time.Millisecond), strings.TrimSpace(out))
		}
	}
}

// flip returns b (the file at path) with the header (id, type, count,
// overflow) of every page that holds data inverted, and a run of bytes in
// the second meta page, which bbolt checksums. Which pages hold data depends
// on the history of the file: a fixed offset may fall on a free page, which
// no reader ever reads, so the pages are looked up in the file itself.
func flip(t *testing.T, path string, b []byte) []byte {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, PreLoadFreelist: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := append([]byte(nil), b...)
	size := db.Info().PageSize
	flipped := 0
	err = db.View(func(tx *bolt.Tx) error {
		for id := 2; ; id++ {
			info, err := tx.Page(id)
			if err != nil {
				return err
			}
			if info == nil {
				return nil // past the high water mark
			}
			if info.Type != "leaf" && info.Type != "branch" {
				continue
			}
			for i := id * size; i < id*size+16; i++ {
				out[i] ^= 0xFF
			}
			flipped++
		}
	})
	if err != nil || flipped == 0 {
		t.Fatalf("find the data pages of %s: %d found, %v", path, flipped, err)
	}
	for i := size + 16; i < size+48; i++ {
		out[i] ^= 0xFF
	}
	return out
}

// D6: backups and restore drills. A backup taken before the run (no bot
// running) and one taken while directors are answering both pass bot check.
// Restored from either, the bot starts, posts no prompt again (each is
// recorded sent, and an unclear one would be reconciled through its
// metadata) and sends no weekly digest a second time.
func TestBackupUnderLoadAndRestore(t *testing.T) {
	t.Parallel()
	const n = 200
	// Slack's tiers are on: 200 answers in a few seconds are shown through
	// their clicks' response_urls, which have no tier.
	rig, keys := seededRigWith(t, slacksim.Options{}, n)
	pre := t.TempDir() + "/before-run.db"
	if code, out, _ := runCmd(t, rig, nil, "backup", pre); code != 0 {
		t.Fatalf("bot backup with no bot running = exit %d:\n%s", code, out)
	}
	startRig(t, rig)
	msgs := make([]slacksim.Message, n)
	for i, d := range rig.WS.Directors {
		msgs[i] = promptOf(t, rig.Sim, d)
	}
	load := t.TempDir() + "/under-load.db"
	var bcode int
	var bout string
	var btook time.Duration
	backedUp := make(chan struct{})
	campaign.Burst(waitCtx(t, time.Minute), n, 2*time.Second, func(ctx context.Context, i int) (*slacksim.Result, error) {
		if i == n/2 {
			go func() {
				defer close(backedUp)
				bcode, bout, btook = runCmd(t, rig, nil, "backup", load)
			}()
		}
		return rig.Sim.As(string(rig.WS.Directors[i])).Click(ctx, msgs[i], bot.ActionNotToday)
	})
	<-backedUp
	if bcode != 0 {
		t.Fatalf("bot backup under load = exit %d:\n%s", bcode, bout)
	}
	waitEdited(t, rig.Sim, msgs, time.Minute)
	stopRig(t, rig, 10*time.Second)
	for _, f := range []string{pre, load} {
		if code, out, _ := runCmd(t, rig, nil, "check", f); code != 0 {
			t.Fatalf("bot check %s = %d:\n%s", f, code, out)
		}
	}
	fi, _ := os.Stat(load)

	// The drills: the live file is lost; restore a backup and start.
	drill := func(name, backup string) map[string]int {
		if err := copyFile(backup, rig.DBPath); err != nil {
			t.Fatal(err)
		}
		posts := len(rig.Sim.CallsTo("chat.postMessage"))
		startRig(t, rig)
		pauseT(t, 2*time.Second) // nobody acts: whatever is posted now, the bot posts on its own
		stopRig(t, rig, 10*time.Second)
		again := map[string]int{}
		for _, c := range rig.Sim.CallsTo("chat.postMessage")[posts:] {
			kind := "other"
			switch {
			case strings.Contains(c.Args["metadata"], bot.MetadataEventType):
				kind = "prompt"
			case strings.Contains(c.Args["text"], "week"):
				kind = "digest"
			}
			again[kind]++
		}
		if again["prompt"] > 0 {
			t.Errorf("restored from %s: %d prompts posted again, want 0", name, again["prompt"])
		}
		return again
	}
	afterLoad := drill("the backup under load", load)
	afterPre := drill("the backup before the run", pre)
	// Digests sent during the run are newer than both backups: restored from
	// either, the bot must not send a director's digest of this week again.
	// (A digest the run never got to, because the bot was stopped midway
	// through its digest pass, goes out for the first time after a restore.)
	for _, d := range rig.WS.Directors {
		refs := map[string]int{}
		for _, m := range rig.Sim.Messages(rig.Sim.DMChannel(string(d))) {
			var meta struct {
				EventType    string            `json:"event_type"`
				EventPayload map[string]string `json:"event_payload"`
			}
			if len(m.Metadata) > 0 && json.Unmarshal(m.Metadata, &meta) == nil && meta.EventType == bot.DigestEventType {
				refs[meta.EventPayload["ref"]]++
			}
		}
		for ref, n := range refs {
			if n > 1 {
				t.Errorf("digest %s posted %d times across the restores, want once", ref, n)
			}
		}
	}
	rep := check(t, rig, campaign.Expect{Due: campaign.DuesOf(keys, campaign.WantSent)})
	t.Logf("FIGURE D6 backup under a 100 clicks/s burst of %d answers: exit %d in %v, %d bytes, bot check clean; posted again after restoring it %v, after restoring the pre-run backup %v; %s",
		n, bcode, btook.Round(time.Millisecond), fi.Size(), afterLoad, afterPre, rep)
}

// D3: the disk is full (the database may not grow: store.Options.MaxSize,
// bbolt's ErrMaxSizeReached) when 100 prompts fall due. The bot fails
// closed: no prompt goes out without its record. Once there is room again
// (restarted without the limit, inside the catch-up window) every prompt
// goes, once.
func TestDiskFull(t *testing.T) {
	t.Parallel()
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	due := time.Date(2026, 12, 8, 9, 0, 0, 0, ams)
	clock := campaign.NewClock(due.Add(-2*time.Second), 1)
	sched := coach.Schedule{ID: "s1", Habit: coach.Gemba, When: "daily 09:00", ToAll: true}
	const n = 100
	p := newInProc(t, slacksim.Options{}, n, []coach.Schedule{sched}, withClock(clock))
	p.waitPlanned(t, n)
	p.stop(t)
	fi, err := os.Stat(p.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	// Full: not one more byte.
	p.cfg.MaxSize = int(fi.Size())
	p.start(t)
	clock.Set(due.Add(time.Second))
	p.bot.Loop.Poke()
	pauseT(t, 3*time.Second)
	p.stop(t)
	full := len(p.sim.CallsTo("chat.postMessage"))
	ctx, cancel := campaign.Deadline(10 * time.Second)
	defer cancel()
	h, err := campaign.Collect(ctx, p.sim, p.dbPath, p.log.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	// I1's "no message without its record" is the fail-closed check; a
	// record left Sending (posted, then the mark-sent write failed) is
	// reconciled once there is room.
	if rep := campaign.Check(h, campaign.Expect{Midway: true}); !rep.OK() {
		t.Errorf("while full: %s", rep)
	}
	// Room again.
	p.cfg.MaxSize = 0
	p.start(t)
	p.bot.Loop.Poke()
	var dues []campaign.Due
	for _, d := range p.ws.Directors {
		k := coach.NewOccurrenceKey("s1", d, "2026-12-08")
		dues = append(dues, campaign.Due{Key: k, Want: campaign.WantSent})
		p.waitState(t, k, 60*time.Second)
	}
	rep := p.check(t, campaign.Expect{Due: dues, StrictPrompts: true})
	t.Logf("FIGURE D3 disk full at %d bytes when %d prompts fell due: %d posted while full (each with its record), %d after room returned; %s",
		fi.Size(), n, full, rep.PromptsSent-full, rep)
}
