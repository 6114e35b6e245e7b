package coach

import (
	"encoding/json"
	"fmt"
	"time"
)

// The export file (docs/export.md): one layout for /coach export (one
// person) and `bot export` (some people, or everyone with the workspace's
// schedules and audit log). Keys are snake_case; every key of an object is
// always present, with null for a time or an object that does not apply.

// ExportFormat names the kind of file; ExportSchemaVersion its layout.
// Version 1 was the layout before it was versioned, with Go field names;
// version 3 added the delegation paths (paths, paths_as_leader); version 4
// the Lean leader's side (check_ins, check_ins_about_me, comments,
// comments_received, check_ins_off) and took what a director saw at a
// review out of paths_as_leader.
const (
	ExportFormat        = "leancoach-export"
	ExportSchemaVersion = 4
)

// UserData is everything stored about one user, as DataStore.Export reads
// it. Nothing about other users is in it beyond their IDs.
type UserData struct {
	User           UserID
	Director       *Director // when User is a director
	LeaderOf       []UserID  // the directors who name User as a Lean leader
	Prefs          Prefs
	Profile        *Profile    // the cached Slack profile, when cached
	Admin          *AdminGrant // when User was added as an admin
	Occurrences    []Occurrence
	KudosGiven     []Kudos
	KudosReceived  []Kudos
	QuestionsAsked []string     // question IDs, oldest first
	Audit          []AuditEntry // entries User is the actor of, oldest first
	Paths          []Path       // the paths User keeps as a director, by leader
	PathsAsLeader  []Path       // the paths User's directors keep with User as their Lean leader, as User reads them (Path.ForLeader)
	// CheckIns are User's own check-ins as a Lean leader, private text
	// included; CheckInsAboutMe what User's Lean leaders shared with User
	// as their director (SharedCheckIns: never a private text).
	CheckIns        []CheckIn
	CheckInsAboutMe []SharedCheckIn
	// Comments are those User wrote as a Lean leader; CommentsReceived
	// those User's Lean leaders wrote on User's paths.
	Comments         []Comment
	CommentsReceived []Comment
}

// AdminGrant is who added an admin with /coach admin add, and when.
type AdminGrant struct {
	By UserID
	At time.Time
}

// Workspace is what an export of everyone holds besides the people.
type Workspace struct {
	Schedules []Schedule
	Audit     []AuditEntry // oldest first
}

// Export is an export file.
type Export struct {
	Format        string         `json:"format"`
	SchemaVersion int            `json:"schema_version"`
	ExportedAt    string         `json:"exported_at"`
	Users         []ExportedUser `json:"users"`
	// Only in an export of everyone.
	Schedules *[]ExportedSchedule   `json:"schedules,omitempty"`
	Audit     *[]ExportedAuditEntry `json:"audit,omitempty"`
}

// ExportedUser is one person's data.
type ExportedUser struct {
	UserID         string               `json:"user_id"`
	Language       string               `json:"language"` // "en", "nl"; "" follows Slack
	Director       *ExportedDirector    `json:"director"`
	LeaderOf       []string             `json:"leader_of"`
	Profile        *ExportedProfile     `json:"profile"`
	Admin          *ExportedAdmin       `json:"admin"`
	Occurrences    []ExportedOccurrence `json:"occurrences"`
	KudosGiven     []ExportedKudos      `json:"kudos_given"`
	KudosReceived  []ExportedKudos      `json:"kudos_received"`
	QuestionsAsked []string             `json:"questions_asked"`
	Audit          []ExportedAuditEntry `json:"audit"`
	Paths          []ExportedPath       `json:"paths"`
	PathsAsLeader  []ExportedPath       `json:"paths_as_leader"`
	CheckInsOff    bool                 `json:"check_ins_off"`
	CheckIns       []ExportedCheckIn    `json:"check_ins"`
	CheckInsAbout  []ExportedCheckIn    `json:"check_ins_about_me"`
	Comments       []ExportedComment    `json:"comments"`
	CommentsRecvd  []ExportedComment    `json:"comments_received"`
}

// ExportedCheckIn is one monthly check-in of a Lean leader about a
// director. In check_ins_about_me, note is "" where the Lean leader kept it
// for themselves, and only_for_me is always false.
type ExportedCheckIn struct {
	Director   string  `json:"director"`
	Leader     string  `json:"leader"`
	Month      string  `json:"month"`
	SentAt     *string `json:"sent_at"`
	Needed     string  `json:"needed"`
	Got        string  `json:"got"`
	Note       string  `json:"note"`
	OnlyForMe  bool    `json:"only_for_me"`
	AnsweredAt *string `json:"answered_at"`
	UpdatedAt  *string `json:"updated_at"`
}

// ExportedComment is a Lean leader's comment on a path.
type ExportedComment struct {
	ID       string  `json:"id"`
	Director string  `json:"director"`
	Leader   string  `json:"leader"`
	At       *string `json:"at"`
	Text     string  `json:"text"`
}

// ExportedPath is a delegation path. Dates are YYYY-MM-DD in the director's
// calendar, "" when not set.
type ExportedPath struct {
	Director   string             `json:"director"`
	Leader     string             `json:"leader"`
	Revision   int                `json:"revision"`
	Styles     []ExportedSpell    `json:"styles"`
	Phases     []ExportedSpell    `json:"phases"`
	Next       ExportedStep       `json:"next"`
	HandedOver []ExportedHandover `json:"handed_over"`
	Reviews    []ExportedReview   `json:"reviews"`
	CreatedAt  *string            `json:"created_at"`
	UpdatedAt  *string            `json:"updated_at"`
}

// ExportedSpell is one style ("directing"…; phase 0) or phase (1–4; style
// "") held since a day.
type ExportedSpell struct {
	Style string `json:"style"`
	Phase int    `json:"phase"`
	Since string `json:"since"`
}

// ExportedStep is a responsibility to hand over.
type ExportedStep struct {
	Responsibility string `json:"responsibility"`
	DoneLooksLike  string `json:"done_looks_like"`
	Target         string `json:"target"`
}

// ExportedHandover is a responsibility handed over.
type ExportedHandover struct {
	Responsibility string  `json:"responsibility"`
	On             string  `json:"on"`
	RecordedAt     *string `json:"recorded_at"`
}

// ExportedReview is one review of a path.
type ExportedReview struct {
	RecordedAt *string      `json:"recorded_at"`
	On         string       `json:"on"`
	Planned    ExportedStep `json:"planned"`
	Outcome    string       `json:"outcome"`
	Saw        string       `json:"saw"`
	Next       ExportedStep `json:"next"`
	NewStyle   string       `json:"new_style"`
	NewPhase   int          `json:"new_phase"`
}

// ExportedDirector is a director's registration.
type ExportedDirector struct {
	Leaders []string        `json:"leaders"`
	AddedBy string          `json:"added_by"`
	AddedAt *string         `json:"added_at"`
	Leave   []ExportedLeave `json:"leave"`
}

// ExportedLeave is one leave period, [from, until).
type ExportedLeave struct {
	From  *string `json:"from"`
	Until *string `json:"until"`
}

// ExportedProfile is the cached Slack profile.
type ExportedProfile struct {
	TeamID            string  `json:"team_id"`
	Name              string  `json:"name"`
	TimeZone          string  `json:"time_zone"`
	Locale            string  `json:"locale"`
	IsAdmin           bool    `json:"is_admin"`
	IsOwner           bool    `json:"is_owner"`
	IsPrimaryOwner    bool    `json:"is_primary_owner"`
	IsRestricted      bool    `json:"is_restricted"`
	IsUltraRestricted bool    `json:"is_ultra_restricted"`
	IsBot             bool    `json:"is_bot"`
	Deleted           bool    `json:"deleted"`
	FetchedAt         *string `json:"fetched_at"`
}

// ExportedAdmin is how the person became an admin by name.
type ExportedAdmin struct {
	AddedBy string  `json:"added_by"`
	AddedAt *string `json:"added_at"`
}

// ExportedOccurrence is one prompt and its answer.
type ExportedOccurrence struct {
	Key        string          `json:"key"`
	ScheduleID string          `json:"schedule_id"`
	Director   string          `json:"director"`
	Habit      string          `json:"habit"`
	LocalDate  string          `json:"local_date"`
	DueAt      *string         `json:"due_at"`
	State      string          `json:"state"`
	Attempts   int             `json:"attempts"`
	StartedAt  *string         `json:"started_at"`
	SentAt     *string         `json:"sent_at"`
	ChannelID  string          `json:"channel_id"`
	MessageTS  string          `json:"message_ts"`
	FailReason string          `json:"fail_reason"`
	QuestionID string          `json:"question_id"`
	Answer     *ExportedAnswer `json:"answer"`
}

// ExportedAnswer is the director's answer to a prompt.
type ExportedAnswer struct {
	Outcome       string  `json:"outcome"`
	AnsweredAt    *string `json:"answered_at"`
	AnsweredBy    string  `json:"answered_by"`
	SnoozeUntil   *string `json:"snooze_until"`
	Note          string  `json:"note"`
	Observation   string  `json:"observation"`
	FeedbackGiven bool    `json:"feedback_given"`
	Leader        string  `json:"leader"`
	Text          string  `json:"text"`
	InPerson      bool    `json:"in_person,omitempty"` // a compliment said in person, not posted
	QuestionID    string  `json:"question_id"`
	Asked         string  `json:"asked"`
}

// ExportedKudos is a public compliment.
type ExportedKudos struct {
	ID        string  `json:"id"`
	From      string  `json:"from"`
	To        string  `json:"to"`
	Text      string  `json:"text"`
	GivenAt   *string `json:"given_at"`
	PromptKey string  `json:"prompt_key"`
	ChannelID string  `json:"channel_id"`
	MessageTS string  `json:"message_ts"`
}

// ExportedSchedule is one schedule.
type ExportedSchedule struct {
	ScheduleID string   `json:"schedule_id"`
	Habit      string   `json:"habit"`
	When       string   `json:"when"`
	ToAll      bool     `json:"to_all"`
	Directors  []string `json:"directors"`
	Paused     bool     `json:"paused"`
	CreatedBy  string   `json:"created_by"`
	CreatedAt  *string  `json:"created_at"`
}

// ExportedAuditEntry is one entry of the audit log.
type ExportedAuditEntry struct {
	At     *string `json:"at"`
	Actor  string  `json:"actor"`
	Action string  `json:"action"`
	Detail string  `json:"detail"`
}

// NewExport lays out users' data as of now; ws, when set (an export of
// everyone), adds the workspace's schedules and audit log.
func NewExport(now time.Time, users []UserData, ws *Workspace) Export {
	e := Export{Format: ExportFormat, SchemaVersion: ExportSchemaVersion, ExportedAt: now.UTC().Format(time.RFC3339),
		Users: make([]ExportedUser, 0, len(users))}
	for _, u := range users {
		e.Users = append(e.Users, exportUser(u))
	}
	if ws != nil {
		scheds := make([]ExportedSchedule, 0, len(ws.Schedules))
		for _, s := range ws.Schedules {
			scheds = append(scheds, ExportedSchedule{ScheduleID: string(s.ID), Habit: string(s.Habit), When: s.When,
				ToAll: s.ToAll, Directors: ids(s.Directors), Paused: s.Paused, CreatedBy: string(s.CreatedBy),
				CreatedAt: stamp(s.CreatedAt)})
		}
		audit := exportAudit(ws.Audit)
		e.Schedules, e.Audit = &scheds, &audit
	}
	return e
}

// JSON renders the export as indented JSON.
func (e Export) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return append(b, '\n'), nil
}

func exportUser(u UserData) ExportedUser {
	out := ExportedUser{UserID: string(u.User), Language: string(u.Prefs.Lang), LeaderOf: ids(u.LeaderOf),
		Occurrences: make([]ExportedOccurrence, 0, len(u.Occurrences)), KudosGiven: exportKudos(u.KudosGiven),
		KudosReceived: exportKudos(u.KudosReceived), QuestionsAsked: append([]string{}, u.QuestionsAsked...),
		Audit: exportAudit(u.Audit)}
	if d := u.Director; d != nil {
		ed := &ExportedDirector{Leaders: ids(d.Leaders), AddedBy: string(d.AddedBy), AddedAt: stamp(d.AddedAt),
			Leave: make([]ExportedLeave, 0, len(d.Leave))}
		for _, p := range d.Leave {
			ed.Leave = append(ed.Leave, ExportedLeave{From: stamp(p.From), Until: stamp(p.Until)})
		}
		out.Director = ed
	}
	if p := u.Profile; p != nil {
		out.Profile = &ExportedProfile{TeamID: string(p.TeamID), Name: p.Name, TimeZone: p.TZ, Locale: p.Locale,
			IsAdmin: p.IsAdmin, IsOwner: p.IsOwner, IsPrimaryOwner: p.IsPrimaryOwner, IsRestricted: p.IsRestricted,
			IsUltraRestricted: p.IsUltraRestricted, IsBot: p.IsBot, Deleted: p.Deleted, FetchedAt: stamp(p.FetchedAt)}
	}
	if a := u.Admin; a != nil {
		out.Admin = &ExportedAdmin{AddedBy: string(a.By), AddedAt: stamp(a.At)}
	}
	for _, o := range u.Occurrences {
		out.Occurrences = append(out.Occurrences, exportOccurrence(o))
	}
	out.Paths, out.PathsAsLeader = exportPaths(u.Paths), exportPaths(u.PathsAsLeader)
	out.CheckInsOff = u.Prefs.CheckInsOff
	out.CheckIns = make([]ExportedCheckIn, 0, len(u.CheckIns))
	for _, c := range u.CheckIns {
		out.CheckIns = append(out.CheckIns, ExportedCheckIn{Director: string(c.Director), Leader: string(c.Leader),
			Month: c.Month.String(), SentAt: stamp(c.Opened), Needed: string(c.Needed), Got: string(c.Got), Note: c.Note,
			OnlyForMe: c.Private, AnsweredAt: stamp(c.Answered), UpdatedAt: stamp(c.Updated)})
	}
	out.CheckInsAbout = make([]ExportedCheckIn, 0, len(u.CheckInsAboutMe))
	for _, c := range u.CheckInsAboutMe {
		out.CheckInsAbout = append(out.CheckInsAbout, ExportedCheckIn{Director: string(c.Director), Leader: string(c.Leader),
			Month: c.Month.String(), Needed: string(c.Needed), Got: string(c.Got), Note: c.Note, AnsweredAt: stamp(c.Answered)})
	}
	out.Comments, out.CommentsRecvd = exportComments(u.Comments), exportComments(u.CommentsReceived)
	return out
}

func exportComments(cs []Comment) []ExportedComment {
	out := make([]ExportedComment, 0, len(cs))
	for _, c := range cs {
		out = append(out, ExportedComment{ID: c.ID, Director: string(c.Director), Leader: string(c.Leader), At: stamp(c.At), Text: c.Text})
	}
	return out
}

func exportPaths(ps []Path) []ExportedPath {
	out := make([]ExportedPath, 0, len(ps))
	for _, p := range ps {
		ep := ExportedPath{Director: string(p.Director), Leader: string(p.Leader), Revision: p.Rev,
			Styles: make([]ExportedSpell, 0, len(p.Styles)), Phases: make([]ExportedSpell, 0, len(p.Phases)),
			Next: exportStep(p.Next), HandedOver: make([]ExportedHandover, 0, len(p.HandedOver)),
			Reviews: make([]ExportedReview, 0, len(p.Reviews)), CreatedAt: stamp(p.Created), UpdatedAt: stamp(p.Updated)}
		for _, s := range p.Styles {
			ep.Styles = append(ep.Styles, ExportedSpell{Style: string(s.Value), Since: s.Since.String()})
		}
		for _, s := range p.Phases {
			ep.Phases = append(ep.Phases, ExportedSpell{Phase: int(s.Value), Since: s.Since.String()})
		}
		for _, h := range p.HandedOver {
			ep.HandedOver = append(ep.HandedOver, ExportedHandover{Responsibility: h.What, On: h.On.String(), RecordedAt: stamp(h.At)})
		}
		for _, r := range p.Reviews {
			ep.Reviews = append(ep.Reviews, ExportedReview{RecordedAt: stamp(r.At), On: r.On.String(),
				Planned: exportStep(r.Planned), Outcome: string(r.Outcome), Saw: r.Saw, Next: exportStep(r.Next),
				NewStyle: string(r.Style), NewPhase: int(r.Phase)})
		}
		out = append(out, ep)
	}
	return out
}

func exportStep(s Step) ExportedStep {
	return ExportedStep{Responsibility: s.Responsibility, DoneLooksLike: s.DoneLooksLike, Target: s.Target.String()}
}

func exportOccurrence(o Occurrence) ExportedOccurrence {
	eo := ExportedOccurrence{Key: string(o.Key), ScheduleID: string(o.Schedule), Director: string(o.Director),
		Habit: string(o.Habit), LocalDate: o.LocalDate, DueAt: stamp(o.Due), State: string(o.State),
		Attempts: o.Attempts, StartedAt: stamp(o.StartedAt), SentAt: stamp(o.SentAt), ChannelID: string(o.Channel),
		MessageTS: o.TS, FailReason: o.FailReason, QuestionID: o.QuestionID}
	if a := o.Answer; a != nil {
		eo.Answer = &ExportedAnswer{Outcome: string(a.Outcome), AnsweredAt: stamp(a.At), AnsweredBy: string(a.By),
			SnoozeUntil: stamp(a.SnoozeUntil), Note: a.Note, Observation: a.Observation, FeedbackGiven: a.FeedbackGiven,
			Leader: string(a.Leader), Text: a.Text, InPerson: a.InPerson, QuestionID: a.QuestionID, Asked: a.Asked}
	}
	return eo
}

func exportKudos(ks []Kudos) []ExportedKudos {
	out := make([]ExportedKudos, 0, len(ks))
	for _, k := range ks {
		out = append(out, ExportedKudos{ID: k.ID, From: string(k.From), To: string(k.To), Text: k.Text,
			GivenAt: stamp(k.At), PromptKey: string(k.Occ), ChannelID: string(k.Channel), MessageTS: k.TS})
	}
	return out
}

func exportAudit(es []AuditEntry) []ExportedAuditEntry {
	out := make([]ExportedAuditEntry, 0, len(es))
	for _, e := range es {
		out = append(out, ExportedAuditEntry{At: stamp(e.At), Actor: string(e.Actor), Action: e.Action, Detail: e.Detail})
	}
	return out
}

// stamp is t in UTC as RFC 3339, or nil for the zero time.
func stamp(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func ids(us []UserID) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = string(u)
	}
	return out
}
