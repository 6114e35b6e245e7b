package store_test

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

// Canaries: unique words planted in the data of UA, the user to forget, and
// of UB, who stays.
const (
	canaryNote      = "ZEBRANOTECANARY"   // UA's private note
	canaryGiven     = "OKAPIGIVENCANARY"  // kudos UA wrote
	keepReceived    = "TAPIRRECVKEEP"     // kudos UA received from UB: UB's record
	keepAbout       = "QUOKKAABOUTKEEP"   // UB's compliment answer about UA: UB's record
	canaryName      = "NARWHALNAMECANARY" // UA's cached profile name
	keepNoteUB      = "UBSECRETNOTE"      // UB's private note
	keepKudosToUL   = "ULKUDOSFROMUB"     // kudos UB wrote to UL
	forgetUser      = coach.UserID("UA")
	otherUser       = coach.UserID("UB")
	leader          = coach.UserID("UL")
	adminUser       = coach.UserID("UADM")
	lookalikeOfUser = coach.UserID("UA2") // must survive: only its prefix matches
)

// seedTwoUsers stores data of UA, UB, a leader UL and an admin, with UA
// present in as many places as the model allows.
func seedTwoUsers(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := t.Context()
	must(t, db.PutDirector(ctx, coach.Director{ID: forgetUser, Leaders: []coach.UserID{leader}, AddedBy: adminUser, AddedAt: t0}))
	must(t, db.PutDirector(ctx, coach.Director{ID: otherUser, Leaders: []coach.UserID{leader, forgetUser}, AddedBy: forgetUser, AddedAt: t0}))
	must(t, db.PutDirector(ctx, coach.Director{ID: lookalikeOfUser, Leaders: []coach.UserID{leader}, AddedBy: adminUser, AddedAt: t0}))
	must(t, db.PutPrefs(ctx, forgetUser, coach.Prefs{Lang: "nl"}))
	must(t, db.PutProfile(ctx, coach.Profile{ID: forgetUser, Name: canaryName, FetchedAt: t0}))
	must(t, db.PutProfile(ctx, coach.Profile{ID: otherUser, Name: "Bea", FetchedAt: t0}))
	must(t, db.AddAdmin(ctx, forgetUser, adminUser))
	must(t, db.AddAdmin(ctx, "UC", forgetUser))
	_, err := db.PutSchedule(ctx, coach.Schedule{Habit: coach.Standup, When: "weekdays 08:45",
		Directors: []coach.UserID{forgetUser, otherUser}, CreatedBy: forgetUser, CreatedAt: t0})
	must(t, err)

	answer := func(o coach.Occurrence, a coach.Answer) {
		t.Helper()
		_, _, err := db.CreateOccurrence(ctx, o)
		must(t, err)
		_, err = db.UpdateOccurrence(ctx, o.Key, func(o *coach.Occurrence) error {
			o.State, o.Answer = coach.Sent, &a
			return nil
		})
		must(t, err)
	}
	answer(occ("s1", forgetUser, coach.Standup, 0), coach.Answer{Outcome: coach.Done, At: t0, By: forgetUser, Note: canaryNote})
	answer(occ("s1", otherUser, coach.Standup, 0), coach.Answer{Outcome: coach.Done, At: t0, By: otherUser, Note: keepNoteUB})
	answer(occ("s2", otherUser, coach.Compliment, 0), coach.Answer{Outcome: coach.Done, At: t0, By: otherUser, Leader: forgetUser, Text: keepAbout})
	answer(occ("s1", lookalikeOfUser, coach.Standup, 0), coach.Answer{Outcome: coach.Done, At: t0, By: lookalikeOfUser})

	must(t, db.AddKudos(ctx, coach.Kudos{From: forgetUser, To: leader, Text: canaryGiven, At: t0}))
	must(t, db.AddKudos(ctx, coach.Kudos{From: otherUser, To: forgetUser, Text: keepReceived, At: t0}))
	must(t, db.AddKudos(ctx, coach.Kudos{From: otherUser, To: leader, Text: keepKudosToUL, At: t0}))
	must(t, db.AddAskedQuestion(ctx, forgetUser, "q1"))
	must(t, db.AddAskedQuestion(ctx, otherUser, "q2"))
	must(t, db.Audit(ctx, coach.AuditEntry{At: t0, Actor: forgetUser, Action: "director.add", Detail: "director=UB"}))
	must(t, db.Audit(ctx, coach.AuditEntry{At: t0.Add(time.Second), Actor: adminUser, Action: "director.add", Detail: "director=UA leaders=UL"}))
	must(t, db.Audit(ctx, coach.AuditEntry{At: t0.Add(2 * time.Second), Actor: adminUser, Action: "director.add", Detail: "director=UA2"}))
	must(t, db.PutRawDue(string(coach.NewOccurrenceKey("s1", forgetUser, "2026-12-08")), "{}"))
	must(t, db.PutRawDue(string(coach.NewOccurrenceKey("s1", lookalikeOfUser, "2026-12-08")), "{}"))
	must(t, db.PutRawDue("2026-12-08T08:45:00Z|x", `{"director":"UA"}`))
}

func exportJSON(t *testing.T, db *store.DB, u coach.UserID) string {
	t.Helper()
	m, err := db.Export(t.Context(), u)
	must(t, err)
	b, err := json.Marshal(m)
	must(t, err)
	return string(b)
}

func TestExportHoldsOnlyTheUsersData(t *testing.T) {
	db := openTest(t)
	seedTwoUsers(t, db)
	got := exportJSON(t, db, forgetUser)
	for _, w := range []string{canaryNote, canaryGiven, keepReceived, canaryName, `"q1"`, `"director=UB"`} {
		if !strings.Contains(got, w) {
			t.Errorf("Export(UA) lacks %s:\n%s", w, got)
		}
	}
	for _, w := range []string{keepNoteUB, keepKudosToUL, `"q2"`, `"Bea"`, "director=UA2"} {
		if strings.Contains(got, w) {
			t.Errorf("Export(UA) holds %s, which is UB's or the admin's:\n%s", w, got)
		}
	}
	m, err := db.Export(t.Context(), forgetUser)
	must(t, err)
	if m.User != forgetUser || m.Director == nil || m.Profile == nil || m.Admin == nil || len(m.KudosGiven) != 1 ||
		len(m.KudosReceived) != 1 || !slices.Equal(m.QuestionsAsked, []string{"q1"}) || len(m.Audit) != 1 {
		t.Errorf("Export(UA) = %+v, want UA's director record, profile, admin grant, one kudos each way, q1 and one audit entry", m)
	}
	if occs := m.Occurrences; len(occs) != 1 || occs[0].Director != forgetUser {
		t.Errorf("Export(UA) occurrences = %v, want UA's one", occs)
	}
	if lo := m.LeaderOf; !slices.Equal(lo, []coach.UserID{otherUser}) {
		t.Errorf("Export(UA) leader_of = %v, want [UB]", lo)
	}
	if other := exportJSON(t, db, otherUser); strings.Contains(other, canaryNote) || strings.Contains(other, canaryName) {
		t.Errorf("Export(UB) holds UA's private data:\n%s", other)
	}
}

// fileHits counts the occurrences of word in the raw database file.
func fileHits(t *testing.T, path, word string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	return bytes.Count(b, []byte(word))
}

func TestForgetErasesFromFile(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	seedTwoUsers(t, db)
	canaries := []string{canaryNote, canaryGiven, canaryName}
	for _, c := range canaries {
		if fileHits(t, db.Path(), c) == 0 {
			t.Fatalf("canary %s not in the file before Forget: the test cannot tell", c)
		}
	}
	auditBefore, _ := db.AuditLog(ctx, 0)

	must(t, db.Forget(ctx, forgetUser))

	for _, c := range canaries {
		if n := fileHits(t, db.Path(), c); n != 0 {
			t.Errorf("canary %s found %d times in the file after Forget, want 0", c, n)
		}
	}
	// UA is gone from every port.
	_, err := db.Director(ctx, forgetUser)
	wantCode(t, err, coach.ENOTFOUND)
	_, err = db.CachedProfile(ctx, forgetUser)
	wantCode(t, err, coach.ENOTFOUND)
	if p, _ := db.Prefs(ctx, forgetUser); p != (coach.Prefs{}) {
		t.Errorf("Prefs(UA) after Forget = %+v, want zero", p)
	}
	if h, _ := db.History(ctx, forgetUser, "", time.Time{}); len(h) != 0 {
		t.Errorf("History(UA) after Forget = %v, want none", occKeys(h))
	}
	// What UB keeps about UA as UB's Lean leader stays UB's: the kudos UB
	// gave and UB's compliment answer.
	if k, _ := db.KudosFor(ctx, forgetUser, time.Time{}); len(k) != 1 || k[0].Text != keepReceived || k[0].From != otherUser {
		t.Errorf("KudosFor(UA) after Forget = %v, want UB's compliment kept", k)
	}
	if k, _ := db.KudosFor(ctx, leader, time.Time{}); len(k) != 1 || k[0].Text != keepKudosToUL {
		t.Errorf("KudosFor(UL) after Forget = %v, want only UB's", k)
	}
	if q, _ := db.AskedQuestions(ctx, forgetUser); len(q) != 0 {
		t.Errorf("AskedQuestions(UA) after Forget = %v, want none", q)
	}
	if a, _ := db.Admins(ctx); slices.Contains(a, forgetUser) {
		t.Errorf("Admins() after Forget = %v, still has UA", a)
	}
	ub, err := db.Director(ctx, otherUser)
	must(t, err)
	if slices.Contains(ub.Leaders, forgetUser) || ub.AddedBy != store.Erased {
		t.Errorf("Director(UB) after Forget = %+v, want UA out of leaders and AddedBy erased", ub)
	}
	scheds, _ := db.Schedules(ctx)
	if len(scheds) != 1 || !slices.Equal(scheds[0].Directors, []coach.UserID{otherUser}) || scheds[0].CreatedBy != store.Erased {
		t.Errorf("Schedules() after Forget = %+v, want targets [UB], creator erased", scheds)
	}
	compl, err := db.Occurrence(ctx, coach.NewOccurrenceKey("s2", otherUser, "2026-12-07"))
	must(t, err)
	if compl.Answer == nil || compl.Answer.Outcome != coach.Done || compl.Answer.Leader != forgetUser || compl.Answer.Text != keepAbout {
		t.Errorf("UB's compliment about UA after Forget = %+v, want it kept as UB answered it", compl.Answer)
	}
	// The audit log keeps its length; UA's ID is replaced, UA2's is not.
	auditAfter, _ := db.AuditLog(ctx, 0)
	if len(auditAfter) != len(auditBefore) {
		t.Errorf("AuditLog has %d entries after Forget, want %d", len(auditAfter), len(auditBefore))
	}
	var details []string
	for _, e := range auditAfter {
		if e.Actor == forgetUser {
			t.Errorf("audit entry %+v still names UA as actor", e)
		}
		details = append(details, e.Detail)
	}
	if want := []string{"director=UA2", "director=erased leaders=UL", "director=UB"}; !slices.Equal(details, want) {
		t.Errorf("audit details after Forget = %q, want %q", details, want)
	}
	due, err := db.RawDueKeys()
	must(t, err)
	if want := []string{string(coach.NewOccurrenceKey("s1", lookalikeOfUser, "2026-12-08"))}; !slices.Equal(due, want) {
		t.Errorf("due keys after Forget = %v, want %v", due, want)
	}
	// UB's and UA2's data stays; the handle works after the file swap.
	if got := exportJSON(t, db, otherUser); !strings.Contains(got, keepNoteUB) {
		t.Errorf("Export(UB) after Forget lacks UB's note:\n%s", got)
	}
	if _, err := db.Director(ctx, lookalikeOfUser); err != nil {
		t.Errorf("Director(UA2) after Forget = %v, want it kept", err)
	}
	if _, err := db.PutSchedule(ctx, coach.Schedule{Habit: coach.Gemba}); err != nil {
		t.Errorf("PutSchedule after Forget = %v", err)
	}
	if fi, err := os.Stat(db.Path()); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode after Forget = %v, %v, want 0600", fi.Mode().Perm(), err)
	}
	must(t, db.Close())
	must(t, store.Check(db.Path()))
}

func TestForgetWhileOthersWork(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	seedTwoUsers(t, db)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				o := occ(coach.ScheduleID("w"+string(rune('0'+w))), otherUser, coach.Gemba, i)
				if _, _, err := db.CreateOccurrence(ctx, o); err != nil {
					t.Errorf("CreateOccurrence during Forget = %v", err)
					return
				}
				if _, err := db.History(ctx, otherUser, coach.Gemba, time.Time{}); err != nil {
					t.Errorf("History during Forget = %v", err)
					return
				}
			}
		})
	}
	for range 3 {
		must(t, db.Forget(ctx, forgetUser))
	}
	close(stop)
	wg.Wait()
	if h, _ := db.History(ctx, otherUser, coach.Gemba, time.Time{}); len(h) == 0 {
		t.Error("History(UB gemba) is empty: the writers' records were lost")
	}
}
