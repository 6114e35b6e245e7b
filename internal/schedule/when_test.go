package schedule_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/schedule"
)

func TestParseWhenCanonical(t *testing.T) {
	tests := []struct{ in, want string }{
		{"daily 08:45", "daily 08:45"},
		{"  Daily   8:05 ", "daily 08:05"},
		{"weekdays 08:45", "weekdays 08:45"},
		{"mon-fri 08:45", "weekdays 08:45"},
		{"mon,tue,wed,thu,fri,sat,sun 07:00", "daily 07:00"},
		{"mon,wed,fri 08:45", "mon,wed,fri 08:45"},
		{"fri,mon,wed 08:45", "mon,wed,fri 08:45"},
		{"MON-WED,sat 23:59", "mon,tue,wed,sat 23:59"},
		{"fri-mon 09:00", "mon,fri,sat,sun 09:00"},
		{"sat,sun 10:00", "sat,sun 10:00"},
		{"fri 15:00", "weekly fri 15:00"},
		{"weekly fri 15:00", "weekly fri 15:00"},
		{"weekly Friday 15:00", "weekly fri 15:00"},
		{"monthly first mon 09:00", "monthly first mon 09:00"},
		{"monthly last fri 16:30", "monthly last fri 16:30"},
		{"monthly fourth sun 00:00", "monthly fourth sun 00:00"},
		{"monthly first workday 09:00", "monthly first workday 09:00"},
		{"Monthly LAST Workday 7:05", "monthly last workday 07:05"},
		{"monthly second workday 10:00", "monthly second workday 10:00"},
		{"quarterly second mon 09:00", "quarterly second mon 09:00"},
		{"Quarterly LAST workday 16:00", "quarterly last workday 16:00"},
		{`cron "0 9 * * 1-5"`, `cron "0 9 * * 1-5"`},
		{`cron 30 8 1 * *`, `cron "30 8 1 * *"`},
		{`cron " 0 9 * * 1-5 "`, `cron "0 9 * * 1-5"`},
		{`cron “0  9 * * mon,wed”`, `cron "0 9 * * mon,wed"`},
		{`CRON "0 9 29 2 *"`, ""}, // rejected: once in four years (see the error table)
	}
	for _, tt := range tests {
		if tt.want == "" {
			continue
		}
		t.Run(tt.in, func(t *testing.T) {
			r, err := schedule.ParseWhen(tt.in)
			if err != nil {
				t.Fatalf("ParseWhen(%q) error %v", tt.in, err)
			}
			if got := r.String(); got != tt.want {
				t.Errorf("ParseWhen(%q).String() = %q, want %q", tt.in, got, tt.want)
			}
			again, err := schedule.ParseWhen(r.String())
			if err != nil || again != r {
				t.Errorf("ParseWhen(%q) = %v, %v; want the same rule back", r.String(), again, err)
			}
		})
	}
}

func TestParseWhenErrors(t *testing.T) {
	tests := []struct{ in, key string }{
		{"", "schedule.when.empty"},
		{"   ", "schedule.when.empty"},
		{"sometimes", "schedule.when.unknown"},
		{"daily", "schedule.when.unknown"},
		{"daily 8", "schedule.when.time"},
		{"daily 24:00", "schedule.when.time"},
		{"daily 08:60", "schedule.when.time"},
		{"daily 8:5", "schedule.when.time"},
		{"daily ８:４５", "schedule.when.time"},
		{"weekdays 08:45pm", "schedule.when.time"},
		{"weekly funday 08:00", "schedule.when.day"},
		{"mon,funday 08:00", "schedule.when.day"},
		{"mon-xyz 08:00", "schedule.when.day"},
		{"monthly fifth mon 09:00", "schedule.when.nth"},
		{"monthly first moon 09:00", "schedule.when.day"},
		{"monthly fifth workday 09:00", "schedule.when.nth"},
		{"monthly first workday 9", "schedule.when.time"},
		{"monthly first workdays 09:00", "schedule.when.day"},
		{"weekly workday 09:00", "schedule.when.day"},
		{"quarterly fifth mon 09:00", "schedule.when.nth"},
		{"quarterly first mon", "schedule.when.unknown"},
		{`cron ""`, "schedule.when.cron_fields"},
		{`cron "0 9 * *"`, "schedule.when.cron_fields"},
		{`cron "0 0 9 * * *"`, "schedule.when.cron_fields"},
		{`cron "TZ=UTC"`, "schedule.when.cron_tz"},
		{`cron "TZ="`, "schedule.when.cron_tz"},
		{`cron "CRON_TZ="`, "schedule.when.cron_tz"},
		{`cron "CRON_TZ=Europe/Paris"`, "schedule.when.cron_tz"},
		{`cron "CRON_TZ=Bogus/Zone 0 9 * * *"`, "schedule.when.cron_tz"},
		{`cron "@every 1s"`, "schedule.when.cron_descriptor"},
		{`cron "@every -5m"`, "schedule.when.cron_descriptor"},
		{`cron "@daily"`, "schedule.when.cron_descriptor"},
		{`cron "* * * * *"`, "schedule.when.cron_often"},
		{`cron "*/5 9 * * *"`, "schedule.when.cron_often"},
		{`cron "0 9-17 * * *"`, "schedule.when.cron_often"},
		{`cron "0,30 9 * * *"`, "schedule.when.cron_often"},
		{`cron "0 0 30 2 *"`, "schedule.when.cron_never"},
		{`cron "0 9 29 2 *"`, "schedule.when.cron_never"},
		{`cron "0 9 31 4 *"`, "schedule.when.cron_never"},
		{`cron "0 9 * * 7"`, "schedule.when.cron_invalid"},
		{`cron "0 25 * * *"`, "schedule.when.cron_invalid"},
		{`cron "0 ٩ * * *"`, "schedule.when.cron_invalid"},
		{`cron "x y z a b"`, "schedule.when.cron_invalid"},
		{`cron "0 9 * * ` + strings.Repeat(" ", 70) + `1-5"`, "schedule.when.too_long"},
		{"cron " + strings.Repeat("1", 100), "schedule.when.too_long"},
		{strings.Repeat("daily ", 2000), "schedule.when.too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := schedule.ParseWhen(tt.in)
			e, ok := errors.AsType[*coach.Error](err)
			if !ok {
				t.Fatalf("ParseWhen(%q) = %v, %v; want a *coach.Error", tt.in, r, err)
			}
			if e.Code != coach.EINVALID || e.Msg.Key != tt.key {
				t.Errorf("ParseWhen(%q) error = %s %s, want %s %s", tt.in, e.Code, e.Msg.Key, coach.EINVALID, tt.key)
			}
			for _, l := range i18n.Langs() {
				if got := l.Render(e.Msg); got == e.Msg.Key || !strings.Contains(got, "`") {
					t.Errorf("%s.Render(%s) = %q, want a text with an example", l, e.Msg.Key, got)
				}
			}
		})
	}
}

// dstCase is one rule in one zone from one instant: the next send instants,
// in UTC.
type dstCase struct {
	name, when, zone, after string
	want                    []string
}

func TestNextAcrossDST(t *testing.T) {
	const (
		ams = "Europe/Amsterdam"    // 2026-03-29 02:00 -> 03:00; 2026-10-25 03:00 -> 02:00
		nyc = "America/New_York"    // 2026-03-08 02:00 -> 03:00; 2026-11-01 02:00 -> 01:00
		lhi = "Australia/Lord_Howe" // 2026-04-05 02:00 -> 01:30; 2026-10-04 02:00 -> 02:30
	)
	tests := []dstCase{
		// Amsterdam
		{"ams daily gap", "daily 02:30", ams, "2026-03-27T12:00:00Z",
			[]string{"2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z", "2026-03-31T00:30:00Z"}},
		{"ams daily overlap", "daily 02:30", ams, "2026-10-23T12:00:00Z",
			[]string{"2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z", "2026-10-27T01:30:00Z"}},
		{"ams daily normal time", "daily 09:00", ams, "2026-03-28T12:00:00Z",
			[]string{"2026-03-29T07:00:00Z", "2026-03-30T07:00:00Z"}},
		{"ams weekdays spring", "weekdays 08:45", ams, "2026-03-26T12:00:00Z",
			[]string{"2026-03-27T07:45:00Z", "2026-03-30T06:45:00Z", "2026-03-31T06:45:00Z"}},
		{"ams weekdays autumn", "weekdays 08:45", ams, "2026-10-22T12:00:00Z",
			[]string{"2026-10-23T06:45:00Z", "2026-10-26T07:45:00Z"}},
		{"ams weekly gap", "weekly sun 02:30", ams, "2026-03-20T00:00:00Z",
			[]string{"2026-03-22T01:30:00Z", "2026-03-29T01:00:00Z", "2026-04-05T00:30:00Z"}},
		{"ams weekly overlap", "weekly sun 02:30", ams, "2026-10-17T00:00:00Z",
			[]string{"2026-10-18T00:30:00Z", "2026-10-25T00:30:00Z", "2026-11-01T01:30:00Z"}},
		{"ams monthly gap", "monthly last sun 02:30", ams, "2026-02-01T00:00:00Z",
			[]string{"2026-02-22T01:30:00Z", "2026-03-29T01:00:00Z", "2026-04-26T00:30:00Z"}},
		{"ams monthly overlap", "monthly last sun 02:30", ams, "2026-09-01T00:00:00Z",
			[]string{"2026-09-27T00:30:00Z", "2026-10-25T00:30:00Z", "2026-11-29T01:30:00Z"}},
		// New York
		{"nyc daily gap", "daily 02:30", nyc, "2026-03-06T12:00:00Z",
			[]string{"2026-03-07T07:30:00Z", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"}},
		{"nyc daily overlap", "daily 01:30", nyc, "2026-10-30T12:00:00Z",
			[]string{"2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"}},
		{"nyc daily between the two 01:30s", "daily 01:30", nyc, "2026-11-01T06:00:00Z",
			[]string{"2026-11-02T06:30:00Z"}},
		{"nyc weekdays spring", "weekdays 08:45", nyc, "2026-03-05T18:00:00Z",
			[]string{"2026-03-06T13:45:00Z", "2026-03-09T12:45:00Z"}},
		{"nyc weekdays autumn", "weekdays 08:45", nyc, "2026-10-29T18:00:00Z",
			[]string{"2026-10-30T12:45:00Z", "2026-11-02T13:45:00Z"}},
		{"nyc weekly gap", "weekly sun 02:30", nyc, "2026-03-01T12:00:00Z",
			[]string{"2026-03-08T07:00:00Z", "2026-03-15T06:30:00Z"}},
		{"nyc weekly overlap", "weekly sun 01:30", nyc, "2026-10-26T00:00:00Z",
			[]string{"2026-11-01T05:30:00Z", "2026-11-08T06:30:00Z"}},
		{"nyc monthly gap", "monthly second sun 02:30", nyc, "2026-02-01T00:00:00Z",
			[]string{"2026-02-08T07:30:00Z", "2026-03-08T07:00:00Z", "2026-04-12T06:30:00Z"}},
		{"nyc first workday spring", "monthly first workday 08:45", nyc, "2026-02-15T00:00:00Z",
			[]string{"2026-03-02T13:45:00Z", "2026-04-01T12:45:00Z"}},
		{"nyc monthly overlap", "monthly first sun 01:30", nyc, "2026-10-01T00:00:00Z",
			[]string{"2026-10-04T05:30:00Z", "2026-11-01T05:30:00Z", "2026-12-06T06:30:00Z"}},
		{"ams first workday", "monthly first workday 09:00", ams, "2026-02-15T00:00:00Z",
			[]string{"2026-03-02T08:00:00Z", "2026-04-01T07:00:00Z", "2026-05-01T07:00:00Z"}},
		{"ams first workday autumn", "monthly first workday 09:00", ams, "2026-09-15T00:00:00Z",
			[]string{"2026-10-01T07:00:00Z", "2026-11-02T08:00:00Z", "2026-12-01T08:00:00Z"}},
		{"ams quarterly across both changes", "quarterly first workday 09:00", ams, "2026-01-15T00:00:00Z",
			[]string{"2026-04-01T07:00:00Z", "2026-07-01T07:00:00Z", "2026-10-01T07:00:00Z", "2027-01-01T08:00:00Z"}},
		{"nyc cron gap", `cron "30 2 8 3 *"`, nyc, "2026-01-01T00:00:00Z",
			[]string{"2026-03-08T07:00:00Z", "2027-03-08T07:30:00Z"}},
		// Lord Howe: a 30-minute shift
		{"lhi daily overlap", "daily 01:45", lhi, "2026-04-02T00:00:00Z",
			[]string{"2026-04-02T14:45:00Z", "2026-04-03T14:45:00Z", "2026-04-04T14:45:00Z", "2026-04-05T15:15:00Z"}},
		{"lhi daily gap", "daily 02:15", lhi, "2026-10-01T00:00:00Z",
			[]string{"2026-10-01T15:45:00Z", "2026-10-02T15:45:00Z", "2026-10-03T15:30:00Z", "2026-10-04T15:15:00Z"}},
		{"lhi weekdays autumn", "weekdays 08:45", lhi, "2026-04-01T12:00:00Z",
			[]string{"2026-04-01T21:45:00Z", "2026-04-02T21:45:00Z", "2026-04-05T22:15:00Z"}},
		{"lhi weekdays spring", "weekdays 08:45", lhi, "2026-09-30T12:00:00Z",
			[]string{"2026-09-30T22:15:00Z", "2026-10-01T22:15:00Z", "2026-10-04T21:45:00Z"}},
		{"lhi weekly overlap", "weekly sun 01:45", lhi, "2026-03-28T00:00:00Z",
			[]string{"2026-03-28T14:45:00Z", "2026-04-04T14:45:00Z", "2026-04-11T15:15:00Z"}},
		{"lhi weekly gap", "weekly sun 02:15", lhi, "2026-09-26T00:00:00Z",
			[]string{"2026-09-26T15:45:00Z", "2026-10-03T15:30:00Z", "2026-10-10T15:15:00Z"}},
		{"lhi monthly gap", "monthly first sun 02:15", lhi, "2026-09-01T00:00:00Z",
			[]string{"2026-09-05T15:45:00Z", "2026-10-03T15:30:00Z", "2026-10-31T15:15:00Z"}},
		{"lhi monthly overlap", "monthly first sun 01:45", lhi, "2026-03-01T00:00:00Z",
			[]string{"2026-04-04T14:45:00Z", "2026-05-02T15:15:00Z", "2026-06-06T15:15:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkPreview(t, tt) })
	}
}

func checkPreview(t *testing.T, tt dstCase) {
	t.Helper()
	loc := mustZone(t, tt.zone)
	r := schedule.MustParseWhen(tt.when)
	after := mustTime(t, tt.after)
	got := r.Preview(after, loc, len(tt.want))
	var gotS []string
	for _, g := range got {
		gotS = append(gotS, g.UTC().Format(time.RFC3339))
		if g.Location() != loc {
			t.Errorf("Preview(%s) returned %v in %v, want it in %v", tt.after, g, g.Location(), loc)
		}
	}
	if strings.Join(gotS, " ") != strings.Join(tt.want, " ") {
		t.Errorf("%q.Preview(%s, %s, %d) =\n  %v, want\n  %v", tt.when, tt.after, tt.zone, len(tt.want), gotS, tt.want)
	}
	// Next is strictly after: asking from an occurrence gives the following one.
	for i := 0; i+1 < len(got); i++ {
		if n := r.Next(got[i], loc); !n.Equal(got[i+1]) {
			t.Errorf("%q.Next(%v) = %v, want %v", tt.when, got[i], n, got[i+1])
		}
	}
}

func TestNextDays(t *testing.T) {
	tests := []dstCase{
		{"weekdays skip the weekend", "weekdays 09:00", "UTC", "2026-11-27T09:00:00Z", // a Friday
			[]string{"2026-11-30T09:00:00Z", "2026-12-01T09:00:00Z"}},
		{"day list", "mon,wed,fri 08:45", "UTC", "2026-11-29T00:00:00Z",
			[]string{"2026-11-30T08:45:00Z", "2026-12-02T08:45:00Z", "2026-12-04T08:45:00Z", "2026-12-07T08:45:00Z"}},
		{"later today", "daily 09:00", "UTC", "2026-11-29T08:59:59Z", []string{"2026-11-29T09:00:00Z"}},
		{"at the time itself", "daily 09:00", "UTC", "2026-11-29T09:00:00Z", []string{"2026-11-30T09:00:00Z"}},
		{"monthly first", "monthly first mon 09:00", "UTC", "2026-11-29T00:00:00Z",
			[]string{"2026-12-07T09:00:00Z", "2027-01-04T09:00:00Z", "2027-02-01T09:00:00Z"}},
		{"monthly fourth", "monthly fourth thu 09:00", "UTC", "2026-11-01T00:00:00Z",
			[]string{"2026-11-26T09:00:00Z", "2026-12-24T09:00:00Z"}},
		{"monthly last", "monthly last mon 09:00", "UTC", "2026-11-29T00:00:00Z",
			[]string{"2026-11-30T09:00:00Z", "2026-12-28T09:00:00Z", "2027-01-25T09:00:00Z"}},
		// A month that starts on a weekend has its first working day on
		// the Monday after: August 2026 starts on a Saturday, November
		// 2026 and February 2026 on a Sunday.
		{"first workday after a weekend start", "monthly first workday 09:00", "UTC", "2026-07-15T00:00:00Z",
			[]string{"2026-08-03T09:00:00Z", "2026-09-01T09:00:00Z", "2026-10-01T09:00:00Z", "2026-11-02T09:00:00Z"}},
		{"first workday after a sunday start", "monthly first workday 09:00", "UTC", "2026-01-15T00:00:00Z",
			[]string{"2026-02-02T09:00:00Z", "2026-03-02T09:00:00Z"}},
		{"first workday on the 1st itself", "monthly first workday 09:00", "UTC", "2026-08-31T12:00:00Z",
			[]string{"2026-09-01T09:00:00Z"}},
		{"second workday", "monthly second workday 09:00", "UTC", "2026-07-15T00:00:00Z",
			[]string{"2026-08-04T09:00:00Z", "2026-09-02T09:00:00Z", "2026-10-02T09:00:00Z", "2026-11-03T09:00:00Z"}},
		{"last workday before a weekend end", "monthly last workday 16:00", "UTC", "2026-10-01T00:00:00Z",
			[]string{"2026-10-30T16:00:00Z", "2026-11-30T16:00:00Z", "2026-12-31T16:00:00Z", "2027-01-29T16:00:00Z"}},
		{"quarterly: january, april, july and october", "quarterly second mon 09:00", "UTC", "2026-02-01T00:00:00Z",
			[]string{"2026-04-13T09:00:00Z", "2026-07-13T09:00:00Z", "2026-10-12T09:00:00Z", "2027-01-11T09:00:00Z"}},
		{"quarterly first workday", "quarterly first workday 09:00", "UTC", "2026-09-15T00:00:00Z",
			[]string{"2026-10-01T09:00:00Z", "2027-01-01T09:00:00Z", "2027-04-01T09:00:00Z"}},
		{"cron dom or dow", `cron "0 9 1 * mon"`, "UTC", "2026-11-29T00:00:00Z", // both restricted: either
			[]string{"2026-11-30T09:00:00Z", "2026-12-01T09:00:00Z", "2026-12-07T09:00:00Z"}},
		{"cron dom and star dow", `cron "15 7 31 * *"`, "UTC", "2026-11-29T00:00:00Z",
			[]string{"2026-12-31T07:15:00Z", "2027-01-31T07:15:00Z", "2027-03-31T07:15:00Z"}},
		{"cron month", `cron "0 9 * dec mon-fri"`, "UTC", "2026-12-30T12:00:00Z",
			[]string{"2026-12-31T09:00:00Z", "2027-12-01T09:00:00Z"}},
		{"zone ahead of UTC", "daily 08:00", "Asia/Tokyo", "2026-11-29T00:00:00Z",
			[]string{"2026-11-29T23:00:00Z", "2026-11-30T23:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkPreview(t, tt) })
	}
}

func TestZeroRuleNeverFires(t *testing.T) {
	var r schedule.Rule
	if got := r.Next(time.Now(), time.UTC); !got.IsZero() {
		t.Errorf("Rule{}.Next = %v, want the zero time", got)
	}
	if got := r.Preview(time.Now(), nil, 3); len(got) != 0 {
		t.Errorf("Rule{}.Preview = %v, want none", got)
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("time.Parse(%q): %v", s, err)
	}
	return v
}
