package slacksim

import (
	"encoding/json"
	"slices"
	"strings"
)

// msgJSON renders a message as the Web API returns it.
func (s *Server) msgJSON(m *Message, withMetadata bool) obj {
	o := obj{"type": "message", "text": m.Text, "ts": m.TS, "team": s.opts.TeamID, "user": m.User}
	if m.BotID != "" {
		o["bot_id"] = m.BotID
		o["app_id"] = s.opts.AppID
		o["bot_profile"] = obj{"id": m.BotID, "app_id": s.opts.AppID, "name": s.opts.BotName,
			"team_id": s.opts.TeamID, "deleted": false}
	}
	if len(m.Blocks) > 0 {
		o["blocks"] = m.Blocks
	}
	if len(m.Attachments) > 0 {
		o["attachments"] = m.Attachments
	}
	if m.ThreadTS != "" {
		o["thread_ts"] = m.ThreadTS
	}
	if m.Edited > 0 {
		o["edited"] = obj{"user": m.User, "ts": m.TS}
	}
	if len(m.Files) > 0 {
		var fs []obj
		for _, id := range m.Files {
			if f := s.st.files[id]; f != nil {
				fs = append(fs, obj{"id": f.ID, "name": f.Name, "title": f.Title, "size": f.Length})
			}
		}
		o["files"] = fs
	}
	if withMetadata && len(m.Metadata) > 0 {
		o["metadata"] = m.Metadata
	}
	return o
}

// content validates text/blocks/attachments/metadata shared by the chat methods. It
// returns the error answer or nil.
func content(r *apiReq, requireSome bool) (text string, blocks, atts, meta json.RawMessage, bad obj) {
	text, blocks, atts, meta = r.str("text"), r.raw("blocks"), r.raw("attachments"), r.raw("metadata")
	if requireSome && text == "" && len(blocks) == 0 && len(atts) == 0 {
		return "", nil, nil, nil, fail("no_text")
	}
	if len(blocks) > 0 {
		var arr []json.RawMessage
		if json.Unmarshal(blocks, &arr) != nil {
			return "", nil, nil, nil, fail("invalid_blocks_format")
		}
		if msgs := ValidateMessageBlocks(blocks); len(msgs) > 0 {
			return "", nil, nil, nil, invalidBlocks("invalid_blocks", msgs)
		}
	}
	if len(atts) > 0 {
		var arr []json.RawMessage
		if json.Unmarshal(atts, &arr) != nil {
			return "", nil, nil, nil, fail("invalid_attachments")
		}
		if len(arr) > 100 {
			return "", nil, nil, nil, fail("too_many_attachments")
		}
	}
	if len(meta) > 0 {
		var m struct {
			EventType    string          `json:"event_type"`
			EventPayload json.RawMessage `json:"event_payload"`
		}
		if json.Unmarshal(meta, &m) != nil || m.EventType == "" {
			return "", nil, nil, nil, fail("invalid_metadata_format")
		}
	}
	if len([]rune(text)) > 40000 {
		text = string([]rune(text)[:40000]) // Slack truncates, it does not fail
	}
	return text, blocks, atts, meta, nil
}

// invalidBlocks is Slack's answer for rejected Block Kit: errors[] plus
// response_metadata.messages[] with "[ERROR] … [json-pointer:…]" lines.
func invalidBlocks(code string, msgs []string) obj {
	errs := make([]string, len(msgs))
	for i, m := range msgs {
		errs[i] = strings.TrimPrefix(m, "[ERROR] ")
	}
	return obj{"ok": false, "error": code, "errors": errs, "response_metadata": obj{"messages": msgs}}
}

func (s *Server) chatPostMessage(r *apiReq) obj {
	c, code := s.st.resolveChannel(r.str("channel"))
	if code != "" {
		return fail(code)
	}
	if code := s.st.botCanPost(c); code != "" {
		return fail(code)
	}
	text, blocks, atts, meta, bad := content(r, true)
	if bad != nil {
		return bad
	}
	m := &Message{Channel: c.ID, ThreadTS: r.str("thread_ts"), User: s.opts.BotUserID, BotID: s.opts.BotID,
		Text: text, Blocks: blocks, Attachments: atts, Metadata: meta, Source: "chat.postMessage"}
	s.st.addMsg(m)
	s.echo(m)
	return obj{"ok": true, "channel": c.ID, "ts": m.TS, "message": s.msgJSON(m, false)}
}

func (s *Server) chatUpdate(r *apiReq) obj {
	c, code := s.st.resolveChannel(r.str("channel"))
	if code != "" {
		return fail(code)
	}
	m := s.st.findMsg(c.ID, r.str("ts"))
	if m == nil || m.Deleted || m.Ephemeral {
		return fail("message_not_found")
	}
	if m.BotID != s.opts.BotID {
		return fail("cant_update_message")
	}
	text, blocks, atts, meta, bad := content(r, false)
	if bad != nil {
		return bad
	}
	if text == "" && blocks == nil && atts == nil {
		return fail("no_text")
	}
	s.st.updateMsg(m, text, blocks, atts, meta, "chat.update")
	return obj{"ok": true, "channel": c.ID, "ts": m.TS, "text": m.Text, "message": s.msgJSON(m, false)}
}

// updateMsg replaces a message's content. Omitted blocks keep the old ones, as in
// Slack; an empty array removes them. Caller holds mu.
func (st *state) updateMsg(m *Message, text string, blocks, atts, meta json.RawMessage, source string) {
	m.Text = text
	if blocks != nil {
		m.Blocks = blocks
		if string(blocks) == "[]" {
			m.Blocks = nil
		}
	}
	if atts != nil {
		m.Attachments = atts
	}
	if meta != nil {
		m.Metadata = meta
	}
	m.Edited++
	st.emit(Event{Kind: EventMessageUpdated, Channel: m.Channel, TS: m.TS, User: m.To, Source: source})
}

func (s *Server) chatPostEphemeral(r *apiReq) obj {
	c, code := s.st.resolveChannel(r.str("channel"))
	if code != "" {
		return fail(code)
	}
	if code := s.st.botCanPost(c); code != "" {
		return fail(code)
	}
	user := r.str("user")
	if _, ok := s.st.users[user]; !ok {
		return fail("user_not_found")
	}
	if (c.IsIM && c.User != user) || (!c.IsIM && !slices.Contains(c.Members, user)) {
		return fail("user_not_in_channel")
	}
	text, blocks, atts, _, bad := content(r, true)
	if bad != nil {
		return bad
	}
	m := &Message{Channel: c.ID, User: s.opts.BotUserID, BotID: s.opts.BotID, Text: text, Blocks: blocks,
		Attachments: atts, Ephemeral: true, To: user, ThreadTS: r.str("thread_ts"), Source: "chat.postEphemeral"}
	s.st.addMsg(m)
	return obj{"ok": true, "message_ts": m.TS}
}

func (s *Server) chatDelete(r *apiReq) obj {
	c, code := s.st.resolveChannel(r.str("channel"))
	if code != "" {
		return fail(code)
	}
	m := s.st.findMsg(c.ID, r.str("ts"))
	if m == nil || m.Deleted || m.Ephemeral {
		return fail("message_not_found")
	}
	if m.BotID != s.opts.BotID {
		return fail("cant_delete_message")
	}
	s.st.deleteMsg(m, "chat.delete")
	return obj{"ok": true, "channel": c.ID, "ts": m.TS}
}

func (st *state) deleteMsg(m *Message, source string) {
	m.Deleted = true
	st.emit(Event{Kind: EventMessageDeleted, Channel: m.Channel, TS: m.TS, User: m.To, Source: source})
}
