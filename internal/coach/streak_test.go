package coach_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

// monday is the due time of the first occurrence in these tests: Monday
// 7 December 2026, 08:45 UTC. day(n) is n days later at the same time.
var monday = time.Date(2026, 12, 7, 8, 45, 0, 0, time.UTC)

func day(n int) time.Time { return monday.AddDate(0, 0, n) }

// now is well after every occurrence of the tests.
var now = day(400)

func sent(n int) coach.Occurrence {
	return coach.Occurrence{
		Key:       coach.NewOccurrenceKey("s1", "U1", day(n).Format(time.DateOnly)),
		Schedule:  "s1",
		Director:  "U1",
		Habit:     coach.Standup,
		LocalDate: day(n).Format(time.DateOnly),
		Due:       day(n),
		State:     coach.Sent,
		SentAt:    day(n),
	}
}

func answered(n int, out coach.Outcome, at time.Time) coach.Occurrence {
	o := sent(n)
	o.Answer = &coach.Answer{Outcome: out, At: at, By: "U1"}
	return o
}

func done(n int) coach.Occurrence     { return answered(n, coach.Done, day(n).Add(time.Hour)) }
func lateDone(n int) coach.Occurrence { return answered(n, coach.Done, day(n+1).Add(-time.Hour)) }
func notToday(n int) coach.Occurrence { return answered(n, coach.NotToday, day(n).Add(time.Minute)) }
func expired(n int) coach.Occurrence  { return answered(n, coach.Expired, day(n+1)) }
func open(n int) coach.Occurrence     { return sent(n) }

func snoozed(n int) coach.Occurrence {
	o := answered(n, coach.Snoozed, day(n).Add(time.Minute))
	o.Answer.SnoozeUntil = day(n).Add(time.Hour)
	return o
}

func missed(n int) coach.Occurrence {
	o := sent(n)
	o.State, o.SentAt = coach.Missed, time.Time{}
	return o
}

func failed(n int) coach.Occurrence {
	o := sent(n)
	o.State, o.SentAt, o.FailReason = coach.Failed, time.Time{}, "channel_not_found"
	return o
}

func sending(n int) coach.Occurrence {
	o := sent(n)
	o.State, o.SentAt = coach.Sending, time.Time{}
	return o
}

// weekdays returns done occurrences for every working day of the given
// number of weeks from monday: no occurrence on Saturday and Sunday.
func weekdays(weeks int) []coach.Occurrence {
	var out []coach.Occurrence
	for w := range weeks {
		for d := range 5 {
			out = append(out, done(7*w+d))
		}
	}
	return out
}

// leaveDays is leave from the start of day a until the start of day b.
func leaveDays(a, b int) []coach.Period {
	start := func(n int) time.Time { return time.Date(2026, 12, 7+n, 0, 0, 0, 0, time.UTC) }
	return []coach.Period{{From: start(a), Until: start(b)}}
}

func TestMarkOf(t *testing.T) {
	snoozedThenDone := answered(0, coach.Done, day(0).Add(2*time.Hour))
	snoozedThenDone.Answer.SnoozeUntil = day(0).Add(time.Hour)
	doneOnLeave := done(0)
	doneOnLeave.Due = day(3)

	tests := []struct {
		name  string
		occ   coach.Occurrence
		leave []coach.Period
		want  coach.Mark
	}{
		{"done", done(0), nil, coach.MarkDone},
		{"done late, before expiry", lateDone(0), nil, coach.MarkDone},
		{"snoozed then done", snoozedThenDone, nil, coach.MarkDone},
		{"not today", notToday(0), nil, coach.MarkNotToday},
		{"expired", expired(0), nil, coach.MarkMissed},
		{"missed, never sent", missed(0), nil, coach.MarkMissed},
		{"failed send", failed(0), nil, coach.MarkSkipped},
		{"sent, unanswered", open(0), nil, coach.MarkOpen},
		{"snoozed", snoozed(0), nil, coach.MarkOpen},
		{"still sending", sending(0), nil, coach.MarkOpen},
		{"not today on leave", notToday(3), leaveDays(2, 5), coach.MarkLeave},
		{"missed on leave", missed(3), leaveDays(2, 5), coach.MarkLeave},
		{"done on leave", doneOnLeave, leaveDays(2, 5), coach.MarkLeave},
		{"due when leave ends", notToday(5), leaveDays(2, 5), coach.MarkNotToday},
		{"due the day before leave", notToday(1), leaveDays(2, 5), coach.MarkNotToday},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := coach.MarkOf(tt.occ, tt.leave); got != tt.want {
				t.Errorf("MarkOf(%s) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestMarkCountsBreaks(t *testing.T) {
	tests := []struct {
		m              coach.Mark
		counts, breaks bool
	}{
		{coach.MarkDone, true, false},
		{coach.MarkNotToday, false, true},
		{coach.MarkMissed, false, true},
		{coach.MarkOpen, false, false},
		{coach.MarkLeave, false, false},
		{coach.MarkSkipped, false, false},
	}
	for _, tt := range tests {
		if got := tt.m.Counts(); got != tt.counts {
			t.Errorf("Mark(%q).Counts() = %v, want %v", tt.m, got, tt.counts)
		}
		if got := tt.m.Breaks(); got != tt.breaks {
			t.Errorf("Mark(%q).Breaks() = %v, want %v", tt.m, got, tt.breaks)
		}
	}
}

func seq(occs ...coach.Occurrence) []coach.Occurrence { return occs }

func TestStreak(t *testing.T) {
	tests := []struct {
		name          string
		occs          []coach.Occurrence
		leave         []coach.Period
		now           time.Time
		current, best int
	}{
		{name: "no occurrences", occs: nil},
		{name: "one done", occs: seq(done(0)), current: 1, best: 1},
		{name: "two weeks of weekdays, weekends have no prompt", occs: weekdays(2), current: 10, best: 10},
		{name: "not today breaks", occs: seq(done(0), done(1), notToday(2), done(3)), current: 1, best: 2},
		{name: "not today last", occs: seq(done(0), done(1), notToday(2)), current: 0, best: 2},
		{name: "expired breaks", occs: seq(done(0), expired(1), done(2)), current: 1, best: 1},
		{name: "missed breaks", occs: seq(done(0), done(1), done(2), missed(3), done(4), done(5)), current: 2, best: 3},
		{name: "best after a break", occs: seq(done(0), done(1), done(2), done(3), notToday(4), done(7), done(8)), current: 2, best: 4},
		{name: "late answers count", occs: seq(lateDone(0), lateDone(1), done(2)), current: 3, best: 3},
		{name: "failed sends are passed over", occs: seq(done(0), failed(1), failed(2), done(3)), current: 2, best: 2},
		{name: "open last is not decided yet", occs: seq(done(0), done(1), open(2)), current: 2, best: 2},
		{name: "snoozed last is not decided yet", occs: seq(done(0), snoozed(1)), current: 1, best: 1},
		{name: "sending in between", occs: seq(done(0), sending(1), done(2)), current: 2, best: 2},
		{
			name:  "leave spanning occurrences",
			occs:  seq(done(0), done(1), notToday(2), missed(3), expired(4), done(7)),
			leave: leaveDays(2, 7), current: 3, best: 3,
		},
		{
			name:  "done on leave does not count",
			occs:  seq(done(0), done(2), done(3)),
			leave: leaveDays(2, 3), current: 2, best: 2,
		},
		{
			name:  "leave ends before the breaking occurrence",
			occs:  seq(done(0), notToday(2), done(3)),
			leave: leaveDays(1, 2), current: 1, best: 1,
		},
		{
			name: "only occurrences due by now",
			occs: seq(done(0), done(1), notToday(2)),
			now:  day(1).Add(time.Hour), current: 2, best: 2,
		},
		{name: "input order does not matter", occs: seq(done(3), notToday(2), done(0), done(4), done(1)), current: 2, best: 2},
		{name: "all breaking", occs: seq(notToday(0), missed(1), expired(2)), current: 0, best: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := tt.now
			if n.IsZero() {
				n = now
			}
			in := slices.Clone(tt.occs)
			cur, best := coach.Streak(tt.occs, tt.leave, n)
			if cur != tt.current || best != tt.best {
				t.Errorf("Streak(%s) = %d, %d; want %d, %d", tt.name, cur, best, tt.current, tt.best)
			}
			if !slices.EqualFunc(in, tt.occs, func(a, b coach.Occurrence) bool { return a.Key == b.Key }) {
				t.Errorf("Streak(%s) reordered its input", tt.name)
			}
		})
	}
}

// TestStreakInvariants checks, over many generated histories, that
// 0 <= current <= best <= number of Done occurrences, and that leave,
// failed and open occurrences can be removed without changing the result.
func TestStreakInvariants(t *testing.T) {
	makers := []func(int) coach.Occurrence{done, lateDone, notToday, expired, missed, failed, open, snoozed}
	for seed := range 500 {
		var occs, decided []coach.Occurrence
		x := uint64(seed)*2862933555777941757 + 3037000493
		dones := 0
		for i := range 1 + seed%40 {
			x = x*6364136223846793005 + 1442695040888963407
			o := makers[(x>>33)%uint64(len(makers))](i)
			occs = append(occs, o)
			switch coach.MarkOf(o, nil) {
			case coach.MarkDone:
				dones++
				decided = append(decided, o)
			case coach.MarkNotToday, coach.MarkMissed:
				decided = append(decided, o)
			}
		}
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			cur, best := coach.Streak(occs, nil, now)
			if cur < 0 || cur > best || best > dones {
				t.Errorf("Streak = %d, %d; want 0 <= current <= best <= %d", cur, best, dones)
			}
			c2, b2 := coach.Streak(decided, nil, now)
			if c2 != cur || b2 != best {
				t.Errorf("Streak(decided only) = %d, %d; want %d, %d as with the neutral ones", c2, b2, cur, best)
			}
		})
	}
}
