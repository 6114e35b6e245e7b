package coach_test

import (
	"slices"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/schedule"
)

func TestBudgetRank(t *testing.T) {
	first := []coach.Habit{coach.PathReview, coach.Standup, coach.Compliment, coach.Question}
	for i, h := range first {
		if got := coach.BudgetRank(h); got != i {
			t.Errorf("BudgetRank(%s) = %d, want %d", h, got, i)
		}
		if !coach.BudgetFirst(h) {
			t.Errorf("BudgetFirst(%s) = false, want true", h)
		}
	}
	// Every other habit shares the rank after them, as does an unknown one.
	for _, h := range append(coach.Habits(), "juggling") {
		if slices.Contains(first, h) {
			continue
		}
		if got := coach.BudgetRank(h); got != len(first) || coach.BudgetFirst(h) {
			t.Errorf("BudgetRank(%s) = %d, BudgetFirst = %v; want %d, false", h, got, coach.BudgetFirst(h), len(first))
		}
	}
}

// The week of the budget tests: Monday 7 December 2026 in Amsterdam.
var (
	ams     = mustLoad("Europe/Amsterdam")
	budWeek = time.Date(2026, 12, 7, 0, 0, 0, 0, ams)
)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is day d (0 = Monday) of the test week at hh:mm, Amsterdam time.
func at(d, hh, mm int) time.Time {
	return budWeek.AddDate(0, 0, d).Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
}

// bp is a fresh prompt of habit h from schedule s at t.
func bp(s string, h coach.Habit, t time.Time) coach.BudgetPrompt {
	return coach.BudgetPrompt{Key: coach.NewOccurrenceKey(coach.ScheduleID(s), "U1", t.In(ams).Format(time.DateOnly)),
		Habit: h, At: t, Since: t}
}

// rec is a recorded occurrence of p in state st.
func rec(p coach.BudgetPrompt, st coach.SendState) coach.Occurrence {
	sched, _, _ := cutKey(p.Key)
	return coach.Occurrence{Key: p.Key, Schedule: sched, Director: "U1", Habit: p.Habit, Due: p.At, State: st}
}

func cutKey(k coach.OccurrenceKey) (coach.ScheduleID, string, string) {
	parts := [3]string{}
	i := 0
	for _, c := range string(k) {
		if c == '|' && i < 2 {
			i++
			continue
		}
		parts[i] += string(c)
	}
	return coach.ScheduleID(parts[0]), parts[1], parts[2]
}

func TestBudgetAllows(t *testing.T) {
	gembaMon := bp("s9", coach.Gemba, at(0, 13, 30))
	standupTue := bp("s1", coach.Standup, at(1, 8, 45))
	questionWed := bp("s3", coach.Question, at(2, 10, 0))
	complimentThu := bp("s2", coach.Compliment, at(3, 15, 0))
	pathMon := bp("s4", coach.PathReview, at(0, 9, 0))
	feedbackTue := bp("s5", coach.Feedback, at(1, 9, 30))
	conversationWed := bp("s6", coach.Conversation, at(2, 11, 0))
	weekreviewFri := bp("s7", coach.WeekReview, at(4, 10, 0))
	gembaFri := bp("s9", coach.Gemba, at(4, 13, 30))
	// A gemba prompt held last Friday, weighed again this Friday.
	heldGemba := coach.BudgetPrompt{Key: coach.NewOccurrenceKey("s8", "U1", "2026-12-04"), Habit: coach.Gemba,
		At: at(4, 13, 30), Since: at(-3, 13, 30)}
	heldRec := rec(heldGemba, coach.Deferred)
	heldRec.Due = heldGemba.Since
	adhoc := coach.Occurrence{Key: coach.NewOccurrenceKey(coach.AdHoc, "U1", "2026-12-07.1"), Schedule: coach.AdHoc,
		Director: "U1", Habit: coach.Standup, Due: at(0, 8, 0), State: coach.Sent}
	leaveTue := []coach.Period{{From: at(1, 0, 0), Until: at(2, 0, 0)}}

	tests := []struct {
		name   string
		budget coach.Budget
		p      coach.BudgetPrompt
		sent   []coach.Occurrence
		ahead  []coach.BudgetPrompt
		leave  []coach.Period
		want   bool
	}{
		{"no budget allows all", 0, gembaMon, nil, []coach.BudgetPrompt{standupTue, questionWed, complimentThu, pathMon}, nil, true},
		{"room left", 5, feedbackTue, []coach.Occurrence{rec(standupTue, coach.Sent)}, []coach.BudgetPrompt{questionWed, complimentThu}, nil, true},
		// Priority: the week's higher-ranked prompts keep their place.
		{"monday's gemba leaves room for four higher ahead", 5, gembaMon, nil,
			[]coach.BudgetPrompt{pathMon, standupTue, questionWed, complimentThu}, nil, true},
		{"monday's gemba waits for five higher ahead", 5, gembaMon, nil,
			[]coach.BudgetPrompt{pathMon, standupTue, questionWed, complimentThu, heldGemba}, nil, false},
		{"later prompts of the shared rank take no place", 5, gembaMon, nil,
			[]coach.BudgetPrompt{pathMon, standupTue, feedbackTue, questionWed, complimentThu, conversationWed}, nil, true},
		{"lower ahead take no place", 1, standupTue, nil,
			[]coach.BudgetPrompt{gembaFri, weekreviewFri, conversationWed}, nil, true},
		{"prompts already sent count whatever their rank", 3, questionWed, []coach.Occurrence{rec(gembaMon, coach.Sent), rec(standupTue, coach.Sent)},
			[]coach.BudgetPrompt{complimentThu}, nil, false},
		{"budget used up", 2, complimentThu, []coach.Occurrence{rec(standupTue, coach.Sent), rec(questionWed, coach.Sending)}, nil, nil, false},
		// Ties: same rank goes by first due, then key.
		{"a held prompt outranks a fresh one of its rank", 1, gembaMon, nil, []coach.BudgetPrompt{heldGemba}, nil, false},
		{"a fresh one of the same rank later in the week does not", 1, gembaMon, nil, []coach.BudgetPrompt{gembaFri}, nil, true},
		{"same rank and time: the lower key first", 1,
			bp("s2", coach.Gemba, at(4, 13, 30)), nil, []coach.BudgetPrompt{bp("s1", coach.Gemba, at(4, 13, 30))}, nil, false},
		{"same rank and time: the higher key waits for none", 1,
			bp("s1", coach.Gemba, at(4, 13, 30)), nil, []coach.BudgetPrompt{bp("s2", coach.Gemba, at(4, 13, 30))}, nil, true},
		// Leave: prompts due on leave do not go, so they take no place.
		{"ahead on leave take no place", 1, gembaMon, nil, []coach.BudgetPrompt{standupTue}, leaveTue, true},
		{"without the leave they do", 1, gembaMon, nil, []coach.BudgetPrompt{standupTue}, nil, false},
		// What counts.
		{"ad-hoc, failed, missed and held prompts do not count", 1, complimentThu,
			[]coach.Occurrence{adhoc, rec(standupTue, coach.Failed), rec(questionWed, coach.Missed), rec(gembaMon, coach.Deferred)}, nil, nil, true},
		{"a prompt recorded last week does not count", 1, gembaMon,
			[]coach.Occurrence{rec(bp("s1", coach.Standup, at(-1, 9, 0)), coach.Sent)}, nil, nil, true},
		// A snapshot of the plans taken before some prompts settled.
		{"a sent prompt still ahead in the snapshot counts once", 2, gembaFri,
			[]coach.Occurrence{rec(standupTue, coach.Sent)}, []coach.BudgetPrompt{standupTue}, nil, true},
		{"a prompt held at that time is not ahead", 1, gembaFri,
			[]coach.Occurrence{rec(standupTue, coach.Deferred)}, []coach.BudgetPrompt{standupTue}, nil, true},
		{"a held prompt's new time is ahead", 1, gembaMon, []coach.Occurrence{heldRec}, []coach.BudgetPrompt{heldGemba}, nil, false},
		{"a superseded one is not", 1, gembaMon, []coach.Occurrence{func() coach.Occurrence {
			o := heldRec
			o.State = coach.Superseded
			return o
		}()}, []coach.BudgetPrompt{heldGemba}, nil, true},
		{"a prompt ahead twice counts once", 2, gembaMon, nil, []coach.BudgetPrompt{standupTue, standupTue}, nil, true},
		{"next week's prompts take no place", 1, gembaMon, nil, []coach.BudgetPrompt{bp("s1", coach.Standup, at(7, 8, 45))}, nil, true},
		{"the prompt itself is not counted on a replay", 1, gembaMon, []coach.Occurrence{rec(gembaMon, coach.Sending)}, []coach.BudgetPrompt{gembaMon}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := coach.BudgetWeek{Loc: ams, Recorded: tt.sent, Ahead: tt.ahead, Leave: tt.leave}
			if got := tt.budget.Allows(tt.p, w); got != tt.want {
				t.Errorf("Budget(%d).Allows(%s at %v) = %v, want %v", tt.budget, tt.p.Habit, tt.p.At, got, tt.want)
			}
		})
	}
}

// TestBudgetWeekAcrossDST: the week is Monday 00:00 to Monday 00:00 on the
// director's wall clock, 167 hours in the week of spring forward and 169 in
// the week of fall back; counting 168 hours from Monday would put the
// prompts around midnight in the wrong week.
func TestBudgetWeekAcrossDST(t *testing.T) {
	local := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, ams) }
	tests := []struct {
		name string
		p    time.Time // a gemba prompt, budget 1
		sent time.Time // a standup prompt sent
		want bool
	}{
		// Spring: Sunday 29 March 2026 02:00 -> 03:00; that week has 167 hours.
		{"spring: monday 00:30 after is the next week", local(2026, 3, 29, 22, 0), local(2026, 3, 30, 0, 30), true},
		{"spring: sunday 23:30 is the same week", local(2026, 3, 25, 10, 0), local(2026, 3, 29, 23, 30), false},
		{"spring: the monday before is the same week", local(2026, 3, 29, 22, 0), local(2026, 3, 23, 0, 0), false},
		// Autumn: Sunday 25 October 2026 03:00 -> 02:00; that week has 169 hours.
		{"autumn: sunday 23:30 is the same week", local(2026, 10, 21, 10, 0), local(2026, 10, 25, 23, 30), false},
		{"autumn: monday 00:10 after is the next week", local(2026, 10, 25, 23, 50), local(2026, 10, 26, 0, 10), true},
		{"autumn: the repeated hour is the same week", local(2026, 10, 19, 9, 0), time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := bp("s9", coach.Gemba, tt.p)
			sent := rec(bp("s1", coach.Standup, tt.sent), coach.Sent)
			w := coach.BudgetWeek{Loc: ams, Recorded: []coach.Occurrence{sent}}
			if got := coach.Budget(1).Allows(p, w); got != tt.want {
				t.Errorf("Allows(gemba at %v) with a prompt sent at %v = %v, want %v", tt.p, tt.sent.In(ams), got, tt.want)
			}
		})
	}
	// The same in the other direction: a prompt ahead across midnight.
	p := bp("s9", coach.Gemba, local(2026, 3, 29, 22, 0))
	ahead := bp("s1", coach.Standup, local(2026, 3, 30, 0, 30))
	if !coach.Budget(1).Allows(p, coach.BudgetWeek{Loc: ams, Ahead: []coach.BudgetPrompt{ahead}}) {
		t.Errorf("a standup prompt of Monday 00:30 after spring forward took the place of Sunday's gemba")
	}
}

func TestHeldSuperseded(t *testing.T) {
	held := rec(bp("s9", coach.Gemba, at(0, 13, 30)), coach.Deferred)
	later := func(s string, h coach.Habit, t time.Time, st coach.SendState) coach.Occurrence {
		return rec(bp(s, h, t), st)
	}
	adhoc := later("send", coach.Gemba, at(2, 9, 0), coach.Sent)
	adhoc.Schedule = coach.AdHoc
	tests := []struct {
		name     string
		recorded []coach.Occurrence
		want     bool
	}{
		{"nothing later", nil, false},
		{"its schedule's next prompt went", []coach.Occurrence{later("s9", coach.Gemba, at(2, 13, 30), coach.Sent)}, true},
		{"another schedule of its habit went", []coach.Occurrence{later("s3", coach.Gemba, at(1, 8, 0), coach.Sending)}, true},
		{"a prompt of its habit sent by hand", []coach.Occurrence{adhoc}, true},
		{"the next one was held too", []coach.Occurrence{later("s9", coach.Gemba, at(2, 13, 30), coach.Deferred)}, false},
		{"the next one was missed", []coach.Occurrence{later("s9", coach.Gemba, at(2, 13, 30), coach.Missed)}, false},
		{"an earlier one", []coach.Occurrence{later("s9", coach.Gemba, at(-7, 13, 30), coach.Sent)}, false},
		{"another habit", []coach.Occurrence{later("s1", coach.Standup, at(1, 8, 45), coach.Sent)}, false},
		{"itself", []coach.Occurrence{held}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := coach.HeldSuperseded(held, tt.recorded); got != tt.want {
				t.Errorf("HeldSuperseded = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestPlanWeek: a full week weighed in time order gives the budget to the
// path and the core three whatever day they fall on, and what is left to
// the other habits in the order they fall due.
func TestPlanWeek(t *testing.T) {
	week := []coach.BudgetPrompt{
		bp("s9", coach.Gemba, at(0, 13, 30)),
		bp("s4", coach.PathReview, at(1, 9, 0)),
		bp("s5", coach.Feedback, at(1, 9, 30)),
		bp("s1", coach.Standup, at(1, 8, 45)),
		bp("s6", coach.Conversation, at(2, 11, 0)),
		bp("s3", coach.Question, at(2, 10, 0)),
		bp("s2", coach.Compliment, at(3, 15, 0)),
		bp("s7", coach.WeekReview, at(4, 10, 0)),
		bp("s1", coach.Standup, at(7, 8, 45)), // next week: not in this plan
	}
	habits := func(ps []coach.BudgetPrompt) []coach.Habit {
		var out []coach.Habit
		for _, p := range ps {
			out = append(out, p.Habit)
		}
		return out
	}
	plan := coach.Budget(5).PlanWeek(week, nil, ams)
	if !plan.Start.Equal(budWeek) {
		t.Errorf("Start = %v, want %v", plan.Start, budWeek)
	}
	wantGo := []coach.Habit{coach.Gemba, coach.Standup, coach.PathReview, coach.Question, coach.Compliment}
	wantWait := []coach.Habit{coach.Feedback, coach.Conversation, coach.WeekReview}
	if got := habits(plan.Go); !slices.Equal(got, wantGo) {
		t.Errorf("Go = %v, want %v", got, wantGo)
	}
	if got := habits(plan.Wait); !slices.Equal(got, wantWait) {
		t.Errorf("Wait = %v, want %v", got, wantWait)
	}
	// On leave on Tuesday, the path and standup prompts do not go, and
	// lower ones take their places.
	plan = coach.Budget(5).PlanWeek(week, []coach.Period{{From: at(1, 0, 0), Until: at(2, 0, 0)}}, ams)
	wantGo = []coach.Habit{coach.Gemba, coach.Question, coach.Conversation, coach.Compliment, coach.WeekReview}
	if got := habits(plan.Go); !slices.Equal(got, wantGo) || len(plan.Wait) != 0 {
		t.Errorf("with leave: Go = %v, Wait = %v; want %v and none", got, habits(plan.Wait), wantGo)
	}
	if got := coach.Budget(0).PlanWeek(week, nil, ams); len(got.Go) != 8 || len(got.Wait) != 0 {
		t.Errorf("no budget: %d go, %d wait; want 8 and 0", len(got.Go), len(got.Wait))
	}
}

// Prompts the budget held back never show: no mark, no step in a streak.
func TestHeldPromptsLeaveNoMark(t *testing.T) {
	deferred, superseded := sent(1), sent(2)
	deferred.State, superseded.State = coach.Deferred, coach.Superseded
	for _, o := range []coach.Occurrence{deferred, superseded} {
		if got := coach.MarkOf(o, nil); got != coach.MarkSkipped {
			t.Errorf("MarkOf(%s) = %s, want %s", o.State, got, coach.MarkSkipped)
		}
	}
	occs := []coach.Occurrence{done(0), deferred, superseded, done(3)}
	if cur, best := coach.Streak(occs, nil, now); cur != 2 || best != 2 {
		t.Errorf("Streak = %d, %d; want 2, 2", cur, best)
	}
	if st := coach.Stats(coach.Standup, occs, nil, now); len(st.Last) != 2 {
		t.Errorf("Stats.Last = %v, want the two done prompts only", st.Last)
	}
}

// TestBudgetLoad: the preview of /coach schedule add and list counts the
// prompts the schedules owe week by week, leave left out, and names the
// habits the budget would hold back.
func TestBudgetLoad(t *testing.T) {
	standup := coach.Schedule{ID: "s1", Habit: coach.Standup}
	gemba := coach.Schedule{ID: "s2", Habit: coach.Gemba}
	paused := coach.Schedule{ID: "s3", Habit: coach.Feedback, Paused: true}
	rules := schedule.NewRules()
	rule := func(when string) coach.Rule {
		r, err := rules.Parse(when)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	end := budWeek.AddDate(0, 0, 14)
	var owed []coach.BudgetPrompt
	owed = append(owed, coach.Owed(standup, "U1", rule("weekdays 08:45"), budWeek, end, ams)...)
	owed = append(owed, coach.Owed(gemba, "U1", rule("mon,wed,fri 13:30"), budWeek, end, ams)...)
	owed = append(owed, coach.Owed(paused, "U1", rule("daily 09:00"), budWeek, end, ams)...)
	if len(owed) != 16 {
		t.Fatalf("Owed = %d prompts in two weeks, want 10 stand-ups and 6 Gemba (a paused schedule owes none)", len(owed))
	}
	if first := owed[0]; first.Key != "s1|U1|2026-12-07" || !first.At.Equal(at(0, 8, 45)) || first.Since != first.At {
		t.Errorf("Owed[0] = %+v, want the stand-up of Monday 7 December 08:45", first)
	}
	l := coach.Budget(5).Load(owed, nil, ams, budWeek, 2)
	if l.Average != 8 || l.Max != 8 || !l.Over() || !slices.Equal(l.Wait, []coach.Habit{coach.Gemba}) {
		t.Errorf("Load = %+v, want 8 a week, over, Gemba waiting", l)
	}
	// On leave in the second week: it owes nothing then.
	l = coach.Budget(5).Load(owed, []coach.Period{{From: at(7, 0, 0), Until: at(14, 0, 0)}}, ams, budWeek, 2)
	if l.Average != 4 || l.Max != 8 {
		t.Errorf("Load with a week of leave = %+v, want 4 a week on average, 8 at most", l)
	}
	if l := coach.Budget(10).Load(owed, nil, ams, budWeek, 2); l.Over() || len(l.Wait) != 0 {
		t.Errorf("Load under a budget of 10 = %+v, want nothing over or waiting", l)
	}
	if l := coach.Budget(0).Load(owed, nil, ams, budWeek, 2); l.Over() || l.Max != 8 {
		t.Errorf("Load without a budget = %+v, want 8 at most and never over", l)
	}
}
