package store_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

// noted100k is answered100k moved two years back, with notes of a
// realistic size: about 1.3 KB of free text per answer (a note and an
// observation).
func noted100k() []coach.Occurrence {
	note := strings.Repeat("what the leader came up with today; ", 20)[:650]
	occs := answered100k()
	for i := range occs {
		o := &occs[i]
		o.Due = o.Due.AddDate(-2, 0, 0)
		o.LocalDate = o.Due.Format(time.DateOnly)
		o.Key = coach.NewOccurrenceKey(o.Schedule, o.Director, o.LocalDate)
		o.SentAt = o.Due
		o.Answer.At = o.Due.Add(time.Hour)
		o.Answer.Note, o.Answer.Observation = note, note
	}
	return occs
}

// seededFile writes occs into a closed store file and returns its path.
func seededFile(b *testing.B, occs []coach.Occurrence) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "seed.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := db.SeedOccurrences(occs); err != nil {
		b.Fatal(err)
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

func copyTo(b *testing.B, from, to string) {
	b.Helper()
	src, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
}

func fileMiB(b *testing.B, path string) float64 {
	b.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return float64(fi.Size()) / (1 << 20)
}

// BenchmarkPruneNotes100k measures one nightly run over 100,000 answers
// with about 1.3 KB of notes each: all_old clears every note (100 batches
// of 1,000) and compacts the file; none_old finds nothing older than its
// cutoff and only scans; all_old_cleared_before is the nightly run after
// all_old (the steady state). It reports the file's size before and after.
func BenchmarkPruneNotes100k(b *testing.B) {
	occs := noted100k()
	seed := seededFile(b, occs)
	for _, c := range []struct {
		name    string
		cutoff  time.Time
		want    int
		cleared bool // a run with the same cutoff went before (the steady state)
	}{
		{"all_old", t0.AddDate(-1, 0, 0), len(occs), false},
		{"all_old_cleared_before", t0.AddDate(-1, 0, 0), 0, true},
		{"none_old", t0.AddDate(-10, 0, 0), 0, false},
	} {
		b.Run(c.name, func(b *testing.B) {
			var before, after float64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				path := filepath.Join(b.TempDir(), fmt.Sprintf("leancoach-%d.db", i))
				copyTo(b, seed, path)
				before = fileMiB(b, path)
				db, err := store.Open(path, store.Options{SkipCheck: true})
				if err != nil {
					b.Fatal(err)
				}
				if c.cleared {
					if _, err := db.PruneNotes(b.Context(), c.cutoff, 0); err != nil {
						b.Fatal(err)
					}
					before = fileMiB(b, path)
				}
				b.StartTimer()
				res, err := db.PruneNotes(b.Context(), c.cutoff, 0)
				b.StopTimer()
				if err != nil || res.Answers != c.want {
					b.Fatalf("PruneNotes = %+v, %v, want %d answers", res, err, c.want)
				}
				if err := db.Close(); err != nil {
					b.Fatal(err)
				}
				after = fileMiB(b, path)
				b.StartTimer()
			}
			b.ReportMetric(before, "MiB_before")
			b.ReportMetric(after, "MiB_after")
		})
	}
}
