package slackapp

import (
	"context"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
)

// ProfileCache is where Directory keeps what users.info said.
type ProfileCache interface {
	CachedProfile(ctx context.Context, id coach.UserID) (coach.Profile, error)
	PutProfile(ctx context.Context, ps ...coach.Profile) error
}

// Directory asks Slack about users (users.info with the locale) and caches the
// answers. Profile always asks Slack, for decisions that must be fresh and
// fail closed (admin checks); Cached serves time zones and languages from the
// cache for up to maxAge and falls back to a stale entry when Slack cannot be
// asked.
type Directory struct {
	api   *slack.Client
	cache ProfileCache
	clock coach.Clock
}

var _ coach.Directory = (*Directory)(nil)

// NewDirectory returns a Directory.
func NewDirectory(api *slack.Client, cache ProfileCache, clock coach.Clock) *Directory {
	return &Directory{api: api, cache: cache, clock: clock}
}

// Profile asks Slack now. An error means Slack could not be asked.
func (d *Directory) Profile(ctx context.Context, id coach.UserID) (coach.Profile, error) {
	u, err := d.api.GetUserInfoContext(ctx, string(id), slack.GetUserInfoOptionIncludeLocale(true))
	if err != nil {
		return coach.Profile{}, fmt.Errorf("users.info %s: %w", id, err)
	}
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
		FetchedAt:         d.clock.Now(),
	}
	if p.Name == "" {
		p.Name = u.Name
	}
	if err := d.cache.PutProfile(ctx, p); err != nil {
		return p, fmt.Errorf("cache profile %s: %w", id, err)
	}
	return p, nil
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
