package coach

import (
	"slices"
	"strings"
	"time"
)

// What a director wrote comes back in their weekly digest: the notes of the
// week's answers, and what the Lean leaders came up with (a question
// answer's note). The digest goes only to that director, in their DM.

// MaxDigestNotes bounds the notes a digest shows, newest kept, so that a
// week of notes fits one message.
const MaxDigestNotes = 10

// DigestNote is one note of the week: the prompt's habit and due time (in
// the director's zone) and the text as written. CameUpWith marks what a
// Lean leader came up with (the note of a question answer).
type DigestNote struct {
	Habit
	Due        time.Time
	Text       string
	CameUpWith bool
}

// digestNotes are the notes of the week's answers done, oldest first, at
// most MaxDigestNotes (the newest), for a digest in loc. A stand-up's
// observation and note are one note.
func digestNotes(week []Occurrence, loc *time.Location) []DigestNote {
	var out []DigestNote
	for _, o := range week {
		a := o.Answer
		if a == nil || a.Outcome != Done {
			continue
		}
		text := strings.TrimSpace(strings.Join(nonEmpty(a.Observation, a.Note), " · "))
		if text == "" {
			continue
		}
		out = append(out, DigestNote{Habit: o.Habit, Due: o.Due.In(loc), Text: text, CameUpWith: o.Habit == Question})
	}
	slices.SortStableFunc(out, func(a, b DigestNote) int { return a.Due.Compare(b.Due) })
	if len(out) > MaxDigestNotes {
		out = out[len(out)-MaxDigestNotes:]
	}
	return out
}

// nonEmpty returns the strings of ss that hold more than space.
func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}
