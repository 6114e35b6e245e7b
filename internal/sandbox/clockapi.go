package sandbox

import (
	"encoding/json"
	"net/http"
	"time"
)

// ClockRequest is the body of POST /api/clock.
type ClockRequest struct {
	As     string `json:"as"`     // whose time zone "tomorrow 08:00" is read in
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
		s.opts.Clock.JumpTo(NextMorning(s.opts.Clock.Now(), s.location(req.As), MorningHour))
	default:
		errorJSON(w, http.StatusBadRequest, "unknown clock action "+req.Action)
		return
	}
	if s.opts.Poke != nil {
		s.opts.Poke()
	}
	now := s.opts.Clock.Now()
	s.log.Info().Str("action", req.Action).Time("sandbox_now", now).Msg("sandbox clock")
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "now": now})
}

// location is the time zone of person id, UTC when unknown.
func (s *Server) location(id string) *time.Location {
	for _, u := range s.sim.Users() {
		if u.ID == id {
			if loc, err := time.LoadLocation(u.TZ); err == nil {
				return loc
			}
		}
	}
	return time.UTC
}
