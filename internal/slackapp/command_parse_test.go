package slackapp_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slackcorpus"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		in   string
		want coach.Command
	}{
		{"", coach.Command{Kind: coach.CmdHelp}},
		{"  help  ", coach.Command{Kind: coach.CmdHelp, Args: []string{}}},
		{"HELP schedule", coach.Command{Kind: coach.CmdHelp, Args: []string{"schedule"}}},
		{"director add <@UANN1|ann> leader <@UBOB2|bob>", coach.Command{Kind: coach.CmdDirectorAdd, Director: "UANN1", Leaders: []coach.UserID{"UBOB2"}}},
		{"director add <@UANN1> leaders <@UBOB2>, <@UCAT3|c d> and <@UBOB2>", coach.Command{Kind: coach.CmdDirectorAdd, Director: "UANN1", Leaders: []coach.UserID{"UBOB2", "UCAT3"}}},
		{"director add <@UANN1> leader <@UBOB2>,<@UCAT3>", coach.Command{Kind: coach.CmdDirectorAdd, Director: "UANN1", Leaders: []coach.UserID{"UBOB2", "UCAT3"}}},
		{"Director Remove <@W0009|x>", coach.Command{Kind: coach.CmdDirectorRemove, Director: "W0009"}},
		{"director list", coach.Command{Kind: coach.CmdDirectorList}},
		{"channel <#C42|kudos>", coach.Command{Kind: coach.CmdChannel, Channel: "C42"}},
		{"channel <#G42>", coach.Command{Kind: coach.CmdChannel, Channel: "G42"}},
		{"send compliment <@UANN1|ann>", coach.Command{Kind: coach.CmdSend, Habit: coach.Compliment, Director: "UANN1"}},
		{"send Standup to <@UANN1>", coach.Command{Kind: coach.CmdSend, Habit: coach.Standup, Director: "UANN1"}},
		{"streak", coach.Command{Kind: coach.CmdStreak}},
		{"habits", coach.Command{Kind: coach.CmdHabits}},
		{"kudos <@UBOB2|bob> Great  dagstart,\nthanks!", coach.Command{Kind: coach.CmdKudos, Leaders: []coach.UserID{"UBOB2"}, Text: "Great  dagstart,\nthanks!"}},
		{"kudos\u00a0<@UBOB2>\u00a0top <!channel>", coach.Command{Kind: coach.CmdKudos, Leaders: []coach.UserID{"UBOB2"}, Text: "top <!channel>"}},
		{"kudos <@UBOB2> R&amp;D\u00a0team,\u00a05 &gt; 3", coach.Command{Kind: coach.CmdKudos, Leaders: []coach.UserID{"UBOB2"}, Text: "R&amp;D\u00a0team,\u00a05 &gt; 3"}},
		// The length counts once the text is read back (GiveKudos checks it).
		{"kudos <@UBOB2> " + strings.Repeat("&amp;", coach.MaxTextLen/4), coach.Command{Kind: coach.CmdKudos, Leaders: []coach.UserID{"UBOB2"}, Text: strings.Repeat("&amp;", coach.MaxTextLen/4)}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := slackapp.ParseCommand(tt.in)
			if err != nil {
				t.Fatalf("ParseCommand(%q) error %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseCommand(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseCommandErrors(t *testing.T) {
	tests := []struct {
		in, wrong, example string
	}{
		{"frobnicate", "", ""},
		{"director", "cmd.wrong.missing_sub", "cmd.example.director_add"},
		{"director fire <@UANN1>", "cmd.wrong.unknown_sub", "cmd.example.director_add"},
		{"director add", "cmd.wrong.missing_director", "cmd.example.director_add"},
		{"director add @ann leader <@UBOB2>", "cmd.wrong.not_a_user", "cmd.example.director_add"},
		{"director add UANN1 leader <@UBOB2>", "cmd.wrong.not_a_user", "cmd.example.director_add"},
		{"director add <@UANN1>", "cmd.wrong.missing_leader", "cmd.example.director_add"},
		{"director add <@UANN1> <@UBOB2>", "cmd.wrong.missing_leader", "cmd.example.director_add"},
		{"director add <@UANN1> leader", "cmd.wrong.missing_leader", "cmd.example.director_add"},
		{"director add <@UANN1> leader <@UANN1>", "cmd.wrong.own_leader", "cmd.example.director_add"},
		{"director add <@UANN1> leader <#C1>", "cmd.wrong.not_a_user", "cmd.example.director_add"},
		{"director remove", "cmd.wrong.missing_director", "cmd.example.director_remove"},
		{"director remove <@UANN1> <@UBOB2>", "cmd.wrong.extra", "cmd.example.director_remove"},
		{"director list all", "cmd.wrong.extra", "cmd.example.director_list"},
		{"channel", "cmd.wrong.missing_channel", "cmd.example.channel"},
		{"channel #kudos", "cmd.wrong.not_a_channel", "cmd.example.channel"},
		{"channel <@UANN1>", "cmd.wrong.not_a_channel", "cmd.example.channel"},
		{"channel <#D0123>", "cmd.wrong.not_a_channel", "cmd.example.channel"},
		{"send", "cmd.wrong.missing_habit", "cmd.example.send"},
		{"send yoga <@UANN1>", "cmd.wrong.unknown_habit", "cmd.example.send"},
		{"send standup", "cmd.wrong.missing_director", "cmd.example.send"},
		{"send standup <@UANN1> now", "cmd.wrong.extra", "cmd.example.send"},
		{"streak please", "cmd.wrong.extra", "cmd.example.streak"},
		{"kudos", "cmd.wrong.kudos_missing_leader", "cmd.example.kudos"},
		{"kudos   ", "cmd.wrong.kudos_missing_leader", "cmd.example.kudos"},
		{"kudos <@UBOB2>", "cmd.wrong.missing_text", "cmd.example.kudos"},
		{"kudos <@UBOB2> \u200b\u202e", "cmd.wrong.missing_text", "cmd.example.kudos"},
		{"kudos bob great", "cmd.wrong.not_a_user", "cmd.example.kudos"},
	}
	for _, tt := range tests {
		name := tt.in
		if len(name) > 40 {
			name = name[:40] + "…"
		}
		t.Run(name, func(t *testing.T) {
			_, err := slackapp.ParseCommand(tt.in)
			if coach.ErrorCode(err) != coach.EINVALID {
				t.Fatalf("ParseCommand(%q) error %v, want code %s", tt.in, err, coach.EINVALID)
			}
			msg := coach.ErrorMessage(err)
			if tt.wrong == "" {
				if msg.Key != "cmd.err.unknown" {
					t.Errorf("ParseCommand(%q) message %q, want cmd.err.unknown", tt.in, msg.Key)
				}
				return
			}
			if msg.Key != "cmd.err.usage" || len(msg.Args) != 2 {
				t.Fatalf("ParseCommand(%q) message %+v, want cmd.err.usage with 2 args", tt.in, msg)
			}
			if got := msg.Args[0].(i18n.Msg).Key; got != tt.wrong {
				t.Errorf("ParseCommand(%q) says %q is wrong, want %q", tt.in, got, tt.wrong)
			}
			if got := msg.Args[1].(i18n.Msg).Key; got != tt.example {
				t.Errorf("ParseCommand(%q) example %q, want %q", tt.in, got, tt.example)
			}
		})
	}
}

func TestTooLongCommandSaysTheLimit(t *testing.T) {
	_, err := slackapp.ParseCommand("kudos <@U1> " + strings.Repeat("x", 5988))
	if coach.ErrorCode(err) != coach.EINVALID {
		t.Fatalf("ParseCommand(6000 characters) = %v, want EINVALID", err)
	}
	for _, l := range i18n.Langs() {
		if msg := l.Render(coach.ErrorMessage(err)); !strings.Contains(msg, "6000") || !strings.Contains(msg, "4000") {
			t.Errorf("%s: too long = %q, want the length and the limit", l, msg)
		}
	}
	// Characters, not bytes: 4000 two-byte letters are within the limit.
	if err := coach.CheckCommandLen(strings.Repeat("é", coach.MaxCommandLen)); err != nil {
		t.Errorf("CheckCommandLen(%d é) = %v, want nil", coach.MaxCommandLen, err)
	}
	if err := coach.CheckCommandLen(strings.Repeat("é", coach.MaxCommandLen+1)); coach.ErrorCode(err) != coach.EINVALID {
		t.Errorf("CheckCommandLen(%d é) = %v, want EINVALID", coach.MaxCommandLen+1, err)
	}
}

// FuzzParseCommand checks that no input panics, that failures are always a
// user-safe EINVALID, that user input quoted back is inert, and that every
// parsed mention is a well-formed ID.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"", "help", "director add <@UANN1|a> leader <@UBOB2|b>, <@UCAT3>",
		"director remove <@UANN1>", "director list", "channel <#C1|kudos>", "send question <@UANN1>",
		"streak", "habits", "kudos <@UBOB2> <!channel> well done", "kudos <@UBOB2", "<", "<>", "<@>",
		"send <!here> <@UANN1>", "director add <@UANN1> leader <@UBOB2|<!channel>>"} {
		f.Add(s)
	}
	for _, s := range corpusCommandTexts(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		cmd, err := slackapp.ParseCommand(in)
		if err != nil {
			if coach.ErrorCode(err) != coach.EINVALID {
				t.Fatalf("ParseCommand(%q) error code %s, want %s", in, coach.ErrorCode(err), coach.EINVALID)
			}
			for _, l := range i18n.Langs() {
				out := l.Render(coach.ErrorMessage(err))
				for _, live := range []string{"<!", "<@", "<#", "<http"} {
					if strings.Contains(out, live) {
						t.Fatalf("ParseCommand(%q) message %q contains %q", in, out, live)
					}
				}
			}
			return
		}
		ids := append([]coach.UserID{cmd.Director}, cmd.Leaders...)
		for _, id := range ids {
			if id == "" {
				continue
			}
			if u, ok := coach.ParseUserID(string(id)); !ok || u != id {
				t.Fatalf("ParseCommand(%q) gave user ID %q", in, id)
			}
		}
		if cmd.Kind == coach.CmdKudos && len(cmd.Leaders) != 1 {
			t.Fatalf("ParseCommand(%q) kudos with leaders %v", in, cmd.Leaders)
		}
	})
}

// corpusCommandTexts returns the text of the slash commands in the corpus
// of real Slack payloads. It fails the test when it finds none.
func corpusCommandTexts(tb testing.TB) []string {
	tb.Helper()
	files, err := slackcorpus.Glob("envelope-slash-command*.json")
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, file := range files {
		var env struct {
			Payload struct {
				Text *string `json:"text"`
			} `json:"payload"`
		}
		if err := json.Unmarshal(file.Data, &env); err != nil || env.Payload.Text == nil {
			tb.Fatalf("slash command %s: no text (%v)", file.Name, err)
		}
		out = append(out, *env.Payload.Text)
	}
	return out
}
