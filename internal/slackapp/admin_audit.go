package slackapp

import (
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
)

// AuditReply renders /coach audit: newest first, one line per entry with
// the time in the reader's zone and what happened in words, people as
// mentions (Slack shows their names). The stored entries hold IDs and keys
// only (coach.SafeAuditText); an entry this version cannot read is shown as
// stored, in code, so nothing in it can format or mention.
func AuditReply(lang i18n.Lang, es []coach.AuditEntry, loc *time.Location) slackio.Reply {
	if len(es) == 0 {
		return slackio.Reply{Text: lang.T("audit.empty")}
	}
	lines := []string{"*" + lang.T("audit.title", len(es)) + "*"}
	for _, e := range es {
		lines = append(lines, lang.T("audit.line", lang.DateTime(e.At.In(loc)), auditSentence(lang, e, loc)))
	}
	blocks := mdSections(lines)
	blocks = append(blocks, slack.NewContextBlock("", mdText(lang.T("audit.footer", loc.String()))))
	return slackio.Reply{Text: lang.T("audit.title", len(es)), Blocks: blocks}
}

// auditSentence says what entry e records, in lang.
func auditSentence(lang i18n.Lang, e coach.AuditEntry, loc *time.Location) string {
	who := auditActor(e.Actor)
	ev := coach.DescribeAudit(e)
	if !ev.Known {
		action, detail := coach.SafeAuditText(e.Action), coach.SafeAuditText(e.Detail)
		if detail == "" {
			return lang.T("audit.say.unknown_bare", who, action)
		}
		return lang.T("audit.say.unknown", who, action, detail)
	}
	key := "audit.say." + ev.Action
	switch ev.Action {
	case coach.ActionDirectorAdd:
		return lang.T(key, who, mentionOf(ev.Subject), mentionsText(lang, ev.Users))
	case coach.ActionDirectorRemove, coach.ActionAdminAdd, coach.ActionAdminRemove:
		return lang.T(key, who, mentionOf(ev.Subject))
	case coach.ActionChannelSet:
		return lang.T(key, who, channelRef(ev.Channel))
	case coach.ActionPromptSend:
		if ev.Habit == "" {
			return lang.T("audit.say.prompt.send_any", who, mentionOf(ev.Subject))
		}
		return lang.T(key, who, mentionOf(ev.Subject), lang.T(ev.Habit.NameKey()))
	case coach.ActionScheduleAdd:
		to := lang.T("audit.say.all_directors")
		if !ev.ToAll {
			to = mentionsText(lang, ev.Users)
		}
		return lang.T(key, who, lang.T(ev.Habit.NameKey()), "`"+coach.SafeAuditText(ev.When)+"`", to, string(ev.Schedule))
	case coach.ActionScheduleRemove, coach.ActionSchedulePause, coach.ActionScheduleResume:
		return lang.T(key, who, string(ev.Schedule))
	case coach.ActionNotesExpired:
		before := ev.Before
		if d, err := time.ParseInLocation(time.DateOnly, ev.Before, loc); err == nil {
			before = lang.Date(d)
		}
		if ev.Leader > 0 {
			return lang.T(key+".leader", who, lang.Plural("audit.say.answers", ev.Answers), lang.Plural("audit.say.compliments", ev.Kudos),
				lang.Plural("audit.say.paths", ev.Paths), lang.Plural("audit.say.leader_notes", ev.Leader), before)
		}
		if ev.Paths > 0 {
			return lang.T(key+".paths", who, lang.Plural("audit.say.answers", ev.Answers), lang.Plural("audit.say.compliments", ev.Kudos),
				lang.Plural("audit.say.paths", ev.Paths), before)
		}
		return lang.T(key, who, lang.Plural("audit.say.answers", ev.Answers), lang.Plural("audit.say.compliments", ev.Kudos), before)
	case coach.ActionForget:
		if ev.Paths > 0 {
			return lang.T(key+".paths", lang.Plural("audit.say.paths", ev.Paths))
		}
	}
	return lang.T(key) // data.forget: no one is named
}

// auditActor names who made a change: a mention for a person, leancoach
// for itself, anything else as stored, in code.
func auditActor(u coach.UserID) string {
	if u == coach.RetentionActor {
		return "leancoach"
	}
	if _, ok := coach.ParseUserID(string(u)); ok {
		return mentionOf(u)
	}
	return "`" + coach.SafeAuditText(string(u)) + "`"
}
