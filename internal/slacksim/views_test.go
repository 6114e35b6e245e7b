package slacksim_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"testing"

	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

const step2 = `{"type":"modal","callback_id":"step2","title":{"type":"plain_text","text":"Step 2"},
"submit":{"type":"plain_text","text":"Done"},"blocks":[` + input + `]}`

// submitBot answers view_submission with the response_action named by the note text.
func submitBot(_ context.Context, _ *slack.Client, evt socketmode.Event, ack func(any)) {
	cb, ok := evt.Data.(slack.InteractionCallback)
	if !ok || cb.Type != slack.InteractionTypeViewSubmission {
		ack(nil)
		return
	}
	var v slack.ModalViewRequest
	_ = json.Unmarshal([]byte(step2), &v)
	switch cb.View.State.Values["i"]["n"].Value {
	case "update":
		ack(slack.NewUpdateViewSubmissionResponse(&v))
	case "push":
		ack(slack.NewPushViewSubmissionResponse(&v))
	case "clear":
		ack(slack.NewClearViewSubmissionResponse())
	default:
		ack(nil)
	}
}

// openModal opens a modal for U1 through a trigger of an un-delivered slash command.
func openModal(t *testing.T, s *slacksim.Server, extra string) string {
	t.Helper()
	r, _ := s.As("U1").Slash(ctxT(t), "/coach", "x")
	got := call(t, s, "views.open", url.Values{"trigger_id": {r.TriggerID},
		"view": {modal(`,"submit":{"type":"plain_text","text":"Go"}`+extra, input)}})
	v, ok := got["view"].(map[string]any)
	if !ok {
		t.Fatalf("views.open = %v", got)
	}
	return v["id"].(string)
}

func TestSubmissionResponseActions(t *testing.T) {
	tests := []struct {
		note      string
		wantStack []string // callback ids, bottom first
	}{
		{"plain", nil},
		{"update", []string{"step2"}},
		{"push", []string{"", "step2"}},
		{"clear", nil},
	}
	for _, tt := range tests {
		t.Run(tt.note, func(t *testing.T) {
			s := newSim(t)
			id := openModal(t, s, "")
			startBot(t, s, submitBot)
			r, err := s.As("U1").Submit(ctxT(t), id, slacksim.Values{"n": tt.note})
			if err != nil || !r.Acked() {
				t.Fatalf("Submit = %v", err)
			}
			var got []string
			for _, v := range s.Views("U1") {
				got = append(got, v.CallbackID)
			}
			if len(got) != len(tt.wantStack) {
				t.Fatalf("stack = %q, want %q", got, tt.wantStack)
			}
			for i := range got {
				if got[i] != tt.wantStack[i] {
					t.Errorf("stack = %q, want %q", got, tt.wantStack)
				}
			}
		})
	}
}

func TestSubmitRequiresInputs(t *testing.T) {
	s := newSim(t)
	id := openModal(t, s, "")
	if _, err := s.As("U1").Submit(ctxT(t), id, nil); !errors.Is(err, slacksim.ErrInvalidInput) {
		t.Errorf("Submit(empty required) = %v, want ErrInvalidInput", err)
	}
	if _, err := s.As("U1").Submit(ctxT(t), id, slacksim.Values{"nope": "x", "n": "y"}); !errors.Is(err, slacksim.ErrInvalidInput) {
		t.Errorf("Submit(unknown input) = %v, want ErrInvalidInput", err)
	}
	if _, err := s.As("U2").Submit(ctxT(t), id, slacksim.Values{"n": "y"}); !errors.Is(err, slacksim.ErrNotFound) {
		t.Errorf("Submit by another user = %v, want ErrNotFound", err)
	}
}

func TestCloseNotifiesWhenAsked(t *testing.T) {
	s := newSim(t)
	id := openModal(t, s, `,"notify_on_close":true`)
	closed := make(chan string, 1)
	startBot(t, s, func(_ context.Context, _ *slack.Client, evt socketmode.Event, ack func(any)) {
		ack(nil)
		if cb, ok := evt.Data.(slack.InteractionCallback); ok && cb.Type == slack.InteractionTypeViewClosed {
			closed <- cb.View.ID
		}
	})
	if _, err := s.As("U1").Close(ctxT(t), id); err != nil {
		t.Fatalf("Close = %v", err)
	}
	if got := <-closed; got != id {
		t.Errorf("view_closed for %s, want %s", got, id)
	}
	if len(s.Views("U1")) != 0 {
		t.Errorf("Views after Close = %d, want 0", len(s.Views("U1")))
	}
}

func TestClickSelectsInHomeAndMessage(t *testing.T) {
	s := newSim(t)
	got := make(chan slack.InteractionCallback, 2)
	startBot(t, s, func(_ context.Context, _ *slack.Client, evt socketmode.Event, ack func(any)) {
		ack(nil)
		if cb, ok := evt.Data.(slack.InteractionCallback); ok {
			got <- cb
		}
	})
	ctx := ctxT(t)
	sel := `{"type":"actions","block_id":"pick","elements":[{"type":"static_select","action_id":"lang","options":[` +
		opt("English", "en") + `,` + opt("Nederlands", "nl") + `]},{"type":"users_select","action_id":"who"}]}`
	call(t, s, "views.publish", url.Values{"user_id": {"U1"}, "view": {`{"type":"home","blocks":[` + sel + `]}`}})
	home, _ := s.Home("U1")
	if _, err := s.As("U1").Click(ctx, home, "lang", slacksim.Choose("nl")); err != nil {
		t.Fatalf("Click home = %v", err)
	}
	cb := <-got
	if cb.Container.Type != "view" || cb.ResponseURL != "" || cb.ActionCallback.BlockActions[0].SelectedOption.Value != "nl" ||
		cb.View.State.Values["pick"]["lang"].SelectedOption.Value != "nl" {
		t.Errorf("home block_actions = container %+v url %q action %+v", cb.Container, cb.ResponseURL, cb.ActionCallback.BlockActions[0])
	}
	call(t, s, "chat.postMessage", url.Values{"channel": {"U1"}, "text": {"pick"}, "blocks": {`[` + sel + `]`}})
	msg := s.Messages(s.DMChannel("U1"))[0]
	if _, err := s.As("U1").Click(ctx, msg, "who", slacksim.Choose("U2")); err != nil {
		t.Fatalf("Click users_select = %v", err)
	}
	cb = <-got
	if cb.ActionCallback.BlockActions[0].SelectedUser != "U2" || cb.BlockActionState.Values["pick"]["who"].SelectedUser != "U2" {
		t.Errorf("users_select action = %+v", cb.ActionCallback.BlockActions[0])
	}
	if _, err := s.As("U1").Click(ctx, msg, "lang", slacksim.Choose("fr")); !errors.Is(err, slacksim.ErrInvalidInput) {
		t.Errorf("Click unknown option = %v, want ErrInvalidInput", err)
	}
	if _, err := s.As("U1").Click(ctx, msg, "lang"); !errors.Is(err, slacksim.ErrInvalidInput) {
		t.Errorf("Click select without Choose = %v, want ErrInvalidInput", err)
	}
}

func TestViewsPushLimitAndHashConflict(t *testing.T) {
	s := newSim(t)
	a := api(s)
	ctx := ctxT(t)
	id := openModal(t, s, "")
	var v slack.ModalViewRequest
	_ = json.Unmarshal([]byte(step2), &v)
	for i := range 3 {
		r, _ := s.As("U1").Slash(ctx, "/coach", "x")
		_, err := a.PushViewContext(ctx, r.TriggerID, v)
		if i < 2 && err != nil {
			t.Fatalf("push %d = %v", i, err)
		}
		if i == 2 && !isSlackErr(err, "push_limit_reached") {
			t.Errorf("push 3 = %v, want push_limit_reached", err)
		}
	}
	if _, err := a.UpdateViewContext(ctx, v, "", "stale-hash", id); !isSlackErr(err, "hash_conflict") {
		t.Errorf("UpdateView(stale hash) = %v, want hash_conflict", err)
	}
	if _, err := a.UpdateViewContext(ctx, v, "", "", "V404"); !isSlackErr(err, "not_found") {
		t.Errorf("UpdateView(V404) = %v, want not_found", err)
	}
}
