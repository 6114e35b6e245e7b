package campaign_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// D8: erasure. A director writes a private note (through the prompt's
// modal) and a public compliment, each holding a canary unique to the run;
// a second director writes a note with a control canary. The first
// director then types /coach forget and confirms, against the production
// bot. Afterwards the canaries of the forgotten director are in no byte of
// any file in the database's directory (the database, the bot's log, any
// leftover of the compaction) nor in a backup taken after the forget, while
// the control canary still is (so the scan reads the notes at all). Before
// the forget both were in the file and in a backup, so the scan can fail.
//
// On the Slack side the private note may appear only in its author's DM
// (the prompt updated with the answer) and the author's own modal; the
// compliment is public by design and may appear in the kudos channel.
func TestErasureCanary(t *testing.T) {
	t.Parallel()
	r := rng(t)
	tag := fmt.Sprintf("%016x", r.Uint64())
	// Letters and digits only: Slack escaping and JSON keep them as they are.
	note, praise, control := "zqnote"+tag, "zqpraise"+tag, "zqkeep"+tag
	rig, _ := seededRig(t, 2)
	subject, other := rig.WS.Directors[0], rig.WS.Directors[1]
	startRig(t, rig)

	answerWithNote(t, rig, subject, note)
	answerWithNote(t, rig, other, control)
	giveKudos(t, rig, 0, "the "+praise+" board at the stand-up was spot on")

	before := scanFile(t, rig.DBPath, note, praise, control)
	if before[note] == 0 || before[praise] == 0 || before[control] == 0 {
		t.Fatalf("before forget the database holds note %d, compliment %d, control %d times; want each > 0 (else the scan proves nothing)",
			before[note], before[praise], before[control])
	}
	oldBackup := filepath.Join(t.TempDir(), "before-forget.db")
	if code, out, _ := runCmd(t, rig, nil, "backup", oldBackup); code != 0 {
		t.Fatalf("bot backup before forget = exit %d:\n%s", code, out)
	}
	inOld := scanFile(t, oldBackup, note, praise)
	if inOld[note] == 0 || inOld[praise] == 0 {
		t.Fatalf("the backup before forget holds note %d, compliment %d times; want each > 0", inOld[note], inOld[praise])
	}

	forget(t, rig, subject)

	newBackup := filepath.Join(t.TempDir(), "after-forget.db")
	if code, out, _ := runCmd(t, rig, nil, "backup", newBackup); code != 0 {
		t.Fatalf("bot backup after forget = exit %d:\n%s", code, out)
	}
	stopRig(t, rig, 10*time.Second)

	// Every file the bot keeps next to its database (the database, its log,
	// a compaction's temporary file if one was left), and the new backup.
	files := []string{newBackup}
	entries, err := os.ReadDir(filepath.Dir(rig.DBPath))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Type().IsRegular() {
			files = append(files, filepath.Join(filepath.Dir(rig.DBPath), e.Name()))
		}
	}
	var scanned, canaryHits int64
	var sizes []string
	for _, f := range files {
		hits := scanFile(t, f, note, praise, control)
		scanned += hits[""]
		canaryHits += hits[note] + hits[praise]
		sizes = append(sizes, fmt.Sprintf("%s=%d", filepath.Base(f), hits[""]))
		if hits[note] != 0 || hits[praise] != 0 {
			t.Errorf("after forget %s holds the note %d and the compliment %d times, want 0", filepath.Base(f), hits[note], hits[praise])
		}
		if (f == rig.DBPath || f == newBackup) && hits[control] == 0 {
			t.Errorf("after forget %s lost the other director's note: it was erased too, or the scan reads nothing", filepath.Base(f))
		}
		if f == rig.Bot.LogPath && hits[control] != 0 {
			t.Errorf("the bot's log holds a user's note %d times (I6)", hits[control])
		}
	}

	leaks, kudosLeft := slackPlaces(rig, subject, note, praise)
	ownDM := 0
	for _, m := range rig.Sim.Messages(rig.Sim.DMChannel(string(subject))) {
		if strings.Contains(m.Text+string(m.Blocks), note) {
			ownDM++
		}
	}
	for _, l := range leaks {
		t.Errorf("Slack: %s", l)
	}
	t.Logf("FIGURE D8 erasure through /coach forget (production bot): before: database note=%d compliment=%d, backup before forget note=%d compliment=%d (kept until the backup expires); after: %d files (%s), %d bytes scanned, canary hits %d want 0 (control note still there); Slack: private note outside its author's DM %d, left in the author's DM %d, compliment messages left in the kudos channel %d (Forget deletes no Slack message)",
		before[note], before[praise], inOld[note], inOld[praise], len(files), strings.Join(sizes, " "), scanned, canaryHits, len(leaks), ownDM, kudosLeft)
}

// answerWithNote has director d answer their prompt Done with one click,
// then add text as the note through "Add a note", and waits for the prompt
// to show it.
func answerWithNote(t *testing.T, rig *campaign.Rig, d coach.UserID, text string) {
	t.Helper()
	ctx := waitCtx(t, 30*time.Second)
	m := promptOf(t, rig.Sim, d)
	view := openNoteForm(t, rig.Sim, d, m)
	if view.CallbackID != bot.ViewDone {
		t.Fatalf("%s: note form %q, want %q", d, view.CallbackID, bot.ViewDone)
	}
	if _, err := rig.Sim.As(string(d)).Submit(ctx, view.ID, slacksim.Values{bot.BlockNote: text}); err != nil {
		t.Fatalf("%s submits the note: %v", d, err)
	}
	waitEditedTimes(t, rig.Sim, []slacksim.Message{m}, 2, 30*time.Second)
}

// giveKudos has director i compliment their leader publicly with text and
// waits for the bot's reply and the compliment in the kudos channel.
func giveKudos(t *testing.T, rig *campaign.Rig, i int, text string) {
	t.Helper()
	ctx := waitCtx(t, 30*time.Second)
	d, l := rig.WS.Directors[i], rig.WS.Leaders[i]
	res, err := rig.Sim.As(string(d)).Slash(ctx, "/coach", fmt.Sprintf("kudos <@%s|lead%d> %s", l, i, text))
	if err != nil {
		t.Fatalf("%s gives kudos: %v", d, err)
	}
	// The reply comes after the compliment is kept (it is posted first).
	if _, err := res.WaitResponse(ctx); err != nil {
		t.Fatalf("%s gives kudos: no reply: %v", d, err)
	}
	err = rig.Sim.WaitFor(ctx, func() bool {
		for _, m := range rig.Sim.Messages(string(rig.WS.Kudos)) {
			if strings.Contains(m.Text+string(m.Blocks), text) {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("the compliment of %s never reached the kudos channel: %v", d, err)
	}
}

// forget types /coach forget as u and confirms, as the user would, and
// waits for the bot to say the data is erased.
func forget(t *testing.T, rig *campaign.Rig, u coach.UserID) {
	t.Helper()
	ctx := waitCtx(t, time.Minute)
	actor := rig.Sim.As(string(u))
	res, err := actor.Slash(ctx, "/coach", "forget")
	if err != nil {
		t.Fatalf("/coach forget: %v", err)
	}
	ask, err := res.WaitResponse(ctx)
	if err != nil {
		t.Fatalf("/coach forget: no question: %v", err)
	}
	res, err = actor.Click(ctx, ask, "data.forget.confirm")
	if err != nil {
		t.Fatalf("confirm forget: %v", err)
	}
	done, err := res.WaitResponse(ctx)
	if err != nil {
		t.Fatalf("confirm forget: no answer: %v", err)
	}
	if want := i18n.EN.T("data.forget.done"); done.Text != want {
		t.Fatalf("confirm forget = %q, want %q", done.Text, want)
	}
}

// scanFile counts each canary in the raw bytes of the file at path; the
// "" entry is the number of bytes read.
func scanFile(t *testing.T, path string, canaries ...string) map[string]int64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	hits := map[string]int64{"": int64(len(b))}
	for _, c := range canaries {
		hits[c] = int64(bytes.Count(b, []byte(c)))
	}
	return hits
}

// slackPlaces lists where, in the local Slack, the private note of u shows
// outside u's own DM and modals, or the compliment outside the kudos
// channel and u's DM; and counts the kudos messages left holding it.
func slackPlaces(rig *campaign.Rig, u coach.UserID, note, praise string) (leaks []string, kudosLeft int) {
	dm := rig.Sim.DMChannel(string(u))
	has := func(s string) (bool, bool) { return strings.Contains(s, note), strings.Contains(s, praise) }
	msgText := func(m slacksim.Message) string {
		return m.Text + string(m.Blocks) + string(m.Attachments) + string(m.Metadata)
	}
	for _, ch := range rig.Sim.Channels() {
		for _, m := range rig.Sim.Messages(ch.ID) {
			n, p := has(msgText(m))
			switch {
			case n && ch.ID != dm:
				leaks = append(leaks, fmt.Sprintf("private note in channel %s (message %s)", ch.ID, m.TS))
			case p && ch.ID == string(rig.WS.Kudos):
				kudosLeft++
			case p && ch.ID != dm:
				leaks = append(leaks, fmt.Sprintf("compliment in channel %s (message %s)", ch.ID, m.TS))
			}
		}
	}
	for _, user := range rig.Sim.Users() {
		if user.ID == string(u) {
			continue
		}
		for _, m := range rig.Sim.Ephemerals(user.ID) {
			if n, p := has(msgText(m)); n || p {
				leaks = append(leaks, fmt.Sprintf("canary in an ephemeral message to %s", user.ID))
			}
		}
		views := rig.Sim.Views(user.ID)
		if h, ok := rig.Sim.Home(user.ID); ok {
			views = append(views, h)
		}
		for _, v := range views {
			if n, p := has(string(v.Blocks) + v.PrivateMetadata); n || p {
				leaks = append(leaks, fmt.Sprintf("canary in a %s view of %s", v.Type, user.ID))
			}
		}
	}
	// What the bot sent anywhere else: a Web API call with the note in it
	// must be addressed to u's DM (or to u).
	for _, c := range rig.Sim.Calls() {
		var all strings.Builder
		for _, v := range c.Args {
			all.WriteString(v)
		}
		if n, _ := has(all.String()); n && c.Args["channel"] != "" && c.Args["channel"] != dm && c.Args["channel"] != string(u) {
			leaks = append(leaks, fmt.Sprintf("%s to %s with the private note", c.Method, c.Args["channel"]))
		}
	}
	return leaks, kudosLeft
}
