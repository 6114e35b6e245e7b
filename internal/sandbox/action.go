package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/leancoach/leancoach/internal/slacksim"
)

// Action is the body of POST /api/action: one thing the person does.
type Action struct {
	As   string `json:"as"`
	Kind string `json:"kind"` // "message", "click", "submit", "close", "home"
	// message: Text typed in Channel ("" = the DM with the bot); a leading
	// "/command" makes it a slash command.
	Channel string `json:"channel"`
	Text    string `json:"text"`
	// click: the element ActionID (in BlockID) of the message Channel/TS or of
	// the view ViewID; Values are the chosen options, users, date… (nil for a
	// button, [] for checkboxes with none ticked).
	TS       string   `json:"ts"`
	ViewID   string   `json:"view_id"`
	ActionID string   `json:"action_id"`
	BlockID  string   `json:"block_id"`
	Values   []string `json:"values"`
	// submit: the modal's inputs by "block_id/action_id"; checkboxes
	// comma-separated.
	Inputs map[string]string `json:"inputs"`
}

// ActionResult is the answer of POST /api/action.
type ActionResult struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
	// Errors are the modal's validation errors after a submit the bot refused.
	Errors map[string]string `json:"errors,omitempty"`
}

// errUnknownPerson reports a person the visitor may not be.
func errUnknownPerson(id string) error { return fmt.Errorf("no such person %q", id) }

func (s *Server) handleAction(w http.ResponseWriter, r *http.Request) {
	var a Action
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&a); err != nil {
		errorJSON(w, http.StatusBadRequest, "read action: "+err.Error())
		return
	}
	res, err := s.Do(r.Context(), a)
	if err != nil {
		status := http.StatusBadGateway
		switch {
		case errors.Is(err, errBadAction), errors.Is(err, slacksim.ErrInvalidInput):
			status = http.StatusBadRequest
		case errors.Is(err, slacksim.ErrNotFound):
			status = http.StatusNotFound
		}
		s.log.Warn().Err(err).Str("kind", a.Kind).Str("user_id", a.As).Msg("sandbox action failed")
		errorJSON(w, status, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, res)
}

var errBadAction = errors.New("bad action")

// Do performs a as the person a.As through slacksim's driver and waits for the
// bot's ack, like Slack's client does before it shows an error.
func (s *Server) Do(ctx context.Context, a Action) (ActionResult, error) {
	ws := s.workspace()
	if u, ok := ws.byID[a.As]; !ok || !s.selectable(u) {
		return ActionResult{}, fmt.Errorf("%w: %w", errBadAction, errUnknownPerson(a.As))
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.ActionTimeout)
	defer cancel()
	actor := s.sim.As(a.As)
	var err error
	switch a.Kind {
	case "message":
		_, err = s.message(ctx, actor, a, ws)
	case "click":
		err = s.click(ctx, actor, a)
	case "submit":
		if _, err = actor.Submit(ctx, a.ViewID, slacksim.Values(a.Inputs)); err == nil {
			res := ActionResult{OK: true}
			if v, ok := s.sim.View(a.ViewID); ok && !v.Closed {
				res.Errors = v.Errors
			}
			return res, nil
		}
	case "close":
		_, err = actor.Close(ctx, a.ViewID)
	case "home":
		_, err = actor.OpenHome(ctx)
	default:
		return ActionResult{}, fmt.Errorf("%w: unknown kind %q", errBadAction, a.Kind)
	}
	if err != nil {
		return ActionResult{}, fmt.Errorf("sandbox %s: %w", a.Kind, err)
	}
	return ActionResult{OK: true}, nil
}

// message types text: a slash command, or a message in the channel.
func (s *Server) message(ctx context.Context, actor *slacksim.Actor, a Action, ws workspace) (*slacksim.Result, error) {
	text := strings.TrimSpace(a.Text)
	if text == "" {
		return nil, fmt.Errorf("%w: empty message", errBadAction)
	}
	channel := a.Channel
	if channel == s.sim.DMChannel(a.As) {
		channel = ""
	}
	if !strings.HasPrefix(text, "/") {
		return actor.SayIn(ctx, channel, Escape(text, ws.users, ws.channels))
	}
	cmd, rest, _ := strings.Cut(text, " ")
	var opts []slacksim.SlashOption
	if channel != "" {
		opts = append(opts, slacksim.InChannel(channel))
	}
	return actor.Slash(ctx, cmd, Escape(strings.TrimSpace(rest), ws.users, ws.channels), opts...)
}

func (s *Server) click(ctx context.Context, actor *slacksim.Actor, a Action) error {
	var target slacksim.Surface
	if a.ViewID != "" {
		v, ok := s.sim.View(a.ViewID)
		if !ok {
			return fmt.Errorf("view %s: %w", a.ViewID, slacksim.ErrNotFound)
		}
		target = v
	} else {
		m, ok := s.sim.Message(a.Channel, a.TS)
		if !ok {
			return fmt.Errorf("message %s/%s: %w", a.Channel, a.TS, slacksim.ErrNotFound)
		}
		target = m
	}
	var opts []slacksim.ClickOption
	if a.BlockID != "" {
		opts = append(opts, slacksim.InBlock(a.BlockID))
	}
	if a.Values != nil {
		opts = append(opts, slacksim.Choose(a.Values...))
	}
	_, err := actor.Click(ctx, target, a.ActionID, opts...)
	return err
}
