package slackapp_test

import (
	"strings"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
)

func TestParsePathCommand(t *testing.T) {
	tests := []struct {
		in    string
		want  coach.UserID
		wrong string // "" = no error
	}{
		{"path", "", ""},
		{"  Paths  ", "", ""},
		{"path <@ULEE1|lee>", "ULEE1", ""},
		{"path\u00a0<@ULEE1>", "ULEE1", ""},
		{"path <@W0009|a b>", "W0009", ""},
		{"path @lee", "", "cmd.wrong.not_a_user"},
		{"path ULEE1", "", "cmd.wrong.not_a_user"},
		{"path <#C1|kudos>", "", "cmd.wrong.not_a_user"},
		{"path <!channel> x", "", "cmd.wrong.not_a_user"},
		{"path <@ULEE1> <@UANN2>", "", "cmd.wrong.extra"},
		{"path <@ULEE1> coaching", "", "cmd.wrong.extra"},
		{"streak", "", "cmd.wrong.not_path"},
		{"", "", "cmd.wrong.not_path"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := slackapp.ParsePathCommand(tt.in)
			if tt.wrong == "" {
				if err != nil || got.Leader != tt.want {
					t.Fatalf("ParsePathCommand(%q) = %+v, %v; want leader %q", tt.in, got, err, tt.want)
				}
				return
			}
			if coach.ErrorCode(err) != coach.EINVALID {
				t.Fatalf("ParsePathCommand(%q) = %+v, %v; want EINVALID", tt.in, got, err)
			}
			msg := coach.ErrorMessage(err)
			if msg.Key != "cmd.err.usage" || len(msg.Args) != 2 {
				t.Fatalf("ParsePathCommand(%q) message %+v, want cmd.err.usage", tt.in, msg)
			}
			if k := msg.Args[0].(i18n.Msg).Key; k != tt.wrong {
				t.Errorf("ParsePathCommand(%q) says %q is wrong, want %q", tt.in, k, tt.wrong)
			}
			if k := msg.Args[1].(i18n.Msg).Key; k != "cmd.example.path" {
				t.Errorf("ParsePathCommand(%q) example %q, want cmd.example.path", tt.in, k)
			}
		})
	}
}

// FuzzParsePathCommand: no input panics, a failure is a user-safe EINVALID
// whose quoted input is inert, and a leader is always a well-formed ID.
func FuzzParsePathCommand(f *testing.F) {
	for _, s := range []string{"path", "paths", "path <@ULEE1|lee>", "path <@ULEE1", "path <@>", "path <!here>",
		"path <@ULEE1|<!channel>>", "path <@ULEE1> <@UANN2>", "path\u00a0\u00a0<@U1>", "<", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		cmd, err := slackapp.ParsePathCommand(in)
		if err != nil {
			if coach.ErrorCode(err) != coach.EINVALID {
				t.Fatalf("ParsePathCommand(%q) error code %s, want %s", in, coach.ErrorCode(err), coach.EINVALID)
			}
			for _, l := range i18n.Langs() {
				out := l.Render(coach.ErrorMessage(err))
				for _, live := range []string{"<!", "<@", "<#", "<http"} {
					if strings.Contains(out, live) {
						t.Fatalf("ParsePathCommand(%q) message %q contains %q", in, out, live)
					}
				}
			}
			return
		}
		if _, ok := coach.ParseUserID(string(cmd.Leader)); cmd.Leader != "" && !ok {
			t.Fatalf("ParsePathCommand(%q) leader %q is no user ID", in, cmd.Leader)
		}
	})
}
