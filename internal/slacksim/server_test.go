package slacksim_test

import (
	"context"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
	"go.uber.org/goleak"
)

func TestDefaults(t *testing.T) {
	s := slacksim.New(slacksim.Options{})
	defer s.Close()
	tests := []struct{ name, got, prefix string }{
		{"APIURL", s.APIURL(), "http://127.0.0.1:"},
		{"BotToken", s.BotToken(), "xoxb-sim-"},
		{"AppToken", s.AppToken(), "xapp-sim-"},
		{"TeamID", s.TeamID(), "T"},
		{"BotUserID", s.BotUserID(), "U"},
		{"AppID", s.AppID(), "A"},
	}
	for _, tt := range tests {
		if len(tt.got) < len(tt.prefix) || tt.got[:len(tt.prefix)] != tt.prefix {
			t.Errorf("%s = %q, want prefix %q", tt.name, tt.got, tt.prefix)
		}
	}
	if u := s.APIURL(); u[len(u)-5:] != "/api/" {
		t.Errorf("APIURL = %q, want suffix /api/", u)
	}
	o := slacksim.New(slacksim.Options{BotToken: "xoxb-custom", AppToken: "xapp-custom"})
	defer o.Close()
	if o.BotToken() != "xoxb-custom" || o.AppToken() != "xapp-custom" {
		t.Errorf("tokens = %q %q, want the overrides", o.BotToken(), o.AppToken())
	}
}

// TestCloseLeavesNoGoroutines runs a full session, closes everything and checks that
// no goroutine of the simulator (or the client) is left behind.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	func() {
		s := slacksim.New(slacksim.Options{PingInterval: 20 * time.Millisecond})
		defer s.Close()
		s.AddUser(slacksim.User{ID: "U1"})
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ws, _ := dial(t, s, "")
		defer ws.Close()
		s.FailNext("auth.test", 1, slacksim.Fault{Hang: true})
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, _ = api(s).AuthTestContext(ctx)
		}()
		if _, err := s.WaitEvent(ctx, 0, func(e slacksim.Event) bool { return e.Kind == slacksim.EventConnOpened }); err != nil {
			t.Fatal(err)
		}
		_ = s.Send("events_api", []byte(`{"type":"event_callback","event":{"type":"app_mention"}}`))
		s.Close()
		<-done
	}()
}

func BenchmarkSlashRoundTrip(b *testing.B) {
	s := slacksim.New(slacksim.Options{})
	defer s.Close()
	s.AddUser(slacksim.User{ID: "U1"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := socketmode.New(api(s))
	go func() { _ = c.RunContext(ctx) }()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-c.Events:
				if evt.Request != nil && evt.Request.EnvelopeID != "" {
					_ = c.AckCtx(ctx, evt.Request.EnvelopeID, nil)
				}
			}
		}
	}()
	if err := s.WaitConnected(ctx); err != nil {
		b.Fatal(err)
	}
	u := s.As("U1")
	b.ResetTimer()
	for b.Loop() {
		if _, err := u.Slash(ctx, "/coach", "help"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPostMessage(b *testing.B) {
	s := slacksim.New(slacksim.Options{})
	defer s.Close()
	s.AddUser(slacksim.User{ID: "U1"})
	a := api(s)
	ctx := context.Background()
	for b.Loop() {
		if _, _, err := a.PostMessageContext(ctx, "U1", slack.MsgOptionText("x", false)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateView(b *testing.B) {
	view := []byte(`{"type":"home","blocks":[` + repeat(section("habit %d")+`,{"type":"actions","elements":[`+button("a%d", "Done", "v")+`]}`, 40) + `]}`)
	for b.Loop() {
		if msgs := slacksim.ValidateView(view); len(msgs) > 0 {
			b.Fatal(msgs)
		}
	}
}
