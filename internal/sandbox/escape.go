package sandbox

import (
	"regexp"
	"strings"

	"github.com/leancoach/leancoach/internal/slacksim"
)

var (
	mentionRE = regexp.MustCompile(`(^|[\s(])@([\p{L}\p{N}._-]+)`)
	channelRE = regexp.MustCompile(`(^|[\s(])#([\p{L}\p{N}._-]+)`)
)

// Escape turns what a person typed into what Slack's client sends for a slash
// command with "Escape channels, users, and links" on (leancoach's manifest)
// and for messages: &, < and > as entities, @handle as <@U…|handle>, #name as
// <#C…|name>, @here/@channel/@everyone as <!here>…. Unknown names stay text.
func Escape(text string, users []slacksim.User, channels []slacksim.Channel) string {
	text = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(text)
	byName := map[string]string{}
	for _, u := range users {
		if !u.Deleted {
			byName[strings.ToLower(u.Name)] = u.ID
		}
	}
	text = mentionRE.ReplaceAllStringFunc(text, func(m string) string {
		sub := mentionRE.FindStringSubmatch(m)
		lead, name := sub[1], sub[2]
		trail := ""
		for strings.HasSuffix(name, ".") { // "thanks @tom." ends a sentence
			name, trail = name[:len(name)-1], trail+"."
		}
		switch low := strings.ToLower(name); {
		case low == "here" || low == "channel" || low == "everyone":
			return lead + "<!" + low + ">" + trail
		case byName[low] != "":
			return lead + "<@" + byName[low] + "|" + name + ">" + trail
		}
		return m
	})
	chans := map[string]string{}
	for _, c := range channels {
		if !c.IsIM {
			chans[strings.ToLower(c.Name)] = c.ID
		}
	}
	return channelRE.ReplaceAllStringFunc(text, func(m string) string {
		sub := channelRE.FindStringSubmatch(m)
		if id := chans[strings.ToLower(sub[2])]; id != "" {
			return sub[1] + "<#" + id + "|" + sub[2] + ">"
		}
		return m
	})
}
