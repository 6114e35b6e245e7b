package coach_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

// digestWeek is a synthetic week for a director in Amsterdam: stand-ups on
// Monday to Friday at 08:45 (done, done, not today, expired, open) and a
// compliment on Thursday; the week before ended with a streak of 2.
func digestWeek(t *testing.T, d coach.UserID) (start time.Time, occs []coach.Occurrence) {
	ams := mustLoc(t, "Europe/Amsterdam")
	start = time.Date(2026, 11, 30, 0, 0, 0, 0, ams)
	at := func(day, h, m int) time.Time {
		return start.AddDate(0, 0, day).Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	occs = []coach.Occurrence{
		pOcc(d, coach.Standup, at(-4, 8, 45), coach.NotToday, ""),
		pOcc(d, coach.Standup, at(-3, 8, 45), coach.Done, ""),
		pOcc(d, coach.Standup, at(-2, 8, 45), coach.Done, ""),
		pOcc(d, coach.Standup, at(0, 8, 45), coach.Done, "walrus"),
		pOcc(d, coach.Standup, at(1, 8, 45), coach.Done, ""),
		pOcc(d, coach.Standup, at(2, 8, 45), coach.NotToday, ""),
		pOcc(d, coach.Standup, at(3, 8, 45), coach.Expired, ""),
		pOcc(d, coach.Compliment, at(3, 15, 0), coach.Done, "walrus"),
		pOcc(d, coach.Standup, at(4, 8, 45), "", ""),
		pOcc(d, coach.Standup, at(7, 8, 45), "", ""), // next week
	}
	return start, occs
}

func TestBuildDigest(t *testing.T) {
	ams := mustLoc(t, "Europe/Amsterdam")
	start, occs := digestWeek(t, pMember)
	now := start.AddDate(0, 0, 4).Add(16 * time.Hour) // Friday 16:00
	d := coach.Director{ID: pMember}
	dg, ok := coach.BuildDigest(d, occs, now, ams)
	if !ok {
		t.Fatal("BuildDigest = not ok, want a digest")
	}
	if dg.Week != "2026-W49" || !dg.From.Equal(start) || !dg.To.Equal(now) {
		t.Errorf("BuildDigest week = %s %v..%v, want 2026-W49 from Monday to now", dg.Week, dg.From, dg.To)
	}
	if dg.Channel != "D0DM00001" {
		t.Errorf("BuildDigest channel = %q, want the DM the week's prompts went to", dg.Channel)
	}
	wantMarks := []coach.Mark{coach.MarkDone, coach.MarkDone, coach.MarkNotToday, coach.MarkMissed, coach.MarkDone, coach.MarkOpen}
	if len(dg.Lines) != len(wantMarks) {
		t.Fatalf("BuildDigest lines = %+v, want %d", dg.Lines, len(wantMarks))
	}
	for i, m := range wantMarks {
		if dg.Lines[i].Mark != m {
			t.Errorf("line %d (%s %v) mark = %s, want %s", i, dg.Lines[i].Habit, dg.Lines[i].Due, dg.Lines[i].Mark, m)
		}
		if dg.Lines[i].Due.Location() != ams {
			t.Errorf("line %d due in %v, want Amsterdam", i, dg.Lines[i].Due.Location())
		}
	}
	if dg.Done != 3 || dg.Decided != 5 {
		t.Errorf("BuildDigest completion = %d of %d, want 3 of 5", dg.Done, dg.Decided)
	}
	want := []coach.DigestHabit{
		{Habit: coach.Standup, Before: 2, After: 0, Best: 4},
		{Habit: coach.Compliment, Before: 0, After: 1, Best: 1},
	}
	if len(dg.Habits) != len(want) {
		t.Fatalf("BuildDigest habits = %+v, want %+v", dg.Habits, want)
	}
	for i := range want {
		if dg.Habits[i] != want[i] {
			t.Errorf("habit %d = %+v, want %+v", i, dg.Habits[i], want[i])
		}
	}

	if _, ok := coach.BuildDigest(d, occs[:3], now, ams); ok {
		t.Errorf("BuildDigest(week without prompts) = ok, want skipped")
	}
	onLeave := coach.Director{ID: pMember, Leave: []coach.Period{{From: now.Add(-time.Hour), Until: now.AddDate(0, 0, 7)}}}
	if _, ok := coach.BuildDigest(onLeave, occs, now, ams); ok {
		t.Errorf("BuildDigest(on leave) = ok, want skipped")
	}
	never := pOcc(pMember, coach.Standup, start.Add(9*time.Hour), "", "")
	never.State = coach.Missed
	if _, ok := coach.BuildDigest(d, []coach.Occurrence{never}, now, ams); ok {
		t.Errorf("BuildDigest(only prompts never sent) = ok, want skipped")
	}
}

func TestDigestDue(t *testing.T) {
	ams := mustLoc(t, "Europe/Amsterdam")
	for _, tt := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 12, 3, 23, 0, 0, 0, ams), false},
		{time.Date(2026, 12, 4, 15, 59, 0, 0, ams), false},
		{time.Date(2026, 12, 4, 16, 0, 0, 0, ams), true},
		{time.Date(2026, 12, 6, 23, 59, 0, 0, ams), true},
		{time.Date(2026, 12, 7, 0, 0, 0, 0, ams), false},
	} {
		if got := coach.DigestDue(tt.at, ams); got != tt.want {
			t.Errorf("DigestDue(%v) = %v, want %v", tt.at, got, tt.want)
		}
	}
}

// digestRecorder is a DigestSender that records, and fails when told to.
type digestRecorder struct {
	mu   sync.Mutex
	got  []coach.Digest
	fail error
}

func (r *digestRecorder) SendDigest(_ context.Context, d coach.Digest) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.got = append(r.got, d)
	return nil
}

func (r *digestRecorder) count() int { r.mu.Lock(); defer r.mu.Unlock(); return len(r.got) }

func TestSendDigestsOncePerWeek(t *testing.T) {
	f := newPortalFix(t)
	ctx := t.Context()
	ams := mustLoc(t, "Europe/Amsterdam")
	ny := profiles()[pListed]
	ny.TZ = "America/New_York"
	f.dir.set(ny)
	start, occs := digestWeek(t, pMember)
	_, occsNY := digestWeek(t, pListed)
	for _, d := range []coach.UserID{pMember, pListed} {
		if err := f.db.PutDirector(ctx, coach.Director{ID: d, Leaders: []coach.UserID{"ULEAD0001"}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, o := range append(occs, occsNY...) {
		if _, _, err := f.db.CreateOccurrence(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	rec := &digestRecorder{}
	run := func(at time.Time, want int) {
		t.Helper()
		n, err := f.portal.SendDigests(ctx, at, rec)
		if err != nil || n != want {
			t.Fatalf("SendDigests(%v) = %d, %v; want %d", at.In(ams), n, err, want)
		}
	}
	fri := start.AddDate(0, 0, 4)
	run(fri.Add(15*time.Hour+59*time.Minute), 0)
	run(fri.Add(16*time.Hour), 1) // Amsterdam only: it is 10:00 in New York
	if rec.got[0].Director != pMember {
		t.Fatalf("first digest went to %s, want %s", rec.got[0].Director, pMember)
	}
	run(fri.Add(17*time.Hour), 0)
	run(fri.Add(22*time.Hour), 1) // 16:00 in New York
	run(fri.AddDate(0, 0, 1), 0)  // Saturday: both done

	// The next week: a failed send is retried on the next run.
	rec.fail = errors.New("slack down")
	if n, err := f.portal.SendDigests(ctx, fri.AddDate(0, 0, 7).Add(16*time.Hour), rec); n != 0 || err == nil {
		t.Fatalf("SendDigests with Slack down = %d, %v; want 0 and an error", n, err)
	}
	rec.fail = nil
	run(fri.AddDate(0, 0, 7).Add(16*time.Hour+5*time.Minute), 1)
	if rec.count() != 3 {
		t.Errorf("digests sent = %d, want 3", rec.count())
	}

	// On leave on Friday: skipped, and not sent later that week either,
	// though the week had a prompt.
	if _, _, err := f.db.CreateOccurrence(ctx, pOcc(pMember, coach.Standup, start.AddDate(0, 0, 14).Add(9*time.Hour), coach.Done, "")); err != nil {
		t.Fatal(err)
	}
	d, _ := f.db.Director(ctx, pMember)
	d.Leave = []coach.Period{{From: fri.AddDate(0, 0, 14), Until: fri.AddDate(0, 0, 14).Add(20 * time.Hour)}}
	if err := f.db.PutDirector(ctx, d); err != nil {
		t.Fatal(err)
	}
	run(fri.AddDate(0, 0, 14).Add(16*time.Hour), 0)
	run(fri.AddDate(0, 0, 15), 0)
}

// TestDigestLoop runs the loop in a synctest bubble, whose fake clock starts
// on Saturday 1 January 2000: the digest of that week is due at once, sent
// once however often the loop wakes, and the loop stops with its context.
func TestDigestLoop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db, err := store.Open(filepath.Join(t.TempDir(), "leancoach.db"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		clock := coach.ClockFunc(time.Now)
		dir := newFakeDirectory()
		access, err := coach.NewAccess(coach.AccessConfig{Team: ourTeam, Store: db, Directory: dir, Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		portal, err := coach.NewPortal(coach.PortalConfig{Store: db, Access: access, Audit: coach.NewAuditLog(db, clock),
			Directory: dir, Clock: clock, Rules: rules()})
		if err != nil {
			t.Fatal(err)
		}
		ctx := t.Context()
		if err := db.PutDirector(ctx, coach.Director{ID: pMember, Leaders: []coach.UserID{"ULEAD0001"}}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.CreateOccurrence(ctx, pOcc(pMember, coach.Standup, time.Now().Add(-30*time.Hour), coach.Done, "")); err != nil {
			t.Fatal(err)
		}
		rec := &digestRecorder{}
		runs := make(chan error, 100)
		loopCtx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			portal.DigestLoop(loopCtx, time.Hour, rec, func(_ int, err error) { runs <- err })
		}()
		for range 3 { // the first run and two wake-ups an hour apart
			if err := <-runs; err != nil {
				t.Fatalf("digest run: %v", err)
			}
		}
		if got := rec.count(); got != 1 {
			t.Errorf("digests after three runs = %d, want 1", got)
		}
		stop()
		<-done
	})
}

// stoppingSender stops the bot (cancels ctx) in the middle of its first
// send, as a paced send waiting on Slack's tier would see it.
type stoppingSender struct {
	stop  context.CancelFunc
	calls int
}

func (s *stoppingSender) SendDigest(ctx context.Context, _ coach.Digest) error {
	s.calls++
	s.stop()
	return ctx.Err()
}

// A stop in the middle of a digest run takes the week back for the digest
// it interrupted (so the next run sends it) and sends no more.
func TestSendDigestsStoppedMidway(t *testing.T) {
	f := newPortalFix(t)
	start, occs := digestWeek(t, pMember)
	_, occs2 := digestWeek(t, pListed)
	for _, d := range []coach.UserID{pMember, pListed} {
		if err := f.db.PutDirector(t.Context(), coach.Director{ID: d, Leaders: []coach.UserID{"ULEAD0001"}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, o := range append(occs, occs2...) {
		if _, _, err := f.db.CreateOccurrence(t.Context(), o); err != nil {
			t.Fatal(err)
		}
	}
	at := start.AddDate(0, 0, 4).Add(22 * time.Hour) // Friday 16:00 in New York, later in Amsterdam
	ctx, cancel := context.WithCancel(t.Context())
	s := &stoppingSender{stop: cancel}
	if n, err := f.portal.SendDigests(ctx, at, s); n != 0 || err == nil {
		t.Fatalf("SendDigests stopped midway = %d, %v; want 0 and an error", n, err)
	}
	if s.calls != 1 {
		t.Errorf("sends after the stop: %d calls, want 1", s.calls)
	}
	rec := &digestRecorder{}
	if n, err := f.portal.SendDigests(t.Context(), at, rec); n != 2 || err != nil {
		t.Errorf("the next run = %d, %v; want both digests (the interrupted one taken back)", n, err)
	}
}

// The digest run hands every director to Warm before it asks Directory
// about any of them, so their zones come from a cache filled in bulk.
func TestSendDigestsWarmsFirst(t *testing.T) {
	f := newPortalFix(t)
	for _, d := range []coach.UserID{pMember, pListed} {
		if err := f.db.PutDirector(t.Context(), coach.Director{ID: d, Leaders: []coach.UserID{"ULEAD0001"}}); err != nil {
			t.Fatal(err)
		}
	}
	var warmed []coach.UserID
	callsAtWarm := -1
	portal, err := coach.NewPortal(coach.PortalConfig{Store: f.db, Access: f.access, Audit: f.audit,
		Directory: f.dir, Clock: f.clock, Rules: rules(), DefaultTZ: time.UTC,
		Warm: func(_ context.Context, us []coach.UserID) error {
			f.dir.mu.Lock()
			callsAtWarm = len(f.dir.calls)
			f.dir.mu.Unlock()
			warmed = append(warmed, us...)
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := portal.SendDigests(t.Context(), pStart, &digestRecorder{}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(warmed, []coach.UserID{pListed, pMember}) && !slices.Equal(warmed, []coach.UserID{pMember, pListed}) {
		t.Errorf("warmed %v, want both directors", warmed)
	}
	if callsAtWarm != 0 {
		t.Errorf("Directory asked %d times before Warm", callsAtWarm)
	}
}
