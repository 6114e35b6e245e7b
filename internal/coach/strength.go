package coach

import (
	"math"
	"slices"
	"time"
)

// Strength is a 0..1 habit score in the style of Loop Habit Tracker: an
// exponential moving average over one director's occurrences of one habit,
// so a single miss lowers it but does not erase it.
//
// Loop works per calendar day: with f repetitions per day,
//
//	m = 0.5^(sqrt(f)/13),  score = score·m + v·(1−m)
//
// which gives a half-life of 13/sqrt(f) days (13 days for a daily habit,
// 34 for a weekly one, 71 for a monthly one). leancoach has no calendar of
// checkmarks but a list of occurrences, so it takes one step per occurrence
// instead, in Due order:
//
//   - v = 1 for an occurrence that counts (Done), 0 for one that breaks
//     (NotToday, Expired, Missed); occurrences on leave, failed sends and open
//     ones take no step (like Loop's SKIP days, they leave the score as it
//     is), nor do occurrences due after now;
//   - one occurrence stands for the interval days until the next one, so the
//     step applies Loop's daily multiplier interval times:
//     m = (0.5^(sqrt(f)/13))^interval with f = 1/interval, that is
//     m = 0.5^(sqrt(interval)/13).
//
// So the half-life in days equals Loop's (13·sqrt(interval) days, growing
// with the interval) and for a daily habit the score is exactly Loop's.
// (Using Loop's m once per occurrence instead would stretch the half-life to
// 13·sqrt(interval) occurrences: 71 months for a monthly habit.) Loop's
// rolling window, which spreads one check-in of a non-daily habit over
// several days, is not needed: each step already covers its interval. The
// score starts at 0, as Loop's does. An interval <= 0 (or NaN) is taken as 1.
func Strength(occs []Occurrence, leave []Period, interval float64, now time.Time) float64 {
	return strengthOf(marks(occs, leave, now, ""), interval)
}

// Multiplier is the per-occurrence smoothing factor of Strength for a habit
// whose prompts come interval days apart: 0.5^(sqrt(interval)/13).
func Multiplier(interval float64) float64 {
	if !(interval > 0) {
		interval = 1
	}
	return math.Pow(0.5, math.Sqrt(interval)/13)
}

func strengthOf(ms []Mark, interval float64) float64 {
	m := Multiplier(interval)
	score := 0.0
	for _, mk := range ms {
		switch {
		case mk.Counts():
			score = score*m + (1 - m)
		case mk.Breaks():
			score = score * m
		}
	}
	return min(max(score, 0), 1)
}

// HabitStats sums up one director's record on one habit, for /coach streak
// and the App Home.
type HabitStats struct {
	Habit
	Current, Best int     // streaks, see Streak
	Strength      float64 // 0..1, see Strength
	Last          []Mark  // the last LastMarks occurrences due by now, oldest first
}

// LastMarks is how many marks HabitStats.Last holds at most.
const LastMarks = 12

// Stats computes the stats of habit h from occs, which may hold occurrences
// of other habits too (they are ignored), for a director with the given
// leave periods. Strength uses h.Interval().
func Stats(h Habit, occs []Occurrence, leave []Period, now time.Time) HabitStats {
	ms := marks(occs, leave, now, h)
	st := HabitStats{Habit: h, Strength: strengthOf(ms, h.Interval())}
	st.Current, st.Best = streakOf(ms)
	st.Last = slices.Clone(ms[max(0, len(ms)-LastMarks):])
	return st
}
