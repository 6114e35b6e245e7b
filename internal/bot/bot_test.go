package bot_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

func TestNewRequiresItsParts(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "b.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	api := slack.New("xoxb-test", slack.OptionAPIURL("http://127.0.0.1:1/api/"))
	clock := coach.ClockFunc(time.Now)
	for name, c := range map[string]bot.Config{
		"no store": {Slack: api, Team: "T1", Clock: clock},
		"no slack": {Store: db, Team: "T1", Clock: clock},
		"no clock": {Store: db, Slack: api, Team: "T1"},
		"no team":  {Store: db, Slack: api, Clock: clock},
	} {
		if _, err := bot.New(c); err == nil {
			t.Errorf("New(%s) = nil error, want one", name)
		}
	}
	b, err := bot.New(bot.Config{Store: db, Slack: api, Team: "T1", Clock: clock, Logger: zerolog.Nop()})
	if err != nil || b.Router == nil || b.Loop == nil || b.Portal == nil || b.Surfaces == nil || b.Token == nil || b.LangOf == nil {
		t.Fatalf("New = %+v, %v; want every part", b, err)
	}
}

func TestRules(t *testing.T) {
	if got, err := bot.CanonicalWhen("Weekdays 8:45"); err != nil || got != "weekdays 08:45" {
		t.Errorf("CanonicalWhen = %q, %v; want weekdays 08:45", got, err)
	}
	if _, err := bot.CanonicalWhen(`cron "* * * * *"`); coach.ErrorCode(err) != coach.EINVALID {
		t.Errorf("CanonicalWhen(every minute) = %v, want EINVALID", err)
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	after := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC) // a Friday
	got, err := bot.NextDue("weekdays 08:45", after, ams)
	if want := time.Date(2026, 12, 7, 8, 45, 0, 0, ams); err != nil || !got.Equal(want) {
		t.Errorf("NextDue = %v, %v; want %v", got, err, want)
	}
}
