package slackapp_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slackio"
	"github.com/leancoach/leancoach/internal/slacksim"
)

func plainRender(_ context.Context, o coach.Occurrence) (string, []slack.Block, error) {
	return "Time for " + string(o.Habit), []slack.Block{
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.PlainTextType, "Go to the stand-up", false, false), nil, nil),
	}, nil
}

// newSim starts a slacksim with two directors and returns a Poster on it.
func newSim(t *testing.T, opts slacksim.Options) (*slacksim.Server, *slackapp.Poster) {
	t.Helper()
	sim := slacksim.New(opts)
	t.Cleanup(sim.Close)
	sim.AddUser(slacksim.User{ID: "U1DIR", Name: "anna"})
	sim.AddUser(slacksim.User{ID: "U2DIR", Name: "bram"})
	sim.AddUser(slacksim.User{ID: "U3GONE", Name: "gone", Deleted: true})
	api := slack.New(sim.BotToken(), slack.OptionAPIURL(sim.APIURL()))
	return sim, slackapp.NewPoster(api, plainRender, slackapp.PosterOptions{Timeout: 5 * time.Second})
}

func occFor(d coach.UserID) coach.Occurrence {
	return coach.Occurrence{Key: coach.NewOccurrenceKey("s1", d, "2026-12-07"), Schedule: "s1", Director: d,
		Habit: coach.Standup, LocalDate: "2026-12-07", Due: time.Now(), StartedAt: time.Now()}
}

func TestPosterPostAndFind(t *testing.T) {
	sim, p := newSim(t, slacksim.Options{})
	ctx := t.Context()
	o := occFor("U1DIR")
	since := time.Now().Add(-time.Minute)
	ch, ts, err := p.Post(ctx, o, string(o.Key))
	if err != nil {
		t.Fatalf("Post = %v", err)
	}
	if ch != coach.ChannelID(sim.DMChannel("U1DIR")) || ts == "" {
		t.Errorf("Post = %s, %s; want the DM %s and a ts", ch, ts, sim.DMChannel("U1DIR"))
	}
	msgs := sim.Messages(string(ch))
	if len(msgs) != 1 {
		t.Fatalf("DM has %d messages, want 1", len(msgs))
	}
	var meta slack.SlackMetadata
	if err := json.Unmarshal(msgs[0].Metadata, &meta); err != nil || meta.EventType != slackapp.MetadataEventType || meta.EventPayload["occ"] != string(o.Key) {
		t.Errorf("message metadata = %s (%v), want event %s with occ %s", msgs[0].Metadata, err, slackapp.MetadataEventType, o.Key)
	}
	// A second prompt goes to the cached DM.
	if ch2, _, err := p.Post(ctx, o, string(o.Key)+"#r1"); err != nil || ch2 != ch {
		t.Errorf("second Post = %s, %v; want %s", ch2, err, ch)
	}

	tests := []struct {
		ref       string
		since     time.Time
		wantFound bool
	}{
		{string(o.Key), since, true},
		{string(o.Key) + "#r1", since, true},
		{string(o.Key) + "#r2", since, false},
		{"s1|U1DIR|2026-12-08", since, false},
		{string(o.Key), time.Now().Add(time.Hour), false},
	}
	for _, tt := range tests {
		gotCh, gotTS, found, err := p.Find(ctx, o, tt.ref, tt.since)
		if err != nil || found != tt.wantFound {
			t.Errorf("Find(%s, since %v) = %v, %v; want found %v", tt.ref, tt.since, found, err, tt.wantFound)
		}
		if tt.ref == string(o.Key) && found && (gotCh != ch || gotTS != ts) {
			t.Errorf("Find(%s) = %s %s, want %s %s", tt.ref, gotCh, gotTS, ch, ts)
		}
	}
}

// TestPosterFindOpensDM: after a restart the DM cache is empty; Find opens
// the DM and still finds the message a crashed process posted.
func TestPosterFindOpensDM(t *testing.T) {
	sim, p := newSim(t, slacksim.Options{})
	o := occFor("U2DIR")
	if _, _, err := p.Post(t.Context(), o, string(o.Key)); err != nil {
		t.Fatal(err)
	}
	api := slack.New(sim.BotToken(), slack.OptionAPIURL(sim.APIURL()))
	fresh := slackapp.NewPoster(api, plainRender, slackapp.PosterOptions{})
	if _, _, found, err := fresh.Find(t.Context(), o, string(o.Key), time.Now().Add(-time.Minute)); err != nil || !found {
		t.Errorf("Find on a fresh Poster = %v, %v; want found", found, err)
	}
	if n := len(sim.CallsTo("conversations.open")); n != 1 {
		t.Errorf("conversations.open calls = %d, want 1", n)
	}
}

func TestPosterErrors(t *testing.T) {
	tests := []struct {
		name      string
		director  coach.UserID
		fault     *slacksim.Fault
		permanent bool
		retry     bool
		posted    bool
	}{
		{name: "deleted user", director: "U3GONE", permanent: true},
		{name: "unknown user", director: "U9NOBODY", permanent: true},
		{name: "archived", director: "U1DIR", fault: &slacksim.Fault{Error: "is_archived"}, permanent: true},
		{name: "cannot dm bot", director: "U1DIR", fault: &slacksim.Fault{Error: "cannot_dm_bot"}, permanent: true},
		{name: "429", director: "U1DIR", fault: &slacksim.Fault{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second}, retry: true},
		{name: "ratelimited body", director: "U1DIR", fault: &slacksim.Fault{Error: "ratelimited"}, retry: true},
		{name: "500 before processing", director: "U1DIR", fault: &slacksim.Fault{Status: 500}},
		{name: "502 after processing", director: "U1DIR", fault: &slacksim.Fault{Status: 502, AfterProcessing: true}, posted: true},
		{name: "internal_error", director: "U1DIR", fault: &slacksim.Fault{Error: "internal_error"}},
		{name: "invalid_auth is not the recipient's fault", director: "U1DIR", fault: &slacksim.Fault{Error: "invalid_auth"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, p := newSim(t, slacksim.Options{})
			if tt.fault != nil {
				sim.FailNext("chat.postMessage", 1, *tt.fault)
			}
			o := occFor(tt.director)
			_, _, err := p.Post(t.Context(), o, string(o.Key))
			if err == nil {
				t.Fatal("Post = nil, want an error")
			}
			if got := slackio.IsPermanent(err); got != tt.permanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, got, tt.permanent)
			}
			wait, retry := slackio.RetryAfter(err)
			if retry != tt.retry || (retry && wait < time.Second) {
				t.Errorf("RetryAfter(%v) = %v, %v; want retry %v, at least 1s", err, wait, retry, tt.retry)
			}
			// The duck-typed methods the due-loop reads agree.
			var perm interface{ Permanent() bool }
			if got := errors.As(err, &perm) && perm.Permanent(); got != tt.permanent {
				t.Errorf("Permanent() of %v = %v, want %v", err, got, tt.permanent)
			}
			if tt.director == "U1DIR" {
				if n := len(sim.Messages(sim.DMChannel("U1DIR"))); (n == 1) != tt.posted {
					t.Errorf("messages in the DM = %d, want posted %v", n, tt.posted)
				}
			}
		})
	}
}

// TestPosterTimeout: a hanging Slack is an unclear outcome within the
// Poster's timeout, not a stuck sender.
func TestPosterTimeout(t *testing.T) {
	sim := slacksim.New(slacksim.Options{})
	t.Cleanup(sim.Close)
	sim.AddUser(slacksim.User{ID: "U1DIR"})
	sim.FailNext("chat.postMessage", 1, slacksim.Fault{Hang: true})
	api := slack.New(sim.BotToken(), slack.OptionAPIURL(sim.APIURL()))
	p := slackapp.NewPoster(api, plainRender, slackapp.PosterOptions{Timeout: 200 * time.Millisecond})
	o := occFor("U1DIR")
	_, _, err := p.Post(t.Context(), o, string(o.Key))
	if err == nil || slackio.IsPermanent(err) {
		t.Fatalf("Post to a hanging Slack = %v, want an unclear error", err)
	}
	if _, retry := slackio.RetryAfter(err); retry {
		t.Errorf("RetryAfter(%v) = true, want an unclear error", err)
	}
}

func TestClassifyRawErrors(t *testing.T) {
	tests := []struct {
		err       error
		permanent bool
		retry     time.Duration
	}{
		{slack.SlackErrorResponse{Err: "user_not_found"}, true, 0},
		{slack.SlackErrorResponse{Err: "account_inactive"}, true, 0},
		{slack.SlackErrorResponse{Err: "not_in_channel"}, true, 0},
		{slack.SlackErrorResponse{Err: "token_revoked"}, false, 0},
		{slack.SlackErrorResponse{Err: "ratelimited"}, false, 30 * time.Second},
		{&slack.RateLimitedError{RetryAfter: 7 * time.Second}, false, 7 * time.Second},
		{&slack.RateLimitedError{}, false, time.Second},
		{slack.StatusCodeError{Code: 429}, false, 30 * time.Second},
		{slack.StatusCodeError{Code: 503}, false, 0},
		{errors.New("connection reset by peer"), false, 0},
		{nil, false, 0},
	}
	for _, tt := range tests {
		if got := slackio.IsPermanent(tt.err); got != tt.permanent {
			t.Errorf("IsPermanent(%v) = %v, want %v", tt.err, got, tt.permanent)
		}
		got, ok := slackio.RetryAfter(tt.err)
		if got != tt.retry || ok != (tt.retry > 0) {
			t.Errorf("RetryAfter(%v) = %v, %v; want %v", tt.err, got, ok, tt.retry)
		}
	}
}
