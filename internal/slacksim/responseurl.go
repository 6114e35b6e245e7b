package slacksim

import (
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// responseURL is a minted response_url: usable 5 times within 30 minutes.
type responseURL struct {
	user, channel string
	original      string // ts of the message "original" refers to, if any
	envelopeID    string
	created       time.Time
	uses          int
}

const (
	responseURLUses = 5
	responseURLLife = 30 * time.Minute
)

// mintResponseURL returns a new URL of kind "commands" or "actions". Caller holds mu.
func (s *Server) mintResponseURL(kind, user, channel, original string) (string, *responseURL) {
	s.st.ids["resp"]++
	path := "/" + kind + "/" + s.opts.TeamID + "/" + itoa(1000000000+s.st.ids["resp"]) + "/" + randHex(12)
	ru := &responseURL{user: user, channel: channel, original: original, created: s.opts.LifeNow()}
	s.st.respURLs[path] = ru
	return s.base + path, ru
}

// reply is a message sent through a response_url or an ack payload.
type reply struct {
	Text            string          `json:"text"`
	Blocks          json.RawMessage `json:"blocks"`
	Attachments     json.RawMessage `json:"attachments"`
	ResponseType    string          `json:"response_type"`
	ReplaceOriginal bool            `json:"replace_original"`
	DeleteOriginal  bool            `json:"delete_original"`
	ThreadTS        string          `json:"thread_ts"`
	Metadata        json.RawMessage `json:"metadata"`
}

// ResponseURLMethod is the name under which FailNext injects faults into
// response_url posts: a 5xx (with AfterProcessing, after the reply took
// effect), Error (answered 404 with that code, as an expired or used URL
// is), or Hang. A 429 does not apply: response_urls have no rate tier.
const ResponseURLMethod = "response_url"

func (s *Server) handleResponseURL(w http.ResponseWriter, hr *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(hr.Body, 4<<20))
	var rp reply
	if hr.Method != http.MethodPost || json.Unmarshal(body, &rp) != nil {
		writeJSON(w, http.StatusBadRequest, fail("invalid_payload"))
		return
	}
	f, hasFault := s.takeFault(ResponseURLMethod)
	if hasFault && f.Hang {
		select {
		case <-hr.Context().Done():
		case <-s.closed:
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if hasFault && !f.AfterProcessing {
		status, code := f.Status, f.Error
		if code != "" {
			status = http.StatusNotFound
		}
		if code == "" {
			code = "fault"
		}
		writeJSON(w, status, fail(code))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ru, ok := s.st.respURLs[hr.URL.Path]
	switch {
	case !ok:
		writeJSON(w, http.StatusNotFound, fail("invalid_url"))
		return
	case s.opts.LifeNow().Sub(ru.created) > responseURLLife:
		writeJSON(w, http.StatusNotFound, fail("expired_url"))
		return
	case ru.uses >= responseURLUses:
		writeJSON(w, http.StatusNotFound, fail("used_url"))
		return
	}
	if code := s.applyReply(ru, rp, "response_url"); code != "" {
		writeJSON(w, http.StatusBadRequest, fail(code))
		return
	}
	ru.uses++
	if hasFault { // after processing
		writeJSON(w, f.Status, fail("fault"))
		return
	}
	writeJSON(w, http.StatusOK, obj{"ok": true})
}

// takeFault spends the next fault queued for method, if any.
func (s *Server) takeFault(method string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.st.nextFault(method)
	if ok {
		s.st.dropFault(method)
	}
	return f, ok
}

// applyReply posts, replaces or deletes per a reply and returns a Slack error code.
// Caller holds mu.
func (s *Server) applyReply(ru *responseURL, rp reply, source string) string {
	if len(rp.Blocks) > 0 && string(rp.Blocks) != "null" {
		if msgs := ValidateMessageBlocks(rp.Blocks); len(msgs) > 0 {
			return "invalid_blocks"
		}
	} else {
		rp.Blocks = nil
	}
	if string(rp.Attachments) == "null" {
		rp.Attachments = nil
	}
	orig := s.st.findMsg(ru.channel, ru.original)
	if orig != nil && orig.Deleted {
		orig = nil
	}
	ev := Event{Kind: EventResponse, EnvelopeID: ru.envelopeID, User: ru.user, Channel: ru.channel, Source: source}
	switch {
	case rp.DeleteOriginal:
		if orig == nil {
			return "message_not_found"
		}
		s.st.deleteMsg(orig, source)
		ev.TS, ev.Detail = orig.TS, "deleted"
	case rp.ReplaceOriginal && orig != nil:
		if rp.Text == "" && rp.Blocks == nil && rp.Attachments == nil {
			return "no_text"
		}
		blocks := rp.Blocks
		if blocks == nil {
			blocks = json.RawMessage("[]") // replace_original replaces the whole message
		}
		s.st.updateMsg(orig, rp.Text, blocks, rp.Attachments, rp.Metadata, source)
		ev.TS, ev.Detail = orig.TS, "replaced"
	default:
		if rp.Text == "" && rp.Blocks == nil && rp.Attachments == nil {
			return "no_text"
		}
		m := &Message{Channel: ru.channel, User: s.opts.BotUserID, BotID: s.opts.BotID, Text: rp.Text,
			Blocks: rp.Blocks, Attachments: rp.Attachments, ThreadTS: rp.ThreadTS, Source: source}
		if rp.ResponseType != "in_channel" {
			m.Ephemeral, m.To = true, ru.user
		} else {
			m.Metadata = rp.Metadata
		}
		s.st.addMsg(m)
		if m.Ephemeral || ru.original == "" {
			ru.original = m.TS // "original" for a command URL is its last reply
		}
		ev.TS, ev.Detail = m.TS, "posted"
	}
	s.st.emit(ev)
	return ""
}

// applySlashAck turns a slash command ack payload into the immediate reply.
// Caller holds mu.
func (s *Server) applySlashAck(e *envelope) {
	var p struct {
		ChannelID string `json:"channel_id"`
		UserID    string `json:"user_id"`
	}
	_ = json.Unmarshal(e.Payload, &p)
	var rp reply
	if json.Unmarshal(e.AckPayload, &rp) != nil {
		return
	}
	rp.ReplaceOriginal, rp.DeleteOriginal = false, false
	ru := &responseURL{user: p.UserID, channel: p.ChannelID, envelopeID: e.ID}
	if code := s.applyReply(ru, rp, "ack"); code != "" && code != "no_text" {
		s.st.emit(Event{Kind: EventResponse, EnvelopeID: e.ID, User: p.UserID, Source: "ack", Detail: code})
	}
}
