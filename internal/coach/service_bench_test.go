package coach_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

// BenchmarkServiceAnswer measures Service.Answer alone (real bbolt with
// fsync, Slack stubbed): one op is a burst of answers, one per director, all
// at once, as when many directors answer their morning prompt together.
//
//	go test -run XXX -bench ServiceAnswer ./internal/coach/
func BenchmarkServiceAnswer(b *testing.B) {
	for _, par := range []int{1, 50} {
		b.Run(fmt.Sprintf("concurrent=%d", par), func(b *testing.B) {
			f := newFixture(b)
			f.withDirector(b)
			dirs := make([]coach.UserID, par)
			for i := range dirs {
				dirs[i] = coach.UserID(fmt.Sprintf("UBENCH%03d", i))
				if _, err := f.svc.AddDirector(b.Context(), admin, dirs[i], []coach.UserID{leader}); err != nil {
					b.Fatal(err)
				}
			}
			n := 0
			for b.Loop() {
				b.StopTimer()
				keys := make([]coach.OccurrenceKey, par)
				n++
				for i := range keys {
					o, err := prompter{f.db}.Deliver(b.Context(), coach.Occurrence{
						Key: coach.NewOccurrenceKey("b", dirs[i], fmt.Sprintf("d%d", n)), Schedule: "b",
						Director: dirs[i], Habit: coach.Gemba, Due: time.Now()})
					if err != nil {
						b.Fatal(err)
					}
					keys[i] = o.Key
				}
				b.StartTimer()
				var wg sync.WaitGroup
				for i, k := range keys {
					wg.Go(func() {
						if _, err := f.svc.Answer(b.Context(), dirs[i], k, coach.AnswerInput{Outcome: coach.NotToday}); err != nil {
							b.Error(err)
						}
					})
				}
				wg.Wait()
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*par), "ms/answer")
		})
	}
}
