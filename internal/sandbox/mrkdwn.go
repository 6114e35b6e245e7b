package sandbox

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Names resolves the ids inside Slack's control sequences (<@U…>, <#C…>) to
// what the reader sees: "@Maarten Jansen", "#kudos".
type Names struct {
	Users    map[string]string // user id -> display name
	Channels map[string]string // channel id -> name, without '#'
}

// unescaper undoes Slack's text escaping: in mrkdwn and plain_text only &, <
// and > are entity-escaped, everything else is literal.
var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// esc turns Slack text (with Slack's three entities) into HTML text.
func esc(s string) string { return html.EscapeString(unescaper.Replace(s)) }

// attr escapes a raw value for an HTML attribute.
func attr(s string) string { return html.EscapeString(s) }

// placeholder runes stand in for control sequences while inline formatting is
// parsed, so *<@U1>* is bold and a '*' inside a link label is not a marker.
// Input text never contains them: they are dropped from it first.
const placeholderBase = '\uE000'

func isPlaceholder(r rune) bool { return r >= placeholderBase && r < placeholderBase+0x1000 }

// Mrkdwn renders Slack mrkdwn as HTML: *bold*, _italic_, ~strike~, `code`,
// ```preformatted```, > quotes, line breaks, links <url|text>, user, channel
// and special mentions, and :emoji: codes. All text is HTML-escaped; the
// output holds only the tags this function writes.
func (n Names) Mrkdwn(s string) string {
	s = strings.Map(func(r rune) rune {
		if isPlaceholder(r) {
			return -1
		}
		return r
	}, s)
	var b strings.Builder
	for i, part := range strings.Split(s, "```") {
		if i%2 == 1 {
			b.WriteString(`<pre class="bk-pre">`)
			b.WriteString(n.inline(strings.Trim(part, "\n"), false))
			b.WriteString(`</pre>`)
			continue
		}
		b.WriteString(n.lines(part))
	}
	return b.String()
}

// Plain renders plain_text: escaped text with line breaks and, when emoji is
// set, :emoji: codes.
func (n Names) Plain(s string, emoji bool) string {
	t := esc(s)
	if emoji {
		t = emojify(t)
	}
	return strings.ReplaceAll(t, "\n", "<br>")
}

// lines renders text outside code blocks: line breaks, and runs of quote
// lines (">text", "> text") as one quote; ">>>" quotes everything after it.
func (n Names) lines(s string) string {
	var b strings.Builder
	var quote []string
	flush := func() {
		if quote == nil {
			return
		}
		b.WriteString(`<blockquote class="bk-quote">` + strings.Join(quote, "<br>") + `</blockquote>`)
		quote = nil
	}
	ls := strings.Split(s, "\n")
	for i := 0; i < len(ls); i++ {
		l := ls[i]
		if rest, ok := quotedRest(l); ok {
			flush()
			for j, q := range append([]string{rest}, ls[i+1:]...) {
				if j > 0 || q != "" {
					quote = append(quote, n.inline(q, true))
				}
			}
			break
		}
		if q, ok := quoted(l); ok {
			quote = append(quote, n.inline(q, true))
			continue
		}
		if quote != nil {
			flush()
		} else if i > 0 {
			b.WriteString("<br>")
		}
		b.WriteString(n.inline(l, true))
	}
	flush()
	return b.String()
}

// quoted reports whether line l is a quote line (">" first, escaped or not)
// and returns its text.
func quoted(l string) (string, bool) {
	for _, p := range []string{"&gt;", ">"} {
		if q, ok := strings.CutPrefix(l, p); ok {
			return strings.TrimPrefix(q, " "), true
		}
	}
	return "", false
}

// quotedRest reports whether line l starts a ">>>" quote of the rest.
func quotedRest(l string) (string, bool) {
	for _, p := range []string{"&gt;&gt;&gt;", ">>>"} {
		if q, ok := strings.CutPrefix(l, p); ok {
			return strings.TrimPrefix(q, " "), true
		}
	}
	return "", false
}

// inline renders one line's control sequences and, when format is set, its
// inline formatting.
func (n Names) inline(s string, format bool) string {
	var ctrl []string
	var text strings.Builder
	for {
		open := strings.IndexByte(s, '<')
		if open < 0 {
			break
		}
		end := strings.IndexByte(s[open:], '>')
		if end < 0 {
			break
		}
		text.WriteString(s[:open])
		text.WriteRune(placeholderBase + rune(len(ctrl)))
		ctrl = append(ctrl, n.control(s[open+1:open+end]))
		s = s[open+end+1:]
	}
	text.WriteString(s)
	raw := unescaper.Replace(text.String()) // controls are out: entities are plain characters now
	var out string
	if format {
		out = formatSpans(raw)
	} else {
		out = html.EscapeString(raw)
	}
	out = emojify(out)
	return expand(out, ctrl)
}

// expand replaces the placeholders in rendered HTML by the rendered controls.
func expand(s string, ctrl []string) string {
	if len(ctrl) == 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isPlaceholder(r) && int(r-placeholderBase) < len(ctrl) {
			b.WriteString(ctrl[r-placeholderBase])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// control renders the inside of one <…> control sequence.
func (n Names) control(c string) string {
	target, label, hasLabel := strings.Cut(c, "|")
	mention := func(class, text string) string {
		return `<span class="` + class + `">` + esc(text) + `</span>`
	}
	switch {
	case strings.HasPrefix(target, "@"):
		id := target[1:]
		if name, ok := n.Users[id]; ok {
			return mention("bk-mention", "@"+name)
		}
		if hasLabel {
			return mention("bk-mention", "@"+strings.TrimPrefix(label, "@"))
		}
		return mention("bk-mention", "@"+id)
	case strings.HasPrefix(target, "#"):
		id := target[1:]
		if name, ok := n.Channels[id]; ok {
			return mention("bk-mention", "#"+name)
		}
		if hasLabel {
			return mention("bk-mention", "#"+label)
		}
		return mention("bk-mention", "#"+id)
	case strings.HasPrefix(target, "!"):
		word, _, _ := strings.Cut(target[1:], "^")
		switch word {
		case "here", "channel", "everyone":
			return mention("bk-mention bk-broadcast", "@"+word)
		}
		if hasLabel {
			return esc(label)
		}
		return esc("&lt;" + c + "&gt;")
	}
	if !hasLabel {
		label = target
	}
	url := unescaper.Replace(target)
	lower := strings.ToLower(url)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") && !strings.HasPrefix(lower, "mailto:") {
		if hasLabel && strings.Contains(target, ":") {
			return esc(label) // a link with a scheme we do not follow: its text only
		}
		return esc("&lt;" + c + "&gt;") // not a control sequence: Slack shows it as typed
	}
	return `<a class="bk-link" href="` + attr(url) + `" target="_blank" rel="noopener noreferrer">` + esc(label) + `</a>`
}

// marks maps a formatting character to its HTML element.
var marks = map[byte]string{'*': "b", '_': "i", '~': "s", '`': "code"}

// formatSpans renders *bold*, _italic_, ~strike~ and `code` in raw text s
// (entities already decoded) and escapes the rest. A marker opens at the start or after a non-word character and
// before a non-space, and closes before the end or a non-word character,
// after a non-space, as Slack's client does.
func formatSpans(s string) string {
	var b strings.Builder
	i := 0
	for i < len(s) {
		c := s[i]
		tag, ok := marks[c]
		if ok && opens(s, i) {
			if j := closing(s, i); j > 0 {
				inner := s[i+1 : j]
				b.WriteString("<" + tag + ">")
				if c == '`' {
					b.WriteString(html.EscapeString(inner))
				} else {
					b.WriteString(formatSpans(inner))
				}
				b.WriteString("</" + tag + ">")
				i = j + 1
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		b.WriteString(html.EscapeString(string(r)))
		i += size
	}
	return b.String()
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func opens(s string, i int) bool {
	if i+1 >= len(s) || s[i+1] == ' ' || s[i+1] == s[i] {
		return false
	}
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !wordRune(r)
}

// closing finds the index of the marker that closes the one at i, or -1.
func closing(s string, i int) int {
	c := s[i]
	for j := i + 2; j < len(s); j++ {
		if s[j] == '\n' {
			return -1
		}
		if s[j] != c || s[j-1] == ' ' {
			continue
		}
		if j+1 < len(s) {
			r, _ := utf8.DecodeRuneInString(s[j+1:])
			if wordRune(r) {
				continue
			}
		}
		return j
	}
	return -1
}
