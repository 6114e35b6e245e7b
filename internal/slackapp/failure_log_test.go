package slackapp_test

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

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackapp"
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

// A user's mistake (EINVALID, EFORBIDDEN, ENOTFOUND, ECONFLICT) is no
// failure of the bot: it is logged at info as "request refused", with its
// code and message key and without the error's text, which may hold what
// the user typed. A real failure stays an error with its text.
func TestUserMistakesAreLoggedAtInfoWithoutTheirText(t *testing.T) {
	const typed = "TYPEDBYTHEUSER"
	mistakes := []string{coach.EINVALID, coach.EFORBIDDEN, coach.ENOTFOUND, coach.ECONFLICT}
	r := slackapp.NewRouter()
	r.Command("/coach", func(ctx context.Context, cmd slack.SlashCommand) (slackapp.Reply, error) {
		code, _, _ := strings.Cut(cmd.Text, " ")
		if code == coach.EINTERNAL {
			return slackapp.Reply{}, fmt.Errorf("save %q: %w", cmd.Text, errors.New("disk full"))
		}
		return slackapp.Reply{}, fmt.Errorf("parse %q: %w", cmd.Text, coach.Errorf(code, "lang.err.usage"))
	})
	logs := &logLines{wrote: make(chan struct{}, 1)}
	h := startLogged(t, 1, slacksim.Options{}, r, slackapp.Config{Logger: zerolog.New(logs)})
	for i, code := range append(mistakes, coach.EINTERNAL) {
		h.sim.Send("slash_commands", slashPayload(code+" "+typed, fmt.Sprintf("tr-%d", i)))
	}

	byCode := map[string]map[string]any{}
	wait := deadline(t, 10*time.Second)
	for len(byCode) < len(mistakes)+1 {
		select {
		case <-logs.wrote:
		case <-wait.Done():
			t.Fatalf("logged %d of %d handler outcomes: %v", len(byCode), len(mistakes)+1, logs.entries(t))
		}
		for _, e := range logs.entries(t) {
			if m := e["message"]; m == "request refused" || m == "handler failed" {
				byCode[fmt.Sprint(e["code"])] = e
			}
		}
	}
	for _, code := range mistakes {
		e := byCode[code]
		if e["level"] != "info" || e["message"] != "request refused" || e["key"] != "lang.err.usage" || e["route"] != "/coach" {
			t.Errorf("%s logged as %v, want info \"request refused\" with its key and route", code, e)
		}
		if _, ok := e["error"]; ok {
			t.Errorf("%s logged with its error text: %v", code, e)
		}
	}
	if e := byCode[coach.EINTERNAL]; e["level"] != "error" || e["message"] != "handler failed" || !strings.Contains(fmt.Sprint(e["error"]), "disk full") {
		t.Errorf("a real failure logged as %v, want error \"handler failed\" with its error", e)
	}
	for _, e := range logs.entries(t) {
		if e["code"] != coach.EINTERNAL && strings.Contains(fmt.Sprint(e), typed) {
			t.Errorf("a log line holds the user's text: %v", e)
		}
	}
}
