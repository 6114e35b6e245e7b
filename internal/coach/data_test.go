package coach_test

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

func TestExportAndForget(t *testing.T) {
	f := newPortalFix(t)
	ctx := t.Context()
	const word = "quokkalantern"
	if err := f.db.PutDirector(ctx, coach.Director{ID: pMember, Leaders: []coach.UserID{"ULEAD0001"}}); err != nil {
		t.Fatal(err)
	}
	o := pOcc(pMember, coach.Standup, pStart.Add(-time.Hour), coach.Done, word)
	if _, _, err := f.db.CreateOccurrence(ctx, o); err != nil {
		t.Fatal(err)
	}
	if err := f.db.PutSetting(ctx, "digest|"+string(pMember), "2026-W48"); err != nil {
		t.Fatal(err)
	}
	in := coach.PathInput{Style: coach.Coaching, Phase: coach.SelfKnowledge,
		Next: coach.Step{Responsibility: "runs the " + word + " review", Target: coach.DateOf(pStart).AddDays(30)}}
	if _, err := f.db.UpdatePath(ctx, coach.Pair{Director: pMember, Leader: "ULEAD0001"}, func(p *coach.Path) error {
		*p = p.Set(in, pStart, coach.DateOf(pStart))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	raw, err := f.portal.ExportFile(ctx, pMember)
	if err != nil {
		t.Fatalf("ExportFile = %v", err)
	}
	var got coach.Export
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("ExportFile is not JSON: %v", err)
	}
	if got.Format != coach.ExportFormat || got.SchemaVersion != coach.ExportSchemaVersion ||
		got.ExportedAt != pStart.Format(time.RFC3339) || len(got.Users) != 1 || got.Users[0].UserID != string(pMember) {
		t.Errorf("ExportFile = %s %d %s with %d users, want the member's alone", got.Format, got.SchemaVersion, got.ExportedAt, len(got.Users))
	}
	if got.Schedules != nil || got.Audit != nil {
		t.Errorf("ExportFile holds the workspace's schedules or audit log")
	}
	if !bytes.Contains(raw, []byte(word)) {
		t.Errorf("ExportFile lacks the director's own note")
	}
	file, err := os.ReadFile(f.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(file, []byte(word)) {
		t.Fatalf("the database file lacks %q before Forget: the scan below would prove nothing", word)
	}

	if err := f.portal.Forget(ctx, pMember); err != nil {
		t.Fatalf("Forget = %v", err)
	}
	file, err = os.ReadFile(f.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(file, []byte(word)); n != 0 {
		t.Errorf("the database file holds %q %d times after Forget, want 0", word, n)
	}
	if _, err := f.db.Director(ctx, pMember); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("Director after Forget = %v, want ENOTFOUND", err)
	}
	if v, _ := f.db.Setting(ctx, "digest|"+string(pMember)); v != "" {
		t.Errorf("digest bookkeeping after Forget = %q, want none", v)
	}
	log, _ := f.db.AuditLog(ctx, 1)
	if len(log) != 1 || log[0].Action != coach.ActionForget || log[0].Actor != coach.ErasedActor || log[0].Detail != "paths=1" {
		t.Errorf("audit after Forget = %+v, want a data.forget by %q with paths=1", log, coach.ErasedActor)
	}
	if ps, err := f.db.ListPaths(ctx, pMember); err != nil || len(ps) != 0 {
		t.Errorf("paths after Forget = %v, %v; want none", ps, err)
	}
}

func TestAuditLogRecords(t *testing.T) {
	f := newPortalFix(t)
	ctx := t.Context()
	if _, err := f.portal.AddAdmin(ctx, pOwner, pMember); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(time.Minute)
	if err := f.portal.RemoveAdmin(ctx, pListed, pMember); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(time.Minute)
	if err := f.audit.Audit(ctx, pOwner, "schedule.add", "s1 standup weekdays 08:45 note=<!channel> héllo"); err != nil {
		t.Fatal(err)
	}
	es, err := f.portal.AuditLog(ctx, pOwner)
	if err != nil {
		t.Fatal(err)
	}
	want := []coach.AuditEntry{
		{At: pStart.Add(2 * time.Minute), Actor: pOwner, Action: "schedule.add", Detail: "s1 standup weekdays 08:45 note=??channel? h?llo"},
		{At: pStart.Add(time.Minute), Actor: pListed, Action: coach.ActionAdminRemove, Detail: string(pMember)},
		{At: pStart, Actor: pOwner, Action: coach.ActionAdminAdd, Detail: string(pMember)},
	}
	if len(es) != len(want) {
		t.Fatalf("AuditLog = %+v, want %+v", es, want)
	}
	for i := range want {
		if !es[i].At.Equal(want[i].At) || es[i].Actor != want[i].Actor || es[i].Action != want[i].Action || es[i].Detail != want[i].Detail {
			t.Errorf("AuditLog[%d] = %+v, want %+v", i, es[i], want[i])
		}
	}
	if _, err := f.portal.AuditLog(ctx, pMember); coach.ErrorCode(err) != coach.EFORBIDDEN {
		t.Errorf("AuditLog(member) = %v, want EFORBIDDEN", err)
	}
}

func TestSafeAuditText(t *testing.T) {
	long := make([]byte, 1000)
	for i := range long {
		long[i] = 'a'
	}
	for _, tt := range []struct{ in, want string }{
		{"U123 leaders=U7,U8", "U123 leaders=U7,U8"},
		{`s3 cron "30 8 * * 1-5"`, `s3 cron "30 8 * * 1-5"`},
		{"<@U1> `x` ~y~ 😀", "??U1? ?x? ?y? ?"},
		{string(long), string(long[:coach.MaxAuditDetail])},
	} {
		if got := coach.SafeAuditText(tt.in); got != tt.want {
			t.Errorf("SafeAuditText(%.40q) = %.60q, want %.60q", tt.in, got, tt.want)
		}
	}
}
