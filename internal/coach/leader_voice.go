package coach

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// MaxVoiceComments is how many of a Lean leader's latest comments a path
// card shows.
const MaxVoiceComments = 3

// LeaderVoice is what a Lean leader shared about their path with one
// director, as the path's readers see it: the contrast of their check-ins
// (from SharedCheckIn: never a text marked "only for me") and their latest
// comments.
type LeaderVoice struct {
	Contrast Contrast
	Comments []Comment // newest first, at most MaxVoiceComments, none without text
	// AllComments counts the pair's comments with text, shown or not.
	AllComments int
}

// VoiceOf builds the voice of pair from cs and cms (check-ins and
// comments of any pairs, any order: the pair's are picked), looking at the
// check-ins from month from on. The check-ins' private text never reaches
// the result: it is read through CheckIn.Shared.
func VoiceOf(pair Pair, cs []CheckIn, cms []Comment, from Month) LeaderVoice {
	var shared []SharedCheckIn
	for _, c := range cs {
		if c.Pair != pair {
			continue
		}
		if s, ok := c.Shared(); ok {
			shared = append(shared, s)
		}
	}
	v := LeaderVoice{Contrast: ContrastOf(shared, from)}
	for _, c := range cms {
		if c.Pair == pair && c.Text != "" {
			v.Comments = append(v.Comments, c)
		}
	}
	v.AllComments = len(v.Comments)
	slices.SortStableFunc(v.Comments, func(a, b Comment) int { return b.At.Compare(a.At) })
	if len(v.Comments) > MaxVoiceComments {
		v.Comments = v.Comments[:MaxVoiceComments]
	}
	return v
}

// WithVoices sets the Voice of each view from cs and cms (see VoiceOf),
// over the ContrastWindow months up to each view's today.
func WithVoices(vs []PathView, cs []CheckIn, cms []Comment) []PathView {
	for i := range vs {
		vs[i].Voice = VoiceOf(vs[i].Pair, cs, cms, contrastFrom(vs[i].Today))
	}
	return vs
}

// contrastFrom is the first month the contrast looks at on day today.
func contrastFrom(today Date) Month { return MonthOf(today).Add(1 - ContrastWindow) }

// ForLeader is p as its Lean leader reads it: everything but what the
// director wrote at a review about what they saw, which stays the
// director's. The leader sees the outcomes, the steps, the styles and the
// phases.
func (p Path) ForLeader() Path {
	p = p.clone()
	for i := range p.Reviews {
		p.Reviews[i].Saw = ""
	}
	return p
}

// Limits of the Lean leader's Home.
const (
	LeaderHomeKudos    = 5 // the latest kudos received
	LeaderHomeCheckIns = 6 // the latest check-ins
)

// LeaderHome is a Lean leader's own part of the App Home (docs/product.md
// "The Lean leader's side"): the path with each director who leads them
// now, read-only (Path.ForLeader), with their own comments; their latest
// check-ins, the text marked "only for me" included (it is theirs); and
// the kudos they received.
type LeaderHome struct {
	Paths       []PathView // one per director who leads them now, ordered by director; Voice holds their own comments
	CheckIns    []CheckIn  // newest month first, at most LeaderHomeCheckIns
	Kudos       []Kudos    // newest first, at most LeaderHomeKudos
	CheckInsOff bool       // they turned the check-ins off
	Month       Month      // the month now, in their calendar
}

// loadLeaderHome loads u's LeaderHome at now: each path on its director's
// day in the director's zone (dir, def), u's month in u's zone.
func loadLeaderHome(ctx context.Context, st LeaderStore, dir Directory, def *time.Location, now time.Time, u UserID) (LeaderHome, error) {
	ds, err := directorsOf(ctx, st, u)
	if err != nil {
		return LeaderHome{}, fmt.Errorf("leader home %s: %w", u, err)
	}
	cs, err := st.ListCheckIns(ctx, Pair{Leader: u})
	if err != nil {
		return LeaderHome{}, fmt.Errorf("leader home %s: %w", u, err)
	}
	cms, err := st.ListComments(ctx, Pair{Leader: u})
	if err != nil {
		return LeaderHome{}, fmt.Errorf("leader home %s: %w", u, err)
	}
	h := LeaderHome{Month: MonthOf(DateOf(now.In(LocationOf(ctx, dir, u, def))))}
	for _, d := range ds {
		pair := Pair{Director: d, Leader: u}
		loc := LocationOf(ctx, dir, d, def)
		today := DateOf(now.In(loc))
		var pp *Path
		p, err := st.LoadPath(ctx, pair)
		switch ErrorCode(err) {
		case "":
			p = p.ForLeader()
			pp = &p
		case ENOTFOUND:
		default:
			return LeaderHome{}, fmt.Errorf("leader home %s: %w", u, err)
		}
		v := ViewPath(pair, pp, today, loc)
		v.Voice = VoiceOf(pair, cs, cms, contrastFrom(today))
		h.Paths = append(h.Paths, v)
	}
	h.CheckIns = newestFirst(cs)
	if len(h.CheckIns) > LeaderHomeCheckIns {
		h.CheckIns = h.CheckIns[:LeaderHomeCheckIns]
	}
	ks, err := st.KudosFor(ctx, u, time.Time{})
	if err != nil {
		return LeaderHome{}, fmt.Errorf("leader home %s: %w", u, err)
	}
	slices.Reverse(ks)
	h.Kudos = ks[:min(len(ks), LeaderHomeKudos)]
	prefs, err := st.Prefs(ctx, u)
	if err != nil {
		return LeaderHome{}, fmt.Errorf("leader home %s: %w", u, err)
	}
	h.CheckInsOff = prefs.CheckInsOff
	return h, nil
}

// Home returns actor's LeaderHome; someone who is nobody's Lean leader now
// gets one without paths.
func (s *LeaderService) Home(ctx context.Context, actor UserID) (LeaderHome, error) {
	return loadLeaderHome(ctx, s.c.Store, s.c.Directory, s.c.DefaultTZ, s.c.Clock.Now(), actor)
}
