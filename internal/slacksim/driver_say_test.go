package slacksim_test

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/leancoach/leancoach/internal/slacksim"
)

// messageEvents returns the message events the bot received, as slack-go
// parsed them.
func messageEvents(b *bot) []*slackevents.MessageEvent {
	var out []*slackevents.MessageEvent
	for _, e := range b.events() {
		if e.Type != socketmode.EventTypeEventsAPI {
			continue
		}
		if ev, ok := e.Data.(slackevents.EventsAPIEvent); ok {
			if m, ok := ev.InnerEvent.Data.(*slackevents.MessageEvent); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

func ackAndCount(s *slacksim.Server, b *bot, n int) func() bool {
	return func() bool { return len(b.requests()) == n && len(s.Acks()) == n }
}

// TestBotEventsFollowSubscriptions: with the manifest's subscriptions, a
// person's DM and the bot's own post there arrive as message.im events; a
// message in a channel the bot is in and an App Home visit do not.
func TestBotEventsFollowSubscriptions(t *testing.T) {
	s := newSim(t, func(o *slacksim.Options) {
		o.BotEvents = []string{"message.im"}
		o.EchoBotMessages = true
	})
	b := startBot(t, s, ackAll)
	ctx := ctxT(t)
	call(t, s, "conversations.join", url.Values{"channel": {"C1"}})
	if r, err := s.As("U1").SayIn(ctx, "C1", "in the channel"); err != nil || r.EnvelopeID != "" {
		t.Errorf("SayIn(C1) without message.channels = %+v, %v; want no envelope", r, err)
	}
	if r, err := s.As("U1").OpenHome(ctx); err != nil || r.EnvelopeID != "" {
		t.Errorf("OpenHome without app_home_opened = %+v, %v; want no envelope", r, err)
	}
	if _, err := s.As("U1").Say(ctx, "hello"); err != nil {
		t.Fatalf("Say = %v", err)
	}
	call(t, s, "chat.postMessage", url.Values{"channel": {"U1"}, "text": {"hi back"}})
	call(t, s, "chat.postMessage", url.Values{"channel": {"C1"}, "text": {"not echoed"}})
	if err := s.WaitFor(ctx, ackAndCount(s, b, 2)); err != nil {
		t.Fatalf("envelopes = %d, want 2: %v", len(b.requests()), err)
	}
	evs := messageEvents(b)
	if len(evs) != 2 {
		t.Fatalf("message events = %d, want 2", len(evs))
	}
	typed, echo := evs[0], evs[1]
	if typed.ChannelType != "im" || typed.User != "U1" || typed.Text != "hello" || typed.ClientMsgID == "" || typed.BotID != "" || typed.SubType != "" {
		t.Errorf("typed message event = %+v, want an im message of U1 with a client_msg_id", typed)
	}
	if echo.ChannelType != "im" || echo.BotID == "" || echo.Text != "hi back" || echo.ClientMsgID != "" {
		t.Errorf("echo event = %+v, want the bot's post with its bot_id", echo)
	}
	if echo.Message == nil || echo.Message.BotProfile == nil || echo.Message.BotProfile.ID != echo.BotID {
		t.Errorf("echo event has no bot_profile: %+v", echo.Message)
	}
}

// TestEditDeliversMessageChanged: editing a typed message delivers the
// message_changed subtype, with the text as it is now and as it was, and the
// same client_msg_id.
func TestEditDeliversMessageChanged(t *testing.T) {
	s := newSim(t)
	b := startBot(t, s, ackAll)
	ctx := ctxT(t)
	said, err := s.As("U1").Say(ctx, "helo")
	if err != nil {
		t.Fatalf("Say = %v", err)
	}
	if _, err := s.As("U1").Edit(ctx, "", said.TS, "hello"); err != nil {
		t.Fatalf("Edit = %v", err)
	}
	if err := s.WaitFor(ctx, ackAndCount(s, b, 2)); err != nil {
		t.Fatalf("envelopes = %d, want 2: %v", len(b.requests()), err)
	}
	evs := messageEvents(b)
	edit := evs[len(evs)-1]
	if edit.SubType != "message_changed" || edit.ChannelType != "im" || edit.User != "" {
		t.Errorf("edit event = %+v, want subtype message_changed in the im and no top-level user", edit)
	}
	if edit.Message == nil || edit.Message.Text != "hello" || edit.Message.Edited == nil || edit.Message.Edited.User != "U1" ||
		edit.Message.ClientMsgID != evs[0].ClientMsgID || edit.Message.Timestamp != said.TS {
		t.Errorf("edit event message = %+v, want the new text, edited by U1, the same client_msg_id and ts", edit.Message)
	}
	if edit.PreviousMessage == nil || edit.PreviousMessage.Text != "helo" {
		t.Errorf("edit event previous_message = %+v, want the old text", edit.PreviousMessage)
	}
	if got := s.Messages(s.DMChannel("U1")); len(got) != 1 || got[0].Text != "hello" || got[0].Edited != 1 {
		t.Errorf("DM after the edit = %+v, want the one message with the new text", got)
	}
	if _, err := s.As("U2").Edit(ctx, "", said.TS, "not mine"); !errors.Is(err, slacksim.ErrNotFound) {
		t.Errorf("Edit of another person's message = %v, want ErrNotFound", err)
	}
	posted := call(t, s, "chat.postMessage", url.Values{"channel": {"U1"}, "text": {"bot"}})
	if _, err := s.As("U1").Edit(context.Background(), "", posted["ts"].(string), "x"); !errors.Is(err, slacksim.ErrNotFound) {
		t.Errorf("Edit of the bot's message = %v, want ErrNotFound", err)
	}
}
