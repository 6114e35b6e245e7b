package slackapp

import (
	"strings"

	"github.com/leancoach/leancoach/internal/coach"
)

// Slack's text syntax, read back into what a person typed.
//
// Slack sends the text of a slash command (with should_escape on, as the
// manifest sets it) with &, < and > as entities and every reference as a
// control sequence: <@U123|name>, <#C123|name>, <!here>, <!channel>,
// <!everyone>, <!subteam^S123|@team>, <https://example.com> or
// <http://example.com|example.com>. Shown as it arrives, such text reads
// "R&amp;D" once escaped again, and its control sequences would ping whom
// they name. TypedText undoes Slack's escaping exactly once; the result is
// plain text, to be escaped exactly once (Escape) wherever it is shown.

// TypedText returns what the person typed, given the text Slack sent:
// a user mention becomes "@name", a channel "#name", a special mention
// "@here", "@channel" or "@everyone", a user group "@team", a link the text
// it showed, and the entities &amp;, &lt; and &gt; become &, < and >.
// name gives the name of a user whose mention came without its label; nil
// (or "") keeps the ID. A '<' without its '>' is kept as it is.
func TypedText(s string, name func(coach.UserID) string) string {
	var b strings.Builder
	b.Grow(len(s))
	for {
		open := strings.IndexByte(s, '<')
		if open < 0 {
			break
		}
		end := strings.IndexAny(s[open+1:], "<>")
		if end < 0 || s[open+1+end] == '<' {
			// Not a control sequence: Slack never sends a bare '<'.
			b.WriteString(unentity(s[:open+1]))
			s = s[open+1:]
			continue
		}
		b.WriteString(unentity(s[:open]))
		b.WriteString(controlText(s[open+1:open+1+end], name))
		s = s[open+1+end+1:]
	}
	b.WriteString(unentity(s))
	return b.String()
}

// controlText is what the control sequence <seq> showed the person who
// typed it.
func controlText(seq string, name func(coach.UserID) string) string {
	ref, label, _ := strings.Cut(seq, "|")
	label = unentity(label)
	switch {
	case strings.HasPrefix(ref, "@"): // a user
		if label != "" {
			return "@" + strings.TrimPrefix(label, "@")
		}
		id := ref[1:]
		if name != nil {
			if n := name(coach.UserID(id)); n != "" {
				return "@" + n
			}
		}
		return "@" + id
	case strings.HasPrefix(ref, "#"): // a channel
		if label != "" {
			return "#" + label
		}
		return ref
	case strings.HasPrefix(ref, "!"): // a special mention, a user group, a date
		cmd := ref[1:]
		switch {
		case cmd == "here" || cmd == "channel" || cmd == "everyone":
			return "@" + cmd
		case strings.HasPrefix(cmd, "subteam^"):
			if label != "" {
				return "@" + strings.TrimPrefix(label, "@")
			}
			return "@" + strings.TrimPrefix(cmd, "subteam^")
		case label != "":
			return label // a date's fallback text
		}
		return "@" + cmd
	}
	if label != "" { // a link with its text
		return label
	}
	return unentity(ref)
}

// unentity decodes the only three entities Slack writes, in one pass, so
// "&amp;lt;" (a typed "&lt;") becomes "&lt;", not "<".
func unentity(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return slackEntities.Replace(s)
}

var slackEntities = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")
