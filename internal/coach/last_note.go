package coach

import (
	"context"
	"fmt"
	"strings"
)

// What a director wrote comes back: a habit's next prompt shows the note
// of its last answer ("Last time you noted: …"). The question prompt has
// its own (what the Lean leader came up with, LastAnswerBefore) and the
// path prompt shows the path itself, so neither gets one.

// lastNoteLookBack bounds how many earlier prompts of the habit are read
// for a note: a prompt is rendered for every send, and a habit whose notes
// stopped long ago does not need one.
const lastNoteLookBack = 12

// LastNoteStore is what LastNoteBefore reads through.
type LastNoteStore interface {
	ReadSnapshot(ctx context.Context, fn func(s Snapshot) error) error
}

// LastNoteBefore is the note of the last answer of o's habit before o (see
// lastNoteIn), read in one transaction; "" when there is none.
func LastNoteBefore(ctx context.Context, st LastNoteStore, o Occurrence) (string, error) {
	if !showsLastNote(o.Habit) {
		return "", nil
	}
	var note string
	err := st.ReadSnapshot(ctx, func(sn Snapshot) error {
		var err error
		note, err = lastNoteIn(sn, o)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("last note before %s: %w", o.Key, err)
	}
	return note, nil
}

// showsLastNote reports whether a prompt of h shows its last note.
func showsLastNote(h Habit) bool { return h != Question && h != PathReview }

// lastNoteIn is the note of the latest answer done with a note among the
// lastNoteLookBack prompts of o's director and habit due before o: a
// stand-up's observation and note together. "" when there is none.
func lastNoteIn(r PromptReader, o Occurrence) (string, error) {
	if !showsLastNote(o.Habit) {
		return "", nil
	}
	var note string
	seen := 0
	err := r.HistoryBack(o.Director, o.Habit, o.Due, func(x Occurrence) bool {
		if x.Key == o.Key {
			return true
		}
		seen++
		if a := x.Answer; a != nil && a.Outcome == Done {
			note = strings.Join(nonEmpty(a.Observation, a.Note), " · ")
		}
		return note == "" && seen < lastNoteLookBack
	})
	return note, err
}
