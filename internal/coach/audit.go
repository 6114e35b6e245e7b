package coach

import (
	"context"
	"fmt"
	"strings"
)

// Audit actions. Details carry IDs and keys only, never users' free text;
// DescribeAudit reads them back.
const (
	ActionAdminAdd       = "admin.add"       // detail: the added admin's ID
	ActionAdminRemove    = "admin.remove"    // detail: the removed admin's ID
	ActionForget         = "data.forget"     // detail: "paths=2", the delegation paths erased (the user is not named)
	ActionDirectorAdd    = "director.add"    // detail: "U1 leaders=U2,U3"
	ActionDirectorRemove = "director.remove" // detail: the director's ID
	ActionChannelSet     = "channel.set"     // detail: the kudos channel's ID
	ActionPromptSend     = "prompt.send"     // detail: "<occurrence key> habit=<habit>"
	ActionScheduleAdd    = "schedule.add"    // detail: "s3 standup weekdays 08:45 to=all" (or to=U1,U2)
	ActionScheduleRemove = "schedule.remove" // detail: the schedule's ID
	ActionSchedulePause  = "schedule.pause"  // detail: the schedule's ID
	ActionScheduleResume = "schedule.resume" // detail: the schedule's ID
	ActionNotesExpired   = "notes.expire"    // detail: "answers=3 kudos=1 paths=2 leader=4 before=2026-01-01" (leader= when not 0)
)

// RetentionActor is the actor of ActionNotesExpired: leancoach itself.
const RetentionActor UserID = "leancoach"

// AuditLog records admin changes (who, what, when) in the AuditStore.
type AuditLog struct {
	store AuditStore
	clock Clock
}

// NewAuditLog returns an AuditLog over st.
func NewAuditLog(st AuditStore, clock Clock) *AuditLog {
	return &AuditLog{store: st, clock: clock}
}

// MaxAuditDetail bounds an entry's detail, in bytes.
const MaxAuditDetail = 300

// Audit records that actor did action. detail must hold IDs and keys only
// (e.g. "U123 leaders=U7,U8", "s3 weekdays 08:45"); characters that have no
// place in such a detail are replaced with '?' and it is cut at
// MaxAuditDetail, so a caller's mistake cannot put free text in the log.
func (l *AuditLog) Audit(ctx context.Context, actor UserID, action, detail string) error {
	e := AuditEntry{At: l.clock.Now().UTC(), Actor: actor, Action: SafeAuditText(action), Detail: SafeAuditText(detail)}
	if err := l.store.Audit(ctx, e); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// Entries returns at most limit entries, newest first. It does not check who
// asks: the caller has (see Portal.AuditLog).
func (l *AuditLog) Entries(ctx context.Context, limit int) ([]AuditEntry, error) {
	es, err := l.store.AuditLog(ctx, limit)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return es, nil
}

// SafeAuditText keeps the characters of IDs, keys, times and schedule rules
// and replaces anything else with '?', cut at MaxAuditDetail bytes.
func SafeAuditText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= MaxAuditDetail {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(" |,=:._-/*\"#", r):
			b.WriteRune(r)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
