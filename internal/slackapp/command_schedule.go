package slackapp

import (
	"slices"
	"strings"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// ParseScheduleAdd parses the text after "schedule add": a habit, the <when>
// rule, and optionally "to all" or "to @director…" (default: all directors).
// The rule itself is validated by Schedules.Add.
func ParseScheduleAdd(text string) (coach.ScheduleRequest, error) {
	fields := strings.Fields(strings.ReplaceAll(text, "\u00a0", " "))
	if len(fields) == 0 {
		return coach.ScheduleRequest{}, scheduleUsage("sched.err.no_habit")
	}
	h, ok := coach.ParseScheduleHabit(strings.ToLower(fields[0]))
	if !ok {
		return coach.ScheduleRequest{}, &coach.Error{Code: coach.EINVALID, Msg: i18n.M("sched.err.habit", quote(fields[0]), scheduleExample)}
	}
	req := coach.ScheduleRequest{Habit: h, ToAll: true}
	rest := fields[1:]
	// The targets start at the last "to" that only mentions or "all" follow.
	for i := len(rest) - 1; i >= 0; i-- {
		if !strings.EqualFold(rest[i], "to") {
			continue
		}
		targets, all, err := parseTargets(rest[i+1:])
		if err != nil {
			return coach.ScheduleRequest{}, err
		}
		req.ToAll, req.Directors = all, targets
		rest = rest[:i]
		break
	}
	req.When = strings.Join(rest, " ")
	if req.When == "" {
		return coach.ScheduleRequest{}, scheduleUsage("sched.err.no_when")
	}
	return req, nil
}

func parseTargets(args []string) ([]coach.UserID, bool, error) {
	if len(args) == 1 && strings.EqualFold(args[0], "all") {
		return nil, true, nil
	}
	if len(args) == 0 {
		return nil, false, scheduleUsage("sched.err.no_target")
	}
	var out []coach.UserID
	for _, a := range args {
		for _, part := range strings.Split(a, ",") {
			if part == "" {
				continue
			}
			id, ok := parseUserMention(part)
			if !ok {
				return nil, false, &coach.Error{Code: coach.EINVALID, Msg: i18n.M("sched.err.target", quote(part), scheduleExample)}
			}
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	if len(out) == 0 {
		return nil, false, scheduleUsage("sched.err.no_target")
	}
	return out, false, nil
}

func scheduleUsage(key string) error {
	return &coach.Error{Code: coach.EINVALID, Msg: i18n.M(key, scheduleExample)}
}

// ParseScheduleID reads the schedule ID typed after remove, pause or
// resume ("s3" or "3").
func ParseScheduleID(s string) (coach.ScheduleID, error) {
	id, ok := coach.ParseScheduleID(s)
	if !ok {
		return "", &coach.Error{Code: coach.EINVALID, Msg: i18n.M("sched.err.id", quote(string(id)))}
	}
	return id, nil
}
