package slackapp

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/wait"
)

// ProfileCache is where Directory keeps what Slack said about users.
type ProfileCache interface {
	CachedProfile(ctx context.Context, id coach.UserID) (coach.Profile, error)
	PutProfile(ctx context.Context, ps ...coach.Profile) error
	ReadSnapshot(ctx context.Context, fn func(s coach.Snapshot) error) error
}

// Directory asks Slack about users and caches the answers. Profile always
// asks Slack (users.info with the locale), for decisions that must be fresh
// and fail closed (admin checks); Cached serves time zones, languages and
// names from the cache for up to maxAge and falls back to a stale entry
// when Slack cannot be asked. Warm fills the cache in bulk (users.list), so
// that sending many prompts, or a morning of answers, asks Slack about no
// user one by one.
type Directory struct {
	api   *slack.Client
	cache ProfileCache
	clock coach.Clock
	lim   *slackio.Limiter

	warming sync.Mutex // one Warm at a time: a second one finds the first's work done

	mu    sync.Mutex
	fresh map[coach.UserID]time.Time // cached at (as Warm last saw), by user
	tried map[coach.UserID]time.Time // when Warm last looked for a user Slack did not list
}

var _ coach.Directory = (*Directory)(nil)

// limitUsersList is Directory's limiter key: users.list is Tier 2, 20 a
// minute; a burst of 15 fills a cold cache of 3,000 users at once.
const limitUsersList = "users.list"

// NewDirectory returns a Directory.
func NewDirectory(api *slack.Client, cache ProfileCache, clock coach.Clock) *Directory {
	return &Directory{api: api, cache: cache, clock: clock,
		lim:   slackio.NewLimiter(map[string]slackio.Rate{limitUsersList: {PerSecond: 18.0 / 60, Burst: 15}}, time.Now),
		fresh: map[coach.UserID]time.Time{}, tried: map[coach.UserID]time.Time{}}
}

// Profile asks Slack now. An error means Slack could not be asked.
func (d *Directory) Profile(ctx context.Context, id coach.UserID) (coach.Profile, error) {
	u, err := d.api.GetUserInfoContext(ctx, string(id), slack.GetUserInfoOptionIncludeLocale(true))
	if err != nil {
		return coach.Profile{}, fmt.Errorf("users.info %s: %w", id, err)
	}
	p := profileOf(u, d.clock.Now())
	if err := d.cache.PutProfile(ctx, p); err != nil {
		return p, fmt.Errorf("cache profile %s: %w", id, err)
	}
	d.saw(p)
	return p, nil
}

// profileOf is what the bot keeps of a Slack user, fetched at now.
func profileOf(u *slack.User, now time.Time) coach.Profile {
	p := coach.Profile{
		ID:                coach.UserID(u.ID),
		TeamID:            coach.TeamID(u.TeamID),
		Name:              u.RealName,
		TZ:                u.TZ,
		Locale:            u.Locale,
		IsAdmin:           u.IsAdmin,
		IsOwner:           u.IsOwner,
		IsPrimaryOwner:    u.IsPrimaryOwner,
		IsRestricted:      u.IsRestricted,
		IsUltraRestricted: u.IsUltraRestricted,
		IsBot:             u.IsBot || u.IsAppUser,
		Deleted:           u.Deleted,
		FetchedAt:         now,
	}
	if p.Name == "" {
		p.Name = u.Name
	}
	return p
}

// Cached returns the cached profile when it is younger than maxAge, and asks
// Slack otherwise. When Slack cannot be asked, a stale cached profile is
// returned with no error; with nothing cached, the error.
func (d *Directory) Cached(ctx context.Context, id coach.UserID, maxAge time.Duration) (coach.Profile, error) {
	cached, cerr := d.cache.CachedProfile(ctx, id)
	if cerr == nil && d.clock.Now().Sub(cached.FetchedAt) < maxAge {
		return cached, nil
	}
	p, err := d.Profile(ctx, id)
	if err == nil {
		return p, nil
	}
	if cerr == nil {
		return cached, nil
	}
	return coach.Profile{}, err
}

// Warm tuning: up to warmOneByOne users are asked for with users.info (Tier
// 4); more are read from users.list pages of warmPage (Tier 2). A user Slack
// did not list is looked for again only after warmRetry.
const (
	warmOneByOne = 10
	warmPage     = 200
	warmRetry    = 15 * time.Minute
	// warmWaitMax bounds one wait for a rate-limited users.list page.
	warmWaitMax = time.Minute
)

// Warm makes the cache hold a profile of each of ids fetched less than
// maxAge ago; maxAge 0 only fills in the users with none cached. A few are
// asked for one by one (users.info); more are read from Slack's directory a
// page of 200 at a time (users.list, paced under its tier and waiting out
// Retry-After), each page cached in one write, until all are found or the
// directory ends. What was cached stays when Slack cannot be read (the
// error); users Slack does not list are left alone for warmRetry.
func (d *Directory) Warm(ctx context.Context, ids []coach.UserID, maxAge time.Duration) error {
	d.warming.Lock()
	defer d.warming.Unlock()
	want, err := d.stale(ctx, ids, maxAge)
	if err != nil || len(want) == 0 {
		return err
	}
	if len(want) <= warmOneByOne {
		var errs []error
		for id := range want {
			if _, err := d.Profile(ctx, id); err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	}
	return d.list(ctx, want)
}

// stale returns which of ids need fetching: none cached, or (maxAge > 0)
// one fetched maxAge ago or earlier; leaving out those tried lately. The
// cache is read in one transaction, and only for users not already known
// to be fresh enough.
func (d *Directory) stale(ctx context.Context, ids []coach.UserID, maxAge time.Duration) (map[coach.UserID]bool, error) {
	now := d.clock.Now()
	want := map[coach.UserID]bool{}
	d.mu.Lock()
	for _, id := range ids {
		at, known := d.fresh[id]
		if known && (maxAge <= 0 || now.Sub(at) < maxAge) {
			continue
		}
		if t, ok := d.tried[id]; ok && now.Sub(t) < warmRetry {
			continue
		}
		want[id] = true
	}
	d.mu.Unlock()
	if len(want) == 0 {
		return nil, nil
	}
	var cached []coach.Profile
	err := d.cache.ReadSnapshot(ctx, func(s coach.Snapshot) error {
		for id := range want {
			_, p, err := s.User(id)
			if err != nil {
				return err
			}
			if p.ID != "" {
				cached = append(cached, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("warm profiles: %w", err)
	}
	for _, p := range cached {
		d.saw(p)
		if maxAge <= 0 || now.Sub(p.FetchedAt) < maxAge {
			delete(want, p.ID)
		}
	}
	return want, nil
}

// saw notes that p is cached.
func (d *Directory) saw(p coach.Profile) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.fresh[p.ID] = p.FetchedAt
	delete(d.tried, p.ID)
}

// list reads users.list until every wanted user is cached or the directory
// ends.
func (d *Directory) list(ctx context.Context, want map[coach.UserID]bool) error {
	p := d.api.GetUsersPaginated(slack.GetUsersOptionLimit(warmPage), slack.GetUsersOptionIncludeLocale(true))
	for len(want) > 0 {
		if err := d.lim.Wait(ctx, [2]string{limitUsersList}); err != nil {
			return fmt.Errorf("warm profiles: %w", err)
		}
		next, err := p.Next(ctx)
		if p.Done(err) {
			break
		}
		if pause, limited := slackio.RetryAfter(err); limited {
			d.lim.Block(limitUsersList, pause)
			if pause > warmWaitMax {
				return fmt.Errorf("warm profiles: users.list: %w", err)
			}
			continue // the same page again, after Retry-After
		}
		if err != nil {
			return fmt.Errorf("warm profiles: users.list: %w", err)
		}
		p = next
		now := d.clock.Now()
		var page []coach.Profile
		for i := range p.Users {
			if id := coach.UserID(p.Users[i].ID); want[id] {
				page = append(page, profileOf(&p.Users[i], now))
				delete(want, id)
			}
		}
		if err := d.cache.PutProfile(ctx, page...); err != nil {
			return fmt.Errorf("warm profiles: %w", err)
		}
		for _, pr := range page {
			d.saw(pr)
		}
	}
	now := d.clock.Now()
	d.mu.Lock()
	for id := range want { // not in Slack's directory (gone, or another team)
		d.tried[id] = now
	}
	d.mu.Unlock()
	return nil
}

// RefreshEvery is how often Refresh renews profiles older than the
// maximum age it is given.
const RefreshEvery = 30 * time.Minute

// Refresh keeps the profiles of ids (asked for anew on each round) younger
// than maxAge, Warm after Warm every RefreshEvery, until ctx is done. The
// first round comes RefreshEvery after the start: a start fills in what it
// needs at once (the due-loop's and the digests' Warm, for users with no
// profile), and a bot restarted in a loop does not read Slack's directory
// each time. A round that fails is logged; the next one tries again.
func (d *Directory) Refresh(ctx context.Context, ids func(ctx context.Context) ([]coach.UserID, error), maxAge time.Duration, log zerolog.Logger) {
	for {
		if wait.For(ctx, RefreshEvery) != nil {
			return
		}
		us, err := ids(ctx)
		if err == nil {
			err = d.Warm(ctx, us, maxAge)
		}
		if err != nil && ctx.Err() == nil {
			log.Warn().Err(err).Msg("profile refresh failed; trying again later")
		}
	}
}
