package store_test

import (
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

// BenchmarkRecordAnswer measures recording one prompt and its answer: the
// CreateOccurrence of the due-loop and the UpdateOccurrence of a click, two
// durable commits.
func BenchmarkRecordAnswer(b *testing.B) {
	db := openTest(b)
	ctx := b.Context()
	i := 0
	for b.Loop() {
		o := occ("s1", "U1", coach.Standup, i)
		i++
		if _, _, err := db.CreateOccurrence(ctx, o); err != nil {
			b.Fatal(err)
		}
		_, err := db.UpdateOccurrence(ctx, o.Key, func(o *coach.Occurrence) error {
			o.Answer = &coach.Answer{Outcome: coach.Done, At: o.Due, By: o.Director, Note: "went well"}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnswerParallel measures a burst of answers: many directors (64
// goroutines) each answering their own prompt at once, each answer one
// UpdateOccurrence that is durable when it returns. "alone" commits every
// answer in a transaction of its own (as before group commit), "group"
// through group commit. It reports answers per second and commits per
// answer; each commit is two fdatasyncs (reliability.md §4.1).
//
//	go test -run '^$' -bench AnswerParallel -count 6 ./internal/store/ | benchstat -
func BenchmarkAnswerParallel(b *testing.B) {
	for _, mode := range []string{"alone", "group"} {
		b.Run(mode, func(b *testing.B) {
			db := openTest(b)
			if mode == "alone" {
				db.CommitAlone()
			}
			occs := make([]coach.Occurrence, b.N)
			for i := range occs {
				o := occ("s1", coach.UserID(fmt.Sprintf("D%07d", i)), coach.Standup, 0)
				o.State, o.SentAt, o.Channel, o.TS = coach.Sent, t0, "D1", "1.2"
				occs[i] = o
			}
			if err := db.SeedOccurrences(occs); err != nil {
				b.Fatal(err)
			}
			before, err := db.Stats()
			if err != nil {
				b.Fatal(err)
			}
			var next atomic.Int64
			b.SetParallelism(32) // 64 writers on 2 CPUs
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					o := occs[next.Add(1)-1]
					if err := answer(db, o.Key, o.Director, "n"); err != nil {
						b.Error(err)
						return
					}
				}
			})
			elapsed := time.Since(start)
			b.StopTimer()
			after, err := db.Stats()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "answers/s")
			b.ReportMetric(float64(after.Commits-before.Commits)/float64(b.N), "commits/answer")
		})
	}
}

const (
	benchDirectors = 10
	benchDays      = 1000
)

// answered100k builds 100,000 answered occurrences: 10 directors, each of
// the 10 first habits daily for 1000 days.
func answered100k() []coach.Occurrence {
	habits := coach.Habits()[:10]
	out := make([]coach.Occurrence, 0, benchDirectors*len(habits)*benchDays)
	for d := range benchDirectors {
		dir := coach.UserID(fmt.Sprintf("U%03d", d))
		for hi, h := range habits {
			for day := range benchDays {
				o := occ(coach.ScheduleID(fmt.Sprintf("s%d", hi+1)), dir, h, day-benchDays)
				o.State, o.SentAt = coach.Sent, o.Due
				o.Answer = &coach.Answer{Outcome: coach.Done, At: o.Due.Add(time.Hour), By: dir,
					Note: "a short private note about today's stand-up"}
				out = append(out, o)
			}
		}
	}
	return out
}

// seeded100k returns the path of a closed store file holding answered100k.
func seeded100k(b *testing.B) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "leancoach.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := db.SeedOccurrences(answered100k()); err != nil {
		b.Fatal(err)
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkHistory100k measures History over a store of 100,000 answers:
// the streak query of one habit (last 90 days, about 90 records) and one
// director's whole history (10,000 records).
func BenchmarkHistory100k(b *testing.B) {
	db := openAt(b, seeded100k(b))
	ctx := b.Context()
	cases := []struct {
		name  string
		h     coach.Habit
		since time.Time
		want  int
	}{
		{"habit_90d", coach.Standup, t0.AddDate(0, 0, -90), 90},
		{"all_habits_all_time", "", time.Time{}, 10 * benchDays},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				h, err := db.History(ctx, "U005", c.h, c.since)
				if err != nil || len(h) != c.want {
					b.Fatalf("History = %d records, %v, want %d", len(h), err, c.want)
				}
			}
		})
	}
}

// BenchmarkOpen100k measures Open (schema, and the consistency check unless
// skipped) plus Close of a store of 100,000 answers.
func BenchmarkOpen100k(b *testing.B) {
	path := seeded100k(b)
	for _, skip := range []bool{false, true} {
		b.Run(fmt.Sprintf("skip_check=%t", skip), func(b *testing.B) {
			for b.Loop() {
				db, err := store.Open(path, store.Options{SkipCheck: skip})
				if err != nil {
					b.Fatal(err)
				}
				if err := db.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
