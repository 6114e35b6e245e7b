package sandbox

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/leancoach/leancoach/internal/slacksim"
)

// ClockRequest is the body of POST /api/clock.
type ClockRequest struct {
	As     string `json:"as"`     // who pressed the button: their zone and their words
	Action string `json:"action"` // "due" or "tomorrow"
}

// ClockResult is the answer of POST /api/clock.
type ClockResult struct {
	OK   bool      `json:"ok"`
	Now  time.Time `json:"now"`  // the sandbox time after the action
	Note string    `json:"note"` // what happened, in the person's language
}

// MorningHour is the hour "Jump to tomorrow" lands on.
const MorningHour = 8

func (s *Server) handleClock(w http.ResponseWriter, r *http.Request) {
	if s.opts.Clock == nil {
		errorJSON(w, http.StatusNotImplemented, "this sandbox has no clock control")
		return
	}
	var req ClockRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
		errorJSON(w, http.StatusBadRequest, "read clock request: "+err.Error())
		return
	}
	u, ok := s.workspace().byID[req.As]
	if !ok || !s.selectable(u) {
		errorJSON(w, http.StatusBadRequest, errUnknownPerson(req.As).Error())
		return
	}
	labels := Labels{Lang: s.langFor(r.Context(), u)}
	loc := zone(u)
	var note string
	switch req.Action {
	case "due":
		note = s.dueNote(r.Context(), u, loc, labels)
	case "tomorrow":
		morning := NextMorning(s.opts.Clock.Now(), loc, MorningHour)
		s.opts.Clock.JumpTo(morning)
		note = labels.T("jumped", labels.Lang.DateTime(morning.In(loc)))
	default:
		errorJSON(w, http.StatusBadRequest, "unknown clock action "+req.Action)
		return
	}
	if s.opts.Poke != nil {
		s.opts.Poke()
	}
	now := s.opts.Clock.Now()
	s.log.Info().Str("action", req.Action).Str("user_id", req.As).Time("sandbox_now", now).Msg("sandbox clock")
	writeJSON(w, http.StatusOK, ClockResult{OK: true, Now: now, Note: note})
}

// zone is u's time zone; UTC when their profile has none this build knows.
func zone(u slacksim.User) *time.Location {
	if loc, err := time.LoadLocation(u.TZ); err == nil && u.TZ != "" {
		return loc
	}
	return time.UTC
}

// dueNote says, before the due-loop is poked, how many scheduled prompts are
// due now, or else which comes next and when: u's own next prompt when they
// have one, the workspace's next otherwise. Times are in u's zone.
func (s *Server) dueNote(ctx context.Context, u slacksim.User, loc *time.Location, labels Labels) string {
	if s.opts.Agenda == nil {
		return labels.T("due.asked")
	}
	plans, err := s.opts.Agenda.Upcoming(ctx)
	if err != nil {
		s.log.Warn().Err(err).Msg("sandbox: read the planned prompts")
		return labels.T("due.asked")
	}
	now := s.opts.Clock.Now()
	due := 0
	var next, mine *Planned
	for i := range plans {
		p := &plans[i]
		if !p.At.After(now) {
			due++
			continue
		}
		if next == nil || p.At.Before(next.At) {
			next = p
		}
		if p.Director == u.ID && (mine == nil || p.At.Before(mine.At)) {
			mine = p
		}
	}
	lang := labels.Lang
	habit := func(p *Planned) string { return lang.T("habit." + p.Habit + ".name") }
	switch {
	case due > 0:
		return lang.Plural("sandbox.due.sending", due)
	case mine != nil:
		return labels.T("due.next_mine", habit(mine), lang.DateTime(mine.At.In(loc)))
	case next != nil:
		return labels.T("due.next", habit(next), s.workspace().names.Users[next.Director], lang.DateTime(next.At.In(loc)))
	default:
		return labels.T("due.none_planned")
	}
}
