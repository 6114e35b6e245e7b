package coach_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/store"
)

const (
	admin    coach.UserID    = "UADMIN1"
	director coach.UserID    = "UDIR001"
	other    coach.UserID    = "UOTHER1"
	leader   coach.UserID    = "ULEAD01"
	leader2  coach.UserID    = "ULEAD02"
	kudosCh  coach.ChannelID = "CKUDOS1"
)

// fixture is a Service over a real bbolt store, with hand-written stand-ins
// for Slack.
type fixture struct {
	svc   *coach.Service
	db    *store.DB
	clock *clock
	msg   *messenger
	dir   directory
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// messenger records what the service asked to do in Slack.
type messenger struct {
	mu      sync.Mutex
	kudos   []coach.Kudos
	joinErr error
	postErr error
	joined  []coach.ChannelID
}

func (m *messenger) PostKudos(_ context.Context, k coach.Kudos) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.postErr != nil {
		return "", m.postErr
	}
	m.kudos = append(m.kudos, k)
	return fmt.Sprintf("1700000000.%06d", len(m.kudos)), nil
}

func (m *messenger) JoinChannel(_ context.Context, ch coach.ChannelID) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.joinErr != nil {
		return m.joinErr
	}
	m.joined = append(m.joined, ch)
	return nil
}

func (m *messenger) posted() []coach.Kudos {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.kudos)
}

type directory map[coach.UserID]coach.Profile

func (d directory) Profile(_ context.Context, id coach.UserID) (coach.Profile, error) {
	if p, ok := d[id]; ok {
		return p, nil
	}
	return coach.Profile{ID: id}, nil
}

// prompter stands in for internal/schedule: it records the occurrence and
// marks it sent to the director's DM.
type prompter struct{ db *store.DB }

func (p prompter) Deliver(ctx context.Context, o coach.Occurrence) (coach.Occurrence, error) {
	o.State = coach.Sending
	got, created, err := p.db.CreateOccurrence(ctx, o)
	if err != nil {
		return coach.Occurrence{}, err
	}
	if !created {
		return got, coach.Errorf(coach.ECONFLICT, "test.delivered")
	}
	return p.db.UpdateOccurrence(ctx, o.Key, func(x *coach.Occurrence) error {
		x.State, x.Channel, x.TS, x.SentAt = coach.Sent, coach.ChannelID("D"+string(o.Director)[1:]), "1700000000.000100", o.Due
		return nil
	})
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "coach.db"), store.Options{})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	f := &fixture{db: db, clock: &clock{now: time.Date(2026, 12, 7, 8, 45, 0, 0, time.UTC)}, msg: &messenger{},
		dir: directory{director: {ID: director, TZ: "Europe/Amsterdam"}, leader: {ID: leader, Name: "Lee"}}}
	f.svc, err = coach.NewService(coach.ServiceConfig{
		Store: db, Prompter: prompter{db}, Directory: f.dir, Messenger: f.msg, Clock: f.clock,
		IsAdmin:   func(_ context.Context, u coach.UserID) (bool, error) { return u == admin, nil },
		DefaultTZ: time.UTC,
		Pick:      func(int) int { return 0 },
	})
	if err != nil {
		t.Fatalf("NewService: %v", err)
	}
	// The profiles Slack gave at send time, as the bot caches them.
	for _, p := range f.dir {
		if err := db.PutProfile(t.Context(), p); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// withDirector registers the director and the kudos channel.
func (f *fixture) withDirector(t testing.TB) *fixture {
	t.Helper()
	if _, err := f.svc.AddDirector(t.Context(), admin, director, []coach.UserID{leader}); err != nil {
		t.Fatalf("AddDirector: %v", err)
	}
	if _, err := f.svc.SetKudosChannel(t.Context(), admin, kudosCh); err != nil {
		t.Fatalf("SetKudosChannel: %v", err)
	}
	return f
}

func (f *fixture) send(t *testing.T, h coach.Habit) coach.Occurrence {
	t.Helper()
	o, err := f.svc.Send(t.Context(), admin, h, director)
	if err != nil {
		t.Fatalf("Send(%s): %v", h, err)
	}
	return o
}

func (f *fixture) stored(t *testing.T, k coach.OccurrenceKey) coach.Occurrence {
	t.Helper()
	o, err := f.db.Occurrence(t.Context(), k)
	if err != nil {
		t.Fatalf("Occurrence(%s): %v", k, err)
	}
	return o
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := coach.ErrorCode(err); got != code {
		t.Fatalf("%s error %v (code %q), want code %q", what, err, got, code)
	}
}

func TestDirectors(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()

	_, err := f.svc.AddDirector(ctx, other, director, []coach.UserID{leader})
	wantCode(t, "AddDirector by a non-admin", err, coach.EFORBIDDEN)
	if ds, _ := f.db.Directors(ctx); len(ds) != 0 {
		t.Fatalf("after a refused AddDirector, Directors = %v, want none", ds)
	}

	if _, err := f.svc.AddDirector(ctx, admin, director, []coach.UserID{leader}); err != nil {
		t.Fatalf("AddDirector: %v", err)
	}
	d, err := f.svc.AddDirector(ctx, admin, director, []coach.UserID{leader2, leader})
	if err != nil {
		t.Fatalf("AddDirector again: %v", err)
	}
	if want := []coach.UserID{leader, leader2}; !slices.Equal(d.Leaders, want) {
		t.Errorf("AddDirector again: leaders %v, want %v", d.Leaders, want)
	}
	_, err = f.svc.AddDirector(ctx, admin, director, []coach.UserID{director})
	wantCode(t, "AddDirector as own leader", err, coach.EINVALID)

	_, err = f.svc.Directors(ctx, other)
	wantCode(t, "Directors by a non-admin", err, coach.EFORBIDDEN)
	ds, err := f.svc.Directors(ctx, admin)
	if err != nil || len(ds) != 1 || ds[0].ID != director {
		t.Fatalf("Directors = %v, %v; want [%s]", ds, err, director)
	}

	wantCode(t, "RemoveDirector by a non-admin", f.svc.RemoveDirector(ctx, other, director), coach.EFORBIDDEN)
	if err := f.svc.RemoveDirector(ctx, admin, director); err != nil {
		t.Fatalf("RemoveDirector: %v", err)
	}
	wantCode(t, "RemoveDirector twice", f.svc.RemoveDirector(ctx, admin, director), coach.ENOTFOUND)

	log, err := f.db.AuditLog(ctx, 10)
	if err != nil || len(log) != 3 {
		t.Fatalf("AuditLog = %v, %v; want 3 entries (add, add, remove)", log, err)
	}
}

func TestSetKudosChannel(t *testing.T) {
	tests := []struct {
		name       string
		joinErr    error
		wantCode   string
		wantJoined bool
		wantSet    string
	}{
		{"joins", nil, "", true, string(kudosCh)},
		{"private channel", coach.Errorf(coach.EFORBIDDEN, "x"), "", false, string(kudosCh)},
		{"slack down", fmt.Errorf("join: timeout"), coach.EINTERNAL, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.msg.joinErr = tt.joinErr
			res, err := f.svc.SetKudosChannel(t.Context(), admin, kudosCh)
			wantCode(t, "SetKudosChannel", err, tt.wantCode)
			if res.Joined != tt.wantJoined {
				t.Errorf("SetKudosChannel joined = %v, want %v", res.Joined, tt.wantJoined)
			}
			if got, _ := f.db.Setting(t.Context(), coach.SettingKudosChannel); got != tt.wantSet {
				t.Errorf("kudos channel setting = %q, want %q", got, tt.wantSet)
			}
		})
	}
	f := newFixture(t)
	_, err := f.svc.SetKudosChannel(t.Context(), other, kudosCh)
	wantCode(t, "SetKudosChannel by a non-admin", err, coach.EFORBIDDEN)
	if len(f.msg.joined) != 0 {
		t.Errorf("a refused SetKudosChannel joined %v", f.msg.joined)
	}
}

func TestSend(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	_, err := f.svc.Send(ctx, admin, coach.Standup, director)
	wantCode(t, "Send to a non-director", err, coach.ENOTFOUND)
	f.withDirector(t)
	_, err = f.svc.Send(ctx, other, coach.Standup, director)
	wantCode(t, "Send by a non-admin", err, coach.EFORBIDDEN)

	// 08:45 UTC is 09:45 in Amsterdam, the same local date.
	o1 := f.send(t, coach.Standup)
	o2 := f.send(t, coach.Standup)
	if want := coach.OccurrenceKey("send|UDIR001|2026-12-07.1"); o1.Key != want {
		t.Errorf("first Send key = %s, want %s", o1.Key, want)
	}
	if want := coach.OccurrenceKey("send|UDIR001|2026-12-07.2"); o2.Key != want {
		t.Errorf("second Send key = %s, want %s", o2.Key, want)
	}
	if o1.State != coach.Sent || o1.LocalDate != "2026-12-07" || o1.Schedule != coach.AdHoc {
		t.Errorf("Send = %+v, want sent ad hoc on 2026-12-07", o1)
	}

	// Late evening UTC is already tomorrow in Amsterdam.
	f.clock.Set(time.Date(2026, 12, 7, 23, 30, 0, 0, time.UTC))
	if o := f.send(t, coach.Standup); o.LocalDate != "2026-12-08" || !strings.HasSuffix(string(o.Key), "2026-12-08.1") {
		t.Errorf("Send at 00:30 local = %s (%s), want the local date 2026-12-08", o.Key, o.LocalDate)
	}

	q := f.send(t, coach.Question)
	if _, ok := coach.LookupQuestion(q.QuestionID); !ok {
		t.Fatalf("Send(question) QuestionID = %q, want a library question", q.QuestionID)
	}
	asked, _ := f.db.AskedQuestions(ctx, director)
	if !slices.Equal(asked, []string{q.QuestionID}) {
		t.Errorf("asked questions = %v, want [%s]", asked, q.QuestionID)
	}
}

func TestAnswer(t *testing.T) {
	f := newFixture(t).withDirector(t)
	ctx := t.Context()
	o := f.send(t, coach.Standup)

	_, err := f.svc.Answer(ctx, other, o.Key, coach.AnswerInput{Outcome: coach.Done})
	wantCode(t, "Answer by another user", err, coach.EFORBIDDEN)
	if got := f.stored(t, o.Key); got.Answer != nil {
		t.Fatalf("after a refused answer, Answer = %+v, want none", got.Answer)
	}
	_, err = f.svc.Prompt(ctx, other, o.Key)
	wantCode(t, "Prompt by another user", err, coach.EFORBIDDEN)

	in := coach.AnswerInput{Outcome: coach.Done, Observation: " Team solved\u202e it <!here> ", FeedbackGiven: true}
	got, err := f.svc.Answer(ctx, director, o.Key, in)
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	a := f.stored(t, o.Key).Answer
	if a == nil || a.Outcome != coach.Done || !a.FeedbackGiven || a.By != director || a.Observation != "Team solved it <!here>" {
		t.Fatalf("stored answer = %+v, want done with feedback and the cleaned observation", a)
	}
	if got.Answer == nil || got.Answer.Outcome != coach.Done || got.Streak != 1 || got.Lang != i18n.EN {
		t.Errorf("Answer returned %+v, want the answered occurrence with streak 1, in English", got)
	}
	if got.Zone == nil || got.Zone.String() != "Europe/Amsterdam" {
		t.Errorf("Answer zone = %v, want the cached profile's", got.Zone)
	}

	_, err = f.svc.Answer(ctx, director, o.Key, coach.AnswerInput{Outcome: coach.NotToday})
	wantCode(t, "a second Answer", err, coach.ECONFLICT)
	if a := f.stored(t, o.Key).Answer; a.Outcome != coach.Done {
		t.Errorf("after a second answer the outcome = %s, want done", a.Outcome)
	}
	_, err = f.svc.Prompt(ctx, director, o.Key)
	wantCode(t, "Prompt of an answered prompt", err, coach.ECONFLICT)

	_, err = f.svc.Answer(ctx, director, "send|UDIR001|2026-01-01.1", coach.AnswerInput{Outcome: coach.Done})
	wantCode(t, "Answer of an unknown prompt", err, coach.ENOTFOUND)
	_, err = f.svc.Answer(ctx, director, o.Key, coach.AnswerInput{Outcome: coach.Snoozed})
	wantCode(t, "Answer with a bad outcome", err, coach.EINVALID)
	_, err = f.svc.Answer(ctx, director, o.Key, coach.AnswerInput{Outcome: coach.Done, Note: strings.Repeat("x", coach.MaxTextLen+1)})
	wantCode(t, "Answer with a long note", err, coach.EINVALID)
}

func TestAnswerCompliment(t *testing.T) {
	f := newFixture(t).withDirector(t)
	ctx := t.Context()
	o := f.send(t, coach.Compliment)

	_, err := f.svc.Answer(ctx, director, o.Key, coach.AnswerInput{Outcome: coach.Done, Leader: leader})
	wantCode(t, "Answer(compliment) without text", err, coach.EINVALID)
	_, err = f.svc.Answer(ctx, director, o.Key, coach.AnswerInput{Outcome: coach.Done, Leader: director, Text: "me"})
	wantCode(t, "Answer(compliment) to oneself", err, coach.EINVALID)

	// A burst of identical submissions (double click, redelivery): one
	// record, one public post.
	in := coach.AnswerInput{Outcome: coach.Done, Leader: leader, Text: "Strong dagstart <!channel>"}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	answers := make([]coach.Answered, len(errs))
	for i := range errs {
		wg.Go(func() { answers[i], errs[i] = f.svc.Answer(ctx, director, o.Key, in) })
	}
	wg.Wait()
	ok := 0
	for i, err := range errs {
		switch coach.ErrorCode(err) {
		case "":
			ok++
			if len(f.msg.posted()) != 0 {
				t.Fatalf("kudos posted before PublishKudos")
			}
			a, err := f.svc.PublishKudos(ctx, answers[i])
			if err != nil || a.KudosChannel != kudosCh {
				t.Fatalf("PublishKudos = %+v, %v; want posted in %s", a, err, kudosCh)
			}
		case coach.ECONFLICT:
			if answers[i].Kudos != nil {
				t.Errorf("a refused answer came with kudos to post")
			}
		default:
			t.Fatalf("concurrent Answer: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("concurrent Answers succeeded %d times, want 1", ok)
	}
	kudos := f.msg.posted()
	if len(kudos) != 1 {
		t.Fatalf("kudos posted %d times, want 1", len(kudos))
	}
	k := kudos[0]
	if k.From != director || k.To != leader || k.Channel != kudosCh || k.Occ != o.Key || k.Text != in.Text {
		t.Errorf("kudos = %+v, want from director to leader in the kudos channel for %s", k, o.Key)
	}
	kept, _ := f.db.KudosFor(ctx, leader, time.Time{})
	if len(kept) != 1 || kept[0].TS == "" {
		t.Errorf("kept kudos = %+v, want one with its ts", kept)
	}
}

func TestAnswerComplimentNeedsChannel(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	if _, err := f.svc.AddDirector(ctx, admin, director, []coach.UserID{leader}); err != nil {
		t.Fatal(err)
	}
	o := f.send(t, coach.Compliment)
	_, err := f.svc.Answer(ctx, director, o.Key, coach.AnswerInput{Outcome: coach.Done, Leader: leader, Text: "Well done"})
	wantCode(t, "Answer(compliment) without a kudos channel", err, coach.ENOTFOUND)
	if a := f.stored(t, o.Key).Answer; a != nil {
		t.Errorf("after a failed compliment the answer = %+v, want none", a)
	}
	// Not today needs no channel.
	if _, err := f.svc.Answer(ctx, director, o.Key, coach.AnswerInput{Outcome: coach.NotToday}); err != nil {
		t.Errorf("Answer(not today): %v", err)
	}
}

func TestSnooze(t *testing.T) {
	tests := []struct {
		choice coach.SnoozeChoice
		want   time.Time
	}{
		{coach.SnoozeHour, time.Date(2026, 12, 7, 9, 45, 0, 0, time.UTC)},
		// 08:30 in Amsterdam (UTC+1 in December).
		{coach.SnoozeMorning, time.Date(2026, 12, 8, 7, 30, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(string(tt.choice), func(t *testing.T) {
			f := newFixture(t).withDirector(t)
			o := f.send(t, coach.Gemba)
			got, err := f.svc.Snooze(t.Context(), director, o.Key, tt.choice)
			if err != nil {
				t.Fatalf("Snooze: %v", err)
			}
			if a := got.Answer; a == nil || a.Outcome != coach.Snoozed || !a.SnoozeUntil.Equal(tt.want) {
				t.Fatalf("Snooze(%s) answer = %+v, want snoozed until %v", tt.choice, a, tt.want)
			}
			if !f.stored(t, o.Key).Open() {
				t.Errorf("a snoozed prompt is not open")
			}
			// A snoozed prompt can still be answered.
			if _, err := f.svc.Answer(t.Context(), director, o.Key, coach.AnswerInput{Outcome: coach.Done}); err != nil {
				t.Errorf("Answer after Snooze: %v", err)
			}
		})
	}
	f := newFixture(t).withDirector(t)
	o := f.send(t, coach.Gemba)
	_, err := f.svc.Snooze(t.Context(), other, o.Key, coach.SnoozeHour)
	wantCode(t, "Snooze by another user", err, coach.EFORBIDDEN)
	_, err = f.svc.Snooze(t.Context(), director, o.Key, "forever")
	wantCode(t, "Snooze forever", err, coach.EINVALID)
}

func TestTomorrowMorning(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		now, want time.Time
	}{
		{time.Date(2026, 12, 7, 22, 0, 0, 0, ams), time.Date(2026, 12, 8, 8, 30, 0, 0, ams)},
		{time.Date(2026, 12, 7, 0, 10, 0, 0, ams), time.Date(2026, 12, 8, 8, 30, 0, 0, ams)},
		// The night clocks go forward: still 08:30 local.
		{time.Date(2027, 3, 27, 20, 0, 0, 0, ams), time.Date(2027, 3, 28, 8, 30, 0, 0, ams)},
	}
	for _, tt := range tests {
		if got := coach.TomorrowMorning(tt.now, ams); !got.Equal(tt.want) {
			t.Errorf("TomorrowMorning(%v) = %v, want %v", tt.now, got, tt.want)
		}
	}
}

func TestAnotherQuestion(t *testing.T) {
	f := newFixture(t).withDirector(t)
	ctx := t.Context()
	o := f.send(t, coach.Question)

	_, err := f.svc.AnotherQuestion(ctx, other, o.Key)
	wantCode(t, "AnotherQuestion by another user", err, coach.EFORBIDDEN)

	got, err := f.svc.AnotherQuestion(ctx, director, o.Key)
	if err != nil {
		t.Fatalf("AnotherQuestion: %v", err)
	}
	if got.QuestionID == o.QuestionID || got.QuestionID == "" {
		t.Fatalf("AnotherQuestion gave %q after %q, want a different question", got.QuestionID, o.QuestionID)
	}
	if s := f.stored(t, o.Key); s.QuestionID != got.QuestionID || s.Answer != nil {
		t.Errorf("stored = %q answered %v, want %q unanswered", s.QuestionID, s.Answer, got.QuestionID)
	}

	a, err := f.svc.Answer(ctx, director, o.Key, coach.AnswerInput{Outcome: coach.Done, Asked: "What did you try?"})
	if err != nil {
		t.Fatalf("Answer(question): %v", err)
	}
	if a.Answer.QuestionID != got.QuestionID || a.Answer.Asked != "What did you try?" {
		t.Errorf("answer = %+v, want question %s as asked", a.Answer, got.QuestionID)
	}
	_, err = f.svc.AnotherQuestion(ctx, director, o.Key)
	wantCode(t, "AnotherQuestion after answering", err, coach.ECONFLICT)

	st := f.send(t, coach.Standup)
	_, err = f.svc.AnotherQuestion(ctx, director, st.Key)
	wantCode(t, "AnotherQuestion of a standup", err, coach.EINVALID)
}

func TestEnsureQuestion(t *testing.T) {
	f := newFixture(t).withDirector(t)
	ctx := t.Context()
	o := coach.Occurrence{Key: "s1|UDIR001|2026-12-07", Schedule: "s1", Director: director, Habit: coach.Question,
		LocalDate: "2026-12-07", Due: f.clock.Now(), State: coach.Sending}
	if _, _, err := f.db.CreateOccurrence(ctx, o); err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.EnsureQuestion(ctx, o)
	if err != nil || got.QuestionID == "" {
		t.Fatalf("EnsureQuestion = %q, %v; want a question", got.QuestionID, err)
	}
	again, err := f.svc.EnsureQuestion(ctx, o) // o still has no question: as on a re-render
	if err != nil || again.QuestionID != got.QuestionID {
		t.Errorf("EnsureQuestion again = %q, %v; want the same %q", again.QuestionID, err, got.QuestionID)
	}
	asked, _ := f.db.AskedQuestions(ctx, director)
	if len(asked) != 1 {
		t.Errorf("asked = %v, want one question", asked)
	}
}

func TestGiveKudos(t *testing.T) {
	f := newFixture(t).withDirector(t)
	ctx := t.Context()
	if _, err := f.svc.AddDirector(ctx, admin, director, []coach.UserID{leader2}); err != nil {
		t.Fatal(err)
	}

	_, err := f.svc.GiveKudos(ctx, other, leader, "Nice")
	wantCode(t, "GiveKudos by a non-director", err, coach.EFORBIDDEN)
	_, err = f.svc.GiveKudos(ctx, director, director, "Me")
	wantCode(t, "GiveKudos to oneself", err, coach.EINVALID)
	_, err = f.svc.GiveKudos(ctx, director, leader, " \u200b ")
	wantCode(t, "GiveKudos without text", err, coach.EINVALID)

	// No open prompt: posted, not counted.
	res, err := f.svc.GiveKudos(ctx, director, leader, "Great Gemba walk")
	if err != nil || res.Answered != nil || res.Kudos.TS == "" {
		t.Fatalf("GiveKudos = %+v, %v; want posted, answering nothing", res, err)
	}

	o := f.send(t, coach.Compliment)
	res, err = f.svc.GiveKudos(ctx, director, leader2, "Thanks for the PDCA board")
	if err != nil || res.Answered == nil || res.Answered.Key != o.Key {
		t.Fatalf("GiveKudos with an open prompt = %+v, %v; want it to answer %s", res, err, o.Key)
	}
	if a := f.stored(t, o.Key).Answer; a == nil || a.Outcome != coach.Done || a.Leader != leader2 {
		t.Errorf("compliment prompt answer = %+v, want done for %s", a, leader2)
	}
	if kudos := f.msg.posted(); len(kudos) != 2 || kudos[1].Occ != o.Key || res.Kudos.Occ != o.Key || res.Answered.KudosChannel != kudosCh {
		t.Errorf("kudos = %+v, want 2, the second for %s", kudos, o.Key)
	}
	// The admin is no director but may give kudos.
	if _, err := f.svc.GiveKudos(ctx, admin, leader, "Thanks"); err != nil {
		t.Errorf("GiveKudos by an admin: %v", err)
	}
}

func TestStreaks(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	_, err := f.svc.Streaks(ctx, director)
	wantCode(t, "Streaks of a non-director", err, coach.ENOTFOUND)
	f.withDirector(t)
	st, err := f.svc.Streaks(ctx, director)
	if err != nil || len(st) != 0 {
		t.Fatalf("Streaks with no prompts = %v, %v; want none", st, err)
	}
	for range 2 {
		o := f.send(t, coach.Standup)
		if _, err := f.svc.Answer(ctx, director, o.Key, coach.AnswerInput{Outcome: coach.Done}); err != nil {
			t.Fatal(err)
		}
		f.clock.Set(f.clock.Now().Add(time.Minute))
	}
	o := f.send(t, coach.Gemba)
	if _, err := f.svc.Answer(ctx, director, o.Key, coach.AnswerInput{Outcome: coach.NotToday}); err != nil {
		t.Fatal(err)
	}
	st, err = f.svc.Streaks(ctx, director)
	if err != nil || len(st) != 2 {
		t.Fatalf("Streaks = %v, %v; want standup and gemba", st, err)
	}
	if st[0].Habit != coach.Standup || st[0].Current != 2 || st[1].Habit != coach.Gemba || st[1].Current != 0 {
		t.Errorf("Streaks = %+v, want standup 2, gemba 0", st)
	}
}

// HabitStreak reads recent history first; a streak longer than that window
// is still counted in full, and a break inside it ends the count.
func TestHabitStreakWindows(t *testing.T) {
	tests := []struct {
		name    string
		days    int // daily standups answered done, ending yesterday
		breakAt int // days ago a not-today sits (0 = none)
		want    int
	}{
		{"short", 10, 0, 10},
		{"longer than the first window", 80, 0, 80},
		{"longer than the second window", 420, 0, 420},
		{"broken inside the first window", 80, 12, 11},
		{"broken inside the second window", 200, 100, 99},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t).withDirector(t)
			ctx := t.Context()
			now := f.clock.Now()
			for i := 1; i <= tt.days; i++ {
				due := now.AddDate(0, 0, -i)
				out := coach.Done
				if i == tt.breakAt {
					out = coach.NotToday
				}
				o := coach.Occurrence{Key: coach.NewOccurrenceKey("s1", director, due.Format("2006-01-02")), Schedule: "s1",
					Director: director, Habit: coach.Standup, Due: due, State: coach.Sent,
					Answer: &coach.Answer{Outcome: out, At: due, By: director}}
				if _, _, err := f.db.CreateOccurrence(ctx, o); err != nil {
					t.Fatal(err)
				}
			}
			got, err := f.svc.HabitStreak(ctx, director, coach.Standup)
			if err != nil || got != tt.want {
				t.Errorf("HabitStreak = %d, %v; want %d", got, err, tt.want)
			}
		})
	}
}

func TestPickQuestion(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	seen := map[string]bool{}
	prev := ""
	for range len(coach.Questions()) {
		id, err := coach.PickQuestion(ctx, f.db, director, nil)
		if err != nil {
			t.Fatal(err)
		}
		if id == prev || seen[id] {
			t.Fatalf("PickQuestion gave %s again before the library was through", id)
		}
		seen[id], prev = true, id
	}
	asked, _ := f.db.AskedQuestions(ctx, director)
	if len(asked) != len(coach.Questions()) {
		t.Errorf("asked history has %d questions, want %d", len(asked), len(coach.Questions()))
	}
}

// A click proves Slack has the prompt: an answer to a prompt still recorded
// Sending (its post being reconciled) is taken; one that never reached the
// director (Failed, Missed) is not.
func TestAnswerWhileStillSending(t *testing.T) {
	f := newFixture(t).withDirector(t)
	ctx := t.Context()
	for _, tt := range []struct {
		state coach.SendState
		code  string
	}{
		{coach.Sending, ""},
		{coach.Failed, coach.ECONFLICT},
		{coach.Missed, coach.ECONFLICT},
	} {
		o := coach.Occurrence{Key: coach.NewOccurrenceKey("s1", director, "2026-12-07-"+string(tt.state)), Schedule: "s1",
			Director: director, Habit: coach.Gemba, LocalDate: "2026-12-07", Due: f.clock.Now(), State: tt.state}
		if _, _, err := f.db.CreateOccurrence(ctx, o); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Answer(ctx, director, o.Key, coach.AnswerInput{Outcome: coach.Done})
		if coach.ErrorCode(err) != tt.code {
			t.Errorf("Answer(%s prompt) = %v, want code %q", tt.state, err, tt.code)
		}
		got := f.stored(t, o.Key)
		if recorded := got.Answer != nil; recorded != (tt.code == "") {
			t.Errorf("%s prompt: answer %+v, want recorded = %v", tt.state, got.Answer, tt.code == "")
		}
		if got.State != tt.state {
			t.Errorf("%s prompt: state became %s; the send's state is the due-loop's", tt.state, got.State)
		}
	}
}

// A compliment is public: a director may give one only to their own Lean
// leaders, from the command and from the prompt's modal alike, and is told
// who those are; an admin who directs no one, to any Lean leader.
func TestComplimentOwnLeadersOnly(t *testing.T) {
	f := newFixture(t).withDirector(t)
	ctx := t.Context()
	const director2, leaderOf2 coach.UserID = "UDIR002", "ULEAD09"
	if _, err := f.svc.AddDirector(ctx, admin, director2, []coach.UserID{leaderOf2}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddDirector(ctx, admin, director, []coach.UserID{leader2}); err != nil {
		t.Fatal(err)
	}
	refused := func(what string, err error, key string) {
		t.Helper()
		wantCode(t, what, err, coach.EINVALID)
		if m := coach.ErrorMessage(err); m.Key != key {
			t.Fatalf("%s message %q, want %q", what, m.Key, key)
		}
	}
	for _, who := range []coach.UserID{leaderOf2, other, admin} {
		_, err := f.svc.GiveKudos(ctx, director, who, "Well done")
		refused("GiveKudos to "+string(who), err, "svc.err.not_your_leader")
		for _, l := range []i18n.Lang{i18n.EN, i18n.NL} {
			msg := l.Render(coach.ErrorMessage(err))
			if strings.Contains(msg, "<@") || !strings.Contains(msg, string(who)) || !strings.Contains(msg, string(leader)) || !strings.Contains(msg, string(leader2)) {
				t.Errorf("refusal in %s = %q, want it to name %s and the director's Lean leaders by ID, in no Slack syntax", l, msg, who)
			}
		}
	}
	o := f.send(t, coach.Compliment)
	_, err := f.svc.Answer(ctx, director, o.Key, coach.AnswerInput{Outcome: coach.Done, Leader: leaderOf2, Text: "Well done"})
	refused("Answer(compliment) for another director's leader", err, "svc.err.not_your_leader")
	if a := f.stored(t, o.Key).Answer; a != nil {
		t.Errorf("a refused compliment recorded %+v", a)
	}
	if kudos := f.msg.posted(); len(kudos) != 0 {
		t.Errorf("refused compliments posted %d kudos", len(kudos))
	}

	// An admin who directs no one: any Lean leader, nobody else.
	if _, err := f.svc.GiveKudos(ctx, admin, leaderOf2, "Thanks"); err != nil {
		t.Errorf("GiveKudos by an admin to a Lean leader: %v", err)
	}
	_, err = f.svc.GiveKudos(ctx, admin, other, "Thanks")
	refused("GiveKudos by an admin to someone who leads nothing", err, "svc.err.not_a_leader")

	if err := f.db.PutProfile(ctx, coach.Profile{ID: leader, Name: "Lee"}); err != nil {
		t.Fatal(err)
	}
	form, err := f.svc.ComplimentForm(ctx, director, o.Key)
	if want := []coach.Person{{ID: leader, Name: "Lee"}, {ID: leader2}}; err != nil || !slices.Equal(form.Leaders, want) {
		t.Errorf("ComplimentForm leaders = %v, %v; want %v", form.Leaders, err, want)
	}
	if form.Leader != leader || form.KudosChannel != kudosCh || form.Key != o.Key {
		t.Errorf("ComplimentForm = %+v, want %s preselected, posting in %s", form, leader, kudosCh)
	}
	_, err = f.svc.ComplimentForm(ctx, other, o.Key)
	wantCode(t, "ComplimentForm of someone else's prompt", err, coach.EFORBIDDEN)
}
