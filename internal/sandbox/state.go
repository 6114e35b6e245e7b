package sandbox

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// State is what one person sees: the answer of GET /api/state.
type State struct {
	Seq       int64             `json:"seq"` // slacksim's latest event when this was read
	Now       time.Time         `json:"now"` // the sandbox time
	Clock     bool              `json:"clock"`
	Connected bool              `json:"connected"` // the bot holds a Socket Mode connection
	Me        Person            `json:"me"`
	People    []Person          `json:"people"`
	Bot       Person            `json:"bot"`
	Channels  []Channel         `json:"channels"`
	Channel   string            `json:"channel"` // the channel shown
	Messages  []MessageView     `json:"messages"`
	Modals    []ModalView       `json:"modals"` // bottom first; the last is on top
	Home      *HomeView         `json:"home"`   // nil until the bot published one
	Labels    map[string]string `json:"labels"`
	Guide     *GuideView        `json:"guide"` // nil when the sandbox has none
}

// MessageView is one message as the page draws it.
type MessageView struct {
	Channel   string    `json:"channel"`
	TS        string    `json:"ts"`
	AuthorID  string    `json:"author_id"`
	Author    string    `json:"author"`
	IsBot     bool      `json:"is_bot"`
	Ephemeral bool      `json:"ephemeral"`
	Edited    bool      `json:"edited"`
	Time      time.Time `json:"time"` // sandbox time when it was posted
	HTML      string    `json:"html"` // the rendered blocks (or text)
}

// ModalView is one open modal.
type ModalView struct {
	ID     string            `json:"id"`
	Hash   string            `json:"hash"` // changes when the bot updates the view
	Title  string            `json:"title"`
	Submit string            `json:"submit"` // "" when the modal has no submit button
	Close  string            `json:"close"`
	HTML   string            `json:"html"`
	Errors map[string]string `json:"errors"` // block_id -> message, from response_action "errors"
}

// HomeView is the person's App Home tab.
type HomeView struct {
	ID   string `json:"id"`
	Hash string `json:"hash"`
	HTML string `json:"html"`
}

// errorJSON answers an API error.
func errorJSON(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"ok": false, "error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request) {
	st, err := s.State(r.Context(), r.URL.Query().Get("as"), r.URL.Query().Get("channel"))
	if err != nil {
		errorJSON(w, http.StatusNotFound, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// workspace is one consistent read of the people and channels.
type workspace struct {
	users    []slacksim.User
	byID     map[string]slacksim.User
	channels []slacksim.Channel
	names    Names
}

func (s *Server) workspace() workspace {
	ws := workspace{users: s.sim.Users(), byID: map[string]slacksim.User{}, channels: s.sim.Channels(),
		names: Names{Users: map[string]string{}, Channels: map[string]string{}}}
	for _, u := range ws.users {
		ws.byID[u.ID] = u
		ws.names.Users[u.ID] = u.RealName
	}
	ws.names.Users[s.sim.BotUserID()] = s.opts.BotName
	for _, c := range ws.channels {
		if !c.IsIM {
			ws.names.Channels[c.ID] = c.Name
		}
	}
	return ws
}

// person describes u, who speaks lang, in labels' words.
func (s *Server) person(u slacksim.User, lang i18n.Lang, labels Labels) Person {
	p := Person{ID: u.ID, Name: u.Name, RealName: u.RealName, Role: s.opts.Roles[u.ID], TZ: u.TZ,
		Lang: string(lang)}
	if p.Role != "" {
		p.RoleText = labels.T("role." + p.Role)
	}
	return p
}

// selectable tells whether the visitor may be u.
func (s *Server) selectable(u slacksim.User) bool {
	if u.IsBot || u.Deleted || u.ID == s.sim.BotUserID() {
		return false
	}
	if len(s.opts.Roles) == 0 {
		return true
	}
	_, ok := s.opts.Roles[u.ID]
	return ok
}

// State reads what person `as` sees with channel open ("" = their DM with the
// bot), in their language. An empty `as` is the first person of the picker.
// It fails for a person the visitor may not be.
func (s *Server) State(ctx context.Context, as, channel string) (State, error) {
	ws := s.workspace()
	if as == "" { // a first visit: the first person of the picker
		for _, p := range ws.users {
			if s.selectable(p) {
				as = p.ID
				break
			}
		}
	}
	u, ok := ws.byID[as]
	if !ok || !s.selectable(u) {
		return State{}, errUnknownPerson(as)
	}
	lang := s.langFor(ctx, u)
	labels := Labels{Lang: lang}
	st := State{Seq: s.sim.Seq(), Now: s.now(), Clock: s.opts.Clock != nil, Connected: s.sim.Connections() > 0,
		Me: s.person(u, lang, labels), Labels: labels.page(), Guide: guide(s.opts.Guide, labels, ws),
		Bot: Person{ID: s.sim.BotUserID(), Name: s.opts.BotName, RealName: s.opts.BotName}}
	for _, p := range ws.users {
		if p.ID == u.ID {
			st.People = append(st.People, st.Me)
		} else if s.selectable(p) {
			st.People = append(st.People, s.person(p, s.langFor(ctx, p), labels))
		}
	}
	dm := s.sim.DMChannel(as)
	st.People = nonNil(st.People)
	st.Channels = s.channelsOf(as, dm, ws)
	st.Channel = dm
	if channel != "" && slices.ContainsFunc(st.Channels, func(c Channel) bool { return c.ID == channel }) {
		st.Channel = channel
	}
	rd := s.renderer(ws, labels, st.Channels)
	st.Messages = s.messages(as, st.Channel, ws, rd)
	for _, v := range s.sim.Views(as) {
		st.Modals = append(st.Modals, ModalView{ID: v.ID, Hash: v.Hash, Title: textOf(v.Title),
			Submit: textOf(v.Submit), Close: textOf(v.Close), Errors: v.Errors,
			HTML: rd.Blocks(v.Blocks, v.Errors, v.State)})
	}
	st.Modals = nonNil(st.Modals)
	if h, ok := s.sim.Home(as); ok {
		st.Home = &HomeView{ID: h.ID, Hash: h.Hash, HTML: rd.Blocks(h.Blocks, nil, h.State)}
	}
	return st, nil
}

func (s *Server) now() time.Time {
	if s.opts.Clock != nil {
		return s.opts.Clock.Now()
	}
	return time.Now()
}

// renderer is set up with the workspace's people for users_select.
func (s *Server) renderer(ws workspace, labels Labels, chans []Channel) *Renderer {
	rd := &Renderer{Names: ws.names, Labels: labels, Channels: chans}
	for _, u := range ws.users {
		if !u.IsBot && !u.Deleted && u.ID != s.sim.BotUserID() {
			rd.People = append(rd.People, s.person(u, langOf(u.Locale), labels))
		}
	}
	return rd
}

// channelsOf lists the channels `as` is a member of, then their DM with the bot.
func (s *Server) channelsOf(as, dm string, ws workspace) []Channel {
	var out []Channel
	for _, c := range ws.channels {
		if c.IsIM || !slices.Contains(c.Members, as) {
			continue
		}
		out = append(out, Channel{ID: c.ID, Name: c.Name, Count: s.visible(c.ID, as)})
	}
	return append(out, Channel{ID: dm, Name: s.opts.BotName, IsDM: true, Count: s.visible(dm, as)})
}

// visible counts the messages `as` sees in channel.
func (s *Server) visible(channel, as string) int {
	return len(s.sim.MessagesFor(channel, as)) + len(ephemeralsIn(s.sim.Ephemerals(as), channel))
}

func ephemeralsIn(ms []slacksim.Message, channel string) []slacksim.Message {
	var out []slacksim.Message
	for _, m := range ms {
		if m.Channel == channel {
			out = append(out, m)
		}
	}
	return out
}

// messages merges the channel's messages with the ephemerals shown to `as`
// there, in ts order (ts order is posting order in slacksim).
func (s *Server) messages(as, channel string, ws workspace, rd *Renderer) []MessageView {
	ms := s.sim.MessagesFor(channel, as)
	for _, e := range ephemeralsIn(s.sim.Ephemerals(as), channel) {
		if !slices.ContainsFunc(ms, func(m slacksim.Message) bool { return m.TS == e.TS }) {
			ms = append(ms, e)
		}
	}
	slices.SortStableFunc(ms, func(a, b slacksim.Message) int { return compareTS(a.TS, b.TS) })
	out := make([]MessageView, 0, len(ms))
	for _, m := range ms {
		mv := MessageView{Channel: m.Channel, TS: m.TS, AuthorID: m.User, IsBot: m.IsBot(),
			Ephemeral: m.Ephemeral, Edited: m.Edited > 0, Time: s.atTS(m.TS)}
		mv.Author = ws.names.Users[m.User]
		if mv.IsBot || m.User == "" {
			mv.Author, mv.AuthorID = s.opts.BotName, s.sim.BotUserID()
		}
		switch {
		case len(m.Blocks) > 0 && string(m.Blocks) != "null" && string(m.Blocks) != "[]":
			mv.HTML = rd.Blocks(m.Blocks, nil, nil)
		case m.Text != "" || len(m.Files) == 0:
			mv.HTML = rd.Text(m.Text)
		}
		mv.HTML += rd.files(s.sim, as, m.Files)
		out = append(out, mv)
	}
	return out
}

// atTS turns a ts ("1764400000.000123") into a time. The local Slack stamps
// messages with the sandbox clock (bot sandbox gives slacksim the same clock),
// so a ts is already sandbox time.
func (s *Server) atTS(ts string) time.Time {
	return tsTime(ts)
}

func tsTime(ts string) time.Time {
	sec, frac, _ := strings.Cut(ts, ".")
	n, _ := strconv.ParseInt(sec, 10, 64)
	us, _ := strconv.ParseInt((frac + "000000")[:6], 10, 64)
	return time.Unix(n, us*1000)
}

func compareTS(a, b string) int {
	ta, tb := tsTime(a), tsTime(b)
	return ta.Compare(tb)
}

// nonNil makes an empty list encode as [] rather than null, which the page
// would have to special-case.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// textOf reads a text object's text ("" for none).
func textOf(raw json.RawMessage) string {
	var t textObj
	if len(raw) == 0 || json.Unmarshal(raw, &t) != nil {
		return ""
	}
	return unescaper.Replace(t.Text)
}
