package coach

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// The monthly path review prompt (the `path` habit) shows the director's
// paths, one block per Lean leader, each with one click for "handed over",
// "partly" and "not yet" (or, without a path, a button to set one). Every
// Lean leader gets a block: the habit is the month's look back and ahead
// with each of them, and a director with several Lean leaders must not
// have one of them skipped for months. The order puts the review most
// needed first: the paths least recently reviewed, then the Lean leaders
// without a path.

// PathPromptStore is what reading a path prompt's paths takes.
type PathPromptStore interface {
	Director(ctx context.Context, id UserID) (Director, error)
	ListPaths(ctx context.Context, director UserID) ([]Path, error)
	ListCheckIns(ctx context.Context, of Pair) ([]CheckIn, error)
	ListComments(ctx context.Context, of Pair) ([]Comment, error)
}

// LoadPathPrompt reads the views director d's path prompt shows at now, in
// d's zone loc: one per Lean leader, with what the Lean leader shared
// (WithVoices), in ReviewOrder. Someone who is no director has none.
func LoadPathPrompt(ctx context.Context, st PathPromptStore, d UserID, now time.Time, loc *time.Location) ([]PathView, error) {
	if loc == nil {
		loc = time.UTC
	}
	dir, err := st.Director(ctx, d)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("path prompt of %s: %w", d, err)
	}
	ps, err := st.ListPaths(ctx, d)
	if err != nil {
		return nil, fmt.Errorf("path prompt of %s: %w", d, err)
	}
	of := Pair{Director: d}
	cs, err := st.ListCheckIns(ctx, of)
	if err != nil {
		return nil, fmt.Errorf("path prompt of %s: %w", d, err)
	}
	cms, err := st.ListComments(ctx, of)
	if err != nil {
		return nil, fmt.Errorf("path prompt of %s: %w", d, err)
	}
	vs := WithVoices(PathViews(dir, ps, DateOf(now.In(loc)), loc), cs, cms)
	ReviewOrder(vs)
	return vs, nil
}

// ReviewOrder sorts views in the order a path prompt shows them: the paths
// first, the one whose last review (or, never reviewed, whose setting) lies
// furthest back first; then the Lean leaders without a path. Ties keep the
// director's order.
func ReviewOrder(vs []PathView) {
	slices.SortStableFunc(vs, func(a, b PathView) int {
		switch {
		case (a.Path == nil) != (b.Path == nil):
			if a.Path == nil {
				return 1
			}
			return -1
		case a.Path == nil:
			return 0
		}
		return a.Due.Last.Compare(b.Due.Last)
	})
}

// questionPath is the part of director dir's paths ps that steers their
// next question: the path with the Lean leader the last answer was about
// when that is known and has one, else the path of the first of the
// director's Lean leaders (in the order registered) who has one; nil when
// none has.
func questionPath(dir Director, ps []Path, about UserID) *QuestionPath {
	find := func(l UserID) *QuestionPath {
		for _, p := range ps {
			if p.Leader == l && p.Director == dir.ID && p.Rev > 0 {
				return &QuestionPath{Style: p.Style(), Phase: p.Phase(), Leader: l}
			}
		}
		return nil
	}
	if about != "" && slices.Contains(dir.Leaders, about) {
		if qp := find(about); qp != nil {
			return qp
		}
	}
	for _, l := range dir.Leaders {
		if qp := find(l); qp != nil {
			return qp
		}
	}
	return nil
}

// openPathPromptWindow is how far back OpenPathPrompt looks: a path
// prompt stays open until the next one is due, a month on the default
// rule, and a month and a bit more when the next falls late in its week.
const openPathPromptWindow = 62 * 24 * time.Hour

// OpenPathPrompt returns the key of actor's most recent path prompt that is
// still open, "" when there is none: a review made elsewhere (from the App
// Home) answers it, as a review from the prompt's own buttons does.
func (s *Service) OpenPathPrompt(ctx context.Context, actor UserID) (OccurrenceKey, error) {
	o, err := s.openPromptWithin(ctx, actor, PathReview, openPathPromptWindow)
	if err != nil || o == nil {
		return "", err
	}
	return o.Key, nil
}
