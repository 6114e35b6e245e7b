package coach_test

import (
	"errors"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/store"
)

// txns returns the store's read and write transactions so far.
func (f *fixture) txns(t *testing.T) store.Stats {
	t.Helper()
	st, err := f.db.Stats()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// A click on a prompt costs one write transaction (the answer, with what it
// decides on) and one read (what showing it takes), whatever the click.
func TestClickCostsOneWriteAndOneRead(t *testing.T) {
	clicks := []struct {
		name string
		do   func(f *fixture, k coach.OccurrenceKey) (coach.Answered, error)
	}{
		{"done", func(f *fixture, k coach.OccurrenceKey) (coach.Answered, error) {
			return f.svc.Done(t.Context(), director, k)
		}},
		{"not today", func(f *fixture, k coach.OccurrenceKey) (coach.Answered, error) {
			return f.svc.Answer(t.Context(), director, k, coach.AnswerInput{Outcome: coach.NotToday})
		}},
		{"snooze an hour", func(f *fixture, k coach.OccurrenceKey) (coach.Answered, error) {
			return f.svc.Snooze(t.Context(), director, k, coach.SnoozeHour)
		}},
		{"snooze until tomorrow morning", func(f *fixture, k coach.OccurrenceKey) (coach.Answered, error) {
			return f.svc.Snooze(t.Context(), director, k, coach.SnoozeMorning)
		}},
	}
	for _, c := range clicks {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t).withDirector(t)
			for range 3 { // some history to count a streak over
				o := f.send(t, coach.Gemba)
				if _, err := f.svc.Done(t.Context(), director, o.Key); err != nil {
					t.Fatal(err)
				}
				f.clock.Set(f.clock.Now().Add(time.Minute))
			}
			o := f.send(t, coach.Gemba)
			before := f.txns(t)
			a, err := c.do(f, o.Key)
			after := f.txns(t)
			if err != nil || a.Answer == nil {
				t.Fatalf("click = %+v, %v; want it recorded", a.Answer, err)
			}
			reads, writes := after.ReadTxns-before.ReadTxns, after.WriteTxns-before.WriteTxns
			if writes > 1 || reads > 1 {
				t.Errorf("the click cost %d write and %d read transactions, want at most 1 and 1", writes, reads)
			}
			if a.Lang == "" || a.Zone == nil {
				t.Errorf("Answered = lang %q zone %v, want both", a.Lang, a.Zone)
			}
		})
	}
}

// What the service returns is what the Slack side shows: the streak after
// the answer, the director's language (their choice first) and zone, and a
// follow-up's last note.
func TestAnsweredShowsEverything(t *testing.T) {
	f := newFixture(t).withDirector(t)
	ctx := t.Context()
	if err := f.db.PutPrefs(ctx, director, coach.Prefs{Lang: i18n.NL}); err != nil {
		t.Fatal(err)
	}
	for want := 1; want <= 3; want++ {
		o := f.send(t, coach.Standup)
		a, err := f.svc.Done(ctx, director, o.Key)
		if err != nil {
			t.Fatal(err)
		}
		if a.Streak != want || a.Lang != i18n.NL || a.Zone.String() != "Europe/Amsterdam" || !a.Changed {
			t.Errorf("answer %d = streak %d, lang %s, zone %s, changed %v; want streak %d, nl, Europe/Amsterdam, changed",
				want, a.Streak, a.Lang, a.Zone, a.Changed, want)
		}
		f.clock.Set(f.clock.Now().Add(time.Minute))
	}
	o := f.send(t, coach.Standup)
	a, err := f.svc.Answer(ctx, director, o.Key, coach.AnswerInput{Outcome: coach.NotToday})
	if err != nil || a.Streak != 0 {
		t.Errorf("not today = streak %d, %v; want 0", a.Streak, err)
	}

	// A question answered with a note, then its follow-up: the follow-up
	// shows what the Lean leader came up with.
	q := f.send(t, coach.Question)
	if _, err := f.svc.AddNote(ctx, director, q.Key, coach.NoteInput{Note: "A board by the line."}); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(f.clock.Now().Add(time.Hour))
	next := f.send(t, coach.Question)
	if !coach.IsFollowUp(next.QuestionID) {
		t.Fatalf("the question after an answered one = %s, want a follow-up", next.QuestionID)
	}
	snoozed, err := f.svc.Snooze(ctx, director, next.Key, coach.SnoozeHour)
	if err != nil {
		t.Fatal(err)
	}
	if snoozed.Last.CameUpWith != "A board by the line." || snoozed.Last.Leader != leader {
		t.Errorf("follow-up shows %+v, want the last note and the only Lean leader", snoozed.Last)
	}
}

// A compliment is answered with its text, not by a click: Done refuses it
// and records nothing.
func TestDoneOnACompliment(t *testing.T) {
	f := newFixture(t).withDirector(t)
	o := f.send(t, coach.Compliment)
	_, err := f.svc.Done(t.Context(), director, o.Key)
	if !errors.Is(err, coach.ErrComplimentFirst) {
		t.Fatalf("Done(compliment) = %v, want ErrComplimentFirst", err)
	}
	if a := f.stored(t, o.Key).Answer; a != nil {
		t.Errorf("Done(compliment) recorded %+v", a)
	}
	_, err = f.svc.Done(t.Context(), other, o.Key)
	wantCode(t, "Done on someone else's prompt", err, coach.EFORBIDDEN)
}
