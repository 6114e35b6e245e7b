package coach_test

import (
	"slices"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
)

func TestDescribeAudit(t *testing.T) {
	tests := []struct {
		action, detail string
		want           coach.AuditEvent // Action is filled in from action
	}{
		{"director.add", "UDIR1 leaders=ULEAD1,ULEAD2", coach.AuditEvent{Known: true, Subject: "UDIR1", Users: []coach.UserID{"ULEAD1", "ULEAD2"}}},
		{"director.add", "UDIR1 leaders=", coach.AuditEvent{}},
		{"director.add", "UDIR1", coach.AuditEvent{}},
		{"director.remove", "UDIR1", coach.AuditEvent{Known: true, Subject: "UDIR1"}},
		{"admin.add", "bob", coach.AuditEvent{}},
		{"channel.set", "CKUDOS1", coach.AuditEvent{Known: true, Channel: "CKUDOS1"}},
		{"prompt.send", "send|UDIR1|2026-12-06.1 habit=gemba", coach.AuditEvent{Known: true, Subject: "UDIR1", Habit: coach.Gemba}},
		{"prompt.send", "send|UDIR1|2026-12-06.1", coach.AuditEvent{Known: true, Subject: "UDIR1"}},
		{"prompt.send", "send|UDIR1|2026-12-06.1 habit=yoga", coach.AuditEvent{}},
		{"prompt.send", "send|UDIR1", coach.AuditEvent{}},
		{"schedule.add", `s3 standup cron "30 8 * * 1-5" to=all`, coach.AuditEvent{Known: true, Schedule: "s3", Habit: coach.Standup, When: `cron "30 8 * * 1-5"`, ToAll: true}},
		{"schedule.add", "s4 gemba weekdays 08:45 to=UDIR1,UDIR2", coach.AuditEvent{Known: true, Schedule: "s4", Habit: coach.Gemba, When: "weekdays 08:45", Users: []coach.UserID{"UDIR1", "UDIR2"}}},
		{"schedule.add", "s4 gemba weekdays 08:45", coach.AuditEvent{}},
		{"schedule.pause", "s4", coach.AuditEvent{Known: true, Schedule: "s4"}},
		{"schedule.remove", "x4", coach.AuditEvent{}},
		{"data.forget", "", coach.AuditEvent{Known: true}},
		{"data.forget", "paths=0", coach.AuditEvent{Known: true}},
		{"data.forget", "paths=2", coach.AuditEvent{Known: true, Paths: 2}},
		{"data.forget", "paths=-1", coach.AuditEvent{}},
		{"data.forget", "paths=02", coach.AuditEvent{}},
		{"data.forget", "paths=2 UDIR1", coach.AuditEvent{}},
		{"data.forget", "UDIR1", coach.AuditEvent{}},
		{"notes.expire", "answers=3 kudos=0 before=2026-01-01", coach.AuditEvent{Known: true, Answers: 3, Before: "2026-01-01"}},
		{"notes.expire", "answers=x kudos=0 before=2026-01-01", coach.AuditEvent{}},
		{"notes.expire", "answers=3 kudos=1 paths=2 before=2026-01-01", coach.AuditEvent{Known: true, Answers: 3, Kudos: 1, Paths: 2, Before: "2026-01-01"}},
		{"notes.expire", "answers=3 kudos=1 paths=x before=2026-01-01", coach.AuditEvent{}},
		{"notes.expire", "answers=3 kudos=1 paths=2 before=2026-01-01 more", coach.AuditEvent{}},
		{"notes.expire", "answers=3 kudos=1 paths=2 leader=4 before=2026-01-01", coach.AuditEvent{Known: true, Answers: 3, Kudos: 1, Paths: 2, Leader: 4, Before: "2026-01-01"}},
		{"notes.expire", "answers=3 kudos=1 paths=2 leaders=4 before=2026-01-01", coach.AuditEvent{}},
		{"notes.expire", "answers=3 kudos=1 paths=2 leader=-x before=2026-01-01", coach.AuditEvent{}},
		{"something.new", "s1", coach.AuditEvent{}},
	}
	for _, tt := range tests {
		t.Run(tt.action+" "+tt.detail, func(t *testing.T) {
			got := coach.DescribeAudit(coach.AuditEntry{Action: tt.action, Detail: tt.detail})
			if got.Action != tt.action {
				t.Errorf("Action = %q, want %q", got.Action, tt.action)
			}
			if got.Known != tt.want.Known {
				t.Fatalf("DescribeAudit(%s %q).Known = %v, want %v (%+v)", tt.action, tt.detail, got.Known, tt.want.Known, got)
			}
			if !tt.want.Known {
				return
			}
			tt.want.Action = tt.action
			if got.Subject != tt.want.Subject || !slices.Equal(got.Users, tt.want.Users) || got.Channel != tt.want.Channel ||
				got.Schedule != tt.want.Schedule || got.Habit != tt.want.Habit || got.When != tt.want.When ||
				got.ToAll != tt.want.ToAll || got.Answers != tt.want.Answers || got.Kudos != tt.want.Kudos || got.Paths != tt.want.Paths || got.Leader != tt.want.Leader ||
				got.Before != tt.want.Before {
				t.Errorf("DescribeAudit(%s %q) = %+v, want %+v", tt.action, tt.detail, got, tt.want)
			}
		})
	}
}

// FuzzDescribeAudit: any detail reads back without a panic, and what it
// reads as a person or channel is a well-formed ID.
func FuzzDescribeAudit(f *testing.F) {
	for _, s := range []string{"UDIR1 leaders=ULEAD1,ULEAD2", "send|UDIR1|2026-12-06.1 habit=gemba", `s3 standup cron "30 8 * * 1-5" to=all`,
		"answers=3 kudos=0 before=2026-01-01", "answers=3 kudos=0 paths=1 before=2026-01-01", "", " to=", "leaders=,"} {
		f.Add("director.add", s)
		f.Add("prompt.send", s)
		f.Add("schedule.add", s)
		f.Add("notes.expire", s)
	}
	f.Fuzz(func(t *testing.T, action, detail string) {
		ev := coach.DescribeAudit(coach.AuditEntry{Action: action, Detail: detail})
		if !ev.Known {
			return
		}
		for _, u := range append([]coach.UserID{ev.Subject}, ev.Users...) {
			if _, ok := coach.ParseUserID(string(u)); u != "" && !ok {
				t.Fatalf("DescribeAudit(%q, %q) names %q as a person", action, detail, u)
			}
		}
		if _, ok := coach.ParseChannelID(string(ev.Channel)); ev.Channel != "" && !ok {
			t.Fatalf("DescribeAudit(%q, %q) names %q as a channel", action, detail, ev.Channel)
		}
	})
}
