package slacksim

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"
)

// View is a modal or Home tab as Slack holds it. Values handed out are copies.
type View struct {
	ID              string
	Type            string // "modal" or "home"
	User            string
	ExternalID      string
	CallbackID      string
	PrivateMetadata string
	Hash            string
	RootViewID      string
	PreviousViewID  string
	NotifyOnClose   bool
	ClearOnClose    bool
	Title           json.RawMessage
	Submit          json.RawMessage
	Close           json.RawMessage
	Blocks          json.RawMessage
	// State holds the person's input: block_id -> action_id -> Slack's value object
	// ({"type":"plain_text_input","value":"…"}, {"type":"static_select","selected_option":{…}}, …).
	State map[string]map[string]json.RawMessage
	// Errors are the per-block messages of the last response_action "errors".
	Errors map[string]string
	Closed bool
}

func (v *View) copy() View {
	c := *v
	c.State = map[string]map[string]json.RawMessage{}
	for b, m := range v.State {
		c.State[b] = maps.Clone(m)
	}
	c.Errors = maps.Clone(v.Errors)
	return c
}

// viewSpec is the part of an app-sent view the server reads.
type viewSpec struct {
	Type            string          `json:"type"`
	Title           json.RawMessage `json:"title"`
	Submit          json.RawMessage `json:"submit"`
	Close           json.RawMessage `json:"close"`
	Blocks          json.RawMessage `json:"blocks"`
	PrivateMetadata string          `json:"private_metadata"`
	CallbackID      string          `json:"callback_id"`
	ExternalID      string          `json:"external_id"`
	NotifyOnClose   bool            `json:"notify_on_close"`
	ClearOnClose    bool            `json:"clear_on_close"`
}

// parseView validates an app-sent view; bad holds the Slack error answer.
func parseView(raw json.RawMessage) (viewSpec, obj) {
	var vs viewSpec
	if len(raw) == 0 {
		return vs, obj{"ok": false, "error": "invalid_arguments",
			"response_metadata": obj{"messages": []string{"[ERROR] missing required field: view"}}}
	}
	if len(raw) > 250<<10 {
		return vs, fail("view_too_large")
	}
	if err := json.Unmarshal(raw, &vs); err != nil {
		return vs, fail("invalid_json")
	}
	if msgs := ValidateView(raw); len(msgs) > 0 {
		return vs, obj{"ok": false, "error": "invalid_arguments", "response_metadata": obj{"messages": msgs}}
	}
	return vs, nil
}

// apply copies an app-sent view into v and gives it a fresh hash. Caller holds mu.
func (v *View) apply(vs viewSpec) {
	v.Type, v.Title, v.Submit, v.Close, v.Blocks = vs.Type, vs.Title, vs.Submit, vs.Close, vs.Blocks
	v.PrivateMetadata, v.CallbackID, v.ExternalID = vs.PrivateMetadata, vs.CallbackID, vs.ExternalID
	v.NotifyOnClose, v.ClearOnClose = vs.NotifyOnClose, vs.ClearOnClose
	if len(v.Blocks) == 0 {
		v.Blocks = json.RawMessage("[]")
	}
	v.Hash = fmt.Sprintf("%d.%s", time.Now().Unix(), randHex(4))
	v.Errors = nil
	if v.State == nil {
		v.State = map[string]map[string]json.RawMessage{}
	}
}

func (s *Server) viewJSON(v *View) obj {
	orNull := func(r json.RawMessage) any {
		if len(r) == 0 {
			return nil
		}
		return r
	}
	var prev any
	if v.PreviousViewID != "" {
		prev = v.PreviousViewID
	}
	values := obj{}
	for b, m := range v.State {
		values[b] = m
	}
	return obj{"id": v.ID, "team_id": s.opts.TeamID, "type": v.Type, "blocks": v.Blocks,
		"private_metadata": v.PrivateMetadata, "callback_id": v.CallbackID,
		"state": obj{"values": values}, "hash": v.Hash, "title": orNull(v.Title),
		"clear_on_close": v.ClearOnClose, "notify_on_close": v.NotifyOnClose,
		"close": orNull(v.Close), "submit": orNull(v.Submit), "previous_view_id": prev,
		"root_view_id": v.RootViewID, "app_id": s.opts.AppID, "external_id": v.ExternalID,
		"app_installed_team_id": s.opts.TeamID, "bot_id": s.opts.BotID}
}

// Views returns user's open modal stack, bottom first.
func (s *Server) Views(user string) []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []View
	for _, id := range s.st.modals[user] {
		out = append(out, s.st.views[id].copy())
	}
	return out
}

// TopView returns the modal user is looking at.
func (s *Server) TopView(user string) (View, bool) {
	vs := s.Views(user)
	if len(vs) == 0 {
		return View{}, false
	}
	return vs[len(vs)-1], true
}

// Home returns user's published Home tab.
func (s *Server) Home(user string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.st.homes[user]
	if !ok {
		return View{}, false
	}
	return s.st.views[id].copy(), true
}

// View returns any view by id, closed ones included.
func (s *Server) View(id string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.st.views[id]
	if !ok {
		return View{}, false
	}
	return v.copy(), true
}

// closeModals pops user's modal stack down to (and including) view id; "" clears it.
// Caller holds mu.
func (st *state) closeModals(user, id, source string) {
	stack := st.modals[user]
	cut := 0
	if id != "" {
		cut = slices.Index(stack, id)
		if cut < 0 {
			return
		}
	}
	for _, vid := range stack[cut:] {
		st.views[vid].Closed = true
		st.emit(Event{Kind: EventViewClosed, User: user, ViewID: vid, Source: source})
	}
	st.modals[user] = stack[:cut]
}

// externalIDTaken reports whether another open view uses ext. Caller holds mu.
func (st *state) externalIDTaken(ext, except string) bool {
	if ext == "" {
		return false
	}
	for _, v := range st.views {
		if v.ExternalID == ext && v.ID != except && !v.Closed {
			return true
		}
	}
	return false
}
