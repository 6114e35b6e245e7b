package coach_test

import (
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

// TestDMHintOnceALocalDay: text typed in the bot's DM is answered once per
// day of the person's own calendar (pMember is in Amsterdam), again after an
// answer that could not be sent, and the mark goes with the person's data.
func TestDMHintOnceALocalDay(t *testing.T) {
	f := newPortalFix(t)
	ctx := t.Context()
	due := func(when string) bool {
		t.Helper()
		v, ok, err := f.portal.DMHint(ctx, pMember)
		if err != nil {
			t.Fatalf("DMHint %s = %v", when, err)
		}
		if v.User != pMember || v.Now.Location().String() != "Europe/Amsterdam" {
			t.Errorf("DMHint %s viewer = %+v, want the member in Amsterdam", when, v)
		}
		return ok
	}
	// 22:30 UTC on Monday 30 November is 23:30 in Amsterdam.
	f.clock.Set(time.Date(2026, 11, 30, 22, 30, 0, 0, time.UTC))
	if !due("first") {
		t.Fatalf("DMHint first = not due, want an answer")
	}
	if due("again the same evening") {
		t.Errorf("DMHint again the same local day = due, want no second answer")
	}
	f.clock.Set(time.Date(2026, 11, 30, 23, 15, 0, 0, time.UTC)) // 00:15 Tuesday in Amsterdam, still Monday in UTC
	if !due("after local midnight") {
		t.Errorf("DMHint on the next local day = not due, want an answer")
	}
	if err := f.portal.UndoDMHint(ctx, pMember); err != nil {
		t.Fatalf("UndoDMHint = %v", err)
	}
	if !due("after an undo") {
		t.Errorf("DMHint after UndoDMHint = not due, want the answer tried again")
	}
	if err := f.portal.Forget(ctx, pMember); err != nil {
		t.Fatalf("Forget = %v", err)
	}
	if v, _ := f.db.Setting(ctx, "dmhint|"+string(pMember)); v != "" {
		t.Errorf("DM answer mark after Forget = %q, want it erased", v)
	}
}

// TestDMHintOneAnswerForMessagesAtOnce: messages typed at once, handled by
// parallel workers, get one answer.
func TestDMHintOneAnswerForMessagesAtOnce(t *testing.T) {
	f := newPortalFix(t)
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		due int
	)
	for range 8 {
		wg.Go(func() {
			_, ok, err := f.portal.DMHint(t.Context(), pMember)
			if err != nil {
				t.Errorf("DMHint = %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			if ok {
				due++
			}
		})
	}
	wg.Wait()
	if due != 1 {
		t.Errorf("answers to 8 messages at once = %d, want 1", due)
	}
	if _, ok, _ := f.portal.DMHint(t.Context(), coach.UserID("ULEAD0001")); !ok {
		t.Errorf("DMHint of someone else = not due, want their own day")
	}
}
