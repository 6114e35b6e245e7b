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
		escaped := coach.Escape(want, 0)
		fits := utf8.RuneCountInString(head)+1+utf8.RuneCountInString(escaped)+strings.Count(escaped, "\n")+1 <= 3000
		if cut, ok := strings.CutSuffix(got, "…"); fits || !ok || !strings.HasPrefix(want, cut) {
			t.Fatalf("kudos reads\n%q\nwant as typed\n%q", got, want)
		}
	})
}
