package coach_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
)

const eps = 1e-6

func near(a, b float64) bool { return math.Abs(a-b) < eps }

func TestMultiplier(t *testing.T) {
	// Hand-computed: 0.5^(1/13) = e^(-0.693147/13) = e^(-0.053319) = 0.948078;
	// 0.5^(sqrt(7)/13) = e^(-0.693147*0.203519) = e^(-0.141069) = 0.868430.
	tests := []struct {
		interval, want float64
	}{
		{1, 0.948078},
		{7, 0.868430},
		{0, 0.948078},  // taken as 1
		{-3, 0.948078}, // taken as 1
		{math.NaN(), 0.948078},
	}
	for _, tt := range tests {
		if got := coach.Multiplier(tt.interval); math.Abs(got-tt.want) > 1e-6 {
			t.Errorf("Multiplier(%v) = %.6f, want %.6f", tt.interval, got, tt.want)
		}
	}
	// One step of Multiplier(interval) equals interval days of Loop's daily
	// multiplier 0.5^(sqrt(f)/13) with f = 1/interval.
	for _, iv := range []float64{1, 7.0 / 3, 3.5, 7, 30, 90} {
		loopDaily := math.Pow(0.5, math.Sqrt(1/iv)/13)
		if got, want := coach.Multiplier(iv), math.Pow(loopDaily, iv); !near(got, want) {
			t.Errorf("Multiplier(%v) = %v, want Loop's daily multiplier^%v = %v", iv, got, iv, want)
		}
	}
}

func TestStrengthExact(t *testing.T) {
	const (
		mDay  = 0.948078 // Multiplier(1)
		mWeek = 0.868430 // Multiplier(7)
	)
	tests := []struct {
		name     string
		occs     []coach.Occurrence
		leave    []coach.Period
		interval float64
		want     float64
	}{
		{"nothing", nil, nil, 1, 0},
		{"one done", seq(done(0)), nil, 1, 1 - mDay},                                    // 0.051922
		{"two done", seq(done(0), done(1)), nil, 1, 1 - mDay*mDay},                      // 0.101148
		{"done then miss", seq(done(0), notToday(1)), nil, 1, (1 - mDay) * mDay},        // 0.049226
		{"miss then done", seq(missed(0), done(1)), nil, 1, 1 - mDay},                   // 0.051922
		{"weekly one done", seq(done(0)), nil, 7, 1 - mWeek},                            // 0.131570
		{"weekly done, expired", seq(done(0), expired(7)), nil, 7, (1 - mWeek) * mWeek}, // 0.114259
		{"neutral ones take no step", seq(done(0), failed(1), open(2), snoozed(3), notToday(4)), leaveDays(4, 5), 1, 1 - mDay},
		{"late answer is a done step", seq(lateDone(0)), nil, 1, 1 - mDay},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := coach.Strength(tt.occs, tt.leave, tt.interval, now)
			if math.Abs(got-tt.want) > 2e-6 {
				t.Errorf("Strength(%s) = %.6f, want %.6f", tt.name, got, tt.want)
			}
		})
	}
}

func TestStrengthDaysTo80PercentMatchLoop(t *testing.T) {
	// Loop's table (docs/peers.md §3.1): days of perfect completion from 0
	// to reach 80%. With one step per occurrence the count of occurrences
	// times the interval lands within one interval of Loop's days.
	tests := []struct {
		interval float64
		loopDays float64
	}{
		{1, 30.2},
		{7, 79.9},
		{30, 165.3},
	}
	for _, tt := range tests {
		var occs []coach.Occurrence
		steps := 0
		for coach.Strength(occs, nil, tt.interval, now) < 0.8 {
			occs = append(occs, done(steps))
			steps++
			if steps > 1000 {
				t.Fatalf("Strength(interval %v) never reaches 0.8", tt.interval)
			}
		}
		days := float64(steps) * tt.interval
		if days < tt.loopDays || days > tt.loopDays+tt.interval {
			t.Errorf("interval %v: %d occurrences (%v days) to reach 80%%, want within one interval after Loop's %v days",
				tt.interval, steps, days, tt.loopDays)
		}
	}
}

func TestStrengthForgiving(t *testing.T) {
	var occs []coach.Occurrence
	for i := range 60 {
		occs = append(occs, done(i))
	}
	before := coach.Strength(occs, nil, 1, now)
	after := coach.Strength(append(slices.Clone(occs), notToday(60)), nil, 1, now)
	if !(after < before) {
		t.Errorf("Strength after a miss = %v, want below %v", after, before)
	}
	if after < 0.9 {
		t.Errorf("Strength after 60 done and one miss = %v, want >= 0.9 (a miss lowers, does not erase)", after)
	}
	streak, _ := coach.Streak(append(slices.Clone(occs), notToday(60)), nil, now)
	if streak != 0 {
		t.Errorf("Streak after the miss = %d, want 0 (the streak is strict, the strength forgiving)", streak)
	}
}

// TestStrengthMonotonic: over generated histories, appending a Done never
// lowers the score and appending a miss never raises it; the score stays in
// 0..1; neutral occurrences leave it unchanged.
func TestStrengthMonotonic(t *testing.T) {
	makers := []func(int) coach.Occurrence{done, notToday, expired, missed, failed, open}
	for _, interval := range []float64{1, 7.0 / 3, 7, 30, 90} {
		for seed := range 100 {
			t.Run(fmt.Sprintf("interval %v seed %d", interval, seed), func(t *testing.T) {
				var occs []coach.Occurrence
				x := uint64(seed)*2862933555777941757 + 7
				prev := 0.0
				for i := range 80 {
					x = x*6364136223846793005 + 1442695040888963407
					o := makers[(x>>33)%uint64(len(makers))](i)
					occs = append(occs, o)
					got := coach.Strength(occs, nil, interval, now)
					if got < 0 || got > 1 {
						t.Fatalf("Strength = %v after %d occurrences, want within 0..1", got, i+1)
					}
					switch m := coach.MarkOf(o, nil); {
					case m.Counts() && !(got > prev):
						t.Fatalf("Strength = %v after a done, want above %v", got, prev)
					case m.Breaks() && prev > 0 && !(got < prev):
						t.Fatalf("Strength = %v after a miss, want below %v", got, prev)
					case !m.Counts() && !m.Breaks() && got != prev:
						t.Fatalf("Strength = %v after a neutral %q, want unchanged %v", got, m, prev)
					}
					prev = got
				}
			})
		}
	}
}

func TestStrengthStepGrowsWithInterval(t *testing.T) {
	// Each step of a weekly habit stands for seven days, so per occurrence
	// it moves further than a daily one, while per day it moves slower
	// (half-life 34 days against 13).
	occs := seq(done(0), done(1), done(2))
	daily := coach.Strength(occs, nil, 1, now)
	weekly := coach.Strength(occs, nil, 7, now)
	if !(weekly > daily) {
		t.Errorf("Strength(3 done, weekly) = %v, want above Strength(3 done, daily) = %v", weekly, daily)
	}
}

func TestStats(t *testing.T) {
	var occs []coach.Occurrence
	for i := range 15 {
		occs = append(occs, done(i))
	}
	occs = append(occs, notToday(15), failed(16), done(17), open(18))
	other := done(19)
	other.Habit = coach.Compliment
	occs = append(occs, other)
	leave := leaveDays(16, 17)

	got := coach.Stats(coach.Standup, occs, leave, now)
	if got.Habit != coach.Standup {
		t.Errorf("Stats.Habit = %q, want %q", got.Habit, coach.Standup)
	}
	if got.Current != 1 || got.Best != 15 {
		t.Errorf("Stats streaks = %d, %d; want 1, 15", got.Current, got.Best)
	}
	wantStrength := coach.Strength(occs[:19], leave, coach.Standup.Interval(), now)
	if got.Strength != wantStrength {
		t.Errorf("Stats.Strength = %v, want %v", got.Strength, wantStrength)
	}
	want := []coach.Mark{
		coach.MarkDone, coach.MarkDone, coach.MarkDone, coach.MarkDone, coach.MarkDone,
		coach.MarkDone, coach.MarkDone, coach.MarkDone,
		coach.MarkNotToday, coach.MarkLeave, coach.MarkDone, coach.MarkOpen,
	}
	if len(want) != coach.LastMarks {
		t.Fatalf("test wants %d marks, LastMarks = %d", len(want), coach.LastMarks)
	}
	if !slices.Equal(got.Last, want) {
		t.Errorf("Stats.Last = %v, want %v", got.Last, want)
	}

	few := coach.Stats(coach.Standup, seq(done(0), missed(1)), nil, now)
	if !slices.Equal(few.Last, []coach.Mark{coach.MarkDone, coach.MarkMissed}) {
		t.Errorf("Stats(2 occurrences).Last = %v, want [done missed]", few.Last)
	}
	none := coach.Stats(coach.Reflect, occs, nil, now)
	if none.Current != 0 || none.Best != 0 || none.Strength != 0 || len(none.Last) != 0 {
		t.Errorf("Stats(habit without occurrences) = %+v, want zero streaks, strength and marks", none)
	}
}

func TestStatsUsesHabitInterval(t *testing.T) {
	occs := seq(done(0))
	for i := range occs {
		occs[i].Habit = coach.Output
	}
	got := coach.Stats(coach.Output, occs, nil, now).Strength
	if want := 1 - coach.Multiplier(coach.Output.Interval()); !near(got, want) || coach.Output.Interval() == 1 {
		t.Errorf("Stats(output, one done).Strength = %v, want 1-Multiplier(%v) = %v", got, coach.Output.Interval(), want)
	}
}

// BenchmarkStats: a year of working-day prompts (about 260 occurrences),
// the size App Home renders per habit.
func BenchmarkStats(b *testing.B) {
	var occs []coach.Occurrence
	for w := range 52 {
		for d := range 5 {
			switch (w*5 + d) % 9 {
			case 3:
				occs = append(occs, notToday(7*w+d))
			case 7:
				occs = append(occs, failed(7*w+d))
			default:
				occs = append(occs, done(7*w+d))
			}
		}
	}
	leave := leaveDays(70, 84)
	b.ReportAllocs()
	for b.Loop() {
		coach.Stats(coach.Standup, occs, leave, now)
	}
}
