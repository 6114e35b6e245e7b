package slackapp_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/manifest"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

// The people of the DM tests.
const (
	dmDirector = "UDMDIREC1"
	dmLeader   = "UDMLEADR1"
	dmStranger = "UDMSTRAN1"
	dmQuiet    = "UDMQUIET1" // only sends events the bot must ignore
	dmAdmin    = "UDMADMIN1"
)

// dmWorld is the bot on a slacksim that subscribes to the manifest's events
// and echoes the bot's own posts back, as Slack does.
func dmWorld(t *testing.T) (*slacksim.Server, *botLife) {
	t.Helper()
	sim := slacksim.New(slacksim.Options{BotEvents: manifest.BotEvents(), EchoBotMessages: true,
		RetryDelays: []time.Duration{0, 50 * time.Millisecond}})
	t.Cleanup(sim.Close)
	for _, u := range []slacksim.User{
		{ID: dmDirector, Name: "dora", TZ: "Europe/Amsterdam", Locale: "nl-NL"},
		{ID: dmLeader, Name: "leo", TZ: "Europe/Amsterdam"},
		{ID: dmStranger, Name: "sam"},
		{ID: dmQuiet, Name: "quinn"},
		{ID: dmAdmin, Name: "ada"},
	} {
		sim.AddUser(u)
	}
	seed := func(ctx context.Context, db *store.DB) error {
		return db.PutDirector(ctx, coach.Director{ID: dmDirector, Leaders: []coach.UserID{dmLeader}})
	}
	return sim, startBot(t, sim, filepath.Join(t.TempDir(), "leancoach.db"), botOptions{admins: []coach.UserID{dmAdmin}, seed: seed})
}

// rawMessageEvent sends a message event as Slack would for the DM of user,
// with the given extra fields, and waits for its ack.
func rawMessageEvent(t *testing.T, sim *slacksim.Server, user string, fields map[string]any) {
	t.Helper()
	ev := map[string]any{"type": "message", "channel": sim.DMChannel(user), "channel_type": "im", "user": user,
		"text": "ignore me", "ts": "1765097100.000100", "event_ts": "1765097100.000100"}
	for k, v := range fields {
		ev[k] = v
	}
	payload, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": sim.TeamID(),
		"event_id": "Ev" + strings.ToUpper(user) + time.Now().Format("150405.000000"), "event": ev})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if _, err := sim.WaitAck(ctx, sim.Send("events_api", payload)); err != nil {
		t.Fatalf("event %v not acked: %v", fields, err)
	}
}

// TestE2ETextInDMAnsweredOnceADay: text typed in the bot's DM gets one answer
// a day with what that person can do; the bot's own posts (echoed back),
// edits, other subtypes and messages elsewhere get none.
func TestE2ETextInDMAnsweredOnceADay(t *testing.T) {
	sim, life := dmWorld(t)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()

	said, err := sim.As(dmLeader).Say(ctx, "hello? is anyone there")
	if err != nil {
		t.Fatalf("the leader types in the DM: %v", err)
	}
	hint, err := said.WaitDM(ctx)
	if err != nil {
		t.Fatalf("no answer to text typed in the DM: %v", err)
	}
	got := shown(hint.Text, hint.Blocks)
	if !strings.Contains(got, i18n.EN.T("dm.hint.intro")) || !strings.Contains(got, "/coach export") ||
		strings.Contains(got, "/coach streak") || strings.Contains(got, "/coach director") {
		t.Errorf("answer to a Lean leader = %s, want the intro and their commands only", got)
	}
	if _, err := sim.As(dmLeader).Say(ctx, "hello again"); err != nil {
		t.Fatalf("the leader types again: %v", err)
	}
	if _, err := sim.As(dmLeader).Edit(ctx, "", said.TS, "hello, is anyone there?"); err != nil {
		t.Fatalf("the leader edits: %v", err)
	}
	dirSaid, err := sim.As(dmDirector).Say(ctx, "hoi")
	if err != nil {
		t.Fatal(err)
	}
	if m, err := dirSaid.WaitDM(ctx); err != nil || !strings.Contains(shown(m.Text, m.Blocks), i18n.NL.T("dm.hint.intro")) {
		t.Errorf("answer to a Dutch director = %+v, %v; want it in Dutch", m, err)
	}
	// Someone who sends only what must be ignored: a subtype with a user,
	// a message of another app's bot, a thread-less message in a channel.
	rawMessageEvent(t, sim, dmQuiet, map[string]any{"subtype": "me_message"})
	rawMessageEvent(t, sim, dmQuiet, map[string]any{"subtype": "file_share"})
	rawMessageEvent(t, sim, dmQuiet, map[string]any{"bot_id": "B0OTHER01"})
	rawMessageEvent(t, sim, dmQuiet, map[string]any{"channel_type": "channel", "channel": "C0SOMEWHERE"})
	// Every envelope taken in, the echoes of the bot's answers included;
	// then the bot stops, which finishes the work it took in.
	if err := sim.WaitFor(ctx, func() bool {
		for _, e := range sim.Envelopes() {
			if e.Status != slacksim.StatusAcked {
				return false
			}
		}
		return true
	}); err != nil {
		t.Fatalf("envelopes not all acked: %v", err)
	}
	life.stop()
	botPosts := func(user string) int {
		n := 0
		for _, m := range sim.Messages(sim.DMChannel(user)) {
			if m.IsBot() {
				n++
			}
		}
		return n
	}
	for user, want := range map[string]int{dmLeader: 1, dmDirector: 1, dmQuiet: 0} {
		if n := botPosts(user); n != want {
			t.Errorf("bot posts in %s's DM = %d, want %d", user, n, want)
		}
	}
}
