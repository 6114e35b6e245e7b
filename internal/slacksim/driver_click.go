package slacksim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidInput reports a click or submission Slack's client would not send (an
// unknown action_id or option, an empty required input).
var ErrInvalidInput = errors.New("invalid input")

// Surface is something a person can click in: a Message or a View.
type Surface interface{ ref() surfaceRef }

type surfaceRef struct{ channel, ts, viewID string }

func (m Message) ref() surfaceRef { return surfaceRef{channel: m.Channel, ts: m.TS} }
func (v View) ref() surfaceRef    { return surfaceRef{viewID: v.ID} }

// ClickOption picks what the person chose in the clicked element.
type ClickOption func(*clickCfg)

type clickCfg struct {
	block  string
	values []string
	set    bool
}

// InBlock restricts the element search to one block_id (action_ids repeat across blocks).
func InBlock(blockID string) ClickOption { return func(c *clickCfg) { c.block = blockID } }

// Choose selects options by value (overflow, static_select, radio_buttons, checkboxes,
// multi_static_select), users (users_select), channels, a date ("2026-01-31"), a time
// ("09:30") or text (plain_text_input with dispatch_action), by element type.
func Choose(values ...string) ClickOption {
	return func(c *clickCfg) { c.values, c.set = values, true }
}

// block is the part of a Block Kit block the driver reads.
type block struct {
	Type      string            `json:"type"`
	BlockID   string            `json:"block_id"`
	Elements  []json.RawMessage `json:"elements"`
	Accessory json.RawMessage   `json:"accessory"`
	Element   json.RawMessage   `json:"element"`
	Optional  bool              `json:"optional"`
	Label     json.RawMessage   `json:"label"`
}

// element is the part of an interactive element the driver reads.
type element struct {
	Type         string            `json:"type"`
	ActionID     string            `json:"action_id"`
	Text         json.RawMessage   `json:"text"`
	Value        string            `json:"value"`
	Style        string            `json:"style"`
	Options      []json.RawMessage `json:"options"`
	OptionGroups []struct {
		Options []json.RawMessage `json:"options"`
	} `json:"option_groups"`
	InitialValue   *string         `json:"initial_value"`
	InitialOption  json.RawMessage `json:"initial_option"`
	InitialOptions json.RawMessage `json:"initial_options"`
	InitialUser    *string         `json:"initial_user"`
	InitialDate    *string         `json:"initial_date"`
	InitialTime    *string         `json:"initial_time"`
}

type found struct {
	blockID string
	block   block
	el      element
	raw     json.RawMessage
}

// elements lists every interactive element of a blocks array in order.
func elements(blocks json.RawMessage) []found {
	var bs []block
	_ = json.Unmarshal(blocks, &bs)
	var out []found
	for _, b := range bs {
		raws := append([]json.RawMessage{}, b.Elements...)
		raws = append(raws, b.Accessory, b.Element)
		for _, raw := range raws {
			var el element
			if len(raw) == 0 || json.Unmarshal(raw, &el) != nil || el.ActionID == "" {
				continue
			}
			out = append(out, found{blockID: b.BlockID, block: b, el: el, raw: raw})
		}
	}
	return out
}

func findElement(blocks json.RawMessage, blockID, actionID string) (found, error) {
	for _, f := range elements(blocks) {
		if f.el.ActionID == actionID && (blockID == "" || f.blockID == blockID) {
			return f, nil
		}
	}
	return found{}, fmt.Errorf("slacksim: no element with action_id %q: %w", actionID, ErrInvalidInput)
}

// Click clicks (or selects in) the element actionID of a message or view and waits
// for the ack. The payload is built from the surface's current blocks, like Slack's.
func (a *Actor) Click(ctx context.Context, target Surface, actionID string, opts ...ClickOption) (*Result, error) {
	var cfg clickCfg
	for _, o := range opts {
		o(&cfg)
	}
	a.s.mu.Lock()
	r, err := a.click(target.ref(), actionID, cfg)
	a.s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return r, r.wait(ctx)
}

func (a *Actor) click(ref surfaceRef, actionID string, cfg clickCfg) (*Result, error) {
	user, err := a.userObj()
	if err != nil {
		return nil, err
	}
	p := obj{"type": "block_actions", "user": user, "api_app_id": a.s.opts.AppID,
		"token": "sim-verification-token", "team": a.team(), "enterprise": nil, "is_enterprise_install": false}
	var blocks json.RawMessage
	var view *View
	var msg *Message
	if ref.viewID != "" {
		view = a.s.st.views[ref.viewID]
		if view == nil || view.Closed || view.User != a.user {
			return nil, fmt.Errorf("slacksim click: view %s not open for %s: %w", ref.viewID, a.user, ErrNotFound)
		}
		blocks = view.Blocks
	} else {
		msg = a.s.st.findMsg(ref.channel, ref.ts)
		if msg == nil || msg.Deleted || (msg.Ephemeral && msg.To != a.user) {
			return nil, fmt.Errorf("slacksim click: message %s/%s not visible: %w", ref.channel, ref.ts, ErrNotFound)
		}
		blocks = msg.Blocks
	}
	f, err := findElement(blocks, cfg.block, actionID)
	if err != nil {
		return nil, err
	}
	action := obj{"action_id": f.el.ActionID, "block_id": f.blockID, "type": f.el.Type, "action_ts": actionTS()}
	if f.el.Type == "button" || f.el.Type == "workflow_button" {
		action["text"], action["value"] = f.el.Text, f.el.Value
		if f.el.Style != "" {
			action["style"] = f.el.Style
		}
	} else if !cfg.set {
		return nil, fmt.Errorf("slacksim click %s: a %s needs Choose(…): %w", actionID, f.el.Type, ErrInvalidInput)
	}
	sv, err := f.el.stateValue(cfg.values)
	if err != nil {
		return nil, err
	}
	for k, v := range sv {
		if k != "type" {
			action[k] = v
		}
	}
	values := obj{}
	if sv != nil && f.el.Type != "overflow" {
		b, _ := json.Marshal(sv)
		if view != nil {
			if view.State[f.blockID] == nil {
				view.State[f.blockID] = map[string]json.RawMessage{}
			}
			view.State[f.blockID][f.el.ActionID] = b
		} else {
			values[f.blockID] = obj{f.el.ActionID: json.RawMessage(b)}
		}
	}
	p["actions"] = []obj{action}
	trig := a.s.st.mintTrigger(a.user)
	p["trigger_id"] = trig
	var ru *responseURL
	var respURL string
	if view != nil {
		p["container"] = obj{"type": "view", "view_id": view.ID}
		p["view"] = a.s.viewJSON(view)
		p["state"] = obj{"values": a.s.viewJSON(view)["state"].(obj)["values"]}
	} else {
		_, chName, _ := a.channelRef(msg.Channel)
		respURL, ru = a.s.mintResponseURL("actions", a.user, msg.Channel, msg.TS)
		p["container"] = obj{"type": "message", "message_ts": msg.TS, "channel_id": msg.Channel,
			"is_ephemeral": msg.Ephemeral}
		p["channel"] = obj{"id": msg.Channel, "name": chName}
		if !msg.Ephemeral {
			p["message"] = a.s.msgJSON(msg, false)
		}
		p["response_url"] = respURL
		p["state"] = obj{"values": values}
	}
	payload, _ := json.Marshal(p)
	r := a.send("interactive", payload)
	if ru != nil {
		ru.envelopeID = r.EnvelopeID
		r.Channel, r.TS = msg.Channel, msg.TS
	}
	if view != nil {
		r.ViewID = view.ID
	}
	r.TriggerID, r.ResponseURL = trig, respURL
	return r, nil
}

// Values are a person's modal inputs keyed by action_id (or "block_id/action_id" when
// an action_id repeats). Multi-selects take comma-separated values.
type Values map[string]string

// Submit fills the modal's inputs with values, presses submit and waits for the ack;
// the ack's response_action (errors, update, push, clear, or none = close) is applied
// to the person's view stack before Submit returns.
func (a *Actor) Submit(ctx context.Context, viewID string, values Values) (*Result, error) {
	a.s.mu.Lock()
	r, err := a.submit(viewID, values)
	a.s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return r, r.wait(ctx)
}

func (a *Actor) submit(viewID string, values Values) (*Result, error) {
	user, err := a.userObj()
	if err != nil {
		return nil, err
	}
	v := a.s.st.views[viewID]
	if v == nil || v.Closed || v.User != a.user || v.Type != "modal" {
		return nil, fmt.Errorf("slacksim submit: modal %s not open for %s: %w", viewID, a.user, ErrNotFound)
	}
	if len(v.Submit) == 0 {
		return nil, fmt.Errorf("slacksim submit: modal %s has no submit button: %w", viewID, ErrInvalidInput)
	}
	used := map[string]bool{}
	for _, f := range elements(v.Blocks) {
		if f.block.Type != "input" {
			continue
		}
		if err := a.fillInput(v, f, values, used); err != nil {
			return nil, err
		}
	}
	for k := range values {
		if !used[k] {
			return nil, fmt.Errorf("slacksim submit: no input %q in modal %s: %w", k, viewID, ErrInvalidInput)
		}
	}
	payload, _ := json.Marshal(obj{"type": "view_submission", "team": a.team(), "user": user,
		"api_app_id": a.s.opts.AppID, "token": "sim-verification-token",
		"trigger_id": a.s.st.mintTrigger(a.user), "view": a.s.viewJSON(v), "response_urls": []obj{},
		"is_enterprise_install": false, "enterprise": nil})
	r := a.send("interactive", payload)
	r.ViewID = v.ID
	return r, nil
}

// fillInput sets one input block's state from values, or from the element's initial
// value, and enforces required inputs. Caller holds mu.
func (a *Actor) fillInput(v *View, f found, values Values, used map[string]bool) error {
	key := f.blockID + "/" + f.el.ActionID
	val, ok := values[key]
	if !ok {
		key = f.el.ActionID
		val, ok = values[key]
	}
	if v.State[f.blockID] == nil {
		v.State[f.blockID] = map[string]json.RawMessage{}
	}
	cur, had := v.State[f.blockID][f.el.ActionID]
	switch {
	case ok:
		used[key] = true
		vals := []string{val}
		if strings.HasPrefix(f.el.Type, "multi_") || f.el.Type == "checkboxes" {
			vals = strings.Split(val, ",")
			if val == "" {
				vals = nil
			}
		}
		sv, err := f.el.stateValue(vals)
		if err != nil {
			return err
		}
		b, _ := json.Marshal(sv)
		v.State[f.blockID][f.el.ActionID] = b
		if val == "" && !f.block.Optional {
			return fmt.Errorf("slacksim submit: required input %s is empty: %w", key, ErrInvalidInput)
		}
	case had:
		_ = cur
	default:
		b, filled := f.el.initialState()
		v.State[f.blockID][f.el.ActionID] = b
		if !filled && !f.block.Optional {
			return fmt.Errorf("slacksim submit: required input %s/%s is empty: %w",
				f.blockID, f.el.ActionID, ErrInvalidInput)
		}
	}
	return nil
}
