package campaign

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/leancoach/leancoach/internal/slacksim"
)

// Outgoing is one payload the bot made Slack show: a message (posted,
// updated, ephemeral, response_url reply) or a view.
type Outgoing struct {
	Where  string // "C0KUDOS01/1700000000.000100", "view V123", …
	Text   string // the top-level text (notification fallback), parsed as mrkdwn by Slack
	Blocks json.RawMessage
}

// BotOutgoing collects every payload the bot made the local Slack show, in
// every channel and DM, to every user, and every modal and Home tab.
func BotOutgoing(sim *slacksim.Server) []Outgoing {
	var out []Outgoing
	add := func(m slacksim.Message) {
		if m.IsBot() || m.Source == "response_url" || m.Source == "ack" {
			out = append(out, Outgoing{Where: m.Channel + "/" + m.TS + " (" + m.Source + ")", Text: m.Text, Blocks: m.Blocks})
		}
	}
	for _, ch := range sim.Channels() {
		for _, m := range sim.Messages(ch.ID) {
			add(m)
		}
	}
	views := map[string]bool{}
	for _, u := range sim.Users() {
		for _, m := range sim.Ephemerals(u.ID) {
			add(m)
		}
		if v, ok := sim.Home(u.ID); ok {
			views[v.ID] = true
		}
	}
	for _, ev := range sim.Events() {
		if ev.ViewID != "" {
			views[ev.ViewID] = true
		}
	}
	for id := range views {
		if v, ok := sim.View(id); ok {
			all, _ := json.Marshal(map[string]any{"title": v.Title, "blocks": v.Blocks, "submit": v.Submit, "close": v.Close})
			out = append(out, Outgoing{Where: "view " + id, Blocks: all})
		}
	}
	return out
}

// tokenRE matches Slack's control sequences: <!…>, <@…>, <#…> and links.
var tokenRE = regexp.MustCompile(`<([!@#][^<>]*|[a-zA-Z][a-zA-Z0-9+.-]*:[^<>]*)>`)

// plainBroadcastRE matches the words Slack may turn into a broadcast in
// mrkdwn that is not verbatim.
var plainBroadcastRE = regexp.MustCompile(`(?i)@(channel|here|everyone)\b`)

// LiveTokens returns the live control sequences in the payload that the bot
// did not generate itself: any broadcast (<!channel>, <!here>,
// <!everyone>, <!subteam^…>), and any mention, channel link or link whose
// exact text is not in allowed (allowed holds the tokens the bot means to
// write, e.g. "<@U0LDR00001>"). Dates (<!date^…>) are allowed. Plain
// "@channel" counts where Slack may parse it: in
// a mrkdwn text object of the blocks without verbatim (whether Slack parses
// it in the top-level text is unverified, reliability.md 8; the bot never
// puts user text there).
func LiveTokens(o Outgoing, allowed map[string]bool) []string {
	var bad []string
	scan := func(s, where string, parsesPlain bool) {
		for _, tok := range tokenRE.FindAllString(s, -1) {
			switch {
			case strings.HasPrefix(tok, "<!date^"):
			case strings.HasPrefix(tok, "<!"):
				bad = append(bad, fmt.Sprintf("%s: broadcast %q", where, tok))
			case !allowed[tok] && !allowed[stripLabel(tok)]:
				bad = append(bad, fmt.Sprintf("%s: unrequested %q", where, tok))
			}
		}
		if parsesPlain {
			for _, w := range plainBroadcastRE.FindAllString(s, -1) {
				bad = append(bad, fmt.Sprintf("%s: plain %q in parsed mrkdwn", where, w))
			}
		}
	}
	scan(o.Text, o.Where+" text", false)
	if len(o.Blocks) > 0 {
		var v any
		if err := json.Unmarshal(o.Blocks, &v); err != nil {
			return append(bad, fmt.Sprintf("%s: blocks are not JSON: %v", o.Where, err))
		}
		walkStrings(v, func(s string, parsed bool) { scan(s, o.Where+" blocks", parsed) })
	}
	return bad
}

// stripLabel turns "<@U1|name>" into "<@U1>".
func stripLabel(tok string) string {
	if i := strings.IndexByte(tok, '|'); i >= 0 {
		return tok[:i] + ">"
	}
	return tok
}

// walkStrings calls fn for every string in v; parsed tells whether the
// string is the text of a mrkdwn object without verbatim: true.
func walkStrings(v any, fn func(s string, parsed bool)) {
	switch x := v.(type) {
	case map[string]any:
		parsed := x["type"] == "mrkdwn" && x["verbatim"] != true
		for k, c := range x {
			if s, ok := c.(string); ok {
				fn(s, parsed && k == "text")
				continue
			}
			walkStrings(c, fn)
		}
	case []any:
		for _, c := range x {
			walkStrings(c, fn)
		}
	case string:
		fn(x, false)
	}
}
