package coach

import (
	"time"

	"github.com/leancoach/leancoach/internal/i18n"
)

// Director is a user an admin registered, with the Lean leaders they lead.
type Director struct {
	ID      UserID
	Leaders []UserID
	AddedBy UserID
	AddedAt time.Time
	Leave   []Period // leave periods: no prompts, streaks frozen
}

// Period is the half-open interval [From, Until).
type Period struct {
	From, Until time.Time
}

// Contains reports whether t lies in p.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.Until) }

// OnLeave reports whether d is on leave at t.
func (d Director) OnLeave(t time.Time) bool {
	for _, p := range d.Leave {
		if p.Contains(t) {
			return true
		}
	}
	return false
}

// Profile is what Slack tells about a user (users.info), cached.
type Profile struct {
	ID                UserID
	TeamID            TeamID
	Name              string // display name, for texts only
	TZ                string // IANA zone name; "" when Slack has none
	Locale            string // e.g. "nl-NL"; "" when unknown
	IsAdmin           bool
	IsOwner           bool
	IsPrimaryOwner    bool
	IsRestricted      bool // multi-channel guest
	IsUltraRestricted bool // single-channel guest
	IsBot             bool
	Deleted           bool
	FetchedAt         time.Time
}

// Prefs are a user's own settings.
type Prefs struct {
	Lang i18n.Lang // "" = follow the Slack locale, then the workspace default
	// CheckInsOff is a Lean leader's /coach checkin off: no monthly
	// check-ins until /coach checkin on.
	CheckInsOff bool
}

// ScheduleID identifies a schedule; short and typeable ("s7").
type ScheduleID string

// AdHoc is the schedule ID of prompts sent by hand with /coach send.
const AdHoc ScheduleID = "send"

// Schedule says when a habit's prompt goes to which directors. When is the
// canonical text of the rule (e.g. "weekdays 08:45"); it is parsed again
// wherever it is evaluated.
type Schedule struct {
	ID        ScheduleID
	Habit     Habit
	When      string
	ToAll     bool     // follows the director list as it changes
	Directors []UserID // when !ToAll
	Paused    bool
	CreatedBy UserID
	CreatedAt time.Time
}

// Targets reports whether the schedule addresses director d.
func (s Schedule) Targets(d UserID) bool {
	if s.ToAll {
		return true
	}
	for _, x := range s.Directors {
		if x == d {
			return true
		}
	}
	return false
}

// OccurrenceKey is the idempotency key of one prompt: schedule, director and
// the local date in the director's zone, "s7|U123|2026-12-07". Ad-hoc prompts
// use AdHoc and a local date with a sequence suffix ("2026-12-07.2").
type OccurrenceKey string

// NewOccurrenceKey builds the key.
func NewOccurrenceKey(s ScheduleID, d UserID, localDate string) OccurrenceKey {
	return OccurrenceKey(string(s) + "|" + string(d) + "|" + localDate)
}

// SendState is where a prompt is in the two-phase send.
type SendState string

const (
	Sending SendState = "sending" // recorded before chat.postMessage; outcome unknown until sent
	Sent    SendState = "sent"    // Slack accepted it; Channel and TS are set
	Failed  SendState = "failed"  // permanent Slack error; never retried
	Missed  SendState = "missed"  // due while the bot was down, outside the catch-up window; never sent
	// Deferred: held back by the weekly budget (see Budget); weighed again
	// a week later. Not sent, never missed: it neither counts nor breaks.
	Deferred SendState = "deferred"
	// Superseded: held back by the weekly budget until a later prompt of
	// its habit went first; never sent, neither counts nor breaks.
	Superseded SendState = "superseded"
)

// Held reports whether s is a prompt the weekly budget held back, waiting
// (Deferred) or for good (Superseded): the director never saw it.
func (s SendState) Held() bool { return s == Deferred || s == Superseded }

// Outcome is how the director answered a prompt.
type Outcome string

const (
	Done     Outcome = "done"
	NotToday Outcome = "not_today"
	Snoozed  Outcome = "snoozed" // not final: the prompt comes back at SnoozeUntil
	Expired  Outcome = "expired" // unanswered when the habit's next prompt was due
)

// Final reports whether o closes the occurrence.
func (o Outcome) Final() bool { return o == Done || o == NotToday || o == Expired }

// Occurrence is one prompt for one director and habit.
type Occurrence struct {
	Key       OccurrenceKey
	Schedule  ScheduleID
	Director  UserID
	Habit     Habit
	LocalDate string    // YYYY-MM-DD in the director's zone
	Due       time.Time // UTC

	State      SendState
	Attempts   int
	StartedAt  time.Time // last time a send was started (state Sending)
	SentAt     time.Time
	Channel    ChannelID // the DM, once sent
	TS         string    // the message's ts, once sent
	FailReason string    // Slack's error code, for Failed

	QuestionID string // the question shown, for the question habit

	Answer *Answer // nil until answered
}

// Open reports whether the occurrence can still be answered.
func (o Occurrence) Open() bool {
	return o.State == Sent && (o.Answer == nil || !o.Answer.Outcome.Final())
}

// Answer is the director's reply to a prompt.
type Answer struct {
	Outcome     Outcome
	At          time.Time
	By          UserID
	SnoozeUntil time.Time // for Snoozed

	Note          string // private: only the director sees it
	Observation   string // standup: private
	FeedbackGiven bool   // standup

	Leader UserID // compliment: who got the kudos
	Text   string // compliment: the public text
	// InPerson marks a compliment said in person: done, with no public
	// post and no kudos (Service.InPerson); its Note is what was said.
	InPerson bool

	QuestionID string // question: which question
	Asked      string // question: as the director asked it (private)
}

// Kudos is a public compliment posted in the kudos channel.
type Kudos struct {
	ID      string
	From    UserID
	To      UserID
	Text    string
	At      time.Time
	Occ     OccurrenceKey // the prompt it answered, if any
	Channel ChannelID
	TS      string
}

// AuditEntry records one admin change.
type AuditEntry struct {
	At     time.Time
	Actor  UserID
	Action string // e.g. "director.add", "schedule.remove"
	Detail string // IDs and keys only, never users' free text
}
