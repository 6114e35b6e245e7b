package slacksim

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// User is a workspace member as users.info reports it.
type User struct {
	ID                string
	TeamID            string // default: the server's team
	Name              string // handle, e.g. "anna"
	RealName          string
	Email             string
	TZ                string // IANA name; default "Europe/Amsterdam"
	Locale            string // e.g. "nl-NL"; default "en-US"
	IsAdmin           bool
	IsOwner           bool
	IsPrimaryOwner    bool
	IsRestricted      bool
	IsUltraRestricted bool
	IsBot             bool
	Deleted           bool
}

// Channel is a public (C…) or private (G…/C… with IsPrivate) channel, or a DM (D…).
type Channel struct {
	ID        string
	Name      string
	IsPrivate bool
	IsIM      bool   // set by the server for DMs
	User      string // the human side of a DM
	Members   []string
	Created   time.Time
}

// Message is a message as stored in a channel. Values handed out are copies.
type Message struct {
	Channel     string
	TS          string
	ThreadTS    string
	User        string // the author's user id (the bot user for bot posts)
	BotID       string // set for bot posts
	ClientMsgID string // set for messages a person typed: the Slack client's id for it
	Text        string
	Blocks      json.RawMessage // nil when the message has none
	Attachments json.RawMessage
	Metadata    json.RawMessage // {"event_type","event_payload"} when posted with metadata
	Files       []string        // ids of shared files
	Ephemeral   bool
	To          string // the only viewer of an ephemeral message
	Edited      int    // how many times it was updated
	Deleted     bool
	Source      string // "chat.postMessage", "response_url", "ack", "user", "files", …
}

// IsBot tells whether the bot (not a person) posted the message.
func (m Message) IsBot() bool { return m.BotID != "" }

// File is an uploaded file; Data holds the uploaded bytes.
type File struct {
	ID       string
	Name     string
	Title    string
	AltText  string
	Length   int
	Data     []byte
	Channels []string
	Uploaded bool
	Shared   bool
}

// AddUser adds or replaces a workspace member.
func (s *Server) AddUser(u User) {
	if u.TeamID == "" {
		u.TeamID = s.opts.TeamID
	}
	if u.TZ == "" {
		u.TZ = "Europe/Amsterdam"
	}
	if u.Locale == "" {
		u.Locale = "en-US"
	}
	if u.Name == "" {
		u.Name = strings.ToLower(u.ID)
	}
	if u.RealName == "" {
		u.RealName = u.Name
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.users[u.ID]; !ok {
		s.st.userOrder = append(s.st.userOrder, u.ID)
	}
	s.st.users[u.ID] = &u
	s.st.emit(Event{Kind: EventUserAdded, User: u.ID})
}

// AddChannel adds or replaces a channel. A channel whose Members include the bot user
// counts as joined.
func (s *Server) AddChannel(c Channel) {
	if c.Created.IsZero() {
		c.Created = time.Now()
	}
	c.Members = slices.Clone(c.Members)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.channels[c.ID]; !ok {
		s.st.chanOrder = append(s.st.chanOrder, c.ID)
	}
	s.st.channels[c.ID] = &c
	s.st.emit(Event{Kind: EventChannelAdded, Channel: c.ID})
}

// Users lists the members in the order they were added.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, 0, len(s.st.userOrder))
	for _, id := range s.st.userOrder {
		out = append(out, *s.st.users[id])
	}
	return out
}

// Channels lists channels and DMs in creation order.
func (s *Server) Channels() []Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Channel, 0, len(s.st.chanOrder))
	for _, id := range s.st.chanOrder {
		c := *s.st.channels[id]
		c.Members = slices.Clone(c.Members)
		out = append(out, c)
	}
	return out
}

// DMChannel returns the id of the bot's DM with user, creating it on first use.
func (s *Server) DMChannel(user string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.dm(user).ID
}

// Messages returns the channel's visible, non-ephemeral messages, oldest first.
func (s *Server) Messages(channel string) []Message {
	return s.MessagesFor(channel, "")
}

// MessagesFor returns what viewer sees in channel: its messages plus the ephemeral
// messages addressed to viewer, oldest first. An empty viewer sees no ephemerals.
func (s *Server) MessagesFor(channel, viewer string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.st.msgs[channel] {
		if m.Deleted || (m.Ephemeral && (viewer == "" || m.To != viewer)) {
			continue
		}
		out = append(out, m.copy())
	}
	return out
}

// Ephemerals returns every ephemeral message shown to user, in any channel, oldest first.
func (s *Server) Ephemerals(user string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, e := range s.st.ephemerals {
		if e.To == user && !e.Deleted {
			out = append(out, e.copy())
		}
	}
	return out
}

// Message returns one message (ephemeral ones included) by channel and ts.
func (s *Server) Message(channel, ts string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.st.findMsg(channel, ts)
	if m == nil {
		return Message{}, false
	}
	return m.copy(), true
}

// File returns an uploaded file with its bytes.
func (s *Server) File(id string) (File, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.st.files[id]
	if !ok {
		return File{}, false
	}
	c := *f
	c.Data = slices.Clone(f.Data)
	c.Channels = slices.Clone(f.Channels)
	return c, true
}

func (m *Message) copy() Message {
	c := *m
	c.Files = slices.Clone(m.Files)
	return c
}

// dm finds or creates the bot's DM with user. Caller holds mu.
func (st *state) dm(user string) *Channel {
	if id, ok := st.dmByUser[user]; ok {
		return st.channels[id]
	}
	c := &Channel{ID: st.newID("D"), IsIM: true, User: user, Created: time.Now(),
		Members: []string{user, st.opts.BotUserID}}
	st.channels[c.ID] = c
	st.chanOrder = append(st.chanOrder, c.ID)
	st.dmByUser[user] = c.ID
	st.emit(Event{Kind: EventChannelAdded, Channel: c.ID, User: user})
	return c
}

// resolveChannel maps a channel argument (C…, G…, D…, or a U… user id meaning the DM)
// to a channel. Caller holds mu.
func (st *state) resolveChannel(id string) (*Channel, string) {
	if id == "" {
		return nil, "channel_not_found"
	}
	if u, ok := st.users[id]; ok {
		if u.Deleted {
			return nil, "user_disabled"
		}
		return st.dm(id), ""
	}
	if c, ok := st.channels[id]; ok {
		return c, ""
	}
	return nil, "channel_not_found"
}

// botCanPost applies Slack's membership rules for the bot. Caller holds mu.
func (st *state) botCanPost(c *Channel) string {
	if c.IsIM || slices.Contains(c.Members, st.opts.BotUserID) {
		return ""
	}
	if c.IsPrivate {
		return "channel_not_found"
	}
	return "not_in_channel"
}

// nextTS mints a ts unique and increasing across the workspace. Caller holds mu.
func (st *state) nextTS() string {
	now := st.opts.Now()
	sec, micro := now.Unix(), int64(now.Nanosecond()/1000)
	v := sec*1_000_000 + micro
	if v <= st.lastTS {
		v = st.lastTS + 1
	}
	st.lastTS = v
	return fmt.Sprintf("%d.%06d", v/1_000_000, v%1_000_000)
}

// findMsg finds a message or ephemeral message. Caller holds mu.
func (st *state) findMsg(channel, ts string) *Message {
	for _, m := range st.msgs[channel] {
		if m.TS == ts {
			return m
		}
	}
	for _, m := range st.ephemerals {
		if m.Channel == channel && m.TS == ts {
			return m
		}
	}
	return nil
}

// addMsg stores a message and emits an event. Caller holds mu.
func (st *state) addMsg(m *Message) {
	if m.TS == "" {
		m.TS = st.nextTS()
	}
	kind := EventMessage
	if m.Ephemeral {
		st.ephemerals = append(st.ephemerals, m)
		kind = EventEphemeral
	} else {
		st.msgs[m.Channel] = append(st.msgs[m.Channel], m)
	}
	user := m.To
	if user == "" {
		if c := st.channels[m.Channel]; c != nil && c.IsIM {
			user = c.User
		}
	}
	st.emit(Event{Kind: kind, Channel: m.Channel, TS: m.TS, User: user, Source: m.Source})
}
