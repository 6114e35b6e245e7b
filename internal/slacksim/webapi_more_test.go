package slacksim_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

func TestUsersWithSlackGo(t *testing.T) {
	s := newSim(t)
	for i := range 250 {
		s.AddUser(slacksim.User{ID: "UX" + string(rune('A'+i/26)) + string(rune('A'+i%26)), TZ: "UTC"})
	}
	a := api(s)
	ctx := ctxT(t)
	u, err := a.GetUserInfoContext(ctx, "U2")
	if err != nil {
		t.Fatalf("GetUserInfo = %v", err)
	}
	la, _ := time.LoadLocation("America/Los_Angeles")
	_, off := time.Now().In(la).Zone()
	if u.TZ != "America/Los_Angeles" || u.TZOffset != off || !strings.HasPrefix(u.TZLabel, "Pacific") {
		t.Errorf("GetUserInfo(U2) tz = %q %d %q, want America/Los_Angeles %d Pacific…", u.TZ, u.TZOffset, u.TZLabel, off)
	}
	if u1, _ := a.GetUserInfoContext(ctx, "U1"); !u1.IsAdmin || u1.Locale != "nl-NL" {
		t.Errorf("GetUserInfo(U1) = admin %v locale %q, want true nl-NL", u1.IsAdmin, u1.Locale)
	}
	if _, err := a.GetUserInfoContext(ctx, "U404"); !isSlackErr(err, "user_not_found") {
		t.Errorf("GetUserInfo(U404) = %v, want user_not_found", err)
	}
	all, err := a.GetUsersContext(ctx, slack.GetUsersOptionLimit(100))
	if err != nil || len(all) != 252 {
		t.Errorf("GetUsers = %d users, %v; want 252", len(all), err)
	}
	if n := len(s.CallsTo("users.list")); n != 3 {
		t.Errorf("users.list calls = %d, want 3 pages", n)
	}
}

func TestFileUpload(t *testing.T) {
	s := newSim(t)
	a := api(s)
	ctx := ctxT(t)
	data := "week,score\n1,3\n"
	f, err := a.UploadFileContext(ctx, slack.UploadFileParameters{Filename: "export.csv", FileSize: len(data),
		Content: data, Channel: "U1", Title: "Export"})
	if err != nil {
		t.Fatalf("UploadFile = %v", err)
	}
	got, ok := s.File(f.ID)
	if !ok || string(got.Data) != data || got.Title != "Export" || len(got.Channels) != 1 || got.Channels[0] != s.DMChannel("U1") {
		t.Errorf("File(%s) = %+v, %v", f.ID, got, ok)
	}
	if ms := s.Messages(s.DMChannel("U1")); len(ms) != 1 || len(ms[0].Files) != 1 {
		t.Errorf("DM messages = %+v, want one with the file", ms)
	}
}

func TestResponseURLUseLimit(t *testing.T) {
	clock := newClock()
	s := newSim(t, func(o *slacksim.Options) { o.Now = clock.Now })
	r, _ := s.As("U1").Slash(ctxT(t), "/coach", "x")
	for i := range 6 {
		body := strings.NewReader(`{"text":"r"}`)
		resp, err := http.Post(r.ResponseURL, "application/json", body)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := http.StatusOK
		if i == 5 {
			want = http.StatusNotFound
		}
		if resp.StatusCode != want {
			t.Errorf("use %d: status %d, want %d", i+1, resp.StatusCode, want)
		}
	}
	if got := len(s.Ephemerals("U1")); got != 5 {
		t.Errorf("ephemerals = %d, want 5", got)
	}
	clock.Advance(31 * time.Minute)
	r2, _ := s.As("U1").Slash(ctxT(t), "/coach", "x")
	clock.Advance(31 * time.Minute)
	if st := postJSON(t, r2.ResponseURL, `{"text":"late"}`); st != http.StatusNotFound {
		t.Errorf("expired response_url status %d, want 404", st)
	}
	if got := len(s.Ephemerals("U1")); got != 5 {
		t.Errorf("ephemerals = %d, want 5", got)
	}
}

func ackAll(_ context.Context, _ *slack.Client, _ socketmode.Event, ack func(any)) { ack(nil) }

func postJSON(t *testing.T, u, body string) int {
	t.Helper()
	resp, err := http.Post(u, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestResponseURLReplaceAndDelete(t *testing.T) {
	s := newSim(t)
	startBot(t, s, ackAll)
	ctx := ctxT(t)
	dm := s.DMChannel("U1")
	call(t, s, "chat.postMessage", url.Values{"channel": {dm}, "text": {"q"},
		"blocks": {`[{"type":"actions","elements":[` + button("ok", "OK", "1") + `]}]`}})
	msg := s.Messages(dm)[0]
	r, err := s.As("U1").Click(ctx, msg, "ok")
	if err != nil {
		t.Fatalf("Click = %v", err)
	}
	if st := postJSON(t, r.ResponseURL, `{"replace_original":true,"text":"answered"}`); st != http.StatusOK {
		t.Fatalf("replace_original status %d", st)
	}
	if m, err := r.WaitUpdate(ctx); err != nil || m.Text != "answered" || len(m.Blocks) != 0 {
		t.Errorf("after replace_original = %+v, %v", m, err)
	}
	if st := postJSON(t, r.ResponseURL, `{"response_type":"in_channel","text":"public"}`); st != http.StatusOK {
		t.Fatalf("in_channel status %d", st)
	}
	if ms := s.Messages(dm); len(ms) != 2 || ms[1].Text != "public" || ms[1].Ephemeral {
		t.Errorf("after in_channel = %+v", ms)
	}
	if st := postJSON(t, r.ResponseURL, `{"delete_original":true}`); st != http.StatusOK {
		t.Fatalf("delete_original status %d", st)
	}
	if m, err := r.WaitUpdate(ctx); err != nil || !m.Deleted {
		t.Errorf("after delete_original = %+v, %v", m, err)
	}
	if len(r.Responses()) != 3 {
		t.Errorf("Responses = %d, want 3", len(r.Responses()))
	}
}

func TestLookupByEmail(t *testing.T) {
	s := newSim(t)
	s.AddUser(slacksim.User{ID: "U3", Name: "cas", Email: "Cas@example.org"})
	a := api(s)
	if u, err := a.GetUserByEmailContext(ctxT(t), "cas@example.org"); err != nil || u.ID != "U3" {
		t.Errorf("GetUserByEmail = %+v, %v; want U3", u, err)
	}
	if _, err := a.GetUserByEmailContext(ctxT(t), "nobody@example.org"); !isSlackErr(err, "users_not_found") {
		t.Errorf("GetUserByEmail(nobody) = %v, want users_not_found", err)
	}
}

// Faults reach response_url posts too: a 5xx before or after the reply took
// effect, and an error answered 404 as an expired or used URL is.
func TestResponseURLFaults(t *testing.T) {
	s := newSim(t)
	startBot(t, s, ackAll)
	ctx := ctxT(t)
	dm := s.DMChannel("U1")
	call(t, s, "chat.postMessage", url.Values{"channel": {dm}, "text": {"q"},
		"blocks": {`[{"type":"actions","elements":[` + button("ok", "OK", "1") + `]}]`}})
	msg := s.Messages(dm)[0]
	r, err := s.As("U1").Click(ctx, msg, "ok")
	if err != nil {
		t.Fatalf("Click = %v", err)
	}
	s.FailNext(slacksim.ResponseURLMethod, 1, slacksim.Fault{Status: http.StatusBadGateway})
	s.FailNext(slacksim.ResponseURLMethod, 1, slacksim.Fault{Error: "expired_url"})
	s.FailNext(slacksim.ResponseURLMethod, 1, slacksim.Fault{Status: http.StatusInternalServerError, AfterProcessing: true})
	for _, want := range []int{http.StatusBadGateway, http.StatusNotFound} {
		if st := postJSON(t, r.ResponseURL, `{"replace_original":true,"text":"answered"}`); st != want {
			t.Errorf("post under a fault = %d, want %d", st, want)
		}
	}
	if m, _ := s.Message(dm, msg.TS); m.Edited != 0 {
		t.Errorf("a fault before processing edited the message")
	}
	if st := postJSON(t, r.ResponseURL, `{"replace_original":true,"text":"answered"}`); st != http.StatusInternalServerError {
		t.Errorf("post under a fault after processing = %d, want 500", st)
	}
	if m, _ := s.Message(dm, msg.TS); m.Text != "answered" {
		t.Errorf("a fault after processing left %q, want the reply applied", m.Text)
	}
	if st := postJSON(t, r.ResponseURL, `{"text":"again"}`); st != http.StatusOK {
		t.Errorf("post after the faults = %d, want 200", st)
	}
}
