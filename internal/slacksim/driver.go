package slacksim

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Actor plays one person in the workspace: it types slash commands, clicks buttons,
// submits modals and opens the App Home, and sees what the bot answered.
type Actor struct {
	s    *Server
	user string
}

// As returns the driver for userID (who must have been added with AddUser).
func (s *Server) As(userID string) *Actor { return &Actor{s: s, user: userID} }

// ID is the person's user id.
func (a *Actor) ID() string { return a.user }

// SlashOption adjusts a slash command.
type SlashOption func(*slashCfg)

type slashCfg struct{ channel string }

// InChannel types the command in channel instead of the person's DM with the bot.
func InChannel(channelID string) SlashOption { return func(c *slashCfg) { c.channel = channelID } }

// userObj renders the person for interactive payloads. Caller holds mu.
func (a *Actor) userObj() (obj, error) {
	u, ok := a.s.st.users[a.user]
	if !ok {
		return nil, fmt.Errorf("slacksim: no user %s: %w", a.user, ErrNotFound)
	}
	return obj{"id": u.ID, "username": u.Name, "name": u.Name, "team_id": u.TeamID}, nil
}

func (a *Actor) team() obj { return obj{"id": a.s.opts.TeamID, "domain": a.s.opts.TeamDomain} }

// channelRef returns the channel's id and the name Slack puts in payloads. Caller holds mu.
func (a *Actor) channelRef(id string) (string, string, error) {
	if id == "" {
		return a.s.st.dm(a.user).ID, "directmessage", nil
	}
	c, ok := a.s.st.channels[id]
	if !ok {
		return "", "", fmt.Errorf("slacksim: no channel %s: %w", id, ErrNotFound)
	}
	if c.IsIM {
		return c.ID, "directmessage", nil
	}
	return c.ID, c.Name, nil
}

// Slash types "/command text" and waits for the ack. The error wraps ErrNotAcked or
// ErrNoConnection when the bot did not answer in time; the Result is still usable.
func (a *Actor) Slash(ctx context.Context, command, text string, opts ...SlashOption) (*Result, error) {
	var cfg slashCfg
	for _, o := range opts {
		o(&cfg)
	}
	a.s.mu.Lock()
	u, ok := a.s.st.users[a.user]
	if !ok {
		a.s.mu.Unlock()
		return nil, fmt.Errorf("slacksim slash: no user %s: %w", a.user, ErrNotFound)
	}
	chID, chName, err := a.channelRef(cfg.channel)
	if err != nil {
		a.s.mu.Unlock()
		return nil, err
	}
	respURL, ru := a.s.mintResponseURL("commands", a.user, chID, "")
	trig := a.s.st.mintTrigger(a.user)
	payload, _ := json.Marshal(obj{"token": "sim-verification-token", "team_id": a.s.opts.TeamID,
		"team_domain": a.s.opts.TeamDomain, "channel_id": chID, "channel_name": chName,
		"user_id": u.ID, "user_name": u.Name, "command": command, "text": text,
		"api_app_id": a.s.opts.AppID, "is_enterprise_install": "false",
		"response_url": respURL, "trigger_id": trig})
	r := a.send("slash_commands", payload)
	ru.envelopeID = r.EnvelopeID
	r.TriggerID, r.ResponseURL, r.Channel = trig, respURL, chID
	a.s.mu.Unlock()
	return r, r.wait(ctx)
}

// send registers and dispatches an envelope and returns its Result. Caller holds mu.
func (a *Actor) send(typ string, payload json.RawMessage) *Result {
	r := &Result{s: a.s, user: a.user, since: a.s.st.seq, cursors: map[string]int64{}}
	e := a.s.newEnvelope(typ, payload, 0, "", a.user)
	r.EnvelopeID = e.ID
	a.s.dispatch(e)
	return r
}

// OpenHome opens the App Home tab: an app_home_opened event (with the published view,
// if any) when the app subscribes to it (Options.BotEvents). It waits for the ack.
func (a *Actor) OpenHome(ctx context.Context) (*Result, error) {
	a.s.mu.Lock()
	if _, err := a.userObj(); err != nil {
		a.s.mu.Unlock()
		return nil, err
	}
	dm := a.s.st.dm(a.user)
	if !a.s.subscribed("app_home_opened") {
		a.s.mu.Unlock()
		return &Result{s: a.s, user: a.user, cursors: map[string]int64{}, Channel: dm.ID}, nil
	}
	ev := obj{"type": "app_home_opened", "user": a.user, "channel": dm.ID, "tab": "home",
		"event_ts": a.s.st.nextTS()}
	if id, ok := a.s.st.homes[a.user]; ok {
		ev["view"] = a.s.viewJSON(a.s.st.views[id])
	}
	r := a.send("events_api", a.s.eventCallback(ev))
	r.Channel = dm.ID
	a.s.mu.Unlock()
	return r, r.wait(ctx)
}

// Close closes an open modal (and any pushed above it). With notify_on_close the bot
// gets a view_closed payload and Close waits for its ack.
func (a *Actor) Close(ctx context.Context, viewID string) (*Result, error) {
	a.s.mu.Lock()
	v, ok := a.s.st.views[viewID]
	if !ok || v.Closed || v.User != a.user || v.Type != "modal" {
		a.s.mu.Unlock()
		return nil, fmt.Errorf("slacksim close %s: no open modal: %w", viewID, ErrNotFound)
	}
	user, _ := a.userObj()
	notify := v.NotifyOnClose
	payload, _ := json.Marshal(obj{"type": "view_closed", "team": a.team(), "user": user,
		"api_app_id": a.s.opts.AppID, "token": "sim-verification-token", "view": a.s.viewJSON(v),
		"is_cleared": false, "is_enterprise_install": false})
	a.s.st.closeModals(a.user, viewID, "user")
	if !notify {
		r := &Result{s: a.s, user: a.user, since: a.s.st.seq, cursors: map[string]int64{}}
		a.s.mu.Unlock()
		return r, nil
	}
	r := a.send("interactive", payload)
	a.s.mu.Unlock()
	return r, r.wait(ctx)
}

// Result is what the bot did in answer to one action. Not safe for concurrent use.
type Result struct {
	EnvelopeID  string
	TriggerID   string
	ResponseURL string
	Channel     string
	TS          string   // the message acted on or posted, if any
	ViewID      string   // the view acted on, if any
	Envelope    Envelope // final state after the wait (Status, AckPayload, Latency)

	s       *Server
	user    string
	since   int64
	cursors map[string]int64
}

// wait blocks until the envelope is acked, times out or fails to dispatch.
func (r *Result) wait(ctx context.Context) error {
	env, err := r.s.WaitAck(ctx, r.EnvelopeID)
	r.Envelope = env
	return err
}

// Acked tells whether the bot acked in time.
func (r *Result) Acked() bool { return r.Envelope.Status == StatusAcked }

// AckPayload is the payload the bot acked with (nil for a bare ack).
func (r *Result) AckPayload() json.RawMessage { return r.Envelope.AckPayload }

// next returns the first event after the kind's cursor that match accepts and moves
// the cursor past it, so repeated calls walk forward.
func (r *Result) next(ctx context.Context, kind string, match func(Event) bool) (Event, error) {
	after, ok := r.cursors[kind]
	if !ok {
		after = r.since
	}
	ev, err := r.s.WaitEvent(ctx, after, match)
	if err != nil {
		return ev, err
	}
	r.cursors[kind] = ev.Seq
	return ev, nil
}

func (r *Result) msgAt(ev Event) (Message, error) {
	m, ok := r.s.Message(ev.Channel, ev.TS)
	if !ok {
		return Message{}, fmt.Errorf("slacksim: message %s/%s: %w", ev.Channel, ev.TS, ErrNotFound)
	}
	return m, nil
}

// WaitResponse returns the next reply sent for this action through its response_url
// or its ack payload (a post, a replace_original, or a delete_original: check Deleted).
func (r *Result) WaitResponse(ctx context.Context) (Message, error) {
	ev, err := r.next(ctx, "response", func(ev Event) bool {
		return ev.Kind == EventResponse && ev.EnvelopeID == r.EnvelopeID && ev.TS != ""
	})
	if err != nil {
		return Message{}, err
	}
	return r.msgAt(ev)
}

// WaitDM returns the next message posted in the person's DM with the bot after the action.
func (r *Result) WaitDM(ctx context.Context) (Message, error) {
	dm := r.s.DMChannel(r.user)
	ev, err := r.next(ctx, "dm", func(ev Event) bool {
		return ev.Kind == EventMessage && ev.Channel == dm
	})
	if err != nil {
		return Message{}, err
	}
	return r.msgAt(ev)
}

// WaitEphemeral returns the next ephemeral message shown to the person after the action.
func (r *Result) WaitEphemeral(ctx context.Context) (Message, error) {
	ev, err := r.next(ctx, "ephemeral", func(ev Event) bool {
		return ev.Kind == EventEphemeral && ev.User == r.user
	})
	if err != nil {
		return Message{}, err
	}
	return r.msgAt(ev)
}

// WaitUpdate returns the next update of the acted-on message (r.Channel, r.TS), or of
// any message the person sees when the action had none.
func (r *Result) WaitUpdate(ctx context.Context) (Message, error) {
	ev, err := r.next(ctx, "update", func(ev Event) bool {
		if ev.Kind != EventMessageUpdated && ev.Kind != EventMessageDeleted {
			return false
		}
		if r.TS != "" {
			return ev.Channel == r.Channel && ev.TS == r.TS
		}
		return true
	})
	if err != nil {
		return Message{}, err
	}
	return r.msgAt(ev)
}

// WaitView returns the next modal opened, pushed or updated, or Home published, for
// the person after the action.
func (r *Result) WaitView(ctx context.Context) (View, error) {
	ev, err := r.next(ctx, "view", func(ev Event) bool {
		switch ev.Kind {
		case EventViewOpened, EventViewPushed, EventViewUpdated, EventHomePublished, EventViewErrors:
			return ev.User == r.user
		}
		return false
	})
	if err != nil {
		return View{}, err
	}
	v, _ := r.s.View(ev.ViewID)
	return v, nil
}

// Responses returns every reply sent so far through this action's response_url or ack.
func (r *Result) Responses() []Message {
	var out []Message
	for _, ev := range r.s.Events() {
		if ev.Seq > r.since && ev.Kind == EventResponse && ev.EnvelopeID == r.EnvelopeID && ev.TS != "" {
			if m, err := r.msgAt(ev); err == nil {
				out = append(out, m)
			}
		}
	}
	return out
}

// Ephemerals returns the ephemeral messages shown to the person since the action.
func (r *Result) Ephemerals() []Message {
	var out []Message
	for _, ev := range r.s.Events() {
		if ev.Seq > r.since && ev.Kind == EventEphemeral && ev.User == r.user {
			if m, err := r.msgAt(ev); err == nil {
				out = append(out, m)
			}
		}
	}
	return out
}

// now is the action_ts / event_ts format.
func actionTS() string {
	t := time.Now()
	return fmt.Sprintf("%d.%06d", t.Unix(), t.Nanosecond()/1000)
}
