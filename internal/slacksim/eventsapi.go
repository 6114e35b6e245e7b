package slacksim

import (
	"encoding/json"
	"slices"
	"time"
)

// eventCallback wraps an inner event in the Events API envelope payload. Caller holds mu.
func (s *Server) eventCallback(event obj) json.RawMessage {
	s.st.ids["event"]++
	b, _ := json.Marshal(obj{"token": "sim-verification-token", "team_id": s.opts.TeamID,
		"api_app_id": s.opts.AppID, "event": event, "type": "event_callback",
		"event_id": "Ev0SIM" + itoa(100000+s.st.ids["event"]), "event_time": time.Now().Unix(),
		"authorizations": []obj{{"enterprise_id": nil, "team_id": s.opts.TeamID, "user_id": s.opts.BotUserID,
			"is_bot": true, "is_enterprise_install": false}},
		"is_ext_shared_channel": false, "event_context": "4-sim-" + randHex(6)})
	return b
}

// subscribed reports whether the app gets events of type name (see
// Options.BotEvents).
func (s *Server) subscribed(name string) bool {
	return s.opts.BotEvents == nil || slices.Contains(s.opts.BotEvents, name)
}

// messageSubscription is the Events API event a message in c is delivered
// as: message.im, message.channels or message.groups.
func messageSubscription(c *Channel) string {
	switch channelType(c) {
	case "im":
		return "message.im"
	case "group":
		return "message.groups"
	}
	return "message.channels"
}

func channelType(c *Channel) string {
	switch {
	case c.IsIM:
		return "im"
	case c.IsPrivate:
		return "group"
	}
	return "channel"
}

// messageEvent is the message.* event for m. Caller holds mu.
func (s *Server) messageEvent(m *Message) obj {
	ev := obj{"type": "message", "channel": m.Channel, "user": m.User, "text": m.Text, "ts": m.TS,
		"event_ts": m.TS, "team": s.opts.TeamID}
	if c := s.st.channels[m.Channel]; c != nil {
		ev["channel_type"] = channelType(c)
	}
	if m.BotID != "" {
		ev["bot_id"] = m.BotID
		ev["app_id"] = s.opts.AppID
		ev["bot_profile"] = obj{"id": m.BotID, "app_id": s.opts.AppID, "name": s.opts.BotName, "deleted": false,
			"team_id": s.opts.TeamID, "updated": time.Now().Unix(), "icons": obj{}}
	}
	if m.ClientMsgID != "" {
		ev["client_msg_id"] = m.ClientMsgID
	}
	if len(m.Blocks) > 0 {
		ev["blocks"] = m.Blocks
	}
	if m.ThreadTS != "" {
		ev["thread_ts"] = m.ThreadTS
	}
	return ev
}

// echo delivers the bot's own post back as a message event when EchoBotMessages is
// set, as Slack does for message.im subscriptions. Caller holds mu.
func (s *Server) echo(m *Message) {
	if !s.opts.EchoBotMessages || !s.subscribed(messageSubscription(s.st.channels[m.Channel])) {
		return
	}
	s.dispatch(s.newEnvelope("events_api", s.eventCallback(s.messageEvent(m)), 0, "", ""))
}
