package slackapp_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

func sfReport() coach.Report {
	dirs := []coach.Director{
		{ID: sfDir, Leaders: []coach.UserID{"ULEADER1"}},
		{ID: sfDir2, Leaders: []coach.UserID{"ULEADER2"}, Leave: []coach.Period{{From: sfNow.Add(-48 * time.Hour), Until: sfNow.AddDate(0, 0, 10)}}},
		{ID: "UDIRCEES1", Leaders: []coach.UserID{"ULEADER3"}},
	}
	hist := map[coach.UserID][]coach.Occurrence{sfDir: sfHistory(sfDir), sfDir2: sfHistory(sfDir2)}
	r := coach.BuildReport(dirs, hist, sfNow)
	r.Paths = coach.CountPaths(dirs, nil, sfNow)
	return r
}

func TestReportReplies(t *testing.T) {
	empty := coach.BuildReport(nil, nil, sfNow)
	for _, l := range i18n.Langs() {
		for name, r := range map[string]coach.Report{"report_workspace": sfReport(), "report_empty": empty} {
			t.Run(name+"."+string(l), func(t *testing.T) {
				rep := slackapp.ReportReply(l, r, sfNow.Location())
				checkSurfaceMessage(t, name+"."+string(l), rep.Text, rep.Blocks)
			})
		}
	}
}

// TestReportReplyWithinLimitsAtScale renders a workspace of 1000 directors
// with every habit: the message must keep to Block Kit's limits.
func TestReportReplyWithinLimitsAtScale(t *testing.T) {
	r := coach.Report{From: sfNow.Add(-coach.ReportWindow), To: sfNow, Total: coach.Completion{Done: 9000, Decided: 10000}, Active: 900}
	for i := range 1000 {
		row := coach.ReportRow{Director: coach.UserID(fmt.Sprintf("UDIR%05d", i)), Completion: coach.Completion{Done: 9, Decided: 10}, OnLeave: i%9 == 0}
		for _, h := range coach.Habits() {
			row.Streaks = append(row.Streaks, coach.HabitStreak{Habit: h, Current: 100, Best: 200})
		}
		r.Rows = append(r.Rows, row)
	}
	for _, l := range i18n.Langs() {
		rep := slackapp.ReportReply(l, r, sfNow.Location())
		raw, err := json.Marshal(rep.Blocks)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range slacksim.ValidateMessageBlocks(raw) {
			t.Errorf("ReportReply(%s, 1000 directors): Block Kit: %s", l, p)
		}
		if !strings.Contains(string(raw), "UDIR00000") {
			t.Errorf("ReportReply(%s, 1000 directors) lost the first director", l)
		}
	}
}

func TestDigestMessages(t *testing.T) {
	d := coach.Director{ID: sfDir, Leaders: []coach.UserID{"ULEADER1"}}
	dg, ok := coach.BuildDigest(d, sfHistory(sfDir), sfNow, sfNow.Location())
	if !ok {
		t.Fatalf("BuildDigest = not ok, want a digest")
	}
	for _, l := range i18n.Langs() {
		t.Run(string(l), func(t *testing.T) {
			text, blocks := slackapp.DigestMessage(l, dg)
			// The digest is the director's own: their notes come back in it
			// (the other surfaces never show them).
			checkMessage(t, "digest_week."+string(l), text, blocks)
			if s := readableJSON(blocks); !strings.Contains(s, sfSecret) || !strings.Contains(s, l.T("digest.notes")) {
				t.Errorf("digest does not show the week's notes:\n%s", s)
			}
		})
	}
}

func TestAdminReplies(t *testing.T) {
	list := coach.AdminList{Listed: []coach.UserID{sfAdmin}, Added: []coach.UserID{"UADDED001", "UADDED002"}}
	at := sfNow.UTC()
	log := []coach.AuditEntry{
		{At: at, Actor: sfAdmin, Action: "admin.add", Detail: "UADDED002"},
		{At: at.Add(-time.Hour), Actor: sfAdmin, Action: "schedule.add", Detail: `s3 question tue,thu 10:00 to=UDIRANNA1`},
		{At: at.Add(-2 * time.Hour), Actor: "UADDED001", Action: "director.add", Detail: "UDIRANNA1 leaders=ULEADER1"},
		{At: at.Add(-3 * time.Hour), Actor: coach.ErasedActor, Action: "data.forget"},
		{At: at.Add(-4 * time.Hour), Actor: sfAdmin, Action: "prompt.send", Detail: "send|UDIRANNA1|2026-12-04.1 habit=standup"},
		{At: at.Add(-5 * time.Hour), Actor: sfAdmin, Action: "prompt.send", Detail: "send|UDIRANNA1|2026-12-03.1"},
		{At: at.Add(-6 * time.Hour), Actor: sfAdmin, Action: "schedule.add", Detail: `s4 gemba cron "30 8 * * 1-5" to=all`},
		{At: at.Add(-7 * time.Hour), Actor: sfAdmin, Action: "schedule.pause", Detail: "s4"},
		{At: at.Add(-8 * time.Hour), Actor: sfAdmin, Action: "schedule.resume", Detail: "s4"},
		{At: at.Add(-9 * time.Hour), Actor: sfAdmin, Action: "schedule.remove", Detail: "s4"},
		{At: at.Add(-10 * time.Hour), Actor: sfAdmin, Action: "channel.set", Detail: "CKUDOS001"},
		{At: at.Add(-11 * time.Hour), Actor: sfAdmin, Action: "director.add", Detail: "UDIRBERT1 leaders=ULEADER1,ULEADER2,ULEADER3"},
		{At: at.Add(-12 * time.Hour), Actor: sfAdmin, Action: "director.remove", Detail: "UDIRBERT1"},
		{At: at.Add(-13 * time.Hour), Actor: sfAdmin, Action: "admin.remove", Detail: "UADDED003"},
		{At: at.Add(-14 * time.Hour), Actor: coach.RetentionActor, Action: "notes.expire", Detail: "answers=1 kudos=12 before=2026-06-01"},
		{At: at.Add(-15 * time.Hour), Actor: sfAdmin, Action: "director.add", Detail: "not-an-id leaders=?"},
		{At: at.Add(-16 * time.Hour), Actor: sfAdmin, Action: "future.thing", Detail: "s9 x=1"},
		{At: at.Add(-17 * time.Hour), Actor: coach.ErasedActor, Action: "data.forget", Detail: "paths=2"},
		{At: at.Add(-18 * time.Hour), Actor: coach.ErasedActor, Action: "data.forget", Detail: "paths=0"},
		{At: at.Add(-19 * time.Hour), Actor: coach.RetentionActor, Action: "notes.expire", Detail: "answers=3 kudos=0 paths=1 before=2026-06-01"},
	}
	for _, l := range i18n.Langs() {
		t.Run(string(l), func(t *testing.T) {
			r := slackapp.AdminListReply(l, list)
			checkSurfaceMessage(t, "admin_list."+string(l), r.Text, r.Blocks)
			r = slackapp.AdminListReply(l, coach.AdminList{})
			checkSurfaceMessage(t, "admin_list_empty."+string(l), r.Text, r.Blocks)
			r = slackapp.AuditReply(l, log, sfNow.Location())
			checkSurfaceMessage(t, "admin_audit."+string(l), r.Text, r.Blocks)
			r = slackapp.ForgetConfirmReply(l, sfDir)
			checkSurfaceMessage(t, "admin_forget_confirm."+string(l), r.Text, r.Blocks)
		})
	}
}

func TestAuditReplyEscapesDetails(t *testing.T) {
	log := []coach.AuditEntry{{At: sfNow, Actor: sfAdmin, Action: "x<!channel>", Detail: "`<!here>` *bold*"}}
	r := slackapp.AuditReply(i18n.EN, log, time.UTC)
	raw, _ := json.Marshal(r.Blocks)
	for _, bad := range []string{"<!channel>", "<!here>", "`<"} {
		if strings.Contains(string(raw), bad) {
			t.Errorf("AuditReply shows %q unescaped: %s", bad, raw)
		}
	}
	if len(r.Blocks) == 0 {
		t.Fatalf("AuditReply has no blocks")
	}
	var _ slack.Block = r.Blocks[0]
}
