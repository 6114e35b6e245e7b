package slackio_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/leancoach/leancoach/internal/imports"
)

// transportDeps are what the Socket Mode transport may import besides the
// standard library: Slack's client and its WebSocket, the logger, and two
// leaves of ours (the catalogs, for its own English fallback, and the
// ctx-aware wait). Those leaves' own imports are checked in turn.
var transportDeps = []string{
	"github.com/slack-go/slack", "github.com/slack-go/slack/slackevents", "github.com/slack-go/slack/socketmode",
	"github.com/gorilla/websocket", "github.com/rs/zerolog",
	imports.Module + "internal/i18n", imports.Module + "internal/wait",
}

// The transport knows Slack and nothing of coaching: it imports neither
// the domain (coach) nor the surfaces on it (slackapp), nor any other
// adapter (store, schedule, bbolt, cron). The surfaces register routes on
// its Router and hand in their Voice; a handler's user is a plain Slack ID.
func TestTransportImportsNoCoachAndNoSurface(t *testing.T) {
	root := filepath.Join("..", "..")
	bad, files, err := imports.Foreign(".", func(p string) (string, bool) {
		return imports.Dir(root, p), slices.Contains(transportDeps, p)
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Fatalf("read %d files of slackio and its allowed packages, want them all", files)
	}
	for _, b := range bad {
		t.Errorf("%s: the transport may import only the standard library and %v", b, transportDeps)
	}
}
