package slackapp

import (
	"context"
	"math"
	"strings"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
)

// ScheduleDeps is what /coach schedule needs.
type ScheduleDeps struct {
	Schedules *coach.Schedules
	LangOf    func(ctx context.Context, u coach.UserID) i18n.Lang
}

const scheduleExample = "/coach schedule add standup weekdays 08:45 to all"

// RegisterSchedules routes /coach schedule add|list|remove|pause|resume.
func RegisterSchedules(r *slackio.Router, d ScheduleDeps) {
	r.Subcommand("/coach", "schedule", func(ctx context.Context, cmd slack.SlashCommand) (slackio.Reply, error) {
		actor := coach.UserID(cmd.UserID)
		lang := d.LangOf(ctx, actor)
		_, rest, _ := strings.Cut(strings.TrimSpace(cmd.Text), " ") // drop "schedule"
		verb, args, _ := strings.Cut(strings.TrimSpace(rest), " ")
		switch strings.ToLower(verb) {
		case "add":
			req, err := ParseScheduleAdd(args)
			if err != nil {
				return slackio.Reply{}, err
			}
			info, err := d.Schedules.Add(ctx, actor, req)
			if err != nil {
				return slackio.Reply{}, err
			}
			return ScheduleAddedReply(lang, info), nil
		case "list", "":
			infos, err := d.Schedules.List(ctx, actor)
			if err != nil {
				return slackio.Reply{}, err
			}
			loads, err := d.Schedules.Loads(ctx, actor)
			if err != nil {
				return slackio.Reply{}, err
			}
			return ScheduleListReply(lang, infos, loads), nil
		case "remove", "delete", "pause", "resume":
			id, err := scheduleIDArg(strings.ToLower(verb), args)
			if err != nil {
				return slackio.Reply{}, err
			}
			switch strings.ToLower(verb) {
			case "pause", "resume":
				info, err := d.Schedules.SetPaused(ctx, actor, id, strings.EqualFold(verb, "pause"))
				if err != nil {
					return slackio.Reply{}, err
				}
				key := "sched.resumed"
				if info.Schedule.Paused {
					key = "sched.paused"
				}
				return slackio.Reply{Text: lang.T(key, string(id))}, nil
			}
			sc, err := d.Schedules.Remove(ctx, actor, id)
			if err != nil {
				return slackio.Reply{}, err
			}
			return slackio.Reply{Text: lang.T("sched.removed", string(sc.ID), lang.T(sc.Habit.NameKey()), sc.When)}, nil
		}
		return slackio.Reply{}, &coach.Error{Code: coach.EINVALID, Msg: i18n.M("sched.err.usage", scheduleExample)}
	})
}

func scheduleIDArg(verb, args string) (coach.ScheduleID, error) {
	f := strings.Fields(args)
	if len(f) != 1 {
		return "", &coach.Error{Code: coach.EINVALID, Msg: i18n.M("sched.err.no_id", verb)}
	}
	return ParseScheduleID(f[0])
}

// ScheduleAddedReply confirms a new schedule with its next send times: a
// check-in schedule's per Lean leader, in the Lean leader's zone, where
// the check-ins go.
func ScheduleAddedReply(lang i18n.Lang, info coach.ScheduleInfo) slackio.Reply {
	sc := info.Schedule
	checkIn := sc.Habit == coach.CheckInHabit
	text := lang.T("sched.added", string(sc.ID), lang.T(sc.Habit.NameKey()), sc.When, scheduleTargets(lang, sc))
	blocks := []slack.Block{mrkdwnSection(text, false)}
	title, none := "sched.next", "sched.no_directors"
	if checkIn {
		title, none = "sched.next_checkin", "sched.no_leaders"
	}
	switch up := upcomingText(lang, info); {
	case info.CheckInBy != "":
		blocks = append(blocks, mrkdwnContext(lang.T("sched.checkin_by", string(info.CheckInBy))))
	case up != "":
		blocks = append(blocks, mrkdwnSection("*"+lang.T(title)+"*\n"+up, false))
	case len(info.Upcoming) == 0:
		blocks = append(blocks, mrkdwnContext(lang.T(none)))
	}
	if over := overText(lang, info); over != "" {
		blocks = append(blocks, mrkdwnSection(over, false))
	}
	return slackio.Reply{Text: text, Blocks: blocks}
}

// overText warns about the directors a new schedule takes over the weekly
// budget: their prompts a week and which habits will wait.
func overText(lang i18n.Lang, info coach.ScheduleInfo) string {
	var lines []string
	for _, l := range info.Over {
		line := lang.T("sched.load.over", userRef(l.Director), perWeek(l.Average), l.Max, int(l.Budget))
		if len(l.Wait) > 0 {
			line += " " + lang.Plural("sched.load.wait", len(l.Wait), habitNames(lang, l.Wait))
		}
		lines = append(lines, line)
	}
	if info.OverMore > 0 {
		lines = append(lines, lang.Plural("sched.load.over_more", info.OverMore))
	}
	return strings.Join(lines, "\n")
}

// loadText lists each director's expected prompts a week, at most
// maxLoadLines of them.
func loadText(lang i18n.Lang, loads []coach.Load) string {
	if len(loads) == 0 {
		return ""
	}
	title := lang.T("sched.load.title_off")
	if b := loads[0].Budget; b > 0 {
		title = lang.T("sched.load.title", int(b))
	}
	lines := []string{"*" + title + "*"}
	for i, l := range loads {
		if i == maxLoadLines {
			lines = append(lines, lang.Plural("sched.more", len(loads)-i))
			break
		}
		if len(l.Wait) > 0 && l.Over() {
			lines = append(lines, lang.T("sched.load.line_over", userRef(l.Director), perWeek(l.Average), l.Max, habitNames(lang, l.Wait)))
		} else {
			lines = append(lines, lang.T("sched.load.line", userRef(l.Director), perWeek(l.Average), l.Max))
		}
	}
	return strings.Join(lines, "\n")
}

// maxLoadLines bounds the directors /coach schedule list shows a load for.
const maxLoadLines = 20

// perWeek rounds an average number of prompts a week for a text.
func perWeek(avg float64) int { return int(math.Round(avg)) }

// habitNames lists habits by name, "*A*, *B* and *C*".
func habitNames(lang i18n.Lang, hs []coach.Habit) string {
	names := make([]string, len(hs))
	for i, h := range hs {
		names[i] = "*" + lang.T(h.NameKey()) + "*"
	}
	return andList(lang, names)
}

// ScheduleListReply lists every schedule with its next send time, then each
// director's expected prompts a week.
func ScheduleListReply(lang i18n.Lang, infos []coach.ScheduleInfo, loads []coach.Load) slackio.Reply {
	if len(infos) == 0 {
		return slackio.Reply{Text: lang.T("sched.list.empty", scheduleExample)}
	}
	var b strings.Builder
	b.WriteString("*" + lang.T("sched.list.title") + "*")
	for _, info := range infos {
		sc := info.Schedule
		b.WriteString("\n" + lang.T("sched.list.line", string(sc.ID), lang.T(sc.Habit.NameKey()), sc.When, scheduleTargets(lang, sc)))
		switch {
		case sc.Paused:
			b.WriteString(" " + lang.T("sched.list.paused"))
		case info.CheckInBy != "":
			b.WriteString(" · " + lang.T("sched.list.checkin_by", string(info.CheckInBy)))
		case len(info.Upcoming) > 0 && len(info.Upcoming[0].Times) > 0:
			up := info.Upcoming[0]
			key := "sched.list.next"
			if up.Leader != "" {
				key = "sched.list.next_checkin"
			}
			b.WriteString(" · " + lang.T(key, lang.T("sched.next_for", userRef(upcomingWho(up)), up.Loc.String(), lang.DateTime(up.Times[0]))))
		}
	}
	if load := loadText(lang, loads); load != "" {
		b.WriteString("\n\n" + load)
	}
	// Section text is capped at 3000 characters: split long lists.
	var blocks []slack.Block
	for _, chunk := range chunkLines(b.String(), 2900) {
		blocks = append(blocks, mrkdwnSection(chunk, false))
		if len(blocks) == 45 {
			break
		}
	}
	return slackio.Reply{Text: lang.T("sched.list.title"), Blocks: blocks}
}

func scheduleTargets(lang i18n.Lang, sc coach.Schedule) string {
	if sc.ToAll {
		return lang.T("sched.to_all")
	}
	refs := make([]string, len(sc.Directors))
	for i, d := range sc.Directors {
		refs[i] = userRef(d)
	}
	return lang.T("sched.to_some", strings.Join(refs, ", "))
}

func upcomingText(lang i18n.Lang, info coach.ScheduleInfo) string {
	var lines []string
	for _, up := range info.Upcoming {
		times := lang.T("sched.next_none")
		if len(up.Times) > 0 {
			parts := make([]string, len(up.Times))
			for i, t := range up.Times {
				parts[i] = lang.DateTime(t)
			}
			times = strings.Join(parts, " · ")
		}
		lines = append(lines, lang.T("sched.next_for", userRef(upcomingWho(up)), up.Loc.String(), times))
	}
	if info.More > 0 {
		key := "sched.more"
		if info.Schedule.Habit == coach.CheckInHabit {
			key = "sched.more_leaders"
		}
		lines = append(lines, lang.Plural(key, info.More))
	}
	return strings.Join(lines, "\n")
}

// upcomingWho is whom up's send times are for: the director, or a
// check-in schedule's Lean leader.
func upcomingWho(up coach.Upcoming) coach.UserID {
	if up.Leader != "" {
		return up.Leader
	}
	return up.Director
}

// chunkLines splits s at line breaks into pieces of at most max bytes.
func chunkLines(s string, max int) []string {
	var out []string
	for len(s) > max {
		cut := strings.LastIndexByte(s[:max], '\n')
		if cut <= 0 {
			cut = max
		}
		out = append(out, s[:cut])
		s = strings.TrimPrefix(s[cut:], "\n")
	}
	return append(out, s)
}
