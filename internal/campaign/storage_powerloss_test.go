package campaign_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

// D2, the bot's side: power is cut while a prompt is marked sent. The send
// is made as the due-loop makes it (record Sending: commit N; post with the
// key in the metadata; mark Sent: commit N+1), and the file is cut as the
// store's TestPowerLoss cuts it (page level, in bbolt's write order; see
// internal/store/powerloss_test.go for why that stands in for dm-flakey).
// Each image is restored as the database and the bot, assembled as in
// production, is started on it: an image that came back at commit N holds
// the prompt as Sending although Slack has it, and the bot's startup
// reconcile must find it by its metadata and mark it Sent, posting nothing
// again; an image at N+1 needs nothing.
func TestPowerLossImageReconciles(t *testing.T) {
	t.Parallel()
	r := rng(t)
	p := newInProc(t, slacksim.Options{}, 1, nil)
	p.stop(t)
	d := p.ws.Directors[0]
	now := time.Now().UTC()
	key := coach.NewOccurrenceKey(coach.AdHoc, d, now.Format(time.DateOnly)+".1")
	// The record is padded (a question ID no gemba prompt reads) to more
	// than a quarter page, so that bbolt keeps its bucket on pages of its
	// own: marking it sent then changes at least two data pages whatever
	// else the file holds (the Lean leaders' profiles and check-in plans
	// the bot wrote at its start put it inline in the root page, one page).
	o := coach.Occurrence{Key: key, Schedule: coach.AdHoc, Director: d, Habit: coach.Gemba,
		LocalDate: now.Format(time.DateOnly), Due: now, State: coach.Sending, Attempts: 1, StartedAt: now, QuestionID: strings.Repeat("q", 1500)}

	db, err := store.Open(p.dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.CreateOccurrence(t.Context(), o); err != nil { // commit N
		t.Fatal(err)
	}
	api := slack.New(p.sim.BotToken(), slack.OptionAPIURL(p.sim.APIURL()))
	ch, ts, err := bot.PostPrompt(t.Context(), api, o)
	if err != nil {
		t.Fatal(err)
	}
	before := readDB(t, p.dbPath)
	_, err = db.UpdateOccurrence(t.Context(), key, func(x *coach.Occurrence) error { // commit N+1
		x.State, x.Channel, x.TS, x.SentAt = coach.Sent, coach.ChannelID(ch), ts, now
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	after := readDB(t, p.dbPath)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	ps, meta, data := pageDiff(t, before, after)
	if len(data) < 2 {
		t.Fatalf("marking sent changed %d data pages; the images need at least 2", len(data))
	}
	r.Shuffle(len(data), func(i, j int) { data[i], data[j] = data[j], data[i] })
	half := slices.Clone(data[:len(data)/2])
	// The meta page cut inside its txid (bytes 64–71 of the page; the
	// checksum follows): bbolt must find it invalid and use the other one.
	torn := tearPage(withPages(before, after, ps, data...), after, ps, meta, 68)
	if m := torn[meta*ps : (meta+1)*ps]; bytes.Equal(m, before[meta*ps:(meta+1)*ps]) || bytes.Equal(m, after[meta*ps:(meta+1)*ps]) {
		t.Fatal("the torn meta page equals the old or the new one: the cut missed the changed bytes")
	}

	images := []struct {
		name string
		b    []byte
		want coach.SendState // as the image holds it, before the bot starts
	}{
		{"some data pages, old meta", withPages(before, after, ps, half...), coach.Sending},
		{"all data pages, meta torn", torn, coach.Sending},
		{"all data pages, new meta", bytes.Clone(after), coach.Sent},
	}
	posts := len(p.sim.CallsTo("chat.postMessage"))
	lookups := 0
	for _, img := range images {
		if err := os.WriteFile(p.dbPath, img.b, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := store.Check(p.dbPath); err != nil {
			t.Fatalf("%s: %v", img.name, err)
		}
		db, err := store.Open(p.dbPath, store.Options{})
		if err != nil {
			t.Fatalf("%s: %v", img.name, err)
		}
		got, err := db.Occurrence(t.Context(), key)
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil || got.State != img.want {
			t.Fatalf("%s: the image holds %s as %q (%v), want %q", img.name, key, got.State, err, img.want)
		}
		looked := len(p.sim.CallsTo("conversations.history"))
		p.start(t)
		got = p.waitState(t, key, 30*time.Second)
		p.stop(t)
		looked = len(p.sim.CallsTo("conversations.history")) - looked
		lookups += looked
		if img.want == coach.Sending && looked == 0 {
			t.Errorf("%s: the Sending record became %q without a look in Slack", img.name, got.State)
		}
		if got.State != coach.Sent || got.TS != ts {
			t.Errorf("%s: after start %s is %q at ts %q, want sent at %q (the message already in Slack)", img.name, key, got.State, got.TS, ts)
		}
		t.Logf("%s: recovered as %s, after the bot's start %s at the posted ts", img.name, img.want, got.State)
	}
	if again := len(p.sim.CallsTo("chat.postMessage")) - posts; again != 0 {
		t.Errorf("the bot posted %d messages after the restores, want 0", again)
	}
	rep := p.check(t, campaign.Expect{Due: campaign.DuesOf([]coach.OccurrenceKey{key}, campaign.WantSent), StrictPrompts: true})
	t.Logf("FIGURE D2 power cut while a prompt was marked sent: %d images (N: 2, N+1: 1), each opened clean and ended sent once; reconcile lookups %d, posts again 0; %s", len(images), lookups, rep)
}

func readDB(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pageDiff reads the page size from the file's first meta page (bbolt's
// page header is 16 bytes; the page size follows the magic and version)
// and returns the meta page and the data pages that differ between two
// versions of the file.
func pageDiff(t *testing.T, before, after []byte) (ps, meta int, data []int) {
	t.Helper()
	ps = int(binary.LittleEndian.Uint32(after[24:]))
	if ps < 512 || len(after)%ps != 0 || len(before) > len(after) {
		t.Fatalf("page size %d does not fit files of %d and %d bytes", ps, len(before), len(after))
	}
	old := make([]byte, len(after))
	copy(old, before)
	meta = -1
	for p := range len(after) / ps {
		if bytes.Equal(old[p*ps:(p+1)*ps], after[p*ps:(p+1)*ps]) {
			continue
		}
		if p < 2 {
			meta = p
		} else {
			data = append(data, p)
		}
	}
	if meta < 0 {
		t.Fatal("the commit wrote no meta page")
	}
	return ps, meta, data
}

// withPages is before (grown to after's size) with pages of after written.
func withPages(before, after []byte, ps int, pages ...int) []byte {
	b := make([]byte, len(after))
	copy(b, before)
	for _, p := range pages {
		copy(b[p*ps:(p+1)*ps], after[p*ps:(p+1)*ps])
	}
	return b
}

// tearPage writes the first cut bytes of page p of after over b: a write
// cut short inside the meta fields.
func tearPage(b, after []byte, ps, p, cut int) []byte {
	copy(b[p*ps:p*ps+cut], after[p*ps:p*ps+cut])
	return b
}
