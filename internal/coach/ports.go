package coach

import (
	"context"
	"time"

	"github.com/leancoach/leancoach/internal/i18n"
)

// The persistence ports, implemented by internal/store. Each is small and
// declared here, where it is consumed. Unless a method says otherwise, errors
// are ENOTFOUND for a missing record and EINTERNAL for anything else. Every
// state change is one durable transaction: when a method returns nil, the
// change survives a crash.

// DirectorStore keeps directors and their Lean leaders.
type DirectorStore interface {
	PutDirector(ctx context.Context, d Director) error
	DeleteDirector(ctx context.Context, id UserID) error // ENOTFOUND
	Director(ctx context.Context, id UserID) (Director, error)
	Directors(ctx context.Context) ([]Director, error) // ordered by ID
}

// OccurrenceStore keeps prompts and their answers.
type OccurrenceStore interface {
	// CreateOccurrence stores o if no occurrence has its key. It returns the
	// stored occurrence and whether it was created now (false: it existed).
	CreateOccurrence(ctx context.Context, o Occurrence) (Occurrence, bool, error)
	Occurrence(ctx context.Context, key OccurrenceKey) (Occurrence, error)
	// UpdateOccurrence reads the occurrence, calls fn and stores the result,
	// all in one transaction. fn must be pure (no I/O): it may run while a
	// write lock is held. An error from fn aborts and is returned as it is.
	//
	// fn may run more than once (the store commits many writers' changes
	// together, and runs them again when their group fails): only the last
	// run counts. So fn must be a function of the *Occurrence it is given,
	// and must assign every result it reports through captured variables on
	// every run: `found = x.X == ""`, never `if x.X == "" { found = true }`,
	// which keeps a true from a run that did not commit.
	UpdateOccurrence(ctx context.Context, key OccurrenceKey, fn func(*Occurrence) error) (Occurrence, error)
	// History returns the director's occurrences of habit with Due >= since,
	// ordered by Due. An empty habit means every habit.
	History(ctx context.Context, d UserID, h Habit, since time.Time) ([]Occurrence, error)
}

// PromptReader reads prompts within one transaction (see Snapshot).
type PromptReader interface {
	Occurrence(key OccurrenceKey) (Occurrence, error) // ENOTFOUND
	// HistoryBack calls fn with d's occurrences of habit h due at or before
	// until, newest first (by Due, then key, descending), until fn returns
	// false or they run out.
	HistoryBack(d UserID, h Habit, until time.Time, fn func(Occurrence) bool) error
}

// PeopleReader reads directors, users and settings within one transaction
// (see Snapshot).
type PeopleReader interface {
	Director(id UserID) (Director, error) // ENOTFOUND
	// User returns u's preferences and cached Slack profile: zero Prefs when
	// none are set, a zero Profile (ID "") when none is cached.
	User(u UserID) (Prefs, Profile, error)
	Setting(key string) (string, error) // "" and nil when unset
}

// PathReader reads delegation paths within one transaction (see Snapshot).
type PathReader interface {
	// Paths returns director d's paths ordered by Lean leader.
	Paths(d UserID) ([]Path, error)
}

// Snapshot is the store as one transaction sees it: what a use case reads
// through it is consistent, and costs that one transaction. It is valid only
// during the call that hands it out.
type Snapshot interface {
	PromptReader
	PeopleReader
	PathReader
}

// AnswerStore records answers and reads what showing them takes, each in
// one transaction: a click costs one write and one read.
type AnswerStore interface {
	// RecordAnswer is UpdateOccurrence whose fn also reads the rest of the
	// store in the same write transaction, through s. fn's rules are
	// UpdateOccurrence's (pure, may run more than once, assigns every
	// result it reports on every run).
	RecordAnswer(ctx context.Context, key OccurrenceKey, fn func(o *Occurrence, s Snapshot) error) (Occurrence, error)
	// ReadSnapshot calls fn with a Snapshot of one read-only transaction and
	// returns fn's error as it is. fn must do no I/O.
	ReadSnapshot(ctx context.Context, fn func(s Snapshot) error) error
}

// ScheduleStore keeps schedules.
type ScheduleStore interface {
	// PutSchedule stores s; an empty s.ID gets the next free ID ("s1", "s2"…),
	// which is returned.
	PutSchedule(ctx context.Context, s Schedule) (ScheduleID, error)
	DeleteSchedule(ctx context.Context, id ScheduleID) error // ENOTFOUND
	Schedule(ctx context.Context, id ScheduleID) (Schedule, error)
	Schedules(ctx context.Context) ([]Schedule, error) // ordered by creation
}

// SettingStore keeps workspace settings such as the kudos channel.
type SettingStore interface {
	Setting(ctx context.Context, key string) (string, error) // "" and nil when unset
	PutSetting(ctx context.Context, key, value string) error
}

// Setting keys.
const (
	SettingKudosChannel = "kudos_channel"
)

// UserStore keeps what the bot knows per user: preferences, the cached Slack
// profile, and the added admins.
type UserStore interface {
	Prefs(ctx context.Context, id UserID) (Prefs, error) // zero Prefs when unset
	PutPrefs(ctx context.Context, id UserID, p Prefs) error
	CachedProfile(ctx context.Context, id UserID) (Profile, error) // ENOTFOUND
	// PutProfile caches the profiles, all in one transaction, keeping each
	// user's preferences.
	PutProfile(ctx context.Context, ps ...Profile) error
}

// AdminStore keeps the admins added with /coach admin add.
type AdminStore interface {
	AddAdmin(ctx context.Context, id, by UserID) error
	RemoveAdmin(ctx context.Context, id UserID) error // ENOTFOUND
	Admins(ctx context.Context) ([]UserID, error)
}

// KudosStore keeps public compliments and the question history.
type KudosStore interface {
	AddKudos(ctx context.Context, k Kudos) error
	KudosFor(ctx context.Context, leader UserID, since time.Time) ([]Kudos, error)
	// AskedQuestions returns the question IDs shown to d, oldest first.
	AskedQuestions(ctx context.Context, d UserID) ([]string, error)
	AddAskedQuestion(ctx context.Context, d UserID, questionID string) error
}

// AuditStore keeps the admin audit log.
type AuditStore interface {
	Audit(ctx context.Context, e AuditEntry) error
	AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) // newest first
}

// DataStore exports and erases everything about one user.
type DataStore interface {
	// Export returns every record that concerns u.
	Export(ctx context.Context, u UserID) (UserData, error)
	// Forget erases every record about u and compacts the file so the erased
	// bytes are gone from disk.
	Forget(ctx context.Context, u UserID) error
}

// PathStore keeps the delegation paths, one per director and Lean leader.
// A path outlives the pair's registration: removing a director, or a Lean
// leader from a director, keeps it (hidden: PathService reads the paths of
// current pairs only), so re-adding the pair brings it back; the
// director's DataStore.Forget deletes it.
type PathStore interface {
	// LoadPath returns the pair's path; ENOTFOUND when none was set.
	LoadPath(ctx context.Context, pair Pair) (Path, error)
	// ListPaths returns the director's paths ordered by leader; an empty
	// director lists every path, ordered by director, then leader.
	ListPaths(ctx context.Context, director UserID) ([]Path, error)
	// UpdatePath reads the pair's path (a zero Path with only Pair set
	// when there is none), calls fn with it and stores the result, all in
	// one transaction. fn must be pure (no I/O): it may run while a write
	// lock is held. An error from fn aborts, changes nothing and is
	// returned as it is. The path stays under pair whatever fn does to
	// p.Pair.
	UpdatePath(ctx context.Context, pair Pair, fn func(p *Path) error) (Path, error)
}

// CheckInStore keeps the Lean leaders' monthly check-ins, one per pair and
// month (the Lean leader's calendar). They are the Lean leader's records:
// their forget erases them, and so does the director's (the pair is gone).
type CheckInStore interface {
	// CheckIn returns the pair's check-in of month m; ENOTFOUND when none.
	CheckIn(ctx context.Context, pair Pair, m Month) (CheckIn, error)
	// ListCheckIns returns check-ins ordered by director, leader, then
	// month: the pair's when both are set, a director's when only
	// Director is, a Lean leader's when only Leader is, every one for the
	// zero Pair.
	ListCheckIns(ctx context.Context, of Pair) ([]CheckIn, error)
	// UpdateCheckIn reads the pair's check-in of month m (a zero CheckIn
	// with only Pair and Month set when there is none), calls fn with it
	// and stores the result, all in one transaction. fn must be pure: it
	// may run while a write lock is held. An error from fn aborts, changes
	// nothing and is returned as it is. The check-in stays under its pair
	// and month whatever fn does to them.
	UpdateCheckIn(ctx context.Context, pair Pair, m Month, fn func(c *CheckIn) error) (CheckIn, error)
}

// CommentStore keeps the Lean leaders' comments on their paths.
type CommentStore interface {
	// AddComment stores c under its pair with a new ID ("c1", "c2"…),
	// which the returned comment carries; ECONFLICT when the pair has
	// max comments already.
	AddComment(ctx context.Context, c Comment, max int) (Comment, error)
	// DeleteComment deletes the pair's comment id; ENOTFOUND when the pair
	// has none with that ID.
	DeleteComment(ctx context.Context, pair Pair, id string) error
	// ListComments returns comments oldest first, of the pairs selected as
	// ListCheckIns selects them.
	ListComments(ctx context.Context, of Pair) ([]Comment, error)
}

// Store is every persistence port together, as cmd/bot wires it.
type Store interface {
	CheckInStore
	CommentStore
	PathStore
	DirectorStore
	OccurrenceStore
	ScheduleStore
	SettingStore
	UserStore
	AnswerStore
	AdminStore
	KudosStore
	AuditStore
	DataStore
}

// Directory answers questions about Slack users (users.info). Errors mean
// Slack could not be asked; callers that decide access fail closed.
type Directory interface {
	Profile(ctx context.Context, id UserID) (Profile, error)
}

// Clock tells the time; tests and the sandbox inject their own.
type Clock interface {
	Now() time.Time
}

// ClockFunc adapts a function to Clock.
type ClockFunc func() time.Time

func (f ClockFunc) Now() time.Time { return f() }

// LangFor picks a user's language: their own choice, then their Slack locale,
// then the workspace default.
func LangFor(p Prefs, prof Profile, def i18n.Lang) i18n.Lang {
	if p.Lang != "" {
		return p.Lang
	}
	if l, ok := i18n.ParseLang(prof.Locale); ok {
		return l
	}
	return def
}

// Prompter delivers one prompt exactly once: it records the occurrence under
// its key before anything is sent, sends it in two phases (sending -> Slack ->
// sent) and reconciles with Slack after an unclear outcome. Implemented by
// internal/schedule; /coach send uses it too. Errors: ECONFLICT when the key
// was already delivered (the stored occurrence is returned with it).
type Prompter interface {
	Deliver(ctx context.Context, o Occurrence) (Occurrence, error)
}

// LocationOf returns u's time zone: their Slack profile's, else def. Slack
// being unreachable, or a zone name this build does not know, gives def.
func LocationOf(ctx context.Context, dir Directory, u UserID, def *time.Location) *time.Location {
	p, err := dir.Profile(ctx, u)
	if err != nil || p.TZ == "" {
		return def
	}
	loc, err := time.LoadLocation(p.TZ)
	if err != nil {
		return def
	}
	return loc
}
