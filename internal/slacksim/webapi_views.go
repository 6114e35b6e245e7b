package slacksim

import (
	"encoding/json"
	"fmt"
	"time"
)

// trigger is a trigger_id minted for a person's action; valid once, for TriggerTTL.
type trigger struct {
	user    string
	created time.Time
	used    bool
}

// mintTrigger returns a new trigger_id for user. Caller holds mu.
func (st *state) mintTrigger(user string) string {
	st.ids["trigger"]++
	tid := fmt.Sprintf("%d.26768298162.%s", 37053613000+st.ids["trigger"], randHex(16))
	st.triggers[tid] = &trigger{user: user, created: st.opts.LifeNow()}
	return tid
}

// useTrigger exchanges a trigger_id; it returns its user or a Slack error code.
func (s *Server) useTrigger(id string) (string, string) {
	t, ok := s.st.triggers[id]
	switch {
	case id == "" || !ok:
		return "", "invalid_trigger_id"
	case t.used:
		return "", "exchanged_trigger_id"
	case s.opts.LifeNow().Sub(t.created) > s.opts.TriggerTTL:
		return "", "expired_trigger_id"
	}
	t.used = true
	return t.user, ""
}

func (s *Server) newView(user string, vs viewSpec) *View {
	v := &View{ID: s.st.newID("V"), User: user}
	v.apply(vs)
	v.RootViewID = v.ID
	s.st.views[v.ID] = v
	return v
}

func (s *Server) viewsOpen(r *apiReq) obj {
	vs, bad := parseView(r.raw("view"))
	if bad != nil {
		return bad
	}
	if vs.Type != "modal" {
		return obj{"ok": false, "error": "invalid_arguments",
			"response_metadata": obj{"messages": []string{"[ERROR] views.open needs a modal [json-pointer:/view/type]"}}}
	}
	user, code := s.useTrigger(r.str("trigger_id"))
	if code != "" {
		return fail(code)
	}
	if s.st.externalIDTaken(vs.ExternalID, "") {
		return fail("duplicate_external_id")
	}
	s.st.closeModals(user, "", "views.open")
	v := s.newView(user, vs)
	s.st.modals[user] = []string{v.ID}
	s.st.emit(Event{Kind: EventViewOpened, User: user, ViewID: v.ID, Source: "views.open"})
	return obj{"ok": true, "view": s.viewJSON(v)}
}

func (s *Server) viewsPush(r *apiReq) obj {
	vs, bad := parseView(r.raw("view"))
	if bad != nil {
		return bad
	}
	user, code := s.useTrigger(r.str("trigger_id"))
	if code != "" {
		return fail(code)
	}
	v, code := s.pushView(user, vs, "views.push")
	if code != "" {
		return fail(code)
	}
	return obj{"ok": true, "view": s.viewJSON(v)}
}

// pushView puts a modal on top of user's stack (max 3). Caller holds mu.
func (s *Server) pushView(user string, vs viewSpec, source string) (*View, string) {
	stack := s.st.modals[user]
	switch {
	case len(stack) == 0:
		return nil, "not_found"
	case len(stack) >= 3:
		return nil, "push_limit_reached"
	case vs.Type != "modal":
		return nil, "invalid_arguments"
	case s.st.externalIDTaken(vs.ExternalID, ""):
		return nil, "duplicate_external_id"
	}
	v := s.newView(user, vs)
	v.RootViewID = s.st.views[stack[0]].ID
	v.PreviousViewID = stack[len(stack)-1]
	s.st.modals[user] = append(stack, v.ID)
	s.st.emit(Event{Kind: EventViewPushed, User: user, ViewID: v.ID, Source: source})
	return v, ""
}

func (s *Server) viewsUpdate(r *apiReq) obj {
	vs, bad := parseView(r.raw("view"))
	if bad != nil {
		return bad
	}
	var v *View
	if id := r.str("view_id"); id != "" {
		v = s.st.views[id]
	} else if ext := r.str("external_id"); ext != "" {
		for _, cand := range s.st.views {
			if cand.ExternalID == ext && !cand.Closed {
				v = cand
			}
		}
	}
	if v == nil || v.Closed {
		return fail("not_found")
	}
	if h := r.str("hash"); h != "" && h != v.Hash {
		return fail("hash_conflict")
	}
	if vs.Type != v.Type {
		return fail("invalid_arguments")
	}
	if s.st.externalIDTaken(vs.ExternalID, v.ID) {
		return fail("duplicate_external_id")
	}
	v.apply(vs)
	s.st.emit(Event{Kind: EventViewUpdated, User: v.User, ViewID: v.ID, Source: "views.update"})
	return obj{"ok": true, "view": s.viewJSON(v)}
}

func (s *Server) viewsPublish(r *apiReq) obj {
	user := r.str("user_id")
	if u, ok := s.st.users[user]; !ok || u.Deleted {
		return obj{"ok": false, "error": "invalid_arguments",
			"response_metadata": obj{"messages": []string{"[ERROR] invalid user_id [json-pointer:/user_id]"}}}
	}
	vs, bad := parseView(r.raw("view"))
	if bad != nil {
		return bad
	}
	if vs.Type != "home" {
		return obj{"ok": false, "error": "invalid_arguments",
			"response_metadata": obj{"messages": []string{"[ERROR] views.publish needs a home view [json-pointer:/view/type]"}}}
	}
	var v *View
	if id, ok := s.st.homes[user]; ok {
		v = s.st.views[id]
		if h := r.str("hash"); h != "" && h != v.Hash {
			return fail("hash_conflict")
		}
		v.apply(vs)
	} else {
		v = s.newView(user, vs)
		s.st.homes[user] = v.ID
	}
	s.st.emit(Event{Kind: EventHomePublished, User: user, ViewID: v.ID, Source: "views.publish"})
	return obj{"ok": true, "view": s.viewJSON(v)}
}

// applySubmissionAck applies a view_submission ack's response_action. No payload
// closes the submitted view (a pushed view returns to the one below). Caller holds mu.
func (s *Server) applySubmissionAck(e *envelope) {
	var p struct {
		User struct{ ID string } `json:"user"`
		View struct{ ID string } `json:"view"`
	}
	_ = json.Unmarshal(e.Payload, &p)
	v := s.st.views[p.View.ID]
	if v == nil || v.Closed {
		return
	}
	var a struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
		View           json.RawMessage   `json:"view"`
	}
	if len(e.AckPayload) > 0 {
		_ = json.Unmarshal(e.AckPayload, &a)
	}
	switch a.ResponseAction {
	case "errors":
		v.Errors = a.Errors
		s.st.emit(Event{Kind: EventViewErrors, User: v.User, ViewID: v.ID, EnvelopeID: e.ID, Source: "ack"})
	case "update":
		vs, bad := parseView(a.View)
		if bad != nil {
			s.st.emit(Event{Kind: EventViewErrors, User: v.User, ViewID: v.ID, EnvelopeID: e.ID,
				Source: "ack", Detail: "invalid update view"})
			return
		}
		v.apply(vs)
		s.st.emit(Event{Kind: EventViewUpdated, User: v.User, ViewID: v.ID, EnvelopeID: e.ID, Source: "ack"})
	case "push":
		vs, bad := parseView(a.View)
		if bad == nil {
			_, _ = s.pushView(v.User, vs, "ack")
		}
	case "clear":
		s.st.closeModals(v.User, "", "ack")
	default:
		s.st.closeModals(v.User, v.ID, "ack")
	}
}
