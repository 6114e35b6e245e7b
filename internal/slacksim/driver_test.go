package slacksim_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

const modalJSON = `{"type":"modal","callback_id":"reflect","private_metadata":"occ-1",
"title":{"type":"plain_text","text":"Reflect"},"submit":{"type":"plain_text","text":"Save"},
"notify_on_close":true,
"blocks":[{"type":"input","block_id":"b_note","label":{"type":"plain_text","text":"Note"},
"element":{"type":"plain_text_input","action_id":"note"}},
{"type":"input","block_id":"b_mood","label":{"type":"plain_text","text":"Mood"},
"element":{"type":"static_select","action_id":"mood","options":[
{"text":{"type":"plain_text","text":"Good"},"value":"good"},{"text":{"type":"plain_text","text":"Bad"},"value":"bad"}]}}]}`

const buttonsJSON = `[{"type":"section","block_id":"s1","text":{"type":"mrkdwn","text":"Did you do your Gemba walk?"}},
{"type":"actions","block_id":"a1","elements":[
{"type":"button","action_id":"done","text":{"type":"plain_text","text":"Done"},"value":"occ-1","style":"primary"},
{"type":"button","action_id":"open","text":{"type":"plain_text","text":"Reflect"},"value":"occ-1"},
{"type":"overflow","action_id":"more","options":[
{"text":{"type":"plain_text","text":"Snooze"},"value":"snooze"},{"text":{"type":"plain_text","text":"Skip"},"value":"skip"}]}]}]`

// coachBot answers like a small coaching bot would: ack first, then work.
func coachBot(t *testing.T) handler {
	return func(ctx context.Context, a *slack.Client, evt socketmode.Event, ack func(any)) {
		check := func(what string, err error) {
			if err != nil && ctx.Err() == nil {
				t.Errorf("%s: %v", what, err)
			}
		}
		switch evt.Type {
		case socketmode.EventTypeSlashCommand:
			cmd := evt.Data.(slack.SlashCommand)
			switch cmd.Text {
			case "help":
				ack(map[string]any{"text": "Try /coach send"})
			case "slow": // never acks
			case "send":
				ack(nil)
				var blocks slack.Blocks
				check("blocks", json.Unmarshal([]byte(buttonsJSON), &blocks))
				_, _, err := a.PostMessageContext(ctx, cmd.UserID, slack.MsgOptionText("prompt", false),
					slack.MsgOptionBlocks(blocks.BlockSet...))
				check("PostMessage", err)
				_, _, err = a.PostMessageContext(ctx, cmd.ChannelID, slack.MsgOptionText("queued", false),
					slack.MsgOptionResponseURL(cmd.ResponseURL, slack.ResponseTypeEphemeral))
				check("response_url", err)
			default:
				ack(nil)
			}
		case socketmode.EventTypeInteractive:
			cb := evt.Data.(slack.InteractionCallback)
			switch cb.Type {
			case slack.InteractionTypeBlockActions:
				ack(nil)
				act := cb.ActionCallback.BlockActions[0]
				switch act.ActionID {
				case "done":
					_, _, _, err := a.UpdateMessageContext(ctx, cb.Container.ChannelID, cb.Container.MessageTs,
						slack.MsgOptionText("Nice, done", false), slack.MsgOptionBlocks())
					check("UpdateMessage", err)
				case "open":
					var mv slack.ModalViewRequest
					check("modal", json.Unmarshal([]byte(modalJSON), &mv))
					_, err := a.OpenViewContext(ctx, cb.TriggerID, mv)
					check("OpenView", err)
				case "more":
					_, _, err := a.PostMessageContext(ctx, cb.Channel.ID,
						slack.MsgOptionText("chose "+act.SelectedOption.Value, false),
						slack.MsgOptionResponseURL(cb.ResponseURL, slack.ResponseTypeEphemeral))
					check("response_url", err)
				}
			case slack.InteractionTypeViewSubmission:
				note := cb.View.State.Values["b_note"]["note"].Value
				if strings.TrimSpace(note) == "bad" {
					ack(slack.NewErrorsViewSubmissionResponse(map[string]string{"b_note": "Too short"}))
					return
				}
				ack(nil)
				mood := cb.View.State.Values["b_mood"]["mood"].SelectedOption.Value
				_, _, err := a.PostMessageContext(ctx, cb.User.ID,
					slack.MsgOptionText("saved "+note+" "+mood+" "+cb.View.PrivateMetadata, false))
				check("PostMessage", err)
			default:
				ack(nil)
			}
		case socketmode.EventTypeEventsAPI:
			ack(nil)
			ev := evt.Data.(slackevents.EventsAPIEvent)
			switch in := ev.InnerEvent.Data.(type) {
			case *slackevents.AppHomeOpenedEvent:
				home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{
					slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "Your habits", false, false), nil, nil)}}}
				_, err := a.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: in.User, View: home})
				check("PublishView", err)
			case *slackevents.MessageEvent:
				if in.BotID == "" {
					_, _, err := a.PostMessageContext(ctx, in.Channel, slack.MsgOptionText("echo: "+in.Text, false))
					check("PostMessage", err)
				}
			}
		default:
			ack(nil)
		}
	}
}

func TestSlashHelpAckPayloadBecomesEphemeral(t *testing.T) {
	s := newSim(t)
	startBot(t, s, coachBot(t))
	ctx := ctxT(t)
	r, err := s.As("U1").Slash(ctx, "/coach", "help")
	if err != nil {
		t.Fatalf("Slash = %v", err)
	}
	m, err := r.WaitResponse(ctx)
	if err != nil {
		t.Fatalf("WaitResponse = %v", err)
	}
	if !m.Ephemeral || m.To != "U1" || m.Text != "Try /coach send" {
		t.Errorf("reply = %+v, want ephemeral to U1 'Try /coach send'", m)
	}
	if got := string(r.AckPayload()); !strings.Contains(got, "Try /coach send") {
		t.Errorf("AckPayload = %s", got)
	}
}

func TestFlowSendClickSubmit(t *testing.T) {
	s := newSim(t)
	startBot(t, s, coachBot(t))
	ctx := ctxT(t)
	u := s.As("U1")
	r, err := u.Slash(ctx, "/coach", "send")
	if err != nil {
		t.Fatalf("Slash = %v", err)
	}
	prompt, err := r.WaitDM(ctx)
	if err != nil {
		t.Fatalf("WaitDM = %v", err)
	}
	if prompt.Channel != s.DMChannel("U1") || !prompt.IsBot() {
		t.Errorf("prompt = %+v, want bot message in DM", prompt)
	}
	if m, err := r.WaitResponse(ctx); err != nil || m.Text != "queued" {
		t.Errorf("WaitResponse = %+v, %v; want queued", m, err)
	}

	// Overflow selection answers through the action's response_url.
	ro, err := u.Click(ctx, prompt, "more", slacksim.Choose("skip"))
	if err != nil {
		t.Fatalf("Click overflow = %v", err)
	}
	if m, err := ro.WaitResponse(ctx); err != nil || m.Text != "chose skip" {
		t.Errorf("overflow reply = %+v, %v", m, err)
	}

	// Open the modal, submit a bad value, then a good one.
	rc, err := u.Click(ctx, prompt, "open")
	if err != nil {
		t.Fatalf("Click open = %v", err)
	}
	v, err := rc.WaitView(ctx)
	if err != nil {
		t.Fatalf("WaitView = %v", err)
	}
	if v.CallbackID != "reflect" || v.PrivateMetadata != "occ-1" {
		t.Errorf("view = %+v", v)
	}
	rs, err := u.Submit(ctx, v.ID, slacksim.Values{"note": "bad", "mood": "good"})
	if err != nil {
		t.Fatalf("Submit = %v", err)
	}
	if got, ok := s.TopView("U1"); !ok || got.Errors["b_note"] != "Too short" {
		t.Errorf("TopView after errors = %+v, %v", got, ok)
	}
	_ = rs
	rs, err = u.Submit(ctx, v.ID, slacksim.Values{"note": "walked the floor", "mood": "good"})
	if err != nil {
		t.Fatalf("Submit = %v", err)
	}
	if got := s.Views("U1"); len(got) != 0 {
		t.Errorf("Views after submit = %d, want 0 (closed)", len(got))
	}
	if m, err := rs.WaitDM(ctx); err != nil || m.Text != "saved walked the floor good occ-1" {
		t.Errorf("DM after submit = %+v, %v", m, err)
	}

	// The Done button updates the prompt in place.
	rd, err := u.Click(ctx, prompt, "done")
	if err != nil {
		t.Fatalf("Click done = %v", err)
	}
	if m, err := rd.WaitUpdate(ctx); err != nil || m.Text != "Nice, done" || len(m.Blocks) != 0 {
		t.Errorf("update = %+v, %v", m, err)
	}
}

func TestOpenHomePublishes(t *testing.T) {
	s := newSim(t)
	startBot(t, s, coachBot(t))
	ctx := ctxT(t)
	r, err := s.As("U2").OpenHome(ctx)
	if err != nil {
		t.Fatalf("OpenHome = %v", err)
	}
	v, err := r.WaitView(ctx)
	if err != nil {
		t.Fatalf("WaitView = %v", err)
	}
	if h, ok := s.Home("U2"); !ok || h.ID != v.ID || !strings.Contains(string(h.Blocks), "Your habits") {
		t.Errorf("Home = %+v, %v", h, ok)
	}
}

func TestSayDeliversMessageIM(t *testing.T) {
	s := newSim(t)
	startBot(t, s, coachBot(t))
	ctx := ctxT(t)
	r, err := s.As("U1").Say(ctx, "hello")
	if err != nil {
		t.Fatalf("Say = %v", err)
	}
	if m, err := r.WaitDM(ctx); err != nil || m.Text != "echo: hello" {
		t.Errorf("WaitDM = %+v, %v", m, err)
	}
}

func TestSlashNotAckedTimesOut(t *testing.T) {
	s := newSim(t, func(o *slacksim.Options) { o.AckTimeout = 200 * time.Millisecond })
	startBot(t, s, coachBot(t))
	r, err := s.As("U1").Slash(ctxT(t), "/coach", "slow")
	if err == nil || r.Acked() || r.Envelope.Status != slacksim.StatusTimedOut {
		t.Errorf("Slash(slow) = %v, status %q; want ErrNotAcked, timed_out", err, r.Envelope.Status)
	}
}

func TestSlashWithoutConnectionFails(t *testing.T) {
	s := newSim(t)
	_, err := s.As("U1").Slash(ctxT(t), "/coach", "help")
	if err == nil {
		t.Fatal("Slash without a bot = nil error, want ErrNoConnection")
	}
}

func TestSayInChannelOnlyReachesMemberBot(t *testing.T) {
	s := newSim(t)
	b := startBot(t, s, ackAll)
	ctx := ctxT(t)
	r, err := s.As("U1").SayIn(ctx, "C1", "not for the bot")
	if err != nil || r.EnvelopeID != "" {
		t.Errorf("SayIn(C1 without bot) = %+v, %v; want no envelope", r, err)
	}
	call(t, s, "conversations.join", map[string][]string{"channel": {"C1"}})
	if _, err := s.As("U1").SayIn(ctx, "C1", "now it hears"); err != nil {
		t.Fatalf("SayIn(C1 with bot) = %v", err)
	}
	if n := len(b.requests()); n != 1 {
		t.Errorf("bot got %d envelopes, want 1", n)
	}
	if got := s.Messages("C1"); len(got) != 2 || got[0].User != "U1" {
		t.Errorf("Messages(C1) = %+v", got)
	}
}
