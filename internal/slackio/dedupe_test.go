package slackio

import (
	"testing"
	"time"
)

func TestDedupe(t *testing.T) {
	d := newDedupe(time.Hour, 3, time.Now)
	if d.seen("a") {
		t.Fatal("seen(a) first time = true, want false")
	}
	if !d.seen("a") {
		t.Fatal("seen(a) second time = false, want true")
	}
	for _, k := range []string{"b", "c", "d"} {
		d.seen(k)
	}
	if len(d.at) > 3 {
		t.Fatalf("dedupe holds %d keys, want at most 3", len(d.at))
	}
	if d.seen("a") {
		t.Error("seen(a) after eviction = true, want false (oldest evicted)")
	}
	if !d.seen("d") {
		t.Error("seen(d) = false, want true (newest kept)")
	}
}

func TestDedupeTTL(t *testing.T) {
	d := newDedupe(0, 10, time.Now)
	d.seen("a")
	if d.seen("a") {
		t.Error("seen(a) with zero TTL = true, want false")
	}
}

// The window runs on the dedupe's own clock: a key is remembered for the
// TTL and forgotten after it, and a forgotten key is remembered anew.
func TestDedupeWindowOnItsClock(t *testing.T) {
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	d := newDedupe(time.Hour, 10, func() time.Time { return now })
	d.seen("a")
	now = now.Add(59 * time.Minute)
	if !d.seen("a") {
		t.Fatal("seen(a) 59 minutes on = false, want true (within the TTL)")
	}
	now = now.Add(time.Hour)
	if d.seen("a") {
		t.Fatal("seen(a) an hour after it was last recorded = true, want false (past the TTL)")
	}
	if !d.seen("a") {
		t.Error("seen(a) right after it was recorded again = false, want true")
	}
}
