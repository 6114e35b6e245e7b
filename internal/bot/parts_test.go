package bot_test

import (
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/coach"
)

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
