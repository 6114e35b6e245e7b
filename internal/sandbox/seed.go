package sandbox

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/slacksim"
)

// Seed types each command (e.g. "/coach channel #kudos") as person `as`
// through the same path as the page's message box, one after the other: it
// waits for the bot's ack and its reply before the next, so later commands
// see what earlier ones set up. A command the bot does not answer is logged
// and skipped; Seed reports how many were answered. It stops early only when
// ctx ends.
func (s *Server) Seed(ctx context.Context, as string, commands []string, log zerolog.Logger) int {
	answered := 0
	for _, c := range commands {
		if ctx.Err() != nil {
			break
		}
		if s.seedOne(ctx, as, c, log) {
			answered++
		}
	}
	return answered
}

// seedReplyTimeout bounds the wait for one command's reply.
const seedReplyTimeout = 10 * time.Second

func (s *Server) seedOne(ctx context.Context, as, command string, log zerolog.Logger) bool {
	ctx, cancel := context.WithTimeout(ctx, seedReplyTimeout)
	defer cancel()
	before := s.sim.Seq()
	r, err := s.message(ctx, s.sim.As(as), Action{As: as, Kind: "message", Text: command}, s.workspace())
	if err != nil {
		log.Warn().Err(err).Str("command", command).Msg("seed command not acknowledged")
		return false
	}
	// The reply is a response_url post, an ack payload or an ephemeral message.
	// Commands are the admin's own words, never users' free text: loggable.
	if _, err := s.sim.WaitEvent(ctx, before, func(ev slacksim.Event) bool {
		return (ev.Kind == slacksim.EventResponse && ev.EnvelopeID == r.EnvelopeID) ||
			(ev.Kind == slacksim.EventEphemeral && ev.User == as && ev.Channel == r.Channel)
	}); err != nil {
		log.Warn().Err(err).Str("command", command).Msg("seed command got no reply")
		return false
	}
	log.Debug().Str("command", command).Msg("seed command answered")
	return true
}
