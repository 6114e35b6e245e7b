package sandbox

import (
	"context"
	"time"

	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// Prefs tells the language a person chose with /coach language: "" when
// they chose none (the page then follows their Slack locale, as the bot does).
type Prefs interface {
	Lang(ctx context.Context, user string) (i18n.Lang, error)
}

// Agenda lists the scheduled prompts the bot plans to send, so the page can
// say what comes when. Upcoming returns every planned prompt, in any order.
type Agenda interface {
	Upcoming(ctx context.Context) ([]Planned, error)
}

// Planned is one scheduled prompt the bot plans to send.
type Planned struct {
	Director string    // user id
	Habit    string    // the habit's key, e.g. "standup"
	At       time.Time // when it is due
}

// langFor is the language the page speaks with u: their own choice, then
// their Slack locale, then English. A Prefs that cannot answer counts as no
// choice: the page still works, in the locale's language.
func (s *Server) langFor(ctx context.Context, u slacksim.User) i18n.Lang {
	if s.opts.Prefs != nil {
		if l, err := s.opts.Prefs.Lang(ctx, u.ID); err == nil && l != "" {
			return l
		} else if err != nil {
			s.log.Debug().Err(err).Str("user_id", u.ID).Msg("sandbox: no language preference")
		}
	}
	return langOf(u.Locale)
}
