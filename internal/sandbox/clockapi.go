package sandbox

import (
	"encoding/json"
	"net/http"
	"time"
)

// ClockRequest is the body of POST /api/clock.
type ClockRequest struct {
	As     string `json:"as"`     // who pressed the button (for the log)
	Action string `json:"action"` // "due" or "tomorrow"
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
	switch req.Action {
	case "due":
	case "tomorrow":
		s.opts.Clock.JumpTo(s.morning(s.opts.Clock.Now()))
	default:
		errorJSON(w, http.StatusBadRequest, "unknown clock action "+req.Action)
		return
	}
	if s.opts.Poke != nil {
		s.opts.Poke()
	}
	now := s.opts.Clock.Now()
	s.log.Info().Str("action", req.Action).Str("user_id", req.As).Time("sandbox_now", now).Msg("sandbox clock")
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "now": now})
}

// morning is tomorrow MorningHour:00 for everyone: the latest of that
// instant over the people's time zones, so whoever the visitor switches to
// has had their morning prompts.
func (s *Server) morning(now time.Time) time.Time {
	var latest time.Time
	for _, u := range s.sim.Users() {
		if !s.selectable(u) {
			continue
		}
		loc, err := time.LoadLocation(u.TZ)
		if err != nil {
			loc = time.UTC
		}
		if t := NextMorning(now, loc, MorningHour); t.After(latest) {
			latest = t
		}
	}
	if latest.IsZero() {
		return NextMorning(now, time.UTC, MorningHour)
	}
	return latest
}
