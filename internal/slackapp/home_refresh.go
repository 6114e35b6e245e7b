package slackapp

import (
	"context"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/coach"
)

// homeRefresher republishes a user's App Home.
type homeRefresher interface {
	RefreshHome(ctx context.Context, u coach.UserID) error
}

// RefreshingHome wraps a coach.Messenger so that every answered prompt also
// refreshes the director's App Home (product.md: the Home is refreshed after
// every answer). A failed refresh is logged, never returned: the answer is
// recorded and its message updated either way.
func RefreshingHome(m coach.Messenger, h homeRefresher, log zerolog.Logger) coach.Messenger {
	return refreshingHome{Messenger: m, home: h, log: log}
}

type refreshingHome struct {
	coach.Messenger
	home homeRefresher
	log  zerolog.Logger
}

func (r refreshingHome) UpdatePrompt(ctx context.Context, o coach.Occurrence, streak int) error {
	err := r.Messenger.UpdatePrompt(ctx, o, streak)
	if o.Answer != nil {
		if herr := r.home.RefreshHome(ctx, o.Director); herr != nil {
			r.log.Warn().Err(herr).Str("user_id", string(o.Director)).Msg("refresh app home")
		}
	}
	return err
}
