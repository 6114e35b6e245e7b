package coach_test

import (
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

func TestParseLeave(t *testing.T) {
	ams := mustLoc(t, "Europe/Amsterdam")
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, ams) // Monday
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, ams) }
	tests := []struct {
		in    string
		until time.Time // zero: an EINVALID error
	}{
		{"2w", day(12, 14)},
		{"2 w", day(12, 14)},
		{"2 weeks", day(12, 14)},
		{"1 week", day(12, 7)},
		{"10d", day(12, 10)},
		{"3 days", day(12, 3)},
		{"2 weken", day(12, 14)},
		{"until 2026-12-24", day(12, 25)},
		{"UNTIL 2026-12-24", day(12, 25)},
		{"until 2026-11-30", day(12, 1)}, // through today
		{"", time.Time{}},
		{"until", time.Time{}},
		{"until 2026-11-29", time.Time{}}, // passed
		{"until 24-12-2026", time.Time{}},
		{"until 2026-12-24 extra", time.Time{}},
		{"2y", time.Time{}},
		{"0d", time.Time{}},
		{"400d", time.Time{}},
		{"weeks", time.Time{}},
		{"2w3d", time.Time{}},
		{"<!channel>", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := coach.ParseLeave(strings.Fields(tt.in), now, ams)
			if tt.until.IsZero() {
				if coach.ErrorCode(err) != coach.EINVALID {
					t.Fatalf("ParseLeave(%q) = %v, %v; want EINVALID", tt.in, p, err)
				}
				msg := i18n.EN.Render(coach.ErrorMessage(err))
				if strings.Contains(msg, "<!") || !strings.Contains(msg, "/coach pause") {
					t.Errorf("ParseLeave(%q) message = %q, want an example and no raw input", tt.in, msg)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseLeave(%q) = %v", tt.in, err)
			}
			if !p.From.Equal(now) || !p.Until.Equal(tt.until) {
				t.Errorf("ParseLeave(%q) = %v..%v, want %v..%v", tt.in, p.From, p.Until, now, tt.until)
			}
		})
	}
}

func TestPauseAndResume(t *testing.T) {
	f := newPortalFix(t)
	ctx := t.Context()
	if _, err := f.portal.Pause(ctx, pMember, []string{"2w"}); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Fatalf("Pause(no director) = %v, want ENOTFOUND", err)
	}
	old := coach.Period{From: pStart.AddDate(0, -2, 0), Until: pStart.AddDate(0, -1, 0)}
	if err := f.db.PutDirector(ctx, coach.Director{ID: pMember, Leaders: []coach.UserID{"ULEAD0001"}, Leave: []coach.Period{old}}); err != nil {
		t.Fatal(err)
	}
	p, err := f.portal.Pause(ctx, pMember, []string{"1w"})
	if err != nil {
		t.Fatalf("Pause = %v", err)
	}
	f.clock.Add(48 * time.Hour)
	p2, err := f.portal.Pause(ctx, pMember, []string{"until", "2026-12-24"})
	if err != nil {
		t.Fatalf("Pause again = %v", err)
	}
	if !p2.From.Equal(p.From) {
		t.Errorf("Pause while on leave From = %v, want the running leave's %v", p2.From, p.From)
	}
	d, _ := f.db.Director(ctx, pMember)
	if len(d.Leave) != 2 || !d.Leave[0].From.Equal(old.From) || !d.OnLeave(f.clock.Now()) {
		t.Fatalf("leave after two pauses = %+v, want the old one and one running", d.Leave)
	}
	if err := f.portal.Resume(ctx, pMember); err != nil {
		t.Fatalf("Resume = %v", err)
	}
	d, _ = f.db.Director(ctx, pMember)
	if d.OnLeave(f.clock.Now()) || len(d.Leave) != 2 || !d.Leave[1].Until.Equal(f.clock.Now()) {
		t.Errorf("leave after Resume = %+v, want it ended now and the past kept", d.Leave)
	}
	if err := f.portal.Resume(ctx, pMember); coach.ErrorCode(err) != coach.ECONFLICT {
		t.Errorf("Resume when not on leave = %v, want ECONFLICT", err)
	}
}

func TestLanguage(t *testing.T) {
	f := newPortalFix(t)
	ctx := t.Context()
	for _, bad := range [][]string{nil, {"de"}, {"nl", "en"}} {
		if _, err := coach.ParseLanguage(bad); coach.ErrorCode(err) != coach.EINVALID {
			t.Errorf("ParseLanguage(%q) = %v, want EINVALID", bad, err)
		}
	}
	l, err := coach.ParseLanguage([]string{"NL"})
	if err != nil || l != i18n.NL {
		t.Fatalf("ParseLanguage(NL) = %q, %v", l, err)
	}
	if err := f.portal.SetLanguage(ctx, pMember, l); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.db.Prefs(ctx, pMember); p.Lang != i18n.NL {
		t.Errorf("Prefs after SetLanguage(nl) = %+v", p)
	}
}

func FuzzParseLeave(f *testing.F) {
	for _, s := range []string{"2w", "10 days", "until 2026-12-24", "", "until", "0d", "999w", "1 weken", "until 2026-02-30"} {
		f.Add(s)
	}
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, ams)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := coach.ParseLeave(strings.Fields(s), now, ams)
		if err != nil {
			if coach.ErrorCode(err) != coach.EINVALID {
				t.Fatalf("ParseLeave(%q) code = %q, want EINVALID", s, coach.ErrorCode(err))
			}
			return
		}
		if !p.From.Equal(now) || !p.Until.After(now) || p.Until.Sub(now) > coach.MaxLeave {
			t.Fatalf("ParseLeave(%q) = %v..%v, want a period from now of at most MaxLeave", s, p.From, p.Until)
		}
	})
}
