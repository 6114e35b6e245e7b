package campaign

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// Want is what a scenario owes for one due occurrence (I1).
type Want int

const (
	// WantSent: due while the bot could send it (or within the catch-up
	// window after downtime): exactly one message, recorded Sent.
	WantSent Want = iota + 1
	// WantMissed: due while the bot was down, longer ago than the catch-up
	// window when it came back: no message, recorded Missed.
	WantMissed
	// WantSentOrMissed: the downtime ended close to the window's edge, so
	// either is right, but exactly one of them.
	WantSentOrMissed
	// WantFailed: Slack refused it for good: no message, recorded Failed.
	WantFailed
)

func (w Want) String() string {
	switch w {
	case WantSent:
		return "sent"
	case WantMissed:
		return "missed"
	case WantSentOrMissed:
		return "sent or missed"
	case WantFailed:
		return "failed"
	}
	return fmt.Sprintf("Want(%d)", int(w))
}

// Due is one occurrence a scenario owes.
type Due struct {
	Key  coach.OccurrenceKey
	Want Want
}

// Interaction is one answer the driver gave: a click or a modal submission
// on the prompt of Key, delivered as envelope EnvelopeID. I3 holds when
// every one that was acked and not answered with an error reply (a refusal
// the user sees) is recorded.
type Interaction struct {
	EnvelopeID string
	Key        coach.OccurrenceKey
	Director   coach.UserID
	Habit      coach.Habit
	Outcome    coach.Outcome // Done or NotToday
}

// Expect is what the scenario did and owes; the oracle compares it with the
// History.
type Expect struct {
	Due          []Due
	Interactions []Interaction
	// Canaries are texts that must never appear in a log: the tokens and the
	// users' free text the scenario typed (I6).
	Canaries []string
	// Now is the end of the run on the bot's clock, for streaks.
	Now time.Time
	// Commands are the envelope ids of slash commands the driver typed:
	// each one acked must have been answered exactly once (I3).
	Commands []string
	// StrictPrompts makes any prompt message whose key is not in Due a
	// violation (nothing is sent that was not owed).
	StrictPrompts bool
	// Midway checks a snapshot taken while sends may be unfinished: a
	// message whose record still says Sending is then fine (the mark-sent
	// step, or the reconcile after a crash, has yet to run); a message with
	// no record at all is still a violation.
	Midway bool
	// Resources, when set, are the bot's figures before the run; History.After
	// must then be back within Slack of them (I5).
	Resources *Resources
}

// History is what a run left behind.
type History struct {
	// Messages are every message in every channel, as the local Slack stores
	// them (bot posts carry their metadata).
	Messages  []slacksim.Message
	Envelopes []slacksim.Envelope
	// Replies counts the replies (response_url posts or ack payloads) per
	// envelope id.
	Replies map[string]int
	// Occurrences is the database's content after the bot stopped.
	Occurrences map[coach.OccurrenceKey]coach.Occurrence
	Leave       map[coach.UserID][]coach.Period
	// Logs are everything the bot wrote (stdout and stderr).
	Logs []byte
	// After are the bot's figures after the run, for I5.
	After *Resources
}

// Report is the oracle's verdict and the figures it counted.
type Report struct {
	Violations []string

	PromptsOwed       int
	PromptsSent       int // owed and found exactly once
	PromptsMissed     int // recorded missed as allowed
	PromptsLost       int
	PromptsDuplicated int // extra messages beyond the first, over all keys
	AckedInteractions int
	Recorded          int // acked interactions found in the database
	Refused           int // acked interactions the bot answered with an error
	// ToldFailedButRecorded counts occurrences whose answer is recorded
	// although the user's attempt was answered with an error.
	ToldFailedButRecorded int
	AckedCommands         int
	AnsweredCommands      int // acked commands answered exactly once
	StreaksChecked        int
}

// OK reports whether every invariant held.
func (r Report) OK() bool { return len(r.Violations) == 0 }

func (r *Report) violate(inv, format string, args ...any) {
	r.Violations = append(r.Violations, inv+": "+fmt.Sprintf(format, args...))
}

// String summarises the report, violations first (at most 20 of them).
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "owed %d, sent %d, missed %d, lost %d, duplicated %d; interactions acked %d, recorded %d, refused %d (of which recorded anyway %d); commands acked %d, answered once %d; streaks checked %d",
		r.PromptsOwed, r.PromptsSent, r.PromptsMissed, r.PromptsLost, r.PromptsDuplicated,
		r.AckedInteractions, r.Recorded, r.Refused, r.ToldFailedButRecorded, r.AckedCommands, r.AnsweredCommands, r.StreaksChecked)
	for i, v := range r.Violations {
		if i == 20 {
			fmt.Fprintf(&b, "\n  … and %d more", len(r.Violations)-20)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(v)
	}
	return b.String()
}

// Check runs the oracle: I1–I4 and I6 always (not I3 for a Midway
// snapshot), I5 when e.Resources and h.After are both set.
func Check(h History, e Expect) Report {
	var r Report
	posts := promptPosts(h.Messages)
	checkPrompts(&r, h, e, posts)
	checkLogs(&r, h.Logs, e.Canaries)
	if e.Midway {
		return r
	}
	checkInteractions(&r, h, e)
	checkCommands(&r, h, e)
	if e.Resources != nil && h.After != nil {
		if msg := e.Resources.Compare(*h.After); msg != "" {
			r.violate("I5", "%s", msg)
		}
	}
	return r
}

// promptPosts groups the bot's messages by the reference in their metadata.
func promptPosts(msgs []slacksim.Message) map[string][]slacksim.Message {
	out := map[string][]slacksim.Message{}
	for _, m := range msgs {
		if !m.IsBot() || m.Ephemeral {
			continue
		}
		if ref := RefOf(m); ref != "" {
			out[ref] = append(out[ref], m)
		}
	}
	return out
}

// RefOf returns the occurrence key (or reminder reference, key+"#rN") a bot
// message carries in its metadata, or "" when it carries none. It accepts
// any string field of event_payload that has the shape of a key, so that it
// does not depend on the field's name.
func RefOf(m slacksim.Message) string {
	if len(m.Metadata) == 0 {
		return ""
	}
	var md struct {
		Payload map[string]any `json:"event_payload"`
	}
	if json.Unmarshal(m.Metadata, &md) != nil {
		return ""
	}
	names := make([]string, 0, len(md.Payload))
	for k := range md.Payload {
		names = append(names, k)
	}
	sort.Strings(names) // deterministic when several fields qualify
	for _, k := range names {
		if s, ok := md.Payload[k].(string); ok && looksLikeRef(s) {
			return s
		}
	}
	return ""
}

// looksLikeRef accepts "schedule|U…|YYYY-MM-DD" with an optional ".n" or
// "#rN" suffix.
func looksLikeRef(s string) bool {
	parts := strings.Split(s, "|")
	return len(parts) == 3 && parts[0] != "" && strings.HasPrefix(parts[1], "U") && len(parts[2]) >= len("2006-01-02")
}

func checkPrompts(r *Report, h History, e Expect, posts map[string][]slacksim.Message) {
	owed := map[coach.OccurrenceKey]Want{}
	for _, d := range e.Due {
		owed[d.Key] = d.Want
	}
	r.PromptsOwed = len(owed)

	// I2: at most one message per reference, whatever the reference.
	for _, ref := range sortedKeys(posts) {
		ms := posts[ref]
		if len(ms) > 1 {
			r.PromptsDuplicated += len(ms) - 1
			r.violate("I2", "%d messages for %s (ts %s)", len(ms), ref, tsList(ms))
		}
		key := coach.OccurrenceKey(ref)
		if i := strings.Index(ref, "#"); i >= 0 {
			key = coach.OccurrenceKey(ref[:i])
		}
		o, ok := h.Occurrences[key]
		switch {
		case !ok:
			// Fail closed: nothing is posted without its record.
			r.violate("I1", "message for %s has no record in the database", ref)
		case e.Midway && o.State == coach.Sending:
		case key == coach.OccurrenceKey(ref) && o.State != coach.Sent:
			r.violate("I1", "message for %s but the record says %s", ref, o.State)
		case key == coach.OccurrenceKey(ref) && !slices.ContainsFunc(ms, func(m slacksim.Message) bool { return m.TS == o.TS }):
			r.violate("I1", "record of %s points at ts %q, not at the message posted (%s)", ref, o.TS, tsList(ms))
		}
		if _, isOwed := owed[key]; e.StrictPrompts && !isOwed && key == coach.OccurrenceKey(ref) {
			r.violate("I1", "prompt %s was sent but not owed", ref)
		}
	}

	// I1: every owed occurrence reached the state it is owed.
	for _, k := range sortedKeys(owed) {
		want := owed[k]
		n := len(posts[string(k)])
		o, recorded := h.Occurrences[k]
		state := coach.SendState("absent")
		if recorded {
			state = o.State
		}
		sent := n >= 1 && (state == coach.Sent || e.Midway && state == coach.Sending)
		missed := n == 0 && state == coach.Missed
		switch {
		case want == WantSent && sent, want == WantSentOrMissed && sent:
			r.PromptsSent++
		case want == WantMissed && missed, want == WantSentOrMissed && missed:
			r.PromptsMissed++
		case want == WantFailed && n == 0 && state == coach.Failed:
		default:
			if n == 0 && want != WantFailed {
				r.PromptsLost++
			}
			r.violate("I1", "%s: want %s, got %d message(s) and state %s", k, want, n, state)
		}
	}
}

func checkInteractions(r *Report, h History, e Expect) {
	status := map[string]string{}
	for _, env := range h.Envelopes {
		status[env.ID] = env.Status
	}
	// An acked interaction the bot answered with a reply (an ephemeral
	// error) was refused as far as the user knows; it may still have been
	// recorded (the answer committed, then a later step failed). The first
	// accepted answer (acked, no reply) of each occurrence is the one that
	// counts; later ones must change nothing.
	want := map[coach.OccurrenceKey]Interaction{}
	tried := map[coach.OccurrenceKey][]Interaction{}
	for _, in := range e.Interactions {
		tried[in.Key] = append(tried[in.Key], in)
		if status[in.EnvelopeID] != slacksim.StatusAcked {
			continue
		}
		r.AckedInteractions++
		if h.Replies[in.EnvelopeID] > 0 {
			r.Refused++
			continue
		}
		if _, ok := want[in.Key]; !ok {
			want[in.Key] = in
		}
	}
	for _, k := range sortedKeys(want) {
		in := want[k]
		o, ok := h.Occurrences[k]
		switch {
		case !ok:
			r.violate("I3", "acked %s on %s, but the occurrence is not in the database", in.Outcome, k)
		case o.Answer == nil:
			r.violate("I3", "acked %s on %s, but no answer is recorded", in.Outcome, k)
		case o.Answer.Outcome != in.Outcome:
			r.violate("I3", "acked %s on %s, but %s is recorded", in.Outcome, k, o.Answer.Outcome)
		default:
			r.Recorded++
		}
	}
	// Answers nobody gave: the database says a person answered an
	// occurrence with an outcome none of the driver's attempts on it had.
	// An attempt that was refused or never acked may have been recorded:
	// then it counts for the streak, and a refused one that was recorded
	// is reported (the user was told it failed).
	counted := map[coach.OccurrenceKey]Interaction{}
	for k, in := range want {
		counted[k] = in
	}
	for _, k := range sortedKeys(h.Occurrences) {
		o := h.Occurrences[k]
		if o.Answer == nil || (o.Answer.Outcome != coach.Done && o.Answer.Outcome != coach.NotToday) || len(e.Interactions) == 0 {
			continue
		}
		if _, ok := want[k]; ok {
			continue
		}
		i := slices.IndexFunc(tried[k], func(in Interaction) bool { return in.Outcome == o.Answer.Outcome })
		if i < 0 {
			r.violate("I3", "%s is recorded %s but nobody answered it so", k, o.Answer.Outcome)
			continue
		}
		in := tried[k][i]
		counted[k] = in
		if status[in.EnvelopeID] == slacksim.StatusAcked && h.Replies[in.EnvelopeID] > 0 {
			r.ToldFailedButRecorded++
		}
	}
	checkStreaks(r, h, e, counted)
}

// checkCommands: every acked slash command got exactly one reply.
func checkCommands(r *Report, h History, e Expect) {
	status := map[string]string{}
	for _, env := range h.Envelopes {
		status[env.ID] = env.Status
	}
	for _, id := range e.Commands {
		if status[id] != slacksim.StatusAcked {
			continue
		}
		r.AckedCommands++
		switch n := h.Replies[id]; n {
		case 1:
			r.AnsweredCommands++
		default:
			r.violate("I3", "slash command %s acked and answered %d times, want once", id, n)
		}
	}
}

// checkStreaks compares coach.Streak over the database with the reference
// model over what the driver did, for every director and habit the driver
// answered.
func checkStreaks(r *Report, h History, e Expect, answers map[coach.OccurrenceKey]Interaction) {
	type dh struct {
		d coach.UserID
		h coach.Habit
	}
	groups := map[dh][]coach.Occurrence{}
	for _, o := range h.Occurrences {
		groups[dh{o.Director, o.Habit}] = append(groups[dh{o.Director, o.Habit}], o)
	}
	touched := map[dh]bool{}
	for _, in := range answers {
		touched[dh{in.Director, in.Habit}] = true
	}
	keys := make([]dh, 0, len(touched))
	for k := range touched {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].d != keys[j].d {
			return keys[i].d < keys[j].d
		}
		return keys[i].h < keys[j].h
	})
	for _, g := range keys {
		occs := groups[g]
		leave := h.Leave[g.d]
		gotCur, gotBest := coach.Streak(occs, leave, e.Now)
		wantCur, wantBest := ReferenceStreak(occs, answers, leave, e.Now)
		r.StreaksChecked++
		if gotCur != wantCur || gotBest != wantBest {
			r.violate("I3", "streak of %s/%s = %d (best %d), reference model says %d (best %d)",
				g.d, g.h, gotCur, gotBest, wantCur, wantBest)
		}
	}
}

// ReferenceStreak is the independent model of product.md "Streaks": walk
// the occurrences due by now in due order; an answer the driver gave decides
// (done counts, not today breaks); without one, a prompt never sent because
// the bot was down (missed) or left unanswered until expiry breaks; failed
// sends, open prompts and occurrences due on leave pass over. It takes the
// outcomes from the driver, not from the database, so a wrongly recorded
// answer shows up as a difference.
func ReferenceStreak(occs []coach.Occurrence, answers map[coach.OccurrenceKey]Interaction, leave []coach.Period, now time.Time) (current, best int) {
	sorted := slices.Clone(occs)
	slices.SortStableFunc(sorted, func(a, b coach.Occurrence) int { return a.Due.Compare(b.Due) })
	for _, o := range sorted {
		if o.Due.After(now) || onLeave(o.Due, leave) {
			continue
		}
		if in, ok := answers[o.Key]; ok {
			if in.Outcome == coach.Done {
				current++
				best = max(best, current)
			} else {
				current = 0
			}
			continue
		}
		switch {
		case o.State == coach.Failed:
		case o.State == coach.Missed, o.Answer != nil && o.Answer.Outcome == coach.Expired:
			current = 0
		}
	}
	return current, best
}

func onLeave(t time.Time, leave []coach.Period) bool {
	for _, p := range leave {
		if !t.Before(p.From) && t.Before(p.Until) {
			return true
		}
	}
	return false
}

// checkLogs is I4 (no panic, no data race, no fatal error) and I6 (no
// canary).
func checkLogs(r *Report, logs []byte, canaries []string) {
	lower := bytes.ToLower(logs)
	for _, bad := range []string{"panic", "data race", "fatal error:"} {
		if i := bytes.Index(lower, []byte(bad)); i >= 0 {
			r.violate("I4", "log contains %q: %s", bad, excerpt(logs, i))
		}
	}
	for _, c := range canaries {
		if c == "" {
			continue
		}
		if i := bytes.Index(logs, []byte(c)); i >= 0 {
			r.violate("I6", "log contains the canary %.12q…: %s", c, excerpt(logs, i))
		}
	}
}

// excerpt returns the log line around byte i, shortened, for a violation.
func excerpt(b []byte, i int) string {
	start := bytes.LastIndexByte(b[:i], '\n') + 1
	end := bytes.IndexByte(b[i:], '\n')
	if end < 0 {
		end = len(b)
	} else {
		end += i
	}
	line := string(b[start:end])
	if len(line) > 300 {
		line = line[:300] + "…"
	}
	return line
}

func tsList(ms []slacksim.Message) string {
	ts := make([]string, len(ms))
	for i, m := range ms {
		ts[i] = m.Channel + "/" + m.TS
	}
	return strings.Join(ts, ",")
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
