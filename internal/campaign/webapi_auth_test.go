package campaign_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

// botTokenMethods are the Web API methods the bot calls with its bot token;
// refusing the token refuses them all.
var botTokenMethods = []string{
	"auth.test", "chat.postMessage", "chat.update", "chat.postEphemeral", "conversations.open",
	"conversations.history", "conversations.join", "users.info", "views.open", "views.publish", "views.update",
}

// tokenRefusedLog is the one error line the bot writes when it stops for a
// refused token.
var tokenRefusedLog = []byte("slack refused the bot token; stopping")

// C4, auth: the bot token is refused while the production bot is sending
// (revoked, mistyped at a rotation, the app uninstalled, its workspace or bot
// user deleted). The bot must not send on, retry, or let the prompt age into
// missed: it makes one post, logs one error, and exits non-zero like on
// invalid_auth from apps.connections.open, so the supervisor restarts it and
// the operator sees why. The prompt stays Sending; once the token is fixed
// the restarted bot reconciles it and sends it, exactly once.
func TestWebAPIBotTokenRefused(t *testing.T) {
	for _, code := range []string{"invalid_auth", "token_revoked", "not_authed", "account_inactive"} {
		t.Run(code, func(t *testing.T) {
			t.Parallel()
			rig := newRig(t, slacksim.Options{}, 1)
			d := rig.WS.Directors[0]
			if _, err := rig.WS.Seed(context.Background(), rig.DBPath); err != nil {
				t.Fatal(err)
			}
			startRig(t, rig)
			// The admin used the bot before the token went bad: the admin
			// check of /coach send below is answered from the profile cache.
			admin := rig.Sim.As(string(rig.WS.Admin))
			r, err := admin.Slash(waitCtx(t, 10*time.Second), "/coach", "director list")
			if err != nil {
				t.Fatal(err)
			}
			if m, err := r.WaitResponse(waitCtx(t, 10*time.Second)); err != nil || !strings.Contains(m.Text+string(m.Blocks), string(d)) {
				t.Fatalf("/coach director list = %q, %v; want the director listed", m.Text, err)
			}

			for _, m := range botTokenMethods {
				rig.Sim.FailNext(m, 1000, slacksim.Fault{Error: code})
			}
			seq := rig.Sim.Seq()
			start := time.Now()
			if _, err := admin.Slash(waitCtx(t, 10*time.Second), "/coach", "send gemba <@"+string(d)+"|dir0>"); err != nil {
				t.Fatalf("/coach send: %v", err)
			}
			exit, _, err := rig.Bot.Wait(waitCtx(t, 30*time.Second))
			if err != nil {
				t.Fatalf("bot kept running with its token refused (%s): %v", code, err)
			}
			took := time.Since(start)
			calls := countSince(rig.Sim, seq)
			if exit == 0 {
				t.Errorf("exit code = 0 after %s, want non-zero", code)
			}
			refused := 0
			for _, c := range rig.Sim.Calls() {
				if c.Error == code {
					refused++
				}
			}
			if n := len(rig.Sim.CallsTo("chat.postMessage")); n != 1 {
				t.Errorf("chat.postMessage called %d times with the token refused, want 1 (no retry)", n)
			}
			if n := len(rig.Sim.CallsTo("conversations.history")); n != 0 {
				t.Errorf("conversations.history called %d times with the token refused, want 0", n)
			}
			if n := bytes.Count(rig.Bot.Logs(), tokenRefusedLog); n != 1 {
				t.Errorf("the log says %q %d times, want once", tokenRefusedLog, n)
			}
			key := pendingAdHoc(t, rig.DBPath, d)

			// The operator fixes the token; the supervisor starts the bot again.
			rig.Sim.ClearFaults()
			startRig(t, rig)
			waitLog(t, rig, 30*time.Second, `"occ":"`+string(key)+`"`, `"message":"prompt sent"`) // marked sent
			stopRig(t, rig, 10*time.Second)
			rep := check(t, rig, campaign.Expect{Due: campaign.DuesOf([]coach.OccurrenceKey{key}, campaign.WantSent), StrictPrompts: true})
			t.Logf("FIGURE C4 %s while sending: exit code %d after %v; %d Web API call(s) from the command to the exit, %d refused; after the fix the prompt sent once (%d posts in all, the first refused): %s",
				code, exit, took.Round(time.Millisecond), calls, refused, len(rig.Sim.CallsTo("chat.postMessage")), rep)
		})
	}
}

// C4, auth, on a click: the token is refused when a director answers a
// prompt. "Not today" and "Done" are recorded first, and shown through the
// click's response_url, which needs no token: here that post fails, and the
// chat.update that stands in for it is refused; "Add a note" after a done
// answer needs views.open, refused. Either way the bot exits non-zero at
// once (as when sending), keeping what was recorded and recording nothing
// more.
func TestWebAPIBotTokenRefusedOnAClick(t *testing.T) {
	for _, tt := range []struct {
		action   string
		method   string // the call that meets the refusal
		recorded coach.Outcome
	}{
		{bot.ActionNotToday, "chat.update", coach.NotToday},
		{bot.ActionAnswer, "chat.update", coach.Done},
		{bot.ActionNote, "views.open", coach.Done},
	} {
		t.Run(tt.action+" "+tt.method, func(t *testing.T) {
			t.Parallel()
			rig, keys := seededRig(t, 1)
			d := rig.WS.Directors[0]
			startRig(t, rig)
			// Only the click's call is refused: with every method refused,
			// the bot's own calls after its start (the digest's
			// conversations.open) would stop it before the click.
			prompt := rig.Sim.Messages(rig.Sim.DMChannel(string(d)))[0]
			if tt.action == bot.ActionNote { // answered first, by one click
				prompt = answerDone(t, rig.Sim, d, prompt)
			}
			rig.Sim.FailNext(tt.method, 1000, slacksim.Fault{Error: "token_revoked"})
			if tt.method == "chat.update" {
				rig.Sim.FailNext(slacksim.ResponseURLMethod, 1, slacksim.Fault{Status: http.StatusBadGateway})
			}
			start := time.Now()
			if _, err := rig.Sim.As(string(d)).Click(waitCtx(t, 10*time.Second), prompt, tt.action); err != nil {
				t.Fatalf("click %s: %v", tt.action, err)
			}
			exit, _, err := rig.Bot.Wait(waitCtx(t, 30*time.Second))
			if err != nil {
				t.Fatalf("bot kept running after %s refused the token: %v", tt.method, err)
			}
			if exit == 0 {
				t.Errorf("exit code = 0 after %s refused the token, want non-zero", tt.method)
			}
			if n := len(rig.Sim.CallsTo(tt.method)); n != 1 {
				t.Errorf("%s called %d times with the token refused, want 1", tt.method, n)
			}
			if n := bytes.Count(rig.Bot.Logs(), tokenRefusedLog); n != 1 {
				t.Errorf("the log says %q %d times, want once", tokenRefusedLog, n)
			}
			db, err := store.Open(rig.DBPath, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			o, err := db.Occurrence(t.Context(), keys[0])
			db.Close()
			switch {
			case err != nil:
				t.Fatal(err)
			case o.Answer == nil || o.Answer.Outcome != tt.recorded || o.Answer.HasNote():
				t.Errorf("answer = %+v, want %s (recorded before the update)", o.Answer, tt.recorded)
			}
			rep := check(t, rig, campaign.Expect{Due: campaign.DuesOf(keys, campaign.WantSent), StrictPrompts: true})
			t.Logf("FIGURE C4 token_revoked on %s: exit code %d after %v; %s", tt.method, exit, time.Since(start).Round(time.Millisecond), rep)
		})
	}
}

// pendingAdHoc returns the one prompt sent by hand to d that the stopped
// bot left recorded Sending.
func pendingAdHoc(t *testing.T, dbPath string, d coach.UserID) coach.OccurrenceKey {
	t.Helper()
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	occs, err := db.Sending(t.Context(), coach.AdHoc)
	if err != nil {
		t.Fatal(err)
	}
	if len(occs) != 1 || occs[0].Director != d {
		all := make([]string, len(occs))
		for i, o := range occs {
			all[i] = string(o.Key)
		}
		t.Fatalf("prompts left Sending after the refused token = %v, want the one sent to %s", all, d)
	}
	return occs[0].Key
}

// countSince counts the Web API calls the local Slack logged after event seq.
func countSince(sim *slacksim.Server, seq int64) int {
	n := 0
	for _, ev := range sim.Events() {
		if ev.Seq > seq && ev.Kind == slacksim.EventAPICall {
			n++
		}
	}
	return n
}

// waitLog waits until a line of the bot's log holds every part of want:
// the bot holds the database, so what it did is read from its log (polled:
// a file has no change feed).
func waitLog(t *testing.T, rig *campaign.Rig, d time.Duration, want ...string) {
	t.Helper()
	deadline := waitCtx(t, d)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !logHas(rig.Bot.Logs(), want) {
		select {
		case <-tick.C:
		case <-deadline.Done():
			t.Fatalf("no line of the bot's log holds %q after %v", want, d)
		}
	}
}

func logHas(logs []byte, want []string) bool {
	for line := range bytes.Lines(logs) {
		all := true
		for _, w := range want {
			all = all && bytes.Contains(line, []byte(w))
		}
		if all {
			return true
		}
	}
	return false
}

// C4, auth, on a call outside sending: the token is refused on users.info
// (an admin check: /coach admin list) or on views.publish (a director
// opening App Home) at 08:58, before the 09:00 prompts. The bot must deny
// the admin command (fail closed, C6), make no further Web API call, log one
// error and exit non-zero at once. Down over 09:00, the prompts come due
// while the operator fixes the token; restarted at 09:05 with a good token,
// it sends each of them once.
func TestWebAPIBotTokenRefusedOffTheSendPath(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 12, 8, 0, 0, 0, 0, ams)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	sched := coach.Schedule{ID: "s1", Habit: coach.Gemba, When: "daily 09:00", ToAll: true}
	for _, tt := range []struct {
		name, method string // method meets the refusal
		// refused are the methods Slack refuses: all of them, or only
		// method where an earlier call of the path would meet it first
		// (App Home asks users.info for the language).
		refused []string
		act     func(ctx context.Context, r *timeRig) (*slacksim.Result, error)
	}{
		{"admin_check", "users.info", botTokenMethods, func(ctx context.Context, r *timeRig) (*slacksim.Result, error) {
			return r.Sim.As(string(r.WS.Admin)).Slash(ctx, "/coach", "admin list")
		}},
		{"app_home", "views.publish", []string{"views.publish"}, func(ctx context.Context, r *timeRig) (*slacksim.Result, error) {
			return r.Sim.As(string(r.WS.Directors[0])).OpenHome(ctx)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			const n = 3
			r := newTimeRig(t, n, "Europe/Amsterdam", sched)
			r.startAt(t, at(8, 58))
			// The prompt plans and the Lean leaders' check-in plans: the
			// check-in pass looks up the Lean leaders' zones before it
			// writes its plans, and a lookup that met the refusal would
			// stop the bot before the action under test.
			r.waitDB(t, "the due-loop's plans", 20*time.Second, func(ctx context.Context, db *store.DB) bool {
				ds, err := db.Dues(ctx)
				return err == nil && len(promptPlans(ds)) >= n && len(ds)-len(promptPlans(ds)) >= len(r.WS.Leaders)
			})
			for _, m := range tt.refused {
				r.Sim.FailNext(m, 1000, slacksim.Fault{Error: "token_revoked"})
			}
			seq := r.Sim.Seq()
			start := time.Now()
			res, err := tt.act(waitCtx(t, 10*time.Second), r)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			exit, _, err := r.Bot.Wait(waitCtx(t, 30*time.Second))
			if err != nil {
				t.Fatalf("bot kept running after %s refused the token: %v", tt.method, err)
			}
			took := time.Since(start)
			if exit == 0 {
				t.Errorf("exit code = 0 after %s refused the token, want non-zero", tt.method)
			}
			var calls []string
			refusedAt := -1
			for _, ev := range r.Sim.Events() {
				if ev.Seq <= seq || ev.Kind != slacksim.EventAPICall {
					continue
				}
				if refusedAt < 0 && ev.Detail == "token_revoked" {
					refusedAt = len(calls)
				}
				calls = append(calls, ev.Method)
			}
			if refusedAt < 0 || calls[refusedAt] != tt.method {
				t.Fatalf("Web API calls after %s = %v, want %s refused", tt.name, calls, tt.method)
			}
			if after := calls[refusedAt+1:]; len(after) != 0 {
				t.Errorf("Web API calls after the refusal = %v, want none", after)
			}
			if n := bytes.Count(r.Bot.Logs(), tokenRefusedLog); n != 1 {
				t.Errorf("the log says %q %d times, want once", tokenRefusedLog, n)
			}
			for _, m := range res.Responses() {
				if strings.Contains(m.Text+string(m.Blocks), string(r.WS.Admin)) {
					t.Errorf("a reply names the admin with users.info refused (not fail closed): %q", m.Text)
				}
			}

			// The operator fixes the token; the supervisor starts the bot
			// again, after the 09:00 prompts came due.
			r.Sim.ClearFaults()
			r.startAt(t, at(9, 5))
			var keys []coach.OccurrenceKey
			for _, d := range r.WS.Directors {
				keys = append(keys, coach.NewOccurrenceKey(sched.ID, d, "2026-12-08"))
			}
			r.waitLogged(t, "prompt sent", keys, 30*time.Second)
			stopRig(t, r.Rig, 10*time.Second)
			rep := check(t, r.Rig, campaign.Expect{Due: campaign.DuesOf(keys, campaign.WantSent), StrictPrompts: true})
			t.Logf("FIGURE C4 token_revoked on %s (%s): exit code %d after %v; Web API calls from the action to the exit %v, after the refusal %d; after the fix: %s",
				tt.method, tt.name, exit, took.Round(time.Millisecond), calls, len(calls)-refusedAt-1, rep)
		})
	}
}
