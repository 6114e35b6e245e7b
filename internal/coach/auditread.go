package coach

import (
	"strconv"
	"strings"
)

// AuditEvent is what an audit entry says, read back from its action and
// detail so it can be shown in words. Only the fields of its action are set.
type AuditEvent struct {
	Action string
	// Known is false for an action this package does not write, or a detail
	// it cannot read; such an entry is shown as it is stored.
	Known    bool
	Subject  UserID     // the director or admin acted on; the prompt's director
	Users    []UserID   // director.add: the leaders; schedule.add: the directors
	ToAll    bool       // schedule.add to all directors
	Channel  ChannelID  // channel.set
	Schedule ScheduleID // schedule.*
	Habit    Habit      // prompt.send (entries written since it names it), schedule.add
	When     string     // schedule.add: the rule
	Answers  int        // notes.expire: answers whose text was cleared
	Kudos    int        // notes.expire: compliments whose text was cleared
	Paths    int        // notes.expire: paths whose older review texts were cleared; data.forget: paths erased
	Leader   int        // notes.expire: Lean leaders' check-in notes and comments whose text was cleared
	Before   string     // notes.expire: the cutoff date, YYYY-MM-DD
}

// DescribeAudit reads entry e back into an AuditEvent. It never fails: what
// it cannot read comes back with Known false.
func DescribeAudit(e AuditEntry) AuditEvent {
	ev := AuditEvent{Action: e.Action}
	ok := false
	switch e.Action {
	case ActionDirectorAdd:
		ok = ev.readDirectorAdd(e.Detail)
	case ActionDirectorRemove, ActionAdminAdd, ActionAdminRemove:
		ev.Subject, ok = ParseUserID(e.Detail)
	case ActionChannelSet:
		ev.Channel, ok = ParseChannelID(e.Detail)
	case ActionPromptSend:
		ok = ev.readPromptSend(e.Detail)
	case ActionScheduleAdd:
		ok = ev.readScheduleAdd(e.Detail)
	case ActionScheduleRemove, ActionSchedulePause, ActionScheduleResume:
		ev.Schedule, ok = ParseScheduleID(e.Detail)
	case ActionForget:
		ok = ev.readForget(e.Detail)
	case ActionNotesExpired:
		ok = ev.readNotesExpired(e.Detail)
	}
	ev.Known = ok
	return ev
}

// readDirectorAdd reads "U1 leaders=U2,U3".
func (ev *AuditEvent) readDirectorAdd(d string) bool {
	who, leaders, ok := strings.Cut(d, " leaders=")
	if !ok {
		return false
	}
	ev.Subject, ok = ParseUserID(who)
	ev.Users = userList(leaders)
	return ok && ev.Users != nil
}

// readPromptSend reads "send|U1|2026-12-06.1 habit=standup"; entries
// written before the habit was recorded have the key alone.
func (ev *AuditEvent) readPromptSend(d string) bool {
	key, habit, named := strings.Cut(d, " habit=")
	parts := strings.Split(key, "|")
	if len(parts) != 3 {
		return false
	}
	var ok bool
	if ev.Subject, ok = ParseUserID(parts[1]); !ok {
		return false
	}
	if named {
		ev.Habit, ok = ParseHabit(habit)
	}
	return ok
}

// readScheduleAdd reads "s3 standup weekdays 08:45 to=all" (or
// "to=U1,U2"); the rule between the habit and the targets may hold spaces.
func (ev *AuditEvent) readScheduleAdd(d string) bool {
	rest, to, ok := cutLast(d, " to=")
	if !ok {
		return false
	}
	f := strings.SplitN(rest, " ", 3)
	if len(f) != 3 {
		return false
	}
	ev.When = f[2]
	if ev.Schedule, ok = ParseScheduleID(f[0]); !ok {
		return false
	}
	if ev.Habit, ok = ParseScheduleHabit(f[1]); !ok {
		return false
	}
	if to == "all" {
		ev.ToAll = true
		return true
	}
	ev.Users = userList(to)
	return ev.Users != nil
}

// readForget reads "paths=2"; entries written before the paths existed
// are empty.
func (ev *AuditEvent) readForget(d string) bool {
	if d == "" {
		return true
	}
	n, ok := strings.CutPrefix(d, "paths=")
	var err error
	ev.Paths, err = strconv.Atoi(n)
	return ok && err == nil && ev.Paths >= 0 && strconv.Itoa(ev.Paths) == n
}

// readNotesExpired reads "answers=3 kudos=1 paths=2 leader=4
// before=2026-01-01"; entries written before the paths existed lack
// "paths=", and "leader=" is there only when Lean leaders' texts were
// cleared.
func (ev *AuditEvent) readNotesExpired(d string) bool {
	f := strings.Fields(d)
	if len(f) == 3 {
		f = []string{f[0], f[1], "paths=0", f[2]}
	}
	if len(f) == 4 {
		f = []string{f[0], f[1], f[2], "leader=0", f[3]}
	}
	if len(f) != 5 {
		return false
	}
	var errA, errK, errP, errL error
	a, _ := strings.CutPrefix(f[0], "answers=")
	k, _ := strings.CutPrefix(f[1], "kudos=")
	p, _ := strings.CutPrefix(f[2], "paths=")
	l, okL := strings.CutPrefix(f[3], "leader=")
	ev.Answers, errA = strconv.Atoi(a)
	ev.Kudos, errK = strconv.Atoi(k)
	ev.Paths, errP = strconv.Atoi(p)
	ev.Leader, errL = strconv.Atoi(l)
	before, ok := strings.CutPrefix(f[4], "before=")
	ev.Before = before
	return ok && okL && errA == nil && errK == nil && errP == nil && errL == nil && len(before) == len("2006-01-02")
}

// userList reads "U1,U2"; nil when any is not a user ID.
func userList(s string) []UserID {
	var out []UserID
	for _, f := range strings.Split(s, ",") {
		u, ok := ParseUserID(f)
		if !ok {
			return nil
		}
		out = append(out, u)
	}
	return out
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}
