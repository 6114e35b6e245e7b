package sandbox_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/sandbox"
	"github.com/leancoach/leancoach/internal/slacksim"
)

var _ coach.Clock = (*sandbox.Clock)(nil)

// fakeWall is a settable wall clock.
type fakeWall struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeWall) now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.t }
func (f *fakeWall) add(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

func TestClock(t *testing.T) {
	start := time.Date(2026, 11, 30, 14, 0, 0, 0, time.UTC) // a Monday
	wall := &fakeWall{t: start}
	c := sandbox.NewClock(wall.now)
	if got := c.Now(); !got.Equal(start) {
		t.Fatalf("Now() = %v, want the wall clock %v", got, start)
	}
	c.Advance(time.Hour)
	if got, want := c.Now(), start.Add(time.Hour); !got.Equal(want) {
		t.Errorf("Now() after Advance(1h) = %v, want %v", got, want)
	}
	c.Advance(-time.Hour)
	if got, want := c.Offset(), time.Hour; got != want {
		t.Errorf("Offset() after Advance(-1h) = %v, want %v (never backwards)", got, want)
	}
	wall.add(10 * time.Minute)
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	morning := sandbox.NextMorning(c.Now(), ams, 8)
	if want := time.Date(2026, 12, 1, 8, 0, 0, 0, ams); !morning.Equal(want) {
		t.Fatalf("NextMorning(%v) = %v, want %v", c.Now(), morning, want)
	}
	if !c.JumpTo(morning) {
		t.Fatalf("JumpTo(%v) = false, want true", morning)
	}
	if got := c.Now(); !got.Equal(morning) {
		t.Errorf("Now() after JumpTo = %v, want %v", got, morning)
	}
	if c.JumpTo(start) {
		t.Errorf("JumpTo(the past) = true, want false")
	}
	wall.add(time.Minute)
	if got, want := c.Now(), morning.Add(time.Minute); !got.Equal(want) {
		t.Errorf("Now() a wall minute after the jump = %v, want %v", got, want)
	}
}

func TestNextMorningAcrossDST(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	// The night the clocks go back: tomorrow 08:00 is still 08:00 local.
	now := time.Date(2026, 10, 24, 22, 0, 0, 0, ams)
	got := sandbox.NextMorning(now, ams, 8)
	if want := time.Date(2026, 10, 25, 8, 0, 0, 0, ams); !got.Equal(want) || got.In(ams).Hour() != 8 {
		t.Errorf("NextMorning(%v) = %v, want %v", now, got, want)
	}
}

// TestJumpIsMorningInYourZone: "Jump to tomorrow 08:00" is 08:00 tomorrow
// where the person who pressed it is, and the answer says so in their words.
func TestJumpIsMorningInYourZone(t *testing.T) {
	f := newFixture(t)
	f.sim.AddUser(slacksim.User{ID: "U0LONDON1", Name: "sarah", TZ: "Europe/London", Locale: "en-GB"})
	clock := sandbox.NewClock(nil)
	srv := httptest.NewServer(sandbox.New(f.sim, sandbox.Options{Clock: clock,
		Roles: map[string]string{director: "director", leader: "leader", "U0LONDON1": "director"}}))
	defer srv.Close()
	for _, c := range []struct {
		as, zone string
		lang     i18n.Lang
	}{
		{director, "Europe/Amsterdam", i18n.EN},
		{"U0LONDON1", "Europe/London", i18n.EN},
		{leader, "Europe/Amsterdam", i18n.NL},
	} {
		loc, err := time.LoadLocation(c.zone)
		if err != nil {
			t.Fatal(err)
		}
		want := sandbox.NextMorning(clock.Now(), loc, sandbox.MorningHour)
		res, err := http.Post(srv.URL+"/api/clock", "application/json", strings.NewReader(`{"as":"`+c.as+`","action":"tomorrow"}`))
		if err != nil {
			t.Fatal(err)
		}
		var out sandbox.ClockResult
		err = json.NewDecoder(res.Body).Decode(&out)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("POST /api/clock tomorrow as %s = %s, %v", c.as, res.Status, err)
		}
		got := clock.Now().In(loc)
		if got.Before(want) || got.Sub(want) > time.Minute || got.Hour() != sandbox.MorningHour {
			t.Errorf("clock after tomorrow as %s = %v, want about %v (08:00 in %s)", c.as, got, want, c.zone)
		}
		if note := c.lang.T("sandbox.jumped", c.lang.DateTime(want.In(loc))); out.Note != note {
			t.Errorf("note as %s = %q, want %q", c.as, out.Note, note)
		}
	}
}
