package coach_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

func month(t testing.TB, s string) coach.Month {
	t.Helper()
	m, ok := coach.ParseMonth(s)
	if !ok {
		t.Fatalf("bad test month %q", s)
	}
	return m
}

func TestMonth(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{{"2026-11", true}, {"0999-01", false}, {"2026-13", false}, {"2026-1", false}, {"2026-11-01", false}, {"", false}, {"nov", false}} {
		m, ok := coach.ParseMonth(tt.in)
		if ok != tt.ok || (ok && m.String() != tt.in) {
			t.Errorf("ParseMonth(%q) = %v, %v; want ok %v and the same text back", tt.in, m, ok, tt.ok)
		}
	}
	nov := month(t, "2026-11")
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "2026-11"}, {1, "2026-12"}, {2, "2027-01"}, {-11, "2025-12"}, {-23, "2024-12"}} {
		if got := nov.Add(tt.n).String(); got != tt.want {
			t.Errorf("2026-11 + %d months = %s, want %s", tt.n, got, tt.want)
		}
	}
	if !nov.Before(month(t, "2026-12")) || !nov.After(month(t, "2025-12")) || nov.Compare(nov) != 0 {
		t.Errorf("Month comparisons are wrong around %s", nov)
	}
	if got := coach.MonthOf(date(t, "2026-11-30")); got != nov || got.First() != date(t, "2026-11-01") {
		t.Errorf("MonthOf(2026-11-30) = %s (first %s), want 2026-11 from the 1st", got, got.First())
	}
	if (coach.Month{}).String() != "" || !(coach.Month{}).IsZero() || coach.NewMonth(2026, 13) != month(t, "2027-01") {
		t.Errorf("zero Month or NewMonth normalisation is wrong")
	}
	if nov.NameKey() != "format.month.november" {
		t.Errorf("NameKey = %q", nov.NameKey())
	}
}

func TestValidateCheckInAnswer(t *testing.T) {
	long := strings.Repeat("x", coach.MaxCheckInNote+1)
	note := func(s string, private bool) *coach.CheckInNote { return &coach.CheckInNote{Text: s, Private: private} }
	tests := []struct {
		name  string
		in    coach.CheckInAnswer
		field coach.FormField // "" = valid; "-" = invalid naming no field
		key   string
		want  coach.CheckInAnswer
	}{
		{"needed alone", coach.CheckInAnswer{Needed: coach.Facilitating}, "", "", coach.CheckInAnswer{Needed: coach.Facilitating}},
		{"got alone", coach.CheckInAnswer{Got: coach.Directing}, "", "", coach.CheckInAnswer{Got: coach.Directing}},
		{"a note, cleaned", coach.CheckInAnswer{Note: note("  the Monday\u200b numbers\r\n", true)}, "", "",
			coach.CheckInAnswer{Note: note("the Monday numbers", true)}},
		{"an empty note clears, and is not private", coach.CheckInAnswer{Note: note("   ", true)}, "", "",
			coach.CheckInAnswer{Note: note("", false)}},
		{"a note of the longest length", coach.CheckInAnswer{Note: note(long[1:], false)}, "", "", coach.CheckInAnswer{Note: note(long[1:], false)}},
		{"a style that is not one of the four", coach.CheckInAnswer{Needed: "micromanaging"}, coach.FieldNeeded, "checkin.err.bad_style", coach.CheckInAnswer{}},
		{"a style by its Dutch name", coach.CheckInAnswer{Got: "sturen"}, coach.FieldGot, "checkin.err.bad_style", coach.CheckInAnswer{}},
		{"a note too long", coach.CheckInAnswer{Needed: coach.Coaching, Note: note(long, false)}, coach.FieldNote, "checkin.err.note_long", coach.CheckInAnswer{}},
		{"nothing", coach.CheckInAnswer{}, "-", "checkin.err.nothing", coach.CheckInAnswer{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := coach.ValidateCheckInAnswer(tt.in)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("ValidateCheckInAnswer = %v, want it valid", err)
				}
				if got.Needed != tt.want.Needed || got.Got != tt.want.Got || (got.Note == nil) != (tt.want.Note == nil) ||
					(got.Note != nil && *got.Note != *tt.want.Note) {
					t.Errorf("ValidateCheckInAnswer = %+v (note %+v), want %+v (note %+v)", got, got.Note, tt.want, tt.want.Note)
				}
				return
			}
			if coach.ErrorCode(err) != coach.EINVALID || coach.ErrorMessage(err).Key != tt.key {
				t.Fatalf("ValidateCheckInAnswer = %v, want EINVALID %s", err, tt.key)
			}
			f, ok := coach.FieldOf(err)
			if tt.field == "-" && ok || tt.field != "-" && f != tt.field {
				t.Errorf("field of %v = %q, %v; want %q", err, f, ok, tt.field)
			}
		})
	}
}

func TestCheckInApply(t *testing.T) {
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	c := coach.CheckIn{Pair: coach.Pair{Director: director, Leader: leader}, Month: month(t, "2026-11")}
	c = c.Apply(coach.CheckInAnswer{Needed: coach.Facilitating}, at)
	if c.IsAnswered() || !c.Answered.IsZero() || !c.Opened.Equal(at) || !c.Updated.Equal(at) {
		t.Fatalf("after needed only: %+v, want opened, not answered", c)
	}
	if _, ok := c.Shared(); ok {
		t.Errorf("a half-answered check-in is shared with the director")
	}
	c = c.Apply(coach.CheckInAnswer{Got: coach.Directing, Note: &coach.CheckInNote{Text: "the numbers", Private: true}}, at.Add(time.Minute))
	if !c.IsAnswered() || !c.Differs() || !c.Answered.Equal(at.Add(time.Minute)) || !c.Opened.Equal(at) || !c.Private {
		t.Fatalf("after got and a private note: %+v", c)
	}
	s, ok := c.Shared()
	if !ok || s.Note != "" || s.Needed != coach.Facilitating || s.Got != coach.Directing || s.Month != c.Month {
		t.Errorf("Shared = %+v, %v; want the styles and no private note", s, ok)
	}
	// A second answer changes what it gives and keeps the first answer's time.
	c = c.Apply(coach.CheckInAnswer{Got: coach.Facilitating, Note: &coach.CheckInNote{Text: "shared now"}}, at.Add(time.Hour))
	if c.Differs() || !c.Answered.Equal(at.Add(time.Minute)) || !c.Updated.Equal(at.Add(time.Hour)) || c.SharedNote() != "shared now" {
		t.Errorf("after a change: %+v", c)
	}
	if got := coach.SharedCheckIns([]coach.CheckIn{c, {Month: month(t, "2026-10")}}); len(got) != 1 || got[0].Note != "shared now" {
		t.Errorf("SharedCheckIns = %+v, want the answered one with its shared note", got)
	}
}

func TestCheckMonth(t *testing.T) {
	now := month(t, "2026-12")
	for _, tt := range []struct {
		m    string
		code string
		key  string
	}{
		{"2026-12", "", ""},
		{"2026-11", "", ""}, // the month after is still open
		{"2026-10", coach.ECONFLICT, "checkin.err.closed"},
		{"2027-01", coach.EINVALID, "checkin.err.future"},
		{"", coach.EINVALID, "checkin.err.no_month"},
	} {
		var m coach.Month
		if tt.m != "" {
			m = month(t, tt.m)
		}
		err := coach.CheckMonth(m, now)
		if coach.ErrorCode(err) != tt.code || (err != nil && coach.ErrorMessage(err).Key != tt.key) {
			t.Errorf("CheckMonth(%q, 2026-12) = %v, want %q %s", tt.m, err, tt.code, tt.key)
		}
	}
}

func TestContrast(t *testing.T) {
	pair := coach.Pair{Director: director, Leader: leader}
	sc := func(m string, needed, got coach.Style) coach.SharedCheckIn {
		return coach.SharedCheckIn{Pair: pair, Month: month(t, m), Needed: needed, Got: got}
	}
	F, D, C := coach.Facilitating, coach.Directing, coach.Coaching
	tests := []struct {
		name     string
		cs       []coach.SharedCheckIn
		latest   string
		gaps     []string
		run      int
		answered int
		line     string
	}{
		{"none", nil, "", nil, 0, 0, "checkin.contrast.none"},
		{"one that matched", []coach.SharedCheckIn{sc("2026-11", C, C)}, "2026-11", nil, 0, 1, "checkin.contrast.same"},
		{"one that differed", []coach.SharedCheckIn{sc("2026-11", F, D)}, "2026-11", []string{"2026-11"}, 1, 1, "checkin.contrast.differs"},
		{"a run of three, any order", []coach.SharedCheckIn{sc("2026-11", F, D), sc("2026-09", F, C), sc("2026-10", F, D)},
			"2026-11", []string{"2026-09", "2026-10", "2026-11"}, 3, 3, "checkin.contrast.run"},
		{"a month without an answer neither counts nor breaks", []coach.SharedCheckIn{sc("2026-08", F, D), sc("2026-11", F, D)},
			"2026-11", []string{"2026-08", "2026-11"}, 2, 2, "checkin.contrast.run"},
		{"a match ends the run", []coach.SharedCheckIn{sc("2026-09", F, D), sc("2026-10", F, D), sc("2026-11", F, F)},
			"2026-11", []string{"2026-09", "2026-10"}, 0, 3, "checkin.contrast.same"},
		{"a match before the run", []coach.SharedCheckIn{sc("2026-09", F, F), sc("2026-10", F, D), sc("2026-11", C, D)},
			"2026-11", []string{"2026-10", "2026-11"}, 2, 3, "checkin.contrast.run"},
		{"months before the window are left out", []coach.SharedCheckIn{sc("2025-11", F, D), sc("2026-11", F, D)},
			"2026-11", []string{"2026-11"}, 1, 1, "checkin.contrast.differs"},
	}
	from := month(t, "2025-12")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := coach.ContrastOf(tt.cs, from)
			var gaps []string
			for _, g := range c.Gaps {
				gaps = append(gaps, g.String())
			}
			if c.Latest.Month.String() != tt.latest || !slices.Equal(gaps, tt.gaps) || c.Run != tt.run || c.Answered != tt.answered ||
				c.Line().Key != tt.line || c.Any() != (tt.answered > 0) {
				t.Errorf("ContrastOf = latest %s, gaps %v, run %d, answered %d, line %s; want %s, %v, %d, %d, %s",
					c.Latest.Month, gaps, c.Run, c.Answered, c.Line().Key, tt.latest, tt.gaps, tt.run, tt.answered, tt.line)
			}
		})
	}
}

func TestCountCheckIns(t *testing.T) {
	p := func(d, l coach.UserID) coach.Pair { return coach.Pair{Director: d, Leader: l} }
	ci := func(pair coach.Pair, m string, needed, got coach.Style) coach.CheckIn {
		return coach.CheckIn{Pair: pair, Month: month(t, m), Needed: needed, Got: got, Note: "NOTECANARY", Private: true}
	}
	cs := []coach.CheckIn{
		ci(p(director, leader), "2026-12", coach.Facilitating, coach.Directing),
		ci(p(director, leader2), "2026-12", coach.Coaching, coach.Coaching),
		ci(p(other, leader), "2026-12", "", ""), // sent, not answered
		ci(p(director, leader), "2026-11", coach.Facilitating, coach.Directing),
		ci(p(director, leader), "2026-09", coach.Facilitating, coach.Directing), // outside the three months
		ci(p(director, leader), "2027-01", coach.Facilitating, coach.Directing), // not yet
	}
	got := coach.CountCheckIns(cs, month(t, "2026-12"))
	want := []coach.CheckInMonthCount{
		{Month: month(t, "2026-12"), Sent: 3, Answered: 2, Differs: 1},
		{Month: month(t, "2026-11"), Sent: 1, Answered: 1, Differs: 1},
		{Month: month(t, "2026-10")},
	}
	if !slices.Equal(got.Months, want) {
		t.Errorf("CountCheckIns = %+v\nwant %+v", got.Months, want)
	}
}

func TestValidateComment(t *testing.T) {
	for _, tt := range []struct {
		in, want, key string
	}{
		{"  I'd like to plan the week\r\n ", "I'd like to plan the week", ""},
		{"<!channel> hi", "<!channel> hi", ""}, // stored as typed; escaped where shown
		{" \u200b ", "", "comment.err.empty"},
		{strings.Repeat("y", coach.MaxCommentLen+1), "", "comment.err.too_long"},
	} {
		got, err := coach.ValidateComment(tt.in)
		if tt.key == "" && (err != nil || got != tt.want) {
			t.Errorf("ValidateComment(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if tt.key != "" {
			if f, _ := coach.FieldOf(err); coach.ErrorMessage(err).Key != tt.key || f != coach.FieldComment {
				t.Errorf("ValidateComment(%.20q) = %v, want %s on the comment field", tt.in, err, tt.key)
			}
		}
	}
}

func TestVoiceOfReadsOnlySharedParts(t *testing.T) {
	pair := coach.Pair{Director: director, Leader: leader}
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	cs := []coach.CheckIn{
		{Pair: pair, Month: month(t, "2026-11"), Needed: coach.Facilitating, Got: coach.Directing, Note: "SECRETCANARY", Private: true, Answered: at},
		{Pair: coach.Pair{Director: director, Leader: leader2}, Month: month(t, "2026-11"), Needed: coach.Coaching, Got: coach.Coaching},
		{Pair: pair, Month: month(t, "2026-12"), Needed: coach.Coaching}, // half answered: not shown
	}
	var cms []coach.Comment
	for i := range 5 {
		cms = append(cms, coach.Comment{Pair: pair, ID: "c" + string(rune('1'+i)), At: at.Add(time.Duration(i) * time.Hour), Text: "comment " + string(rune('a'+i))})
	}
	cms = append(cms, coach.Comment{Pair: pair, ID: "c9", At: at.Add(10 * time.Hour)}, // text removed by the retention
		coach.Comment{Pair: coach.Pair{Director: other, Leader: leader}, ID: "c8", At: at, Text: "to another director"})
	v := coach.VoiceOf(pair, cs, cms, month(t, "2026-01"))
	if v.Contrast.Answered != 1 || v.Contrast.Latest.Month != month(t, "2026-11") || v.Contrast.Latest.Note != "" || v.Contrast.Run != 1 {
		t.Errorf("VoiceOf contrast = %+v, want November's, without its private note", v.Contrast)
	}
	var texts []string
	for _, c := range v.Comments {
		texts = append(texts, c.Text)
	}
	if !slices.Equal(texts, []string{"comment e", "comment d", "comment c"}) || v.AllComments != 5 {
		t.Errorf("VoiceOf comments = %q of %d, want the 3 newest with text of 5", texts, v.AllComments)
	}
}

func TestPathForLeaderLeavesOutWhatTheDirectorSaw(t *testing.T) {
	p := coach.Path{Pair: coach.Pair{Director: director, Leader: leader}}.Set(pathIn(t, 0), time.Now(), date(t, "2026-12-07"))
	p = p.Apply(coach.ReviewInput{Rev: 1, Outcome: coach.Partly, Saw: "SAWCANARY"}, time.Now(), date(t, "2027-01-07"))
	got := p.ForLeader()
	if got.Reviews[0].Saw != "" || got.Reviews[0].Outcome != coach.Partly || got.Next != p.Next || got.Style() != p.Style() {
		t.Errorf("ForLeader = %+v, want the review's outcome without what the director saw", got.Reviews[0])
	}
	if p.Reviews[0].Saw != "SAWCANARY" {
		t.Errorf("ForLeader changed the path it was called on")
	}
}
