package coach

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MaxLeave bounds one leave period.
const MaxLeave = 366 * 24 * time.Hour

// ParseLeave reads the words after "/coach pause" into a leave period that
// starts at now:
//
//	2w, 2 weeks, 10d, 10 days   until the start of the day that many days
//	                            from today (in loc): "2w" on a Monday morning
//	                            ends Monday two weeks later at 00:00
//	until 2026-12-24            through that day: it ends at 00:00 of the
//	                            25th in loc, so prompts come back on the 25th
//
// A failure is an EINVALID *Error that shows a correct example; its dates
// are computed from now (ExampleDate), so an example is never in the past.
func ParseLeave(args []string, now time.Time, loc *time.Location) (Period, error) {
	if loc == nil {
		loc = time.UTC
	}
	words := make([]string, 0, len(args))
	for _, a := range args {
		if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
			words = append(words, a)
		}
	}
	lt := now.In(loc)
	today := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, loc)
	example := ExampleDate(lt)
	var until time.Time
	switch {
	case len(words) == 0:
		return Period{}, Errorf(EINVALID, "leave.err.missing", example)
	case words[0] == "until" || words[0] == "till" || words[0] == "tot":
		if len(words) != 2 {
			return Period{}, Errorf(EINVALID, "leave.err.date", SafeAuditText(strings.Join(words[1:], " ")), example)
		}
		day, err := time.ParseInLocation("2006-01-02", words[1], loc)
		if err != nil {
			return Period{}, Errorf(EINVALID, "leave.err.date", SafeAuditText(words[1]), example)
		}
		until = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc)
	default:
		days, ok := leaveDays(words)
		if !ok {
			return Period{}, Errorf(EINVALID, "leave.err.length", SafeAuditText(strings.Join(words, " ")))
		}
		until = time.Date(today.Year(), today.Month(), today.Day()+days, 0, 0, 0, 0, loc)
	}
	if !until.After(now) {
		return Period{}, Errorf(EINVALID, "leave.err.past", example)
	}
	if until.Sub(now) > MaxLeave {
		return Period{}, Errorf(EINVALID, "leave.err.too_long")
	}
	return Period{From: now.UTC(), Until: until.UTC()}, nil
}

// leaveDays reads "2w", "2 w", "2 weeks", "10d", "10 days" (and Dutch
// "2 weken", "10 dagen") as a number of days, at least 1.
func leaveDays(words []string) (int, bool) {
	s := strings.Join(words, "")
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i > 3 {
		return 0, false
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil || n < 1 {
		return 0, false
	}
	switch s[i:] {
	case "d", "day", "days", "dag", "dagen":
		return n, true
	case "w", "week", "weeks", "wk", "weken":
		return 7 * n, true
	}
	return 0, false
}

// Pause puts director u on leave as args say (the words after "/coach
// pause", see ParseLeave, read in u's zone): no prompts, streaks frozen.
// Leave already running is replaced (extended or shortened) from its
// start; leave planned for later is dropped. Past leave stays: it keeps the
// streaks of those days frozen. ENOTFOUND when u is no director.
func (p *Portal) Pause(ctx context.Context, u UserID, args []string) (Period, error) {
	// Who first: someone who cannot take leave learns that, not its syntax.
	d, ok, err := p.director(ctx, u)
	if err != nil {
		return Period{}, fmt.Errorf("pause: %w", err)
	}
	if !ok {
		return Period{}, notDirector(ctx, p.store, p.access.IsAdmin, u, ENOTFOUND, "leave.err.not_director")
	}
	now := p.clock.Now()
	leave, err := ParseLeave(args, now, p.Location(ctx, u))
	if err != nil {
		return Period{}, err
	}
	kept := d.Leave[:0:0]
	for _, q := range d.Leave {
		switch {
		case q.Contains(now):
			leave.From = q.From
		case !q.From.Before(now):
			// planned for later: replaced by this leave
		default:
			kept = append(kept, q)
		}
	}
	d.Leave = append(kept, leave)
	if err := p.store.PutDirector(ctx, d); err != nil {
		return Period{}, fmt.Errorf("pause: %w", err)
	}
	return leave, nil
}

// Resume ends u's leave now and drops leave planned for later. ECONFLICT
// when u is not on leave; ENOTFOUND when u is no director.
func (p *Portal) Resume(ctx context.Context, u UserID) error {
	d, ok, err := p.director(ctx, u)
	if err != nil {
		return fmt.Errorf("resume: %w", err)
	}
	if !ok {
		return notDirector(ctx, p.store, p.access.IsAdmin, u, ENOTFOUND, "leave.err.not_director")
	}
	now := p.clock.Now()
	if !d.OnLeave(now) {
		return Errorf(ECONFLICT, "leave.err.not_on_leave")
	}
	kept := d.Leave[:0:0]
	for _, q := range d.Leave {
		switch {
		case q.Contains(now):
			q.Until = now.UTC()
			if q.Until.After(q.From) {
				kept = append(kept, q)
			}
		case !q.From.Before(now):
		default:
			kept = append(kept, q)
		}
	}
	d.Leave = kept
	if err := p.store.PutDirector(ctx, d); err != nil {
		return fmt.Errorf("resume: %w", err)
	}
	return nil
}
