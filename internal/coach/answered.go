package coach

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/leancoach/leancoach/internal/i18n"
)

// Answered is a prompt as its director should see it now, after an answer,
// a snooze, a new question or a note, with everything showing it takes: the
// Slack side renders it and sends it, nothing more. What it holds besides
// the occurrence is read in one read transaction right after the write.
type Answered struct {
	Occurrence
	Streak int            // the director's current streak of the habit
	Lang   i18n.Lang      // the director's language
	Zone   *time.Location // the director's zone, for dates
	Last   LastAnswer     // a follow-up question: what the Lean leader came up with last time
	// LastNote is the note of the habit's last answer before this prompt
	// (LastNoteBefore); "" for none.
	LastNote string
	// Focus is the Lean leader the prompt pointed at when it was sent
	// (FocusOf reads only the history before it, so the pick and its line
	// stay as they were); with one Lean leader only who they are
	// (shownFocusIn); the zero Focus for a habit that points at no one.
	Focus Focus
	// Paths are a snoozed path prompt's paths, whose review buttons it
	// keeps (LoadPathPrompt); nil for every other prompt.
	Paths []PathView
	// KudosChannel is where a compliment's kudos was posted: "" until
	// PublishKudos posted it.
	KudosChannel ChannelID
	// Kudos is a compliment answer's kudos: to be posted (PublishKudos),
	// and after that as posted (with its TS, once it is); nil for every
	// other answer.
	Kudos *Kudos
	// Changed is false when the call changed nothing (the same note saved
	// again): the message shows it already.
	Changed bool
}

// ComplimentForm is what the form of a compliment prompt shows.
type ComplimentForm struct {
	Occurrence
	Lang         i18n.Lang
	Leaders      []Person  // the director's Lean leaders, in the order registered, named from the profile cache
	Leader       UserID    // the one preselected: the first
	KudosChannel ChannelID // where the kudos will go; "" when none is set
}

// NoteForm is what the form of a done answer's private note shows: the
// prompt with the note saved so far.
type NoteForm struct {
	Occurrence
	Lang i18n.Lang
}

// ErrComplimentFirst is Done's answer for a compliment prompt: it is
// recorded with its text, from its form (ComplimentForm), not by a click.
var ErrComplimentFirst = Errorf(EINVALID, "svc.err.kudos_incomplete")

// answered reads, in one read transaction, what showing o takes.
func (s *Service) answered(ctx context.Context, o Occurrence) (Answered, error) {
	a := Answered{Occurrence: o, Lang: s.lang, Zone: s.tz, Changed: true}
	now := s.clock.Now()
	err := s.store.ReadSnapshot(ctx, func(sn Snapshot) error {
		prefs, prof, err := sn.User(o.Director)
		if err != nil {
			return err
		}
		a.Lang, a.Zone = LangFor(prefs, prof, s.lang), s.zones.of(prof.TZ, s.tz)
		dir, err := directorIn(sn, o.Director)
		if err != nil {
			return err
		}
		if a.Streak, err = currentStreak(sn, o.Director, o.Habit, dir.Leave, now); err != nil {
			return err
		}
		if a.Last, err = lastAnswerIn(sn, o, dir); err != nil {
			return err
		}
		if a.LastNote, err = lastNoteIn(sn, o); err != nil {
			return err
		}
		a.Focus, err = shownFocusIn(sn, o, dir.Leaders)
		return err
	})
	if err != nil {
		return a, fmt.Errorf("show prompt %s: %w", o.Key, err)
	}
	if o.Habit == PathReview && o.Answer != nil && o.Answer.Outcome == Snoozed {
		if a.Paths, err = LoadPathPrompt(ctx, s.store, o.Director, now, a.Zone); err != nil {
			return a, fmt.Errorf("show prompt %s: %w", o.Key, err)
		}
	}
	return a, nil
}

// directorIn reads d's director record; a zero Director when d is none.
func directorIn(r PeopleReader, d UserID) (Director, error) {
	dir, err := r.Director(d)
	if ErrorCode(err) == ENOTFOUND {
		return Director{ID: d}, nil
	}
	return dir, err
}

// currentStreak is Streak's current streak of d's habit h by now, read
// newest first and only as far back as the streak goes: an answer must not
// cost a read of the director's whole history.
func currentStreak(r PromptReader, d UserID, h Habit, leave []Period, now time.Time) (int, error) {
	n := 0
	err := r.HistoryBack(d, h, now, func(o Occurrence) bool {
		m := markOf(&o, leave)
		if m.Counts() {
			n++
		}
		return !m.Breaks()
	})
	return n, err
}

// lastAnswerIn is LastAnswerBefore within a snapshot: zero when o is no
// follow-up question.
func lastAnswerIn(r PromptReader, o Occurrence, dir Director) (LastAnswer, error) {
	if o.Habit != Question || !IsFollowUp(o.QuestionID) {
		return LastAnswer{}, nil
	}
	var last LastAnswer
	err := r.HistoryBack(o.Director, Question, o.Due, func(x Occurrence) bool {
		if x.Key == o.Key || x.Answer == nil || x.Answer.Outcome != Done {
			return true
		}
		last = lastAnswerOf(x, dir)
		return false
	})
	return last, err
}

// lastAnswerOf is what answered question prompt x shows a follow-up: its
// question, its note, and the director's Lean leader if they have one only.
func lastAnswerOf(x Occurrence, dir Director) LastAnswer {
	id := x.Answer.QuestionID
	if id == "" {
		id = x.QuestionID
	}
	last := LastAnswer{QuestionID: id, CameUpWith: x.Answer.Note}
	if len(dir.Leaders) == 1 {
		last.Leader = dir.Leaders[0]
	}
	return last
}

// ComplimentForm returns what the form of compliment prompt key shows, if
// actor may answer it now (as Prompt): one read.
func (s *Service) ComplimentForm(ctx context.Context, actor UserID, key OccurrenceKey) (ComplimentForm, error) {
	var f ComplimentForm
	err := s.store.ReadSnapshot(ctx, func(sn Snapshot) error {
		o, err := occurrenceIn(sn, key)
		if err != nil {
			return err
		}
		if err := answerable(o, actor); err != nil {
			return err
		}
		if o.Habit != Compliment {
			return Errorf(EINVALID, "svc.err.not_a_compliment")
		}
		f = ComplimentForm{Occurrence: o}
		prefs, prof, err := sn.User(actor)
		if err != nil {
			return err
		}
		f.Lang = LangFor(prefs, prof, s.lang)
		d, err := sn.Director(actor)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			return Errorf(EFORBIDDEN, "svc.err.directors_only")
		case err != nil:
			return err
		case len(d.Leaders) == 0:
			return Errorf(EINVALID, "svc.err.no_leaders")
		}
		for _, l := range d.Leaders {
			_, p, err := sn.User(l)
			if err != nil {
				return err
			}
			f.Leaders = append(f.Leaders, Person{ID: l, Name: p.Name})
		}
		f.Leader = d.Leaders[0]
		if fc, ok, err := focusIn(sn, o, d.Leaders); err != nil {
			return err
		} else if ok {
			f.Leader = fc.Leader // the Lean leader served least recently
		}
		ch, err := sn.Setting(SettingKudosChannel)
		f.KudosChannel = ChannelID(ch)
		return err
	})
	if err != nil {
		return ComplimentForm{}, wrapUnlessSafe("compliment form", err)
	}
	return f, nil
}

// NoteForm returns what the note form of prompt key shows, if actor may add
// a note to it now (see AddNote): one read.
func (s *Service) NoteForm(ctx context.Context, actor UserID, key OccurrenceKey) (NoteForm, error) {
	var f NoteForm
	err := s.store.ReadSnapshot(ctx, func(sn Snapshot) error {
		o, err := occurrenceIn(sn, key)
		if err != nil {
			return err
		}
		if err := noteable(o, actor); err != nil {
			return err
		}
		prefs, prof, err := sn.User(actor)
		f = NoteForm{Occurrence: o, Lang: LangFor(prefs, prof, s.lang)}
		return err
	})
	if err != nil {
		return NoteForm{}, wrapUnlessSafe("note form", err)
	}
	return f, nil
}

// occurrenceIn reads the prompt key; ENOTFOUND with the message for users.
func occurrenceIn(r PromptReader, key OccurrenceKey) (Occurrence, error) {
	o, err := r.Occurrence(key)
	if ErrorCode(err) == ENOTFOUND {
		return Occurrence{}, Errorf(ENOTFOUND, "svc.err.prompt_not_found")
	}
	return o, err
}

// PublishKudos posts the kudos of a compliment just recorded (a.Kudos,
// from Answer) in the kudos channel and keeps it with its message's ts; the
// Answered it returns says where it went. The answer is recorded whatever
// happens here. EFORBIDDEN (saying how to invite the bot) when the bot may
// not post in the channel; EINTERNAL otherwise. An a without Kudos is
// returned as it is.
func (s *Service) PublishKudos(ctx context.Context, a Answered) (Answered, error) {
	if a.Kudos == nil {
		return a, nil
	}
	k, err := s.postKudos(ctx, *a.Kudos)
	a.Kudos = &k
	if k.TS != "" { // posted, even if keeping it failed
		a.KudosChannel = k.Channel
	}
	return a, err
}

// zoneCache keeps the zones LoadLocation read (it reads the zone file on
// every call), by name.
type zoneCache struct {
	mu    sync.Mutex
	zones map[string]*time.Location
}

// of returns the zone named name, or def when name is empty or unknown to
// this build.
func (c *zoneCache) of(name string, def *time.Location) *time.Location {
	if name == "" {
		return def
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if loc, ok := c.zones[name]; ok {
		return loc
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return def
	}
	if c.zones == nil {
		c.zones = map[string]*time.Location{}
	}
	c.zones[name] = loc
	return loc
}

// errUnchanged refuses a write that would change nothing (the same note
// again): no commit, and nothing to show anew.
var errUnchanged = errors.New("unchanged")
