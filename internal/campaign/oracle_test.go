package campaign_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
)

var day0 = time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)

func key(d coach.UserID, day int) coach.OccurrenceKey {
	return coach.NewOccurrenceKey("s1", d, day0.AddDate(0, 0, day).Format(time.DateOnly))
}

func prompt(k coach.OccurrenceKey, ts string) slacksim.Message {
	md, _ := json.Marshal(map[string]any{"event_type": "leancoach_prompt", "event_payload": map[string]any{"key": string(k)}})
	return slacksim.Message{Channel: "D1", TS: ts, BotID: "B0SIM0001", User: "U0SIMBOT1", Metadata: md, Source: "chat.postMessage"}
}

func occ(k coach.OccurrenceKey, day int, st coach.SendState, ts string, out coach.Outcome) coach.Occurrence {
	parts := strings.Split(string(k), "|")
	o := coach.Occurrence{Key: k, Schedule: "s1", Director: coach.UserID(parts[1]), Habit: coach.Gemba,
		LocalDate: parts[2], Due: day0.AddDate(0, 0, day), State: st, Channel: "D1", TS: ts}
	if out != "" {
		o.Answer = &coach.Answer{Outcome: out, By: o.Director}
	}
	return o
}

// history builds a consistent three-day history: three prompts sent, the
// first two answered done, the third not today.
func history() (campaign.History, campaign.Expect) {
	d := coach.UserID("U0DIR00000")
	h := campaign.History{Occurrences: map[coach.OccurrenceKey]coach.Occurrence{}}
	var e campaign.Expect
	outs := []coach.Outcome{coach.Done, coach.Done, coach.NotToday}
	for i, out := range outs {
		k, ts := key(d, i), fmt.Sprintf("100.%d", i)
		h.Messages = append(h.Messages, prompt(k, ts))
		h.Occurrences[k] = occ(k, i, coach.Sent, ts, out)
		env := fmt.Sprintf("E%d", i)
		h.Envelopes = append(h.Envelopes, slacksim.Envelope{ID: env, Status: slacksim.StatusAcked})
		e.Due = append(e.Due, campaign.Due{Key: k, Want: campaign.WantSent})
		e.Interactions = append(e.Interactions, campaign.Interaction{EnvelopeID: env, Key: k, Director: d, Habit: coach.Gemba, Outcome: out})
	}
	e.Now = day0.AddDate(0, 0, 5)
	e.Canaries = []string{campaign.CanaryBotToken}
	h.Logs = []byte(`{"level":"info","message":"leancoach started"}` + "\n")
	return h, e
}

// The oracle must pass a clean history and catch each kind of violation:
// a test of the test.
func TestCheck(t *testing.T) {
	d := coach.UserID("U0DIR00000")
	tests := []struct {
		name    string
		mutate  func(h *campaign.History, e *campaign.Expect)
		wantInv string // "" = clean
	}{
		{"clean", func(*campaign.History, *campaign.Expect) {}, ""},
		{"duplicate prompt", func(h *campaign.History, _ *campaign.Expect) {
			h.Messages = append(h.Messages, prompt(key(d, 1), "999.1"))
		}, "I2"},
		{"lost prompt", func(h *campaign.History, e *campaign.Expect) {
			k := key(d, 3)
			e.Due = append(e.Due, campaign.Due{Key: k, Want: campaign.WantSent})
			h.Occurrences[k] = occ(k, 3, coach.Sending, "", "")
		}, "I1"},
		{"missed where owed sent", func(h *campaign.History, e *campaign.Expect) {
			k := key(d, 3)
			e.Due = append(e.Due, campaign.Due{Key: k, Want: campaign.WantSent})
			h.Occurrences[k] = occ(k, 3, coach.Missed, "", "")
		}, "I1"},
		{"sent where owed missed", func(h *campaign.History, e *campaign.Expect) {
			e.Due[2].Want = campaign.WantMissed
		}, "I1"},
		{"missed as allowed", func(h *campaign.History, e *campaign.Expect) {
			k := key(d, 3)
			e.Due = append(e.Due, campaign.Due{Key: k, Want: campaign.WantSentOrMissed})
			h.Occurrences[k] = occ(k, 3, coach.Missed, "", "")
		}, ""},
		{"message without record", func(h *campaign.History, _ *campaign.Expect) {
			h.Messages = append(h.Messages, prompt(key(d, 9), "999.9"))
		}, "I1"},
		{"message without record midway", func(h *campaign.History, e *campaign.Expect) {
			e.Midway = true
			h.Messages = append(h.Messages, prompt(key(d, 9), "999.9"))
		}, "I1"},
		{"message still sending midway", func(h *campaign.History, e *campaign.Expect) {
			e.Midway = true
			o := h.Occurrences[key(d, 1)]
			o.State = coach.Sending
			h.Occurrences[key(d, 1)] = o
		}, ""},
		{"record points elsewhere", func(h *campaign.History, _ *campaign.Expect) {
			o := h.Occurrences[key(d, 0)]
			o.TS = "555.5"
			h.Occurrences[key(d, 0)] = o
		}, "I1"},
		{"unowed prompt when strict", func(h *campaign.History, e *campaign.Expect) {
			e.StrictPrompts = true
			e.Due = e.Due[:2]
		}, "I1"},
		{"acked answer not recorded", func(h *campaign.History, _ *campaign.Expect) {
			o := h.Occurrences[key(d, 1)]
			o.Answer = nil
			h.Occurrences[key(d, 1)] = o
		}, "I3"},
		{"acked answer recorded wrong", func(h *campaign.History, _ *campaign.Expect) {
			o := h.Occurrences[key(d, 2)]
			o.Answer = &coach.Answer{Outcome: coach.Done}
			h.Occurrences[key(d, 2)] = o
		}, "I3"},
		{"unacked answer need not be recorded", func(h *campaign.History, e *campaign.Expect) {
			h.Envelopes[1].Status = slacksim.StatusTimedOut
			o := h.Occurrences[key(d, 1)]
			o.Answer = nil
			h.Occurrences[key(d, 1)] = o
		}, ""},
		{"refused answer need not be recorded", func(h *campaign.History, e *campaign.Expect) {
			h.Replies = map[string]int{"E1": 1}
			o := h.Occurrences[key(d, 1)]
			o.Answer = nil
			h.Occurrences[key(d, 1)] = o
		}, ""},
		{"refused answer recorded anyway counts for the streak", func(h *campaign.History, e *campaign.Expect) {
			h.Replies = map[string]int{"E2": 1} // not today on day 2: told it failed, recorded
		}, ""},
		{"recorded outcome nobody tried", func(h *campaign.History, e *campaign.Expect) {
			h.Replies = map[string]int{"E2": 1}
			o := h.Occurrences[key(d, 2)]
			o.Answer = &coach.Answer{Outcome: coach.Done}
			h.Occurrences[key(d, 2)] = o
		}, "I3"},
		{"answer nobody gave", func(h *campaign.History, e *campaign.Expect) {
			e.Interactions = e.Interactions[:2]
		}, "I3"},
		{"panic in log", func(h *campaign.History, _ *campaign.Expect) {
			h.Logs = append(h.Logs, "panic: runtime error: index out of range\n"...)
		}, "I4"},
		{"data race in log", func(h *campaign.History, _ *campaign.Expect) {
			h.Logs = append(h.Logs, "WARNING: DATA RACE\n"...)
		}, "I4"},
		{"token in log", func(h *campaign.History, _ *campaign.Expect) {
			h.Logs = append(h.Logs, `{"token":"`+campaign.CanaryBotToken+`"}`+"\n"...)
		}, "I6"},
		{"goroutines grew", func(h *campaign.History, e *campaign.Expect) {
			e.Resources = &campaign.Resources{Goroutines: 10, FDs: 8, RSS: -1}
			h.After = &campaign.Resources{Goroutines: 40, FDs: 8, RSS: -1}
		}, "I5"},
		{"fds back", func(h *campaign.History, e *campaign.Expect) {
			e.Resources = &campaign.Resources{Goroutines: 10, FDs: 8, RSS: -1}
			h.After = &campaign.Resources{Goroutines: 12, FDs: 9, RSS: -1}
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, e := history()
			tt.mutate(&h, &e)
			r := campaign.Check(h, e)
			if tt.wantInv == "" {
				if !r.OK() {
					t.Fatalf("Check = %s, want no violation", r)
				}
				return
			}
			found := false
			for _, v := range r.Violations {
				found = found || strings.HasPrefix(v, tt.wantInv+":")
			}
			if !found {
				t.Fatalf("Check = %s, want a %s violation", r, tt.wantInv)
			}
		})
	}
}

// The streak check compares the database's streak with the reference model
// over what the driver did: a streak that matches the database but not what
// the user did must be caught.
func TestCheckStreakAgainstReference(t *testing.T) {
	h, e := history()
	r := campaign.Check(h, e)
	if !r.OK() || r.StreaksChecked != 1 {
		t.Fatalf("Check = %s, want clean with 1 streak checked", r)
	}
	cur, best := campaign.ReferenceStreak(occsOf(h), answersOf(e), nil, e.Now)
	if cur != 0 || best != 2 {
		t.Errorf("ReferenceStreak = %d, %d, want 0, 2 (done, done, not today)", cur, best)
	}
	// The user's last answer was done, the database says not today.
	e.Interactions[2].Outcome = coach.Done
	r = campaign.Check(h, e)
	if r.OK() {
		t.Fatalf("Check = %s, want an I3 violation for the wrong outcome and streak", r)
	}
}

func occsOf(h campaign.History) []coach.Occurrence {
	var out []coach.Occurrence
	for _, o := range h.Occurrences {
		out = append(out, o)
	}
	return out
}

func answersOf(e campaign.Expect) map[coach.OccurrenceKey]campaign.Interaction {
	m := map[coach.OccurrenceKey]campaign.Interaction{}
	for _, in := range e.Interactions {
		m[in.Key] = in
	}
	return m
}

func TestRefOf(t *testing.T) {
	tests := []struct {
		md   string
		want string
	}{
		{`{"event_type":"leancoach_prompt","event_payload":{"key":"s1|U0A|2026-11-02"}}`, "s1|U0A|2026-11-02"},
		{`{"event_type":"x","event_payload":{"ref":"s1|U0A|2026-11-02#r1","n":1}}`, "s1|U0A|2026-11-02#r1"},
		{`{"event_type":"x","event_payload":{"other":"hello"}}`, ""},
		{`not json`, ""},
		{``, ""},
	}
	for _, tt := range tests {
		m := slacksim.Message{Metadata: json.RawMessage(tt.md)}
		if got := campaign.RefOf(m); got != tt.want {
			t.Errorf("RefOf(%s) = %q, want %q", tt.md, got, tt.want)
		}
	}
}
