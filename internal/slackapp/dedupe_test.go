package slackapp

import (
	"testing"
	"time"
)

func TestDedupe(t *testing.T) {
	d := newDedupe(time.Hour, 3)
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
	d := newDedupe(0, 10)
	d.seen("a")
	if d.seen("a") {
		t.Error("seen(a) with zero TTL = true, want false")
	}
}
