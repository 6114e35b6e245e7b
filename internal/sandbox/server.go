// Package sandbox is the web page of `bot sandbox`: a Slack-like client in the
// browser over internal/slacksim, so a visitor can be any person of the demo
// workspace, read DMs and channels, type /coach commands, click Block Kit
// buttons, fill modals and open the App Home, while the real leancoach bot
// answers over Socket Mode.
//
// The page (web/, embedded) talks to a small JSON API:
//
//	GET  /api/state?as=U…&channel=C…  what that person sees (people, channels,
//	                                  messages with ephemerals, modal stack, App Home)
//	POST /api/action                  type, click, select, submit, close, open Home
//	POST /api/clock                   "due": poke the due-loop and say what is due
//	                                  or what comes next; "tomorrow": jump the sandbox
//	                                  clock to tomorrow 08:00 in the person's zone, then poke
//	GET  /api/file?as=U…&id=F…        a file shared in a channel that person sees
//	GET  /api/events                  Server-Sent Events: one per change in slacksim
//
// Block Kit is rendered to HTML here, in Go (render.go), so every element kind
// is covered by Go tests and every text is escaped in one place.
package sandbox

import (
	"embed"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/slacksim"
)

//go:embed web
var webFS embed.FS

// Options configures a Server. The zero value works: no clock control, every
// person of the workspace selectable.
type Options struct {
	Logger zerolog.Logger
	// Clock is the sandbox time shared with the bot; nil disables the clock
	// controls (POST /api/clock answers 501).
	Clock *Clock
	// Poke wakes the bot's due-loop so it looks for due prompts now.
	Poke func()
	// Roles maps the people the visitor may be to their role ("admin",
	// "director", "leader"); the picker lists them in workspace order. Empty
	// means everyone, without a role.
	Roles map[string]string
	// BotName is the bot's name in the sidebar; default "leancoach".
	BotName string
	// Prefs, when set, gives the language each person chose with /coach
	// language, so the page speaks it too; nil follows the Slack locale.
	Prefs Prefs
	// Agenda, when set, lets "Send due prompts now" say what is due, or
	// what comes next and when.
	Agenda Agenda
	// Guide is the page's "try this" walk-through; empty shows none.
	Guide []GuideStep
	// ActionTimeout bounds how long an action waits for the bot; default 10 s.
	ActionTimeout time.Duration
}

// Server serves the sandbox page and its API. Create it with New; Close ends
// the live streams so an http.Server can shut down.
type Server struct {
	sim  *slacksim.Server
	opts Options
	log  zerolog.Logger
	mux  *http.ServeMux

	done      chan struct{}
	closeOnce sync.Once
}

// New returns the sandbox over sim.
func New(sim *slacksim.Server, opts Options) *Server {
	if opts.BotName == "" {
		opts.BotName = "leancoach"
	}
	if opts.ActionTimeout <= 0 {
		opts.ActionTimeout = 10 * time.Second
	}
	s := &Server{
		sim:  sim,
		opts: opts,
		log:  opts.Logger.With().Str("component", "sandbox").Logger(),
		mux:  http.NewServeMux(),
		done: make(chan struct{}),
	}
	static, _ := fs.Sub(webFS, "web") // the directory is embedded, Sub cannot fail
	s.mux.Handle("GET /", noCache(http.FileServerFS(static)))
	s.mux.HandleFunc("GET /api/state", s.handleState)
	s.mux.Handle("POST /api/action", sameOrigin(http.HandlerFunc(s.handleAction)))
	s.mux.Handle("POST /api/clock", sameOrigin(http.HandlerFunc(s.handleClock)))
	s.mux.HandleFunc("GET /api/file", s.handleFile)
	s.mux.HandleFunc("GET /api/events", s.handleEvents)
	return s
}

// ServeHTTP serves the page and the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Close ends every open event stream; later streams end at once.
func (s *Server) Close() { s.closeOnce.Do(func() { close(s.done) }) }

// sameOrigin refuses actions another web site's page could send from the
// visitor's browser: they must be JSON (a cross-site form cannot send that
// without a CORS preflight, which is never granted) and, when the browser
// names an Origin, come from this page's own.
func sameOrigin(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ct := r.Header.Get("Content-Type")
		if mt, _, _ := strings.Cut(ct, ";"); strings.TrimSpace(mt) != "application/json" {
			errorJSON(w, http.StatusUnsupportedMediaType, "actions must be sent as application/json")
			return
		}
		if o := r.Header.Get("Origin"); o != "" {
			if u, err := url.Parse(o); err != nil || u.Host != r.Host {
				errorJSON(w, http.StatusForbidden, "actions are accepted from the sandbox page only")
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// noCache makes a reload after `go run` show the new page.
func noCache(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		h.ServeHTTP(w, r)
	})
}
