package coach

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// PathServiceConfig wires a PathService. Every field but DefaultTZ is
// required.
type PathServiceConfig struct {
	Store interface {
		PathStore
		DirectorStore
		CheckInStore
		CommentStore
	}
	Directory Directory // directors' time zones
	Clock     Clock
	// IsAdmin decides who may see the counts. An error counts as "no".
	IsAdmin func(ctx context.Context, u UserID) (bool, error)
	// DefaultTZ is for directors whose Slack profile has no zone; default UTC.
	DefaultTZ *time.Location
}

// PathService holds the use cases of the delegation path: a director sets
// and reviews the path with each of their Lean leaders; the director and
// that Lean leader read it; admins count. It is a type of its own, beside
// Service, because it needs four ports where Service needs all of them,
// and the Slack surfaces of the path (the form, the review prompt, the Home
// card, the report lines) all go through it.
//
// Every date is the director's: today is the director's local date, in
// their Slack time zone (DefaultTZ when Slack has none), whoever reads.
// Like Service, a method that fails with anything but EINTERNAL has
// changed nothing.
type PathService struct {
	c PathServiceConfig
}

// NewPathService returns a PathService; it fails when a required field is
// missing.
func NewPathService(c PathServiceConfig) (*PathService, error) {
	switch {
	case c.Store == nil:
		return nil, fmt.Errorf("new path service: no store")
	case c.Directory == nil:
		return nil, fmt.Errorf("new path service: no directory")
	case c.Clock == nil:
		return nil, fmt.Errorf("new path service: no clock")
	case c.IsAdmin == nil:
		return nil, fmt.Errorf("new path service: no admin check")
	}
	if c.DefaultTZ == nil {
		c.DefaultTZ = time.UTC
	}
	return &PathService{c: c}, nil
}

// PathView is a pair's path as its readers see it: the path (nil when none
// is set yet) and what the rules say about it on the director's today.
type PathView struct {
	Pair
	Path    *Path
	Today   Date           // the director's
	Loc     *time.Location // the director's zone, for the path's times
	Phase   PhaseProgress  // zero without a path
	Due     ReviewDue      // zero without a path
	Overdue int            // days the target date has passed; 0 when not
	Year    YearProgress   // zero without a path
	// Voice is what the Lean leader shared about the pair: the contrast of
	// their check-ins and their latest comments (see LeaderVoice); zero
	// when a view is built without it (ViewPath, PathViews).
	Voice LeaderVoice
}

// ViewPath builds the view of pair's path p (nil: none yet) on the
// director's day today; loc is the director's zone.
func ViewPath(pair Pair, p *Path, today Date, loc *time.Location) PathView {
	v := PathView{Pair: pair, Path: p, Today: today, Loc: loc}
	if p == nil || p.Rev == 0 {
		v.Path = nil
		return v
	}
	v.Phase = p.PhaseProgress(today)
	v.Due = p.ReviewDue(today, loc)
	v.Overdue = p.DaysOverdue(today)
	v.Year = p.YearProgress(today)
	return v
}

// SetPath sets the path of actor with leader from the path form: a new
// path, or the current one edited. Only a director may, for one of their
// own Lean leaders: anyone else's, or someone who is not a Lean leader, is
// EINVALID naming actor's Lean leaders; a non-director is EFORBIDDEN. The
// input is validated (ValidatePath) against the current path on the
// director's today: bad input is EINVALID with the field (FieldOf). in.Rev
// must be the Rev the form showed: when the path changed since, ECONFLICT,
// unless the change is this very input (a second submission of the same
// form, which changes nothing and succeeds).
func (s *PathService) SetPath(ctx context.Context, actor, leader UserID, in PathInput) (PathView, error) {
	return s.change(ctx, actor, leader, "set path", func(p *Path, now time.Time, today Date) error {
		v, err := ValidatePath(in, *p, today)
		if err != nil {
			return err
		}
		switch {
		case p.sameAsSet(v):
			return nil
		case in.Rev != p.Rev:
			return Errorf(ECONFLICT, "path.err.changed")
		}
		*p = p.Set(v, now, today)
		return nil
	})
}

// ReviewPath records a review of actor's path with leader (see Path.Apply).
// Who may, and how the input and in.Rev are checked, is as for SetPath;
// without a path it is ENOTFOUND, saying how to set one.
func (s *PathService) ReviewPath(ctx context.Context, actor, leader UserID, in ReviewInput) (PathView, error) {
	return s.change(ctx, actor, leader, "review path", func(p *Path, now time.Time, today Date) error {
		if p.Rev == 0 {
			return Errorf(ENOTFOUND, "path.err.no_path", mention(leader))
		}
		v, err := ValidateReview(in, *p, today)
		if err != nil {
			return err
		}
		switch {
		case p.sameAsLastReview(v):
			return nil
		case in.Rev != p.Rev:
			return Errorf(ECONFLICT, "path.err.changed")
		}
		*p = p.Apply(v, now, today)
		return nil
	})
}

// change checks that leader is one of director actor's Lean leaders, then
// lets fn change the pair's path in one transaction, with the moment and
// the director's day; fn's error changes nothing.
func (s *PathService) change(ctx context.Context, actor, leader UserID, op string,
	fn func(p *Path, now time.Time, today Date) error) (PathView, error) {
	if _, err := s.ownLeader(ctx, actor, leader); err != nil {
		return PathView{}, err
	}
	now, today, loc := s.today(ctx, actor)
	pair := Pair{Director: actor, Leader: leader}
	p, err := s.c.Store.UpdatePath(ctx, pair, func(p *Path) error { return fn(p, now, today) })
	if err != nil {
		return PathView{}, fmt.Errorf("%s: %w", op, err)
	}
	return ViewPath(pair, &p, today, loc), nil
}

// Path returns the pair's path for actor, who must be the pair's director
// (with the leader as one of their Lean leaders now) or the pair's Lean
// leader (led by that director now), who reads it without what the
// director saw at the reviews (Path.ForLeader). Anyone else, an admin
// included, is EFORBIDDEN: admins see counts only. A pair without a path
// yet gives a view with a nil Path.
func (s *PathService) Path(ctx context.Context, actor UserID, pair Pair) (PathView, error) {
	switch actor {
	case pair.Director:
		if _, err := s.ownLeader(ctx, actor, pair.Leader); err != nil {
			return PathView{}, err
		}
	case pair.Leader:
		d, err := s.c.Store.Director(ctx, pair.Director)
		if err != nil && ErrorCode(err) != ENOTFOUND {
			return PathView{}, fmt.Errorf("path: %w", err)
		}
		if err != nil || !slices.Contains(d.Leaders, actor) {
			return PathView{}, Errorf(EFORBIDDEN, "path.err.not_your_path")
		}
	default:
		return PathView{}, Errorf(EFORBIDDEN, "path.err.not_your_path")
	}
	v, err := s.view(ctx, pair)
	if err == nil && actor == pair.Leader && v.Path != nil {
		p := v.Path.ForLeader()
		v.Path = &p
	}
	return v, err
}

// Paths returns actor's paths, one per Lean leader in the order the
// director's registration lists them, a leader without a path with a nil
// Path. A non-director is EFORBIDDEN, with what they can do instead.
func (s *PathService) Paths(ctx context.Context, actor UserID) ([]PathView, error) {
	d, err := s.director(ctx, actor)
	if err != nil {
		return nil, err
	}
	ps, err := s.c.Store.ListPaths(ctx, actor)
	if err != nil {
		return nil, fmt.Errorf("paths: %w", err)
	}
	cs, cms, err := s.voices(ctx, Pair{Director: actor})
	if err != nil {
		return nil, fmt.Errorf("paths: %w", err)
	}
	_, today, loc := s.today(ctx, actor)
	return WithVoices(PathViews(d, ps, today, loc), cs, cms), nil
}

// voices loads the check-ins and comments of the pairs selected by of
// (see CheckInStore.ListCheckIns).
func (s *PathService) voices(ctx context.Context, of Pair) ([]CheckIn, []Comment, error) {
	cs, err := s.c.Store.ListCheckIns(ctx, of)
	if err != nil {
		return nil, nil, err
	}
	cms, err := s.c.Store.ListComments(ctx, of)
	if err != nil {
		return nil, nil, err
	}
	return cs, cms, nil
}

// PathViews builds the views of director d's paths on the director's day
// today (loc: their zone), one per Lean leader in the order d lists them,
// from d's stored paths ps (any order, others' ignored); a Lean leader
// without a path gets a view with a nil Path.
func PathViews(d Director, ps []Path, today Date, loc *time.Location) []PathView {
	out := make([]PathView, 0, len(d.Leaders))
	for _, l := range d.Leaders {
		pair := Pair{Director: d.ID, Leader: l}
		var p *Path
		if i := slices.IndexFunc(ps, func(p Path) bool { return p.Pair == pair }); i >= 0 {
			p = &ps[i]
		}
		out = append(out, ViewPath(pair, p, today, loc))
	}
	return out
}

// LeaderPaths returns the paths about actor as a Lean leader, read-only
// and as the Lean leader reads them (Path.ForLeader): one per director who
// leads actor now, ordered by director, with a nil Path where that
// director has set none. Someone who is nobody's Lean
// leader gets none.
func (s *PathService) LeaderPaths(ctx context.Context, actor UserID) ([]PathView, error) {
	ds, err := s.c.Store.Directors(ctx)
	if err != nil {
		return nil, fmt.Errorf("leader paths: %w", err)
	}
	var out []PathView
	for _, d := range ds {
		if !slices.Contains(d.Leaders, actor) {
			continue
		}
		v, err := s.view(ctx, Pair{Director: d.ID, Leader: actor})
		if err != nil {
			return nil, err
		}
		if v.Path != nil {
			p := v.Path.ForLeader()
			v.Path = &p
		}
		out = append(out, v)
	}
	return out, nil
}

// Counts counts the paths of the pairs registered now (a path kept for a
// pair that was removed is not counted). Admins only, as the report.
func (s *PathService) Counts(ctx context.Context, actor UserID) (PathCounts, error) {
	if ok, err := s.c.IsAdmin(ctx, actor); err != nil || !ok {
		return PathCounts{}, Errorf(EFORBIDDEN, "svc.err.admin_only", "report")
	}
	ds, err := s.c.Store.Directors(ctx)
	if err != nil {
		return PathCounts{}, fmt.Errorf("path counts: %w", err)
	}
	ps, err := s.c.Store.ListPaths(ctx, "")
	if err != nil {
		return PathCounts{}, fmt.Errorf("path counts: %w", err)
	}
	return CountPaths(ds, ps, s.c.Clock.Now()), nil
}

// view loads the pair's path (nil when none) and what its Lean leader
// shared, and builds its view.
func (s *PathService) view(ctx context.Context, pair Pair) (PathView, error) {
	_, today, loc := s.today(ctx, pair.Director)
	var pp *Path
	p, err := s.c.Store.LoadPath(ctx, pair)
	switch ErrorCode(err) {
	case "":
		pp = &p
	case ENOTFOUND:
	default:
		return PathView{}, fmt.Errorf("path: %w", err)
	}
	cs, cms, err := s.voices(ctx, pair)
	if err != nil {
		return PathView{}, fmt.Errorf("path: %w", err)
	}
	v := ViewPath(pair, pp, today, loc)
	v.Voice = VoiceOf(pair, cs, cms, contrastFrom(today))
	return v, nil
}

// director returns actor's registration; a non-director is EFORBIDDEN,
// told what they can do instead.
func (s *PathService) director(ctx context.Context, actor UserID) (Director, error) {
	return registeredDirector(ctx, s.c.Store, s.c.IsAdmin, actor)
}

// ownLeader checks that leader is one of director actor's Lean leaders now.
func (s *PathService) ownLeader(ctx context.Context, actor, leader UserID) (Director, error) {
	return ledBy(ctx, s.c.Store, s.c.IsAdmin, actor, leader)
}

// registeredDirector returns actor's registration; a non-director is
// EFORBIDDEN, told what they can do instead.
func registeredDirector(ctx context.Context, st DirectorStore, isAdmin func(context.Context, UserID) (bool, error), actor UserID) (Director, error) {
	d, err := st.Director(ctx, actor)
	switch ErrorCode(err) {
	case "":
		return d, nil
	case ENOTFOUND:
		return Director{}, notDirector(ctx, st, isAdmin, actor, EFORBIDDEN, "path.err.directors_only")
	}
	return Director{}, fmt.Errorf("path: %w", err)
}

// ledBy checks that leader is one of director actor's Lean leaders now:
// someone who directs no one is EFORBIDDEN (registeredDirector); the
// director themself, or another director's Lean leader, EINVALID naming
// actor's Lean leaders.
func ledBy(ctx context.Context, st DirectorStore, isAdmin func(context.Context, UserID) (bool, error), actor, leader UserID) (Director, error) {
	d, err := registeredDirector(ctx, st, isAdmin, actor)
	switch {
	case err != nil:
		return Director{}, err
	case leader == actor:
		return Director{}, Errorf(EINVALID, "path.err.self")
	case slices.Contains(d.Leaders, leader):
		return d, nil
	case len(d.Leaders) == 0:
		return Director{}, Errorf(EINVALID, "path.err.no_leaders")
	}
	return Director{}, Errorf(EINVALID, "path.err.not_your_leader", mention(leader), mentionList(d.Leaders))
}

// today returns now (UTC), the director's local date and zone.
func (s *PathService) today(ctx context.Context, director UserID) (time.Time, Date, *time.Location) {
	loc := LocationOf(ctx, s.c.Directory, director, s.c.DefaultTZ)
	now := s.c.Clock.Now()
	return now.UTC(), DateOf(now.In(loc)), loc
}
