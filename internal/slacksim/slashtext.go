package slacksim

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Usergroup is a user group ("@leads"), as Slack mentions it: <!subteam^ID|@handle>.
type Usergroup struct {
	ID     string // S…
	Handle string // without '@'
}

// AddUsergroup adds or replaces a user group.
func (s *Server) AddUsergroup(g Usergroup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.groups[g.ID] = &g
}

// Type types "/command typed" as a person types it in Slack's composer, and sends
// it as Slack does for a command with should_escape on (see EscapeTyped). Slash,
// by contrast, sends its text as given: text already in Slack's syntax.
func (a *Actor) Type(ctx context.Context, command, typed string, opts ...SlashOption) (*Result, error) {
	return a.Slash(ctx, command, a.s.EscapeTyped(typed), opts...)
}

// EscapeTyped returns the text Slack sends for a slash command typed as typed, with
// "Escape channels, users, and links" on (should_escape: true): &, < and > become
// &amp;, &lt; and &gt;; at the start of a word, @here, @channel and @everyone become
// <!here>…, @handle of a member <@U…|handle>, @handle of a user group
// <!subteam^S…|@handle>, #name of a channel <#C…|name>, and an http(s) URL <url>.
// Handles and names match case-insensitively and keep their typed spelling as the
// label; an unknown @name or #name stays text. Everything else, spaces and line
// breaks included, arrives as typed.
func (s *Server) EscapeTyped(typed string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	atWordStart := true
	for i := 0; i < len(typed); {
		if atWordStart {
			if seq, n := s.st.reference(typed[i:]); n > 0 {
				b.WriteString(seq)
				i += n
				atWordStart = false
				continue
			}
		}
		r, w := utf8.DecodeRuneInString(typed[i:])
		b.WriteString(slackEscaper.Replace(typed[i : i+w])) // invalid bytes pass as they are
		atWordStart = unicode.IsSpace(r) || r == '('
		i += w
	}
	return b.String()
}

var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// reference reads a reference at the start of s: its control sequence and how many
// bytes of s it took, or 0. Caller holds mu.
func (st *state) reference(s string) (string, int) {
	switch {
	case strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://"):
		n := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("<>|", r) })
		if n < 0 {
			n = len(s)
		}
		url := strings.TrimRight(s[:n], ".,;:!?)'\"")
		if strings.HasSuffix(url, "//") {
			return "", 0
		}
		return "<" + slackEscaper.Replace(url) + ">", len(url)
	case strings.HasPrefix(s, "@") || strings.HasPrefix(s, "#"):
		name := s[1:]
		if n := strings.IndexFunc(name, func(r rune) bool { return !nameRune(r) }); n >= 0 {
			name = name[:n]
		}
		name = strings.TrimRight(name, ".") // "thanks @tom." ends a sentence
		if seq := st.named(s[0], name); seq != "" {
			return seq, 1 + len(name)
		}
	}
	return "", 0
}

// named is the control sequence of @name or #name (sigil '@' or '#'), or "".
func (st *state) named(sigil byte, name string) string {
	if name == "" {
		return ""
	}
	if sigil == '#' {
		for _, id := range st.chanOrder {
			if c := st.channels[id]; !c.IsIM && strings.EqualFold(c.Name, name) {
				return "<#" + c.ID + "|" + name + ">"
			}
		}
		return ""
	}
	switch name {
	case "here", "channel", "everyone":
		return "<!" + name + ">"
	}
	for _, id := range st.userOrder {
		if u := st.users[id]; !u.Deleted && strings.EqualFold(u.Name, name) {
			return "<@" + u.ID + "|" + name + ">"
		}
	}
	for _, g := range st.groups {
		if strings.EqualFold(g.Handle, name) {
			return "<!subteam^" + g.ID + "|@" + name + ">"
		}
	}
	return ""
}

func nameRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_' || r == '-'
}

// Reading is what a person reading a message sees of one mrkdwn text, and whom it
// notifies.
type Reading struct {
	// Text is the text as shown: entities decoded, a user mention as "@name", a
	// channel as "#name", a special mention as "@here", a user group as "@handle",
	// a link as its text, and without the '>' that starts a quoted line (Slack
	// draws a bar instead). Formatting marks (*, _, ~, `) are kept.
	Text string
	// Pings lists whom the text notifies, in order, once each: user IDs, "here",
	// "channel", "everyone" and "subteam^S…".
	Pings []string
}

// controlSeq is one of Slack's control sequences in message text.
var controlSeq = regexp.MustCompile(`<([^<>]*)>`)

// Read reads a mrkdwn text as Slack's client shows it. With verbatim false Slack
// also turns a plain @here, @channel, @everyone or @handle of a member into a
// mention, so those ping too; with verbatim true only control sequences do.
func (s *Server) Read(mrkdwn string, verbatim bool) Reading {
	s.mu.Lock()
	defer s.mu.Unlock()
	lines := strings.Split(mrkdwn, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, ">")
	}
	text := strings.Join(lines, "\n")
	var rd Reading
	var b strings.Builder
	last := 0
	for _, m := range controlSeq.FindAllStringSubmatchIndex(text, -1) {
		s.st.readPlain(&b, &rd, text[last:m[0]], verbatim)
		b.WriteString(s.st.readControl(&rd, text[m[2]:m[3]]))
		last = m[1]
	}
	s.st.readPlain(&b, &rd, text[last:], verbatim)
	rd.Text = b.String()
	return rd
}

var slackUnescaper = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

// readPlain shows text outside control sequences. Caller holds mu.
func (st *state) readPlain(b *strings.Builder, rd *Reading, text string, verbatim bool) {
	if !verbatim {
		for _, w := range strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r == '(' }) {
			if !strings.HasPrefix(w, "@") {
				continue
			}
			seq, _ := st.reference(w)
			if ref, ok := strings.CutPrefix(seq, "<"); ok {
				id, _, _ := strings.Cut(strings.TrimSuffix(ref, ">"), "|")
				rd.ping(strings.TrimLeft(id, "@!"))
			}
		}
	}
	b.WriteString(slackUnescaper.Replace(text))
}

// readControl shows one control sequence (without its brackets) and notes whom it
// pings. Caller holds mu.
func (st *state) readControl(rd *Reading, seq string) string {
	ref, label, _ := strings.Cut(seq, "|")
	label = slackUnescaper.Replace(label)
	switch {
	case strings.HasPrefix(ref, "@"):
		id := ref[1:]
		rd.ping(id)
		if u, ok := st.users[id]; ok {
			return "@" + u.Name
		}
		return "@" + id
	case strings.HasPrefix(ref, "#"):
		if c, ok := st.channels[ref[1:]]; ok && !c.IsIM {
			return "#" + c.Name
		}
		return "#" + orElse(label, ref[1:])
	case strings.HasPrefix(ref, "!subteam^"):
		id := strings.TrimPrefix(ref, "!subteam^")
		rd.ping("subteam^" + id)
		if g, ok := st.groups[id]; ok {
			return "@" + g.Handle
		}
		return "@" + strings.TrimPrefix(orElse(label, id), "@")
	case ref == "!here" || ref == "!channel" || ref == "!everyone":
		rd.ping(ref[1:])
		return "@" + ref[1:]
	case strings.HasPrefix(ref, "!"):
		return label // a date's fallback text
	}
	return orElse(label, slackUnescaper.Replace(ref))
}

// orElse returns the first of a, b that is not empty.
func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (rd *Reading) ping(who string) {
	if !slices.Contains(rd.Pings, who) {
		rd.Pings = append(rd.Pings, who)
	}
}
