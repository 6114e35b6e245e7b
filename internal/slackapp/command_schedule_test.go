package slackapp_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
)

func TestParseScheduleAdd(t *testing.T) {
	tests := []struct {
		text string
		want coach.ScheduleRequest
	}{
		{"standup weekdays 08:45", coach.ScheduleRequest{Habit: coach.Standup, When: "weekdays 08:45", ToAll: true}},
		{"standup weekdays 08:45 to all", coach.ScheduleRequest{Habit: coach.Standup, When: "weekdays 08:45", ToAll: true}},
		{"Compliment mon,wed,fri 09:00 to <@U0DIR1|maarten> <@U0DIR2|sarah>",
			coach.ScheduleRequest{Habit: coach.Compliment, When: "mon,wed,fri 09:00", Directors: []coach.UserID{"U0DIR1", "U0DIR2"}}},
		{"question monthly first mon 09:00 to <@U0DIR1>,<@U0DIR1>",
			coach.ScheduleRequest{Habit: coach.Question, When: "monthly first mon 09:00", Directors: []coach.UserID{"U0DIR1"}}},
		{`gemba cron "30 8 * * 1-5" to all`, coach.ScheduleRequest{Habit: coach.Gemba, When: `cron "30 8 * * 1-5"`, ToAll: true}},
		{"checkin monthly third wed 10:00", coach.ScheduleRequest{Habit: coach.CheckInHabit, When: "monthly third wed 10:00", ToAll: true}},
		{"Check-in monthly last fri 15:00 to <@U0DIR1>", coach.ScheduleRequest{Habit: coach.CheckInHabit, When: "monthly last fri 15:00", Directors: []coach.UserID{"U0DIR1"}}},
	}
	for _, tt := range tests {
		got, err := slackapp.ParseScheduleAdd(tt.text)
		if err != nil {
			t.Errorf("ParseScheduleAdd(%q) = %v", tt.text, err)
			continue
		}
		if got.Habit != tt.want.Habit || got.When != tt.want.When || got.ToAll != tt.want.ToAll || !slices.Equal(got.Directors, tt.want.Directors) {
			t.Errorf("ParseScheduleAdd(%q) = %+v, want %+v", tt.text, got, tt.want)
		}
	}

	bad := []struct{ text, key string }{
		{"", "sched.err.no_habit"},
		{"yoga daily 08:00", "sched.err.habit"},
		{"standup", "sched.err.no_when"},
		{"standup to all", "sched.err.no_when"},
		{"standup daily 08:00 to", "sched.err.no_target"},
		{"standup daily 08:00 to bob", "sched.err.target"},
		{"standup daily 08:00 to <!channel>", "sched.err.target"},
	}
	for _, tt := range bad {
		_, err := slackapp.ParseScheduleAdd(tt.text)
		var e *coach.Error
		if !errors.As(err, &e) || e.Code != coach.EINVALID || e.Msg.Key != tt.key {
			t.Errorf("ParseScheduleAdd(%q) = %v, want EINVALID %s", tt.text, err, tt.key)
			continue
		}
		if msg := i18n.EN.Render(e.Msg); !strings.Contains(msg, "/coach") {
			t.Errorf("ParseScheduleAdd(%q) message %q shows no example", tt.text, msg)
		}
	}
}

func TestParseScheduleID(t *testing.T) {
	for in, want := range map[string]coach.ScheduleID{"s3": "s3", "S12": "s12", " 7 ": "s7"} {
		if got, err := slackapp.ParseScheduleID(in); err != nil || got != want {
			t.Errorf("ParseScheduleID(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, quoted := range map[string]string{"": "``", "x3": "`x3`", "3A": "`s3a`", "<!here>": "`&lt;!here&gt;`"} {
		_, err := slackapp.ParseScheduleID(in)
		if coach.ErrorCode(err) != coach.EINVALID {
			t.Fatalf("ParseScheduleID(%q) = %v, want EINVALID", in, err)
		}
		if msg := i18n.EN.Render(coach.ErrorMessage(err)); !strings.Contains(msg, quoted) {
			t.Errorf("ParseScheduleID(%q) says %q, want it to quote %s", in, msg, quoted)
		}
	}
}

func FuzzParseScheduleAdd(f *testing.F) {
	for _, s := range []string{"standup weekdays 08:45 to all", `gemba cron "0 9 * * 1" to <@U1AB|x>`,
		"compliment mon,wed,fri 09:00 to <@U0DIR1> <@U0DIR2>", "to to to", "standup daily 08:00 to <!channel>", "\u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		req, err := slackapp.ParseScheduleAdd(text)
		if err != nil {
			if coach.ErrorCode(err) != coach.EINVALID {
				t.Fatalf("ParseScheduleAdd(%q) = %v, want EINVALID", text, err)
			}
			return
		}
		if _, ok := coach.ParseHabit(string(req.Habit)); !ok || req.When == "" {
			t.Fatalf("ParseScheduleAdd(%q) accepted %+v", text, req)
		}
		if req.ToAll == (len(req.Directors) > 0) {
			t.Fatalf("ParseScheduleAdd(%q) = %+v: targets must be all or a list", text, req)
		}
		for _, d := range req.Directors {
			if _, ok := coach.ParseUserID(string(d)); !ok {
				t.Fatalf("ParseScheduleAdd(%q) accepted target %q", text, d)
			}
		}
	})
}
