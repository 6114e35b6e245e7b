package slacksim_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/slack-go/slack"
)

// call posts a form to method with the bot token and decodes the JSON answer.
func call(t *testing.T, s *slacksim.Server, method string, form url.Values) map[string]any {
	t.Helper()
	return callTok(t, s, method, s.BotToken(), form)
}

func callTok(t *testing.T, s *slacksim.Server, method, token string, form url.Values) map[string]any {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if token != "" {
		form.Set("token", token)
	}
	resp, err := http.PostForm(s.APIURL()+method, form)
	if err != nil {
		t.Fatalf("POST %s: %v", method, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("decode %s: %v", method, err)
	}
	return out
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// missing returns the keys of want absent from got, minus allowed exceptions.
func missing(want, got map[string]any, except ...string) []string {
	var out []string
	for k := range want {
		if _, ok := got[k]; !ok && !contains(except, k) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestAnswersHaveCorpusKeys checks every Web API answer carries the keys of Slack's
// own samples in the corpus.
func TestAnswersHaveCorpusKeys(t *testing.T) {
	s := newSim(t)
	dm := s.DMChannel("U1")
	posted := call(t, s, "chat.postMessage", url.Values{"channel": {"U1"}, "text": {"hi"}})
	ts, _ := posted["ts"].(string)
	// A trigger minted by a slash command nobody receives is still a trigger.
	r, _ := s.As("U1").Slash(ctxT(t), "/coach", "x")
	opened := call(t, s, "views.open", url.Values{"trigger_id": {r.TriggerID}, "view": {modal(`,"submit":{"type":"plain_text","text":"Go"}`, input)}})
	viewID, _ := opened["view"].(map[string]any)["id"].(string)
	home := `{"type":"home","blocks":[` + section("home") + `]}`
	tests := []struct {
		file, method string
		form         url.Values
		token        string
		nested       []string
		except       []string
	}{
		{"web-auth-test-bot.json", "auth.test", nil, "", nil, nil},
		{"web-apps-connections-open.json", "apps.connections.open", nil, s.AppToken(), nil, nil},
		{"web-users-info.json", "users.info", url.Values{"user": {"U1"}}, "", []string{"user"}, nil},
		{"web-users-list-page.json", "users.list", url.Values{"limit": {"1"}}, "", nil, nil},
		{"web-chat-postMessage.json", "chat.postMessage", url.Values{"channel": {dm}, "text": {"x"}}, "", []string{"message"}, []string{"attachments", "subtype", "username"}},
		{"web-chat-update.json", "chat.update", url.Values{"channel": {dm}, "ts": {ts}, "text": {"y"}}, "", []string{"message"}, nil},
		{"web-chat-postEphemeral.json", "chat.postEphemeral", url.Values{"channel": {"U1"}, "user": {"U1"}, "text": {"e"}}, "", nil, nil},
		{"web-conversations-open-return-im.json", "conversations.open", url.Values{"users": {"U1"}, "return_im": {"true"}}, "", []string{"channel"}, nil},
		{"web-conversations-info-im.json", "conversations.info", url.Values{"channel": {dm}, "include_locale": {"true"}}, "", []string{"channel"}, nil},
		{"web-conversations-members.json", "conversations.members", url.Values{"channel": {"C1"}}, "", nil, nil},
		{"web-views-publish.json", "views.publish", url.Values{"user_id": {"U1"}, "view": {home}}, "", []string{"view"}, nil},
		{"web-views-update.json", "views.update", url.Values{"view_id": {viewID}, "view": {modal(`,"submit":{"type":"plain_text","text":"Go"}`, input)}}, "", []string{"view"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var want map[string]any
			readJSON(t, tt.file, &want)
			tok := tt.token
			if tok == "" {
				tok = s.BotToken()
			}
			got := callTok(t, s, tt.method, tok, tt.form)
			if got["ok"] != true {
				t.Fatalf("%s = %v, want ok", tt.method, got)
			}
			if m := missing(want, got, tt.except...); len(m) > 0 {
				t.Errorf("%s lacks %v (has %v)", tt.method, m, keys(got))
			}
			for _, k := range tt.nested {
				w, _ := want[k].(map[string]any)
				g, _ := got[k].(map[string]any)
				if m := missing(w, g, tt.except...); len(m) > 0 {
					t.Errorf("%s.%s lacks %v", tt.method, k, m)
				}
			}
		})
	}
	var wantOpen map[string]any
	readJSON(t, "web-views-open.json", &wantOpen)
	if m := missing(wantOpen["view"].(map[string]any), opened["view"].(map[string]any)); len(m) > 0 {
		t.Errorf("views.open view lacks %v", m)
	}
}

func TestAuthErrors(t *testing.T) {
	s := newSim(t)
	tests := []struct {
		name, method, token, want string
	}{
		{"missing", "auth.test", "", "not_authed"},
		{"bad", "auth.test", "xoxb-wrong", "invalid_auth"},
		{"app token on chat", "chat.postMessage", "APP", "not_allowed_token_type"},
		{"bot token on connections.open", "apps.connections.open", "BOT", "not_allowed_token_type"},
		{"unknown method", "chat.frobnicate", "BOT", "unknown_method"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := map[string]string{"APP": s.AppToken(), "BOT": s.BotToken()}[tt.token]
			if tok == "" {
				tok = tt.token
			}
			got := callTok(t, s, tt.method, tok, nil)
			if got["ok"] != false || got["error"] != tt.want {
				t.Errorf("%s = %v, want ok:false error %s", tt.method, got, tt.want)
			}
		})
	}
	for _, c := range s.Calls() {
		for k := range c.Args {
			if k == "token" {
				t.Errorf("call log keeps the token: %+v", c)
			}
		}
	}
}

func TestChatWithSlackGo(t *testing.T) {
	s := newSim(t)
	s.AddChannel(slacksim.Channel{ID: "C2", Name: "general", Members: []string{"U1"}})
	a := api(s)
	ctx := ctxT(t)

	ch, ts, err := a.PostMessageContext(ctx, "U2", slack.MsgOptionText("hello", false),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "prompt", EventPayload: map[string]any{"occ": "k1"}}))
	if err != nil || ch != s.DMChannel("U2") {
		t.Fatalf("PostMessage(U2) = %s, %v; want DM %s", ch, err, s.DMChannel("U2"))
	}
	hist, err := a.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: ch, IncludeAllMetadata: true})
	if err != nil || len(hist.Messages) != 1 || hist.Messages[0].Metadata.EventPayload["occ"] != "k1" {
		t.Errorf("history = %+v, %v; want the message with metadata occ=k1", hist, err)
	}

	_, _, err = a.PostMessageContext(ctx, "C2", slack.MsgOptionText("x", false))
	if !isSlackErr(err, "not_in_channel") {
		t.Errorf("PostMessage(C2) = %v, want not_in_channel", err)
	}
	if _, _, _, err := a.JoinConversationContext(ctx, "C2"); err != nil {
		t.Fatalf("JoinConversation = %v", err)
	}
	if _, _, err = a.PostMessageContext(ctx, "C2", slack.MsgOptionText("x", false)); err != nil {
		t.Errorf("PostMessage after join = %v", err)
	}
	_, _, err = a.PostMessageContext(ctx, "C404", slack.MsgOptionText("x", false))
	if !isSlackErr(err, "channel_not_found") {
		t.Errorf("PostMessage(C404) = %v, want channel_not_found", err)
	}

	_, _, _, err = a.UpdateMessageContext(ctx, ch, ts, slack.MsgOptionText("edited", false))
	if m, _ := s.Message(ch, ts); err != nil || m.Text != "edited" || m.Edited != 1 {
		t.Errorf("UpdateMessage = %v, message %+v", err, m)
	}
	if _, err := a.PostEphemeralContext(ctx, "C2", "U2", slack.MsgOptionText("psst", false)); !isSlackErr(err, "user_not_in_channel") {
		t.Errorf("PostEphemeral(U2 in C2) = %v, want user_not_in_channel", err)
	}
	if _, err := a.PostEphemeralContext(ctx, "C2", "U1", slack.MsgOptionText("psst", false)); err != nil {
		t.Errorf("PostEphemeral = %v", err)
	}
	if got := s.Ephemerals("U1"); len(got) != 1 || got[0].Text != "psst" {
		t.Errorf("Ephemerals(U1) = %+v", got)
	}
	if _, _, err := a.DeleteMessageContext(ctx, ch, ts); err != nil {
		t.Errorf("DeleteMessage = %v", err)
	}
	if got := s.Messages(ch); len(got) != 0 {
		t.Errorf("Messages after delete = %+v", got)
	}

	_, _, err = a.PostMessageContext(ctx, ch, slack.MsgOptionBlocks(slack.NewSectionBlock(
		slack.NewTextBlockObject("mrkdwn", strings.Repeat("a", 3001), false, false), nil, nil)))
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) || se.Err != "invalid_blocks" || len(se.ResponseMetadata.Messages) == 0 ||
		se.ResponseMetadata.Messages[0] != "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]" {
		t.Errorf("PostMessage(3001 chars) = %#v, want invalid_blocks with Slack's message", err)
	}
}

func isSlackErr(err error, code string) bool {
	var se slack.SlackErrorResponse
	return errors.As(err, &se) && se.Err == code
}

func TestViewsTriggerRules(t *testing.T) {
	clock := newClock()
	s := newSim(t, func(o *slacksim.Options) { o.Now = clock.Now })
	a := api(s)
	ctx := ctxT(t)
	mv := slack.ModalViewRequest{Type: slack.VTModal, Title: slack.NewTextBlockObject("plain_text", "T", false, false),
		Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewDividerBlock()}}}
	if _, err := a.OpenViewContext(ctx, "123.456.abc", mv); !isSlackErr(err, "invalid_trigger_id") {
		t.Errorf("OpenView(unknown) = %v, want invalid_trigger_id", err)
	}
	r, _ := s.As("U1").Slash(ctx, "/coach", "x")
	if _, err := a.OpenViewContext(ctx, r.TriggerID, mv); err != nil {
		t.Fatalf("OpenView = %v", err)
	}
	if _, err := a.OpenViewContext(ctx, r.TriggerID, mv); !isSlackErr(err, "exchanged_trigger_id") {
		t.Errorf("OpenView(reused) = %v, want exchanged_trigger_id", err)
	}
	r2, _ := s.As("U1").Slash(ctx, "/coach", "x")
	clock.Advance(3*time.Second + time.Millisecond)
	if _, err := a.OpenViewContext(ctx, r2.TriggerID, mv); !isSlackErr(err, "expired_trigger_id") {
		t.Errorf("OpenView(expired) = %v, want expired_trigger_id", err)
	}
	long := mv
	long.Title = slack.NewTextBlockObject("plain_text", strings.Repeat("t", 25), false, false)
	r3, _ := s.As("U1").Slash(ctx, "/coach", "x")
	_, err := a.OpenViewContext(ctx, r3.TriggerID, long)
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) || se.Err != "invalid_arguments" || !strings.Contains(strings.Join(se.ResponseMetadata.Messages, " "), "/view/title") {
		t.Errorf("OpenView(long title) = %v, want invalid_arguments on /view/title", err)
	}
}

// clock is a settable clock for Options.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Now()} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
