package slackapp_test

import (
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackapp"
)

func TestParseCheckInCommand(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want coach.CheckInCommand
		bad  bool
	}{
		{"checkin", coach.CheckInCommand{}, false},
		{"checkin off", coach.CheckInCommand{Set: true}, false},
		{"Checkin ON", coach.CheckInCommand{Set: true, On: true}, false},
		{"check-in uit", coach.CheckInCommand{Set: true}, false},
		{"checkins aan", coach.CheckInCommand{Set: true, On: true}, false},
		{"checkin maybe", coach.CheckInCommand{}, true},
		{"checkin off now", coach.CheckInCommand{}, true},
		{"path", coach.CheckInCommand{}, true},
	} {
		got, err := slackapp.ParseCheckInCommand(tt.in)
		if tt.bad != (err != nil) || got != tt.want || (tt.bad && coach.ErrorCode(err) != coach.EINVALID) {
			t.Errorf("ParseCheckInCommand(%q) = %+v, %v; want %+v (bad %v)", tt.in, got, err, tt.want, tt.bad)
		}
	}
}

func FuzzParseCheckInCommand(f *testing.F) {
	for _, s := range []string{"checkin", "checkin on", "checkin off", "check-in uit", "checkin <@U1|x>", "checkin\u00a0off", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := slackapp.ParseCheckInCommand(s)
		if err != nil && coach.ErrorCode(err) != coach.EINVALID {
			t.Fatalf("ParseCheckInCommand(%q) = %v, want EINVALID or success", s, err)
		}
		if err == nil && !c.Set && c.On {
			t.Fatalf("ParseCheckInCommand(%q) = %+v: on without being set", s, c)
		}
	})
}
