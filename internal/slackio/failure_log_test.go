package slackio_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// logLines is a log sink that keeps every line and signals each write.
type logLines struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	wrote chan struct{}
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	select {
	case l.wrote <- struct{}{}:
	default:
	}
	return l.buf.Write(p)
}

// entries are the lines logged so far, decoded.
func (l *logLines) entries(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for line := range strings.Lines(l.buf.String()) {
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, e)
	}
	return out
}

// codeVoice sorts an error by the code its text starts with: "refused"
// is a user's mistake, "internal" the bot's failure, anything else neither.
type codeVoice struct{}

func (codeVoice) ErrorText(context.Context, string, error) string { return "sorry" }
func (codeVoice) Busy(context.Context, string) string             { return "busy" }
func (codeVoice) Sort(err error) slackio.Failure {
	code, _, _ := strings.Cut(err.Error(), " ")
	return slackio.Failure{Code: code, Refused: code == "refused", Key: "key." + code, Internal: code == "internal"}
}

// A user's mistake, as the Voice sorts it, is no failure of the bot: it is
// logged at info as "request refused", with its code and message key and
// without the error's text, which may hold what the user typed. A real
// failure is an error with its text; the rest a warning with its text.
func TestFailuresAreLoggedAsTheVoiceSortsThem(t *testing.T) {
	const typed = "TYPEDBYTHEUSER"
	r := slackio.NewRouter()
	r.Command("/coach", func(ctx context.Context, cmd slack.SlashCommand) (slackio.Reply, error) {
		code, _, _ := strings.Cut(cmd.Text, " ")
		return slackio.Reply{}, fmt.Errorf("%s %q: %w", code, cmd.Text, errors.New("disk full"))
	})
	logs := &logLines{wrote: make(chan struct{}, 1)}
	h := startLogged(t, 1, slacksim.Options{}, r, slackio.Config{Logger: zerolog.New(logs), Voice: codeVoice{}})
	codes := []string{"refused", "internal", "other"}
	for i, code := range codes {
		h.sim.Send("slash_commands", slashPayload(code+" "+typed, fmt.Sprintf("tr-%d", i)))
	}

	byCode := map[string]map[string]any{}
	wait := deadline(t, 10*time.Second)
	for len(byCode) < len(codes) {
		select {
		case <-logs.wrote:
		case <-wait.Done():
			t.Fatalf("logged %d of %d handler outcomes: %v", len(byCode), len(codes), logs.entries(t))
		}
		for _, e := range logs.entries(t) {
			if m := e["message"]; m == "request refused" || m == "handler failed" {
				byCode[fmt.Sprint(e["code"])] = e
			}
		}
	}
	if e := byCode["refused"]; e["level"] != "info" || e["message"] != "request refused" || e["key"] != "key.refused" || e["route"] != "/coach" {
		t.Errorf("a refusal logged as %v, want info \"request refused\" with its key and route", e)
	} else if _, ok := e["error"]; ok {
		t.Errorf("a refusal logged with its error text: %v", e)
	}
	for code, level := range map[string]string{"internal": "error", "other": "warn"} {
		if e := byCode[code]; e["level"] != level || e["message"] != "handler failed" || !strings.Contains(fmt.Sprint(e["error"]), "disk full") {
			t.Errorf("%s logged as %v, want %s \"handler failed\" with its error", code, e, level)
		}
	}
	for _, e := range logs.entries(t) {
		if e["code"] == "refused" && strings.Contains(fmt.Sprint(e), typed) {
			t.Errorf("a log line holds the user's text: %v", e)
		}
	}
}
