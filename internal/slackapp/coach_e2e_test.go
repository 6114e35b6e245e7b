package slackapp_test

import (
	"context"
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// The people of the end-to-end tests.
const (
	eAdmin     = "UADMIN001"
	eDirector  = "UDIRECT01" // English Slack locale
	eDirectorN = "UDIRECT02" // Dutch Slack locale
	eLeader    = "ULEADER01"
	eLeader2   = "ULEADER02"
	eOther     = "UOTHER001"
	eKudos     = "CKUDOS001"
	ePrivate   = "GPRIVATE1"
)

// world is a local Slack with a small workspace, and the bot running on it
// as cmd/bot runs it (internal/bot's assembly: a bbolt store in a temp dir,
// the Socket Mode App with every route, the due-loop with the Poster as the
// Service's Prompter), with eAdmin in LEANCOACH_ADMINS. The bot can be
// stopped and started again on the same database file.
type world struct {
	t      testing.TB
	sim    *slacksim.Server
	dbPath string
	bot    *botLife
	noLoop bool        // start the bot without its due-loop (nothing in the background)
	clock  coach.Clock // the bot's time; nil: the wall clock
}

func newWorld(t testing.TB) *world { return newWorldLoop(t, true) }

// newWorldLoop is newWorld with the due-loop on or off: off, nothing runs
// in the background, so a test can count what one click costs.
func newWorldLoop(t testing.TB, loop bool) *world { return newWorldClock(t, loop, nil) }

// newWorldClock is newWorldLoop on the bot's clock clock (nil: the wall
// clock).
func newWorldClock(t testing.TB, loop bool, clock coach.Clock) *world {
	t.Helper()
	sim := slacksim.New(slacksim.Options{RetryDelays: []time.Duration{0, 50 * time.Millisecond}})
	t.Cleanup(sim.Close)
	for _, u := range []slacksim.User{
		{ID: eAdmin, Name: "ada"},
		{ID: eDirector, Name: "dana", TZ: "Europe/Amsterdam", Locale: "en-US"},
		{ID: eDirectorN, Name: "daan", TZ: "Europe/Amsterdam", Locale: "nl-NL"},
		{ID: eLeader, Name: "lee"},
		{ID: eLeader2, Name: "lotte", Locale: "nl-NL"},
		{ID: eOther, Name: "otto"},
	} {
		sim.AddUser(u)
	}
	sim.AddChannel(slacksim.Channel{ID: eKudos, Name: "kudos", Members: []string{eAdmin, eDirector, eDirectorN, eLeader, eLeader2}})
	sim.AddChannel(slacksim.Channel{ID: ePrivate, Name: "leads", IsPrivate: true, Members: []string{eAdmin}})
	w := &world{t: t, sim: sim, dbPath: filepath.Join(t.TempDir(), "leancoach.db"), noLoop: !loop, clock: clock}
	w.start()
	t.Cleanup(w.stopBot)
	return w
}

// start starts the bot on the world's database file.
func (w *world) start() {
	w.t.Helper()
	w.bot = startBot(w.t, w.sim, w.dbPath, botOptions{admins: []coach.UserID{eAdmin}, dueLoop: !w.noLoop, clock: w.clock})
}

func (w *world) stopBot() {
	if w.bot != nil {
		w.bot.stop()
		w.bot = nil
	}
}

// restart stops the bot and starts a new one on the same database file, as
// after a crash or a deploy.
func (w *world) restart() {
	w.stopBot()
	w.start()
}

// ctx is a context bounded for one step of a test.
func (w *world) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	w.t.Cleanup(cancel)
	return ctx
}

// slash types /coach text as user and returns the (ephemeral) reply.
func (w *world) slash(user, text string) slacksim.Message {
	w.t.Helper()
	ctx := w.ctx()
	r, err := w.sim.As(user).Slash(ctx, "/coach", text)
	if err != nil {
		w.t.Fatalf("/coach %s as %s: %v", text, user, err)
	}
	m, err := r.WaitResponse(ctx)
	if err != nil {
		w.t.Fatalf("/coach %s as %s: no reply: %v", text, user, err)
	}
	return m
}

// setUp sets the kudos channel and registers the directors, as an admin.
func (w *world) setUp() {
	w.t.Helper()
	if m := w.slash(eAdmin, "channel <#"+eKudos+"|kudos>"); !strings.Contains(m.Text, "joined") {
		w.t.Fatalf("/coach channel reply = %q, want it to say it joined", m.Text)
	}
	for _, cmd := range []string{
		"director add <@" + eDirector + "|dana> leader <@" + eLeader + "|lee>",
		"director add <@" + eDirectorN + "|daan> leader <@" + eLeader2 + "|lotte>",
	} {
		if m := w.slash(eAdmin, cmd); !strings.Contains(m.Text, "director") && !strings.Contains(m.Text, "directeur") {
			w.t.Fatalf("/coach %s reply = %q, want a confirmation", cmd, m.Text)
		}
	}
}

// send has the admin send habit's prompt to director and returns the prompt
// message in the director's DM.
func (w *world) send(habit, director string) slacksim.Message {
	w.t.Helper()
	dm := w.sim.DMChannel(director)
	before := len(w.sim.Messages(dm))
	m := w.slash(eAdmin, "send "+habit+" <@"+director+">")
	if !strings.Contains(m.Text, "<@"+director+">") {
		w.t.Fatalf("/coach send reply = %q, want it to name the director", m.Text)
	}
	msgs := w.sim.Messages(dm)
	if len(msgs) != before+1 {
		w.t.Fatalf("DM of %s has %d messages after /coach send, want %d", director, len(msgs), before+1)
	}
	w.checkBlocks("prompt", msgs[len(msgs)-1].Blocks)
	return msgs[len(msgs)-1]
}

// message returns the current state of a message.
func (w *world) message(m slacksim.Message) slacksim.Message {
	w.t.Helper()
	cur, ok := w.sim.Message(m.Channel, m.TS)
	if !ok {
		w.t.Fatalf("message %s/%s is gone", m.Channel, m.TS)
	}
	return cur
}

// waitEdited waits until the message was updated at least n times.
func (w *world) waitEdited(m slacksim.Message, n int) slacksim.Message {
	w.t.Helper()
	var cur slacksim.Message
	err := w.sim.WaitFor(w.ctx(), func() bool {
		cur, _ = w.sim.Message(m.Channel, m.TS)
		return cur.Edited >= n
	})
	if err != nil {
		w.t.Fatalf("message %s/%s edited %d times, want %d: %v", m.Channel, m.TS, cur.Edited, n, err)
	}
	w.checkBlocks("updated prompt", cur.Blocks)
	return cur
}

// waitKudos waits until the kudos channel holds n bot messages and returns them.
func (w *world) waitKudos(n int) []slacksim.Message {
	w.t.Helper()
	var got []slacksim.Message
	err := w.sim.WaitFor(w.ctx(), func() bool {
		got = got[:0]
		for _, m := range w.sim.Messages(eKudos) {
			if m.IsBot() {
				got = append(got, m)
			}
		}
		return len(got) >= n
	})
	if err != nil {
		w.t.Fatalf("kudos channel has %d posts, want %d: %v", len(got), n, err)
	}
	for _, m := range got {
		w.checkBlocks("kudos", m.Blocks)
	}
	return got
}

// click clicks actionID on a message as user and returns the result.
func (w *world) click(user string, m slacksim.Message, actionID string, opts ...slacksim.ClickOption) *slacksim.Result {
	w.t.Helper()
	r, err := w.sim.As(user).Click(w.ctx(), m, actionID, opts...)
	if err != nil {
		w.t.Fatalf("%s clicks %s: %v", user, actionID, err)
	}
	return r
}

// openModal clicks the prompt's primary button and returns the modal (the
// compliment's: the other habits record at once).
func (w *world) openModal(user string, m slacksim.Message) slacksim.View {
	w.t.Helper()
	return w.modalOf(user, m, slackapp.ActionAnswer)
}

// noteModal clicks "Add a note" on an answered prompt and returns the modal.
func (w *world) noteModal(user string, m slacksim.Message) slacksim.View {
	w.t.Helper()
	return w.modalOf(user, m, slackapp.ActionNote)
}

func (w *world) modalOf(user string, m slacksim.Message, action string) slacksim.View {
	w.t.Helper()
	r := w.click(user, m, action)
	v, err := waitModal(w.ctx(), r)
	if err != nil {
		w.t.Fatalf("%s clicked %s, no modal: %v", user, action, err)
	}
	raw, _ := json.Marshal(map[string]any{"type": v.Type, "title": v.Title, "blocks": v.Blocks, "submit": v.Submit, "close": v.Close,
		"private_metadata": v.PrivateMetadata, "callback_id": v.CallbackID})
	for _, p := range slacksim.ValidateView(raw) {
		w.t.Errorf("modal: Block Kit: %s", p)
	}
	return v
}

// waitModal returns the next modal the action opened, passing over the App
// Home the bot republishes after an answer.
func waitModal(ctx context.Context, r *slacksim.Result) (slacksim.View, error) {
	for {
		v, err := r.WaitView(ctx)
		if err != nil || v.Type == "modal" {
			return v, err
		}
	}
}

func (w *world) submit(user string, v slacksim.View, values slacksim.Values) *slacksim.Result {
	w.t.Helper()
	r, err := w.sim.As(user).Submit(w.ctx(), v.ID, values)
	if err != nil {
		w.t.Fatalf("%s submits %s: %v", user, v.CallbackID, err)
	}
	return r
}

func (w *world) checkBlocks(what string, blocks json.RawMessage) {
	w.t.Helper()
	for _, p := range slacksim.ValidateMessageBlocks(blocks) {
		w.t.Errorf("%s: Block Kit: %s", what, p)
	}
}

// stored returns the occurrence the bot keeps for the prompt message m.
func (w *world) stored(m slacksim.Message) coach.Occurrence {
	w.t.Helper()
	key := promptKey(w.t, m)
	o, err := w.bot.db.Occurrence(context.Background(), key)
	if err != nil {
		w.t.Fatalf("occurrence %s: %v", key, err)
	}
	return o
}

// promptKey reads the occurrence key from a prompt's primary button (a
// path prompt's, which has none: from its Not today).
func promptKey(t testing.TB, m slacksim.Message) coach.OccurrenceKey {
	t.Helper()
	var blocks []struct {
		Type     string `json:"type"`
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
		t.Fatalf("prompt blocks: %v", err)
	}
	for _, b := range blocks {
		for _, e := range b.Elements {
			if e.ActionID == slackapp.ActionAnswer || e.ActionID == slackapp.ActionNotToday {
				return coach.OccurrenceKey(e.Value)
			}
		}
	}
	t.Fatalf("prompt %s has no %s button", m.TS, slackapp.ActionAnswer)
	return ""
}

func hasButtons(m slacksim.Message) bool { return strings.Contains(string(m.Blocks), `"actions"`) }

// visible is everything a person sees of a message: its text and every
// string in its blocks (decoded, as Slack's client reads them), one per line.
func visible(m slacksim.Message) string {
	var b strings.Builder
	b.WriteString(m.Text)
	var v any
	if json.Unmarshal(m.Blocks, &v) == nil {
		collectStrings(&b, v)
	}
	return b.String()
}

func collectStrings(b *strings.Builder, v any) {
	switch x := v.(type) {
	case string:
		b.WriteString("\n" + x)
	case []any:
		for _, e := range x {
			collectStrings(b, e)
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			collectStrings(b, x[k])
		}
	}
}
