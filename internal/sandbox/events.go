package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/leancoach/leancoach/internal/slacksim"
)

// Change is one Server-Sent Event of GET /api/events: something the page may
// have to redraw. The page re-reads /api/state; the fields let it skip
// changes that are not for the person it shows.
type Change struct {
	Seq     int64  `json:"seq"`
	Kind    string `json:"kind"`
	Channel string `json:"channel,omitempty"`
	User    string `json:"user,omitempty"`
	ViewID  string `json:"view_id,omitempty"`
}

// shown are the slacksim events that change what a person sees.
var shown = map[slacksim.EventKind]bool{
	slacksim.EventUserAdded: true, slacksim.EventChannelAdded: true, slacksim.EventMessage: true,
	slacksim.EventEphemeral: true, slacksim.EventMessageUpdated: true, slacksim.EventMessageDeleted: true,
	slacksim.EventViewOpened: true, slacksim.EventViewPushed: true, slacksim.EventViewUpdated: true,
	slacksim.EventViewClosed: true, slacksim.EventViewErrors: true, slacksim.EventHomePublished: true,
	slacksim.EventConnOpened: true, slacksim.EventConnClosed: true,
}

// keepAlive is how often an idle stream gets a comment line, so proxies and
// the browser keep it open.
const keepAlive = 20 * time.Second

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		errorJSON(w, http.StatusInternalServerError, "streaming unsupported")
		return
	}
	events, cancel := s.sim.Subscribe()
	defer cancel()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, "retry: 1000\nevent: hello\ndata: {\"seq\":%d}\n\n", s.sim.Seq())
	flusher.Flush()
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case <-tick.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case ev, open := <-events:
			if !open {
				return
			}
			if !shown[ev.Kind] {
				continue
			}
			b, _ := json.Marshal(Change{Seq: ev.Seq, Kind: string(ev.Kind), Channel: ev.Channel, User: ev.User, ViewID: ev.ViewID})
			fmt.Fprintf(w, "event: change\ndata: %s\n\n", b)
		}
		flusher.Flush()
	}
}
