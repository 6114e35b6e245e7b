package slackapp_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// A bare /coach kudos, or one with a Lean leader but no text, answers with
// what is missing and the kudos example, in the director's language; never
// with the syntax of another command.
func TestE2EKudosUsage(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	cases := []struct {
		user, text string
		want       []string
	}{
		{eDirector, "kudos", []string{"Mention the Lean leader you want to compliment", "For example: `/coach kudos @leader "}},
		{eDirector, "kudos   ", []string{"Mention the Lean leader you want to compliment", "`/coach kudos @leader "}},
		{eDirector, "kudos <@" + eLeader + "|lee>", []string{"Write the compliment after the @-mention.", "For example: `/coach kudos @leader "}},
		{eDirectorN, "kudos", []string{"Noem met een @-vermelding de Leanleider", "Bijvoorbeeld: `/coach kudos @leanleider "}},
		{eDirectorN, "kudos <@" + eLeader2 + "|lotte>", []string{"Schrijf het compliment na de @-vermelding.", "`/coach kudos @leanleider "}},
	}
	for _, c := range cases {
		t.Run(c.user+" "+c.text, func(t *testing.T) {
			out := visible(w.slash(c.user, c.text))
			for _, want := range c.want {
				if !strings.Contains(out, want) {
					t.Errorf("/coach %s = %s, want %q in it", c.text, out, want)
				}
			}
			for _, wrong := range []string{"director add", "the word `leader`", "het woord `leader`"} {
				if strings.Contains(out, wrong) {
					t.Errorf("/coach %s = %s, shows %q from another command", c.text, out, wrong)
				}
			}
		})
	}
	if got := w.sim.Messages(eKudos); len(got) != 0 {
		t.Errorf("kudos channel has %d messages after incomplete commands, want none", len(got))
	}
}

// kudosSection returns the text of a kudos post's one section, and whether
// it is verbatim.
func kudosSection(t testing.TB, m slacksim.Message) (string, bool) {
	t.Helper()
	var blocks []struct {
		Type string `json:"type"`
		Text struct {
			Type     string `json:"type"`
			Text     string `json:"text"`
			Verbatim bool   `json:"verbatim"`
		} `json:"text"`
	}
	if err := json.Unmarshal(m.Blocks, &blocks); err != nil || len(blocks) != 1 || blocks[0].Text.Type != "mrkdwn" {
		t.Fatalf("kudos blocks %s (%v), want one mrkdwn section", m.Blocks, err)
	}
	return blocks[0].Text.Text, blocks[0].Text.Verbatim
}

// A compliment typed with /coach reads in the kudos channel exactly as it
// was typed: no entity shows, and @here, a user group, someone else's
// mention, a channel and a link are plain text that pings no one. Only the
// Lean leader and the director are mentioned.
func TestE2EKudosAsTyped(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	w.sim.AddUsergroup(slacksim.Usergroup{ID: "S0LEADS01", Handle: "leads"})
	body := "Great work with the R&D team, 5 > 3 and we <3 it @here @channel @otto @leads #kudos\n" +
		"https://example.com/?a=1&b=2 &amp; <!everyone> `*as typed*`"
	r, err := w.sim.As(eDirector).Type(w.ctx(), "/coach", "kudos @lee "+body)
	if err != nil {
		t.Fatal(err)
	}
	var sent struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(r.Envelope.Payload, &sent); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"R&amp;D", "<!here>", "<@" + eOther + "|otto>", "<!subteam^S0LEADS01|@leads>", "<#" + eKudos + "|kudos>", "<https://example.com/?a=1&amp;b=2>"} {
		if !strings.Contains(sent.Text, want) {
			t.Fatalf("the local Slack sent %q, want %q in it as Slack escapes it", sent.Text, want)
		}
	}
	if _, err := r.WaitResponse(w.ctx()); err != nil {
		t.Fatalf("no reply: %v", err)
	}
	post := w.waitKudos(1)[0]
	text, verbatim := kudosSection(t, post)
	if !verbatim {
		t.Errorf("kudos section is not verbatim")
	}
	rd := w.sim.Read(text, verbatim)
	head, got, _ := strings.Cut(rd.Text, "\n")
	if got != body {
		t.Errorf("kudos reads\n%q\nwant as typed\n%q", got, body)
	}
	if head != "👏 @lee, a compliment from @dana:" {
		t.Errorf("kudos head reads %q", head)
	}
	if want := []string{eLeader, eDirector}; !slices.Equal(rd.Pings, want) {
		t.Errorf("kudos pings %v, want only %v", rd.Pings, want)
	}
	if fb := w.sim.Read(post.Text, false); !slices.Equal(fb.Pings, []string{eLeader, eDirector}) {
		t.Errorf("kudos fallback %q pings %v", post.Text, fb.Pings)
	}
	kept, err := w.bot.db.KudosFor(context.Background(), eLeader, time.Time{})
	if err != nil || len(kept) != 1 || kept[0].Text != body {
		t.Errorf("kept kudos = %+v, %v; want the typed text", kept, err)
	}
}

// FuzzKudosReadsAsTyped: whatever a director types after /coach kudos @lee
// is, once Slack has escaped it and the bot has read it back and posted it,
// read in the kudos channel exactly as typed (after coach.Clean; a text
// longer than a section holds ends in "…" at a cut), and the post mentions
// and pings only the Lean leader and the director. Text that cannot be a
// compliment (empty, too long) gets a reply and no post.
func FuzzKudosReadsAsTyped(f *testing.F) {
	for _, s := range []string{
		"Great work with the R&D team, 5 > 3 and we <3 it",
		"@here look, @channel and @everyone: nobody is pinged",
		"thanks to @otto and @lotte, see #kudos and https://example.com/?a=1&b=2.",
		"<!channel> <@UOTHER001> <#CKUDOS001> <https://evil.example|intranet> typed by hand",
		"&amp; &lt; &gt; &quot; typed by hand",
		"line one\n> not a quote\n\n  indented\tand\u00a0no-break",
		"\u202egnp.exe\u200b and 👏🏽 für Ökonomie",
		strings.Repeat("&", 700),
		strings.Repeat("x", coach.MaxTextLen+1),
		"   ",
	} {
		f.Add(s)
	}
	w := newWorld(f)
	w.setUp()
	dana := w.sim.As(eDirector)
	f.Fuzz(func(t *testing.T, body string) {
		if !utf8.ValidString(body) || len(body) > 3*coach.MaxTextLen {
			return // a keyboard types valid UTF-8; Slack takes a few thousand characters
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		before := len(w.sim.Messages(eKudos))
		wire := w.sim.EscapeTyped("kudos @lee " + body)
		r, err := dana.Slash(ctx, "/coach", wire)
		if err != nil {
			t.Fatalf("/coach %q: %v", wire, err)
		}
		reply, err := r.WaitResponse(ctx)
		if err != nil {
			t.Fatalf("/coach %q: no reply: %v", wire, err)
		}
		posts := w.sim.Messages(eKudos)[before:]
		typed := strings.TrimSpace(body)
		want := coach.Clean(typed, coach.MaxTextLen)
		if len(wire) > 4000 || want == "" || utf8.RuneCountInString(typed) > coach.MaxTextLen {
			if len(posts) != 0 {
				t.Fatalf("kudos %q posted; want it refused", typed)
			}
			if strings.Contains(reply.Text, "<!") {
				t.Fatalf("refusal %q holds a live mention", reply.Text)
			}
			return
		}
		if len(posts) != 1 {
			t.Fatalf("kudos %q: %d posts (reply %q), want 1", typed, len(posts), reply.Text)
		}
		text, verbatim := kudosSection(t, posts[0])
		for _, raw := range []string{text, posts[0].Text} {
			if strings.Contains(raw, "<!") || strings.Count(raw, "<@") != 2 || strings.Count(raw, "<@"+eLeader+">")+strings.Count(raw, "<@"+eDirector+">") != 2 {
				t.Fatalf("kudos %q holds a mention the bot did not make: %q", typed, raw)
			}
		}
		rd := w.sim.Read(text, verbatim)
		if !slices.Equal(rd.Pings, []string{eLeader, eDirector}) {
			t.Fatalf("kudos %q pings %v", typed, rd.Pings)
		}
		_, got, _ := strings.Cut(rd.Text, "\n")
		if got == want {
			return
		}
		head, _, _ := strings.Cut(text, "\n")
		escaped := slackapp.Escape(want, 0)
		fits := utf8.RuneCountInString(head)+1+utf8.RuneCountInString(escaped)+strings.Count(escaped, "\n")+1 <= 3000
		if cut, ok := strings.CutSuffix(got, "…"); fits || !ok || !strings.HasPrefix(want, cut) {
			t.Fatalf("kudos reads\n%q\nwant as typed\n%q", got, want)
		}
	})
}

// leaderChoice returns the values the compliment modal's "For" select
// offers, and the one preselected.
func leaderChoice(t testing.TB, v slacksim.View) ([]string, string) {
	t.Helper()
	type option struct {
		Value string `json:"value"`
	}
	var blocks []struct {
		BlockID string `json:"block_id"`
		Element struct {
			Type    string   `json:"type"`
			Options []option `json:"options"`
			Initial *option  `json:"initial_option"`
		} `json:"element"`
	}
	if err := json.Unmarshal(v.Blocks, &blocks); err != nil {
		t.Fatalf("modal blocks: %v", err)
	}
	for _, b := range blocks {
		if b.BlockID != slackapp.BlockLeader {
			continue
		}
		if b.Element.Type != "static_select" {
			t.Fatalf("the compliment modal picks the leader with a %s, want a static_select of the director's Lean leaders", b.Element.Type)
		}
		var vals []string
		for _, o := range b.Element.Options {
			vals = append(vals, o.Value)
		}
		initial := ""
		if b.Element.Initial != nil {
			initial = b.Element.Initial.Value
		}
		return vals, initial
	}
	t.Fatalf("modal %s has no %s block", v.CallbackID, slackapp.BlockLeader)
	return nil, ""
}

// A director compliments only their own Lean leaders: the modal offers
// those (the first preselected), and a compliment for anyone else, by
// command or by a forged submission, is refused with a message naming
// the director's Lean leaders. Nothing is posted or recorded.
func TestE2EComplimentOwnLeadersOnly(t *testing.T) {
	w := newWorld(t)
	w.setUp()
	if m := w.slash(eAdmin, "director add <@"+eDirector+"|dana> leader <@"+eLeader2+"|lotte>"); !strings.Contains(m.Text, "director") {
		t.Fatalf("adding a second leader: %q", m.Text)
	}
	if m := w.slash(eAdmin, "director add <@"+eDirectorN+"|daan> leader <@"+eOther+"|otto>"); !strings.Contains(m.Text, "directeur") && !strings.Contains(m.Text, "director") {
		t.Fatalf("adding a leader to the second director: %q", m.Text)
	}
	prompt := w.send("compliment", eDirector)
	v := w.openModal(eDirector, prompt)
	if opts, initial := leaderChoice(t, v); !slices.Equal(opts, []string{eLeader, eLeader2}) || initial != eLeader {
		t.Fatalf("the modal offers %v with %q preselected, want [%s %s] with the first preselected", opts, initial, eLeader, eLeader2)
	}
	if !strings.Contains(string(v.Blocks), `"text":"lee"`) {
		t.Errorf("the modal's options %s do not show the Lean leader's name", v.Blocks)
	}

	// A forged submission for daan's Lean leader.
	meta, _ := json.Marshal(slackapp.ModalMeta{Key: promptKey(t, prompt), Lang: "en"})
	forged, _ := json.Marshal(map[string]any{
		"type": "view_submission", "team": map[string]any{"id": w.sim.TeamID()},
		"user":       map[string]any{"id": eDirector, "team_id": w.sim.TeamID()},
		"api_app_id": w.sim.AppID(), "trigger_id": "1.2.forged",
		"view": map[string]any{"id": v.ID, "type": "modal", "callback_id": slackapp.ViewCompliment, "private_metadata": string(meta),
			"state": map[string]any{"values": map[string]any{
				"leader": map[string]any{"leader": map[string]any{"type": "static_select", "selected_option": map[string]any{"value": eOther}}},
				"text":   map[string]any{"text": map[string]any{"type": "plain_text_input", "value": "Well done"}},
			}}},
	})
	seq := w.sim.Seq()
	if _, err := w.sim.WaitAck(w.ctx(), w.sim.Send("interactive", forged)); err != nil {
		t.Fatalf("forged submission not acked: %v", err)
	}
	ev, err := w.sim.WaitEvent(w.ctx(), seq, func(ev slacksim.Event) bool {
		return ev.Kind == slacksim.EventEphemeral && ev.User == eDirector
	})
	if err != nil {
		t.Fatalf("the refused submission was not answered: %v", err)
	}
	told, _ := w.sim.Message(ev.Channel, ev.TS)
	wantRefusal(t, "the forged submission", told.Text, eOther)
	if o := w.stored(prompt); o.Answer != nil {
		t.Errorf("a compliment for another director's leader recorded %+v", o.Answer)
	}

	for _, who := range []string{eOther, eAdmin, eDirectorN} {
		wantRefusal(t, "/coach kudos for "+who, w.slash(eDirector, "kudos <@"+who+"> Well done").Text, who)
	}
	if nl := w.slash(eDirectorN, "kudos <@"+eLeader+"|lee> Goed gedaan").Text; !strings.Contains(nl, "is geen Leanleider van jou") || !strings.Contains(nl, "<@"+eOther+">") {
		t.Errorf("Dutch refusal = %q, want it to name the director's own Lean leader", nl)
	}
	for _, m := range w.sim.Messages(eKudos) {
		if m.IsBot() {
			t.Errorf("a refused compliment was posted: %s", m.Text)
		}
	}
	// The director's own Lean leaders still can be complimented.
	if r := w.slash(eDirector, "kudos <@"+eLeader2+"|lotte> Well done"); !strings.Contains(r.Text, "<#"+eKudos+">") {
		t.Errorf("/coach kudos for an own Lean leader = %q, want it posted", r.Text)
	}
}

func wantRefusal(t *testing.T, what, text, who string) {
	t.Helper()
	for _, want := range []string{"<@" + who + "> is not one of your Lean leaders", "<@" + eLeader + "> and <@" + eLeader2 + ">"} {
		if !strings.Contains(text, want) {
			t.Errorf("%s told %q, want %q in it", what, text, want)
		}
	}
}
