package coach

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// The weekly digest goes on Friday at DigestHour:00 in each director's zone
// (or later that weekend, when the bot was down at the time).
const (
	DigestDay  = time.Friday
	DigestHour = 16
)

// DigestLine is one prompt of the week and how it went.
type DigestLine struct {
	Habit
	Due  time.Time // in the director's zone
	Mark Mark
}

// DigestHabit is one habit's streak at the start of the week and now.
type DigestHabit struct {
	Habit
	Before, After, Best int
}

// Digest is the weekly private summary for one director: the week's prompts
// with their outcomes, the notes the director wrote that week (what comes
// back: only to them), and the streak changes.
type Digest struct {
	Director UserID
	Week     string    // ISO week, "2026-W48"
	From, To time.Time // Monday 00:00 and now, in the director's zone
	// Channel is the director's DM with the bot, as the latest prompt that
	// reached them knows it ("" when none does): sending needs no
	// conversations.open then.
	Channel ChannelID
	Lines   []DigestLine
	Notes   []DigestNote // oldest first (digestNotes)
	Habits  []DigestHabit
	Completion
}

// BuildDigest computes d's digest for the ISO week that holds now, in loc.
// ok is false when there is nothing to send: d is on leave now, or no prompt
// reached d this week.
func BuildDigest(d Director, hist []Occurrence, now time.Time, loc *time.Location) (Digest, bool) {
	if loc == nil {
		loc = time.UTC
	}
	start := WeekStart(now, loc)
	dg := Digest{Director: d.ID, Week: ISOWeek(now, loc), From: start, To: now.In(loc)}
	if d.OnLeave(now) {
		return dg, false
	}
	var week []Occurrence
	prompted := false
	for _, o := range hist {
		if o.Due.Before(start) || o.Due.After(now) {
			continue
		}
		m := MarkOf(o, d.Leave)
		if m == MarkLeave || m == MarkSkipped {
			continue
		}
		prompted = prompted || o.State == Sent
		if o.State == Sent && o.Channel != "" {
			dg.Channel = o.Channel
		}
		week = append(week, o)
		dg.Lines = append(dg.Lines, DigestLine{Habit: o.Habit, Due: o.Due.In(loc), Mark: m})
		dg.Completion.add(m)
	}
	if !prompted {
		return dg, false
	}
	sortLines(dg.Lines)
	dg.Notes = digestNotes(week, loc)
	for _, h := range habitsIn(week) {
		before := Stats(h, hist, d.Leave, start)
		after := Stats(h, hist, d.Leave, now)
		dg.Habits = append(dg.Habits, DigestHabit{Habit: h, Before: before.Current, After: after.Current, Best: after.Best})
	}
	return dg, true
}

func sortLines(ls []DigestLine) {
	slices.SortStableFunc(ls, func(a, b DigestLine) int { return a.Due.Compare(b.Due) })
}

// DigestDue reports whether the digest of now's ISO week is due in loc:
// from Friday DigestHour:00 to the end of Sunday.
func DigestDue(now time.Time, loc *time.Location) bool {
	start := WeekStart(now, loc)
	at := time.Date(start.Year(), start.Month(), start.Day()+int(DigestDay-time.Monday), DigestHour, 0, 0, 0, loc)
	return !now.Before(at)
}

// DigestSender delivers a digest in the director's DM. Implemented by
// internal/slackapp.
type DigestSender interface {
	SendDigest(ctx context.Context, d Digest) error
}

// digestKey is the setting that holds the last ISO week whose digest was
// handled for u (sent, or skipped for leave or no prompts).
func digestKey(u UserID) string { return "digest|" + string(u) }

// SendDigests sends every due digest at now, at most once per director and
// ISO week: the week is recorded before the send (so a crash loses a digest
// rather than doubling it) and taken back when the send fails, so the next
// run tries again. It returns how many were sent; errors of single
// directors are joined and do not stop the others.
func (p *Portal) SendDigests(ctx context.Context, now time.Time, send DigestSender) (int, error) {
	dirs, err := p.store.Directors(ctx)
	if err != nil {
		return 0, fmt.Errorf("digests: %w", err)
	}
	var errs []error
	ids := make([]UserID, len(dirs))
	for i, d := range dirs {
		ids[i] = d.ID
	}
	if err := p.warm(ctx, ids); err != nil {
		errs = append(errs, fmt.Errorf("digests: zones: %w", err)) // each asks Directory then
	}
	sent := 0
	for i, d := range dirs {
		if ctx.Err() != nil {
			errs = append(errs, fmt.Errorf("digests: stopped with %d directors left: %w", len(dirs)-i, ctx.Err()))
			break
		}
		ok, err := p.sendDigest(ctx, d, now, send)
		if err != nil {
			errs = append(errs, err)
		}
		if ok {
			sent++
		}
	}
	return sent, errors.Join(errs...)
}

func (p *Portal) sendDigest(ctx context.Context, d Director, now time.Time, send DigestSender) (bool, error) {
	loc := p.Location(ctx, d.ID)
	if !DigestDue(now, loc) {
		return false, nil
	}
	week, key := ISOWeek(now, loc), digestKey(d.ID)
	last, err := p.store.Setting(ctx, key)
	if err != nil {
		return false, fmt.Errorf("digest %s: %w", d.ID, err)
	}
	if last == week {
		return false, nil
	}
	hist, err := p.store.History(ctx, d.ID, "", time.Time{})
	if err != nil {
		return false, fmt.Errorf("digest %s: %w", d.ID, err)
	}
	if err := p.store.PutSetting(ctx, key, week); err != nil {
		return false, fmt.Errorf("digest %s: %w", d.ID, err)
	}
	dg, ok := BuildDigest(d, hist, now, loc)
	if !ok {
		return false, nil
	}
	if err := send.SendDigest(ctx, dg); err != nil {
		// Taken back even when the send failed because the bot is
		// stopping (a paced send waits): the next run sends it.
		if rerr := p.store.PutSetting(context.WithoutCancel(ctx), key, last); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return false, fmt.Errorf("digest %s: %w", d.ID, err)
	}
	return true, nil
}

// DigestLoop runs SendDigests every interval until ctx is done; report, if
// set, hears each run's outcome (for logs and metrics).
func (p *Portal) DigestLoop(ctx context.Context, every time.Duration, send DigestSender, report func(sent int, err error)) {
	if every <= 0 {
		every = 5 * time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := p.SendDigests(ctx, p.clock.Now(), send)
		if report != nil {
			report(n, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
