package campaign_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/slacksim"
)

const kudosCanary = "CANARY-kudos-free-text-5e1d"

// E3: the injection list of reliability.md 7E3 through the production bot's
// kudos path (/coach kudos, posted publicly in #kudos). No message may carry
// a live broadcast or a mention, channel link or link the bot did not
// generate; text is capped and escaped once; the user's text never reaches a
// log.
func TestKudosInjection(t *testing.T) {
	t.Parallel()
	// 15 kudos into one channel within a second, with Slack's limit of
	// about one message a second per channel: each waits its turn.
	rig := newRig(t, slacksim.Options{}, 2)
	if _, err := rig.WS.Seed(waitCtx(t, 10*time.Second), rig.DBPath); err != nil {
		t.Fatal(err)
	}
	startRig(t, rig)
	p := struct {
		sim *slacksim.Server
		ws  campaign.Workspace
	}{rig.Sim, rig.WS}
	d, l := p.ws.Directors[0], p.ws.Leaders[0]
	inputs := []struct {
		name, text string
		posted     bool
	}{
		{"channel", "great work <!channel>", true},
		{"here", "<!here> look", true},
		{"everyone", "<!everyone>!", true},
		{"subteam", "thanks <!subteam^S1|@leads> and <!subteam^S1>", true},
		{"user_mention", "also <@U1> and <@U0ADMIN01>", true},
		{"channel_link", "see <#C1> and <#C0KUDOS01|kudos>", true},
		{"disguised_link", "<https://evil.example|https://intranet.example> and <mailto:x@evil.example|HR>", true},
		{"plain_broadcast", "@channel @here @everyone", true},
		{"pre_escaped", "&lt;!here&gt; stays text", true},
		{"ampersand", "Fish & chips <3 " + kudosCanary, true},
		{"backticks", "```<!channel>``` `<@U1>`", true},
		{"rtl_override", "good \u202Ekrow\u202C job", true},
		{"zero_width", "<\u200B!channel> @\u200Bhere", true},
		{"slack_escaped", "&lt;!channel&gt; as Slack sends typed brackets", true},
		{"long_1900_runes", strings.Repeat("é", 1900), true},
		{"too_long_40k", strings.Repeat("x", 40_000), false},
	}
	ctx := waitCtx(t, 60*time.Second)
	var cmds []string
	before := len(p.sim.Messages(string(p.ws.Kudos)))
	for _, in := range inputs {
		res, err := p.sim.As(string(d)).Slash(ctx, "/coach", fmt.Sprintf("kudos <@%s|lead0> %s", l, in.text))
		if err != nil {
			t.Fatalf("%s: /coach kudos: %v", in.name, err)
		}
		reply, err := res.WaitResponse(ctx)
		if err != nil {
			t.Fatalf("%s: no reply to /coach kudos: %v", in.name, err)
		}
		t.Logf("%s: reply %.120q", in.name, reply.Text)
		cmds = append(cmds, res.EnvelopeID)
	}
	msgs := p.sim.Messages(string(p.ws.Kudos))[before:]
	wantPosted := 0
	for _, in := range inputs {
		if in.posted {
			wantPosted++
		}
	}
	if len(msgs) != wantPosted {
		t.Errorf("kudos posted = %d, want %d (all but the 40k text)", len(msgs), wantPosted)
	}
	allowed := map[string]bool{"<@" + string(d) + ">": true, "<@" + string(l) + ">": true}
	for _, m := range msgs {
		o := campaign.Outgoing{Where: m.Channel + "/" + m.TS, Text: m.Text, Blocks: m.Blocks}
		for _, bad := range campaign.LiveTokens(o, allowed) {
			t.Errorf("kudos message: %s", bad)
		}
		if n := longestText(t, m.Blocks); n > 3000 {
			t.Errorf("kudos block text of %d characters, want ≤ 3000 (Slack's limit)", n)
		}
		all := string(m.Blocks)
		if strings.Contains(all, "amp;amp;") || strings.Contains(all, "&amp;lt;!here") && !strings.Contains(all, "stays text") {
			t.Errorf("double escaping in %s", all)
		}
	}
	if !anyContains(msgs, `Fish &amp; chips &lt;3`) {
		t.Errorf("no kudos shows %q escaped once as %q", "Fish & chips <3", "Fish &amp; chips &lt;3")
	}
	// Every payload of the whole run, to anyone: no broadcast at all, no
	// mention of anyone outside the workspace.
	ws := map[string]bool{"<#" + string(p.ws.Kudos) + ">": true}
	for _, u := range p.sim.Users() {
		ws["<@"+u.ID+">"] = true
	}
	for _, o := range campaign.BotOutgoing(p.sim) {
		for _, bad := range campaign.LiveTokens(o, ws) {
			t.Errorf("outgoing: %s", bad)
		}
	}
	stopRig(t, rig, 5*time.Second)
	check(t, rig, campaign.Expect{Commands: cmds, Canaries: []string{kudosCanary}})
}

func anyContains(ms []slacksim.Message, s string) bool {
	for _, m := range ms {
		if strings.Contains(textOf(m.Blocks), s) {
			return true
		}
	}
	return false
}

// textOf joins the "text" strings of a blocks array.
func textOf(blocks json.RawMessage) string {
	var v any
	_ = json.Unmarshal(blocks, &v)
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				if s, ok := c.(string); ok && k == "text" {
					b.WriteString(s)
					b.WriteByte('\n')
				} else {
					walk(c)
				}
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(v)
	return b.String()
}

func longestText(t *testing.T, blocks json.RawMessage) int {
	t.Helper()
	n := 0
	for _, line := range strings.Split(textOf(blocks), "\n") {
		n = max(n, utf8.RuneCountInString(line))
	}
	return n
}
