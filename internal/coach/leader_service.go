package coach

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// LeaderStore is what the Lean leader's use cases read and write.
type LeaderStore interface {
	CheckInStore
	CommentStore
	PathStore
	DirectorStore
	UserStore
	KudosStore
}

// LeaderServiceConfig wires a LeaderService. Every field but DefaultTZ is
// required.
type LeaderServiceConfig struct {
	Store     LeaderStore
	Directory Directory // time zones
	Clock     Clock
	// IsAdmin decides who may see the counts. An error counts as "no".
	IsAdmin func(ctx context.Context, u UserID) (bool, error)
	// DefaultTZ is for users whose Slack profile has no zone; default UTC.
	DefaultTZ *time.Location
}

// LeaderService holds the Lean leader's use cases (docs/product.md "The
// Lean leader's side"): the monthly check-in with each director, comments
// on a path, stopping and restarting the check-ins; and what the others
// may see of them: a director the shared parts of the check-ins about
// them, admins counts only.
//
// Who may do what:
//   - a Lean leader answers and reads their own check-ins, for the
//     directors who lead them now (a former director's are still theirs
//     to read: MyCheckIns);
//   - a director reads the check-ins of their own Lean leaders as
//     SharedCheckIn, never a text marked "only for me";
//   - an admin reads counts (CheckInCounts), never who answered what;
//   - nobody reads another Lean leader's check-ins or comments.
//
// Months are the Lean leader's: the month now is the month in their Slack
// time zone (DefaultTZ when Slack has none). Like Service, a method that
// fails with anything but EINTERNAL has changed nothing.
type LeaderService struct {
	c LeaderServiceConfig
}

// NewLeaderService returns a LeaderService; it fails when a required field
// is missing.
func NewLeaderService(c LeaderServiceConfig) (*LeaderService, error) {
	switch {
	case c.Store == nil:
		return nil, fmt.Errorf("new leader service: no store")
	case c.Directory == nil:
		return nil, fmt.Errorf("new leader service: no directory")
	case c.Clock == nil:
		return nil, fmt.Errorf("new leader service: no clock")
	case c.IsAdmin == nil:
		return nil, fmt.Errorf("new leader service: no admin check")
	}
	if c.DefaultTZ == nil {
		c.DefaultTZ = time.UTC
	}
	return &LeaderService{c: c}, nil
}

// Month is the month it is now for u, in u's time zone.
func (s *LeaderService) Month(ctx context.Context, u UserID) Month {
	loc := LocationOf(ctx, s.c.Directory, u, s.c.DefaultTZ)
	return MonthOf(DateOf(s.c.Clock.Now().In(loc)))
}

// OpenCheckIn records that the check-in of pair for month m is sent: the
// due-loop calls it when it sends the monthly check-in, and `/coach send
// checkin` after its admin check. It is not a user's action and checks no
// actor. created is false when the check-in was opened (or answered)
// before; it is returned as stored. It refuses, changing nothing: a pair
// that is not registered now (EINVALID), a Lean leader who turned the
// check-ins off (ECONFLICT, checkin.err.off), and a month the Lean leader
// cannot answer now (see CheckMonth).
func (s *LeaderService) OpenCheckIn(ctx context.Context, pair Pair, m Month) (c CheckIn, created bool, err error) {
	if err := s.currentPair(ctx, pair); err != nil {
		return CheckIn{}, false, err
	}
	prefs, err := s.c.Store.Prefs(ctx, pair.Leader)
	if err != nil {
		return CheckIn{}, false, fmt.Errorf("open check-in: %w", err)
	}
	if prefs.CheckInsOff {
		return CheckIn{}, false, Errorf(ECONFLICT, "checkin.err.off", mention(pair.Leader))
	}
	if err := CheckMonth(m, s.Month(ctx, pair.Leader)); err != nil {
		return CheckIn{}, false, err
	}
	now := s.c.Clock.Now().UTC()
	c, err = s.c.Store.UpdateCheckIn(ctx, pair, m, func(c *CheckIn) error {
		created = c.Opened.IsZero()
		if created {
			c.Opened, c.Updated = now, now
		}
		return nil
	})
	if err != nil {
		return CheckIn{}, false, fmt.Errorf("open check-in: %w", err)
	}
	return c, created, nil
}

// CheckInPairs lists the pairs a monthly check-in goes to now: every
// registered director and Lean leader pair whose Lean leader has the
// check-ins on, ordered by Lean leader, then director (a Lean leader with
// two directors gets one check-in per director). The due-loop reads it.
func (s *LeaderService) CheckInPairs(ctx context.Context) ([]Pair, error) {
	ds, err := s.c.Store.Directors(ctx)
	if err != nil {
		return nil, fmt.Errorf("check-in pairs: %w", err)
	}
	var out []Pair
	off := map[UserID]bool{}
	for _, d := range ds {
		for _, l := range d.Leaders {
			isOff, known := off[l]
			if !known {
				prefs, err := s.c.Store.Prefs(ctx, l)
				if err != nil {
					return nil, fmt.Errorf("check-in pairs: %w", err)
				}
				isOff = prefs.CheckInsOff
				off[l] = isOff
			}
			if !isOff {
				out = append(out, Pair{Director: d.ID, Leader: l})
			}
		}
	}
	slices.SortFunc(out, func(a, b Pair) int {
		return cmp.Or(cmp.Compare(a.Leader, b.Leader), cmp.Compare(a.Director, b.Director))
	})
	return out, nil
}

// AnswerCheckIn records actor's answer, as a Lean leader of director, to
// the check-in of month m, opening it when it was not sent. The answer is
// validated first (ValidateCheckInAnswer); then actor must be led by
// director now (someone who is nobody's Lean leader is EFORBIDDEN, another
// director than theirs EINVALID naming theirs), and m answerable now in
// actor's calendar (CheckMonth). Answering again changes what is given
// and keeps the rest.
func (s *LeaderService) AnswerCheckIn(ctx context.Context, actor, director UserID, m Month, a CheckInAnswer) (CheckIn, error) {
	a, err := ValidateCheckInAnswer(a)
	if err != nil {
		return CheckIn{}, err
	}
	if err := s.myDirector(ctx, actor, director); err != nil {
		return CheckIn{}, err
	}
	if err := CheckMonth(m, s.Month(ctx, actor)); err != nil {
		return CheckIn{}, err
	}
	now := s.c.Clock.Now().UTC()
	c, err := s.c.Store.UpdateCheckIn(ctx, Pair{Director: director, Leader: actor}, m, func(c *CheckIn) error {
		*c = c.Apply(a, now)
		return nil
	})
	if err != nil {
		return CheckIn{}, fmt.Errorf("answer check-in: %w", err)
	}
	return c, nil
}

// CheckInContext is what the check-in message shows its Lean leader: the
// check-in as answered so far, exactly what the director will see of it,
// and the style the director's path says the Lean leader needs now.
type CheckInContext struct {
	Pair
	Month   Month
	CheckIn CheckIn // the Lean leader's own; only Pair and Month set before any answer
	// Preview is what the director will see once both styles are
	// answered: never the text marked "only for me".
	Preview SharedCheckIn
	// Visible is whether the director sees it now (both styles answered).
	Visible bool
	// PathStyle is the style the director's path says the Lean leader
	// needs now; "" when they have no path.
	PathStyle Style
}

// CheckInContext returns actor's check-in with director for month m, for
// the check-in message and its "what <director> will see" preview. Who may
// is as for AnswerCheckIn; a month still to come is EINVALID, a closed one
// may be read.
func (s *LeaderService) CheckInContext(ctx context.Context, actor, director UserID, m Month) (CheckInContext, error) {
	if err := s.myDirector(ctx, actor, director); err != nil {
		return CheckInContext{}, err
	}
	if err := CheckMonth(m, s.Month(ctx, actor)); err != nil && ErrorCode(err) == EINVALID {
		return CheckInContext{}, err
	}
	pair := Pair{Director: director, Leader: actor}
	c, err := s.c.Store.CheckIn(ctx, pair, m)
	switch ErrorCode(err) {
	case "":
	case ENOTFOUND:
		c = CheckIn{Pair: pair, Month: m}
	default:
		return CheckInContext{}, fmt.Errorf("check-in context: %w", err)
	}
	out := CheckInContext{Pair: pair, Month: m, CheckIn: c, Preview: c.preview(), Visible: c.IsAnswered()}
	p, err := s.c.Store.LoadPath(ctx, pair)
	switch ErrorCode(err) {
	case "":
		out.PathStyle = p.Style()
	case ENOTFOUND:
	default:
		return CheckInContext{}, fmt.Errorf("check-in context: %w", err)
	}
	return out, nil
}

// preview is c as its director will see it once answered.
func (c CheckIn) preview() SharedCheckIn {
	return SharedCheckIn{Pair: c.Pair, Month: c.Month, Needed: c.Needed, Got: c.Got, Note: c.SharedNote(), Answered: c.Answered}
}

// MyCheckIns returns actor's own check-ins as a Lean leader, with every
// director they answered for (a former one too), newest month first. Anyone
// may ask; someone who never answered one gets none.
func (s *LeaderService) MyCheckIns(ctx context.Context, actor UserID) ([]CheckIn, error) {
	cs, err := s.c.Store.ListCheckIns(ctx, Pair{Leader: actor})
	if err != nil {
		return nil, fmt.Errorf("my check-ins: %w", err)
	}
	return newestFirst(cs), nil
}

// newestFirst orders check-ins by month, newest first, then by director.
func newestFirst(cs []CheckIn) []CheckIn {
	slices.SortStableFunc(cs, func(a, b CheckIn) int {
		if c := b.Month.Compare(a.Month); c != 0 {
			return c
		}
		return cmp.Compare(a.Director, b.Director)
	})
	return cs
}

// SharedCheckIns returns what director actor sees of the check-ins of
// leader, one of their Lean leaders now: the answered ones, oldest first,
// never a text marked "only for me". Anyone else, an admin or the Lean
// leader included, is refused as PathService refuses a path.
func (s *LeaderService) SharedCheckIns(ctx context.Context, actor, leader UserID) ([]SharedCheckIn, error) {
	if err := s.myLeader(ctx, actor, leader); err != nil {
		return nil, err
	}
	cs, err := s.c.Store.ListCheckIns(ctx, Pair{Director: actor, Leader: leader})
	if err != nil {
		return nil, fmt.Errorf("shared check-ins: %w", err)
	}
	return SharedCheckIns(cs), nil
}

// AddComment adds actor's comment, as a Lean leader of director, to their
// path. The text is cleaned and checked (ValidateComment) first; who may
// is as for AnswerCheckIn. A path with MaxComments of actor's comments is
// ECONFLICT: they delete one first.
func (s *LeaderService) AddComment(ctx context.Context, actor, director UserID, text string) (Comment, error) {
	text, err := ValidateComment(text)
	if err != nil {
		return Comment{}, err
	}
	if err := s.myDirector(ctx, actor, director); err != nil {
		return Comment{}, err
	}
	c, err := s.c.Store.AddComment(ctx, Comment{Pair: Pair{Director: director, Leader: actor},
		At: s.c.Clock.Now().UTC(), Text: text}, MaxComments)
	if err != nil {
		return Comment{}, fmt.Errorf("add comment: %w", err)
	}
	return c, nil
}

// DeleteComment deletes actor's comment id on their path with director.
// Only its author may: a comment of another Lean leader, or none with that
// ID, is ENOTFOUND (the same answer, so that the IDs of others' comments
// cannot be probed). It works after the pair was removed too: the comment
// is still actor's.
func (s *LeaderService) DeleteComment(ctx context.Context, actor, director UserID, id string) error {
	if !validCommentID(id) {
		return Errorf(ENOTFOUND, "comment.err.not_found")
	}
	err := s.c.Store.DeleteComment(ctx, Pair{Director: director, Leader: actor}, id)
	switch ErrorCode(err) {
	case "":
		return nil
	case ENOTFOUND:
		return Errorf(ENOTFOUND, "comment.err.not_found")
	}
	return fmt.Errorf("delete comment: %w", err)
}

// validCommentID reports whether id looks like a comment's ID ("c17").
func validCommentID(id string) bool {
	if len(id) < 2 || len(id) > 21 || id[0] != 'c' {
		return false
	}
	for _, r := range id[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Comments returns the comments on pair's path, oldest first: for the
// pair's Lean leader (their own, also after the pair was removed) and for
// its director while the pair is registered. Anyone else is EFORBIDDEN.
func (s *LeaderService) Comments(ctx context.Context, actor UserID, pair Pair) ([]Comment, error) {
	switch actor {
	case pair.Leader:
	case pair.Director:
		if err := s.myLeader(ctx, actor, pair.Leader); err != nil {
			return nil, err
		}
	default:
		return nil, Errorf(EFORBIDDEN, "path.err.not_your_path")
	}
	cs, err := s.c.Store.ListComments(ctx, pair)
	if err != nil {
		return nil, fmt.Errorf("comments: %w", err)
	}
	return cs, nil
}

// CheckIns reports whether actor receives the monthly check-ins. Lean
// leaders only (EFORBIDDEN otherwise).
func (s *LeaderService) CheckIns(ctx context.Context, actor UserID) (bool, error) {
	if err := s.isLeader(ctx, actor); err != nil {
		return false, err
	}
	p, err := s.c.Store.Prefs(ctx, actor)
	if err != nil {
		return false, fmt.Errorf("check-ins: %w", err)
	}
	return !p.CheckInsOff, nil
}

// SetCheckIns turns actor's monthly check-ins on or off (/coach checkin
// on|off). Lean leaders only (EFORBIDDEN otherwise). changed is false when
// they were so already.
func (s *LeaderService) SetCheckIns(ctx context.Context, actor UserID, on bool) (changed bool, err error) {
	if err := s.isLeader(ctx, actor); err != nil {
		return false, err
	}
	p, err := s.c.Store.Prefs(ctx, actor)
	if err != nil {
		return false, fmt.Errorf("set check-ins: %w", err)
	}
	if p.CheckInsOff == !on {
		return false, nil
	}
	p.CheckInsOff = !on
	if err := s.c.Store.PutPrefs(ctx, actor, p); err != nil {
		return false, fmt.Errorf("set check-ins: %w", err)
	}
	return true, nil
}

// CheckInCounts counts the check-ins of the last CheckInCountMonths months
// in actor's calendar. Admins only, as the report: counts, never who
// answered what.
func (s *LeaderService) CheckInCounts(ctx context.Context, actor UserID) (CheckInCounts, error) {
	if ok, err := s.c.IsAdmin(ctx, actor); err != nil || !ok {
		return CheckInCounts{}, Errorf(EFORBIDDEN, "svc.err.admin_only", "report")
	}
	cs, err := s.c.Store.ListCheckIns(ctx, Pair{})
	if err != nil {
		return CheckInCounts{}, fmt.Errorf("check-in counts: %w", err)
	}
	return CountCheckIns(cs, s.Month(ctx, actor)), nil
}

// directorsOf returns the directors who lead u now, ordered by ID.
func directorsOf(ctx context.Context, st DirectorStore, u UserID) ([]UserID, error) {
	ds, err := st.Directors(ctx)
	if err != nil {
		return nil, err
	}
	var out []UserID
	for _, d := range ds {
		if slices.Contains(d.Leaders, u) {
			out = append(out, d.ID)
		}
	}
	return out, nil
}

// isLeader checks that actor is a Lean leader now.
func (s *LeaderService) isLeader(ctx context.Context, actor UserID) error {
	mine, err := directorsOf(ctx, s.c.Store, actor)
	if err != nil {
		return fmt.Errorf("lean leader %s: %w", actor, err)
	}
	if len(mine) == 0 {
		return Errorf(EFORBIDDEN, "checkin.err.leaders_only")
	}
	return nil
}

// myDirector checks that director leads actor now.
func (s *LeaderService) myDirector(ctx context.Context, actor, director UserID) error {
	mine, err := directorsOf(ctx, s.c.Store, actor)
	switch {
	case err != nil:
		return fmt.Errorf("directors of %s: %w", actor, err)
	case slices.Contains(mine, director):
		return nil
	case len(mine) == 0:
		return Errorf(EFORBIDDEN, "checkin.err.leaders_only")
	}
	return Errorf(EINVALID, "checkin.err.not_your_director", mention(director), mentionList(mine))
}

// myLeader checks that leader is one of director actor's Lean leaders now,
// with the path's refusals (ledBy).
func (s *LeaderService) myLeader(ctx context.Context, actor, leader UserID) error {
	_, err := ledBy(ctx, s.c.Store, s.c.IsAdmin, actor, leader)
	return err
}

// currentPair checks that pair is registered now.
func (s *LeaderService) currentPair(ctx context.Context, pair Pair) error {
	d, err := s.c.Store.Director(ctx, pair.Director)
	switch ErrorCode(err) {
	case "":
	case ENOTFOUND:
		return Errorf(EINVALID, "checkin.err.not_pair", mention(pair.Leader), mention(pair.Director))
	default:
		return fmt.Errorf("director %s: %w", pair.Director, err)
	}
	if !slices.Contains(d.Leaders, pair.Leader) {
		return Errorf(EINVALID, "checkin.err.not_pair", mention(pair.Leader), mention(pair.Director))
	}
	return nil
}
