package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

func TestSettings(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	if v, err := db.Setting(ctx, coach.SettingKudosChannel); v != "" || err != nil {
		t.Errorf("Setting(unset) = %q, %v, want \"\", nil", v, err)
	}
	must(t, db.PutSetting(ctx, coach.SettingKudosChannel, "C1"))
	must(t, db.PutSetting(ctx, coach.SettingKudosChannel, "C2"))
	if v, err := db.Setting(ctx, coach.SettingKudosChannel); v != "C2" || err != nil {
		t.Errorf("Setting after two puts = %q, %v, want C2", v, err)
	}
	must(t, db.PutSetting(ctx, coach.SettingKudosChannel, ""))
	if v, err := db.Setting(ctx, coach.SettingKudosChannel); v != "" || err != nil {
		t.Errorf("Setting after clearing = %q, %v, want \"\"", v, err)
	}
}

func TestUsers(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()

	if p, err := db.Prefs(ctx, "U1"); p != (coach.Prefs{}) || err != nil {
		t.Errorf("Prefs(unset) = %+v, %v, want zero", p, err)
	}
	_, err := db.CachedProfile(ctx, "U1")
	wantCode(t, err, coach.ENOTFOUND)

	prof := coach.Profile{ID: "U1", TeamID: "T1", Name: "Anna", TZ: "Europe/Amsterdam", Locale: "nl-NL",
		IsAdmin: true, FetchedAt: t0}
	must(t, db.PutProfile(ctx, prof))
	must(t, db.PutPrefs(ctx, "U1", coach.Prefs{Lang: i18n.NL}))

	// Neither write loses the other's half of the record.
	got, err := db.CachedProfile(ctx, "U1")
	must(t, err)
	if got.Name != "Anna" || got.TZ != "Europe/Amsterdam" || !got.IsAdmin || !got.FetchedAt.Equal(t0) {
		t.Errorf("CachedProfile(U1) = %+v, want %+v", got, prof)
	}
	prof.Name = "Anna B."
	must(t, db.PutProfile(ctx, prof))
	if p, _ := db.Prefs(ctx, "U1"); p.Lang != i18n.NL {
		t.Errorf("Prefs(U1).Lang after PutProfile = %q, want nl", p.Lang)
	}
	if got, _ := db.CachedProfile(ctx, "U1"); got.Name != "Anna B." {
		t.Errorf("CachedProfile(U1).Name = %q, want the newer one", got.Name)
	}
	// Prefs alone do not make a profile.
	must(t, db.PutPrefs(ctx, "U2", coach.Prefs{Lang: i18n.EN}))
	_, err = db.CachedProfile(ctx, "U2")
	wantCode(t, err, coach.ENOTFOUND)
}

func TestAdmins(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	wantCode(t, db.RemoveAdmin(ctx, "U1"), coach.ENOTFOUND)
	must(t, db.AddAdmin(ctx, "U2", "U0"))
	must(t, db.AddAdmin(ctx, "U1", "U0"))
	must(t, db.AddAdmin(ctx, "U1", "U0")) // twice is fine
	got, err := db.Admins(ctx)
	must(t, err)
	if !slices.Equal(got, []coach.UserID{"U1", "U2"}) {
		t.Errorf("Admins() = %v, want [U1 U2]", got)
	}
	must(t, db.RemoveAdmin(ctx, "U1"))
	wantCode(t, db.RemoveAdmin(ctx, "U1"), coach.ENOTFOUND)
	if got, _ := db.Admins(ctx); !slices.Equal(got, []coach.UserID{"U2"}) {
		t.Errorf("Admins() after remove = %v, want [U2]", got)
	}
}

func TestKudos(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	for _, k := range []coach.Kudos{
		{From: "UD", To: "UL", Text: "second", At: t0.Add(2 * time.Hour)},
		{From: "UD", To: "UL", Text: "first", At: t0.Add(time.Hour)},
		{From: "UD", To: "UL", Text: "old", At: t0.AddDate(0, 0, -1)},
		{From: "UD", To: "UL2", Text: "other leader", At: t0.Add(time.Hour)},
		{ID: "mine", From: "UD", To: "UL", Text: "same time", At: t0.Add(2 * time.Hour)},
	} {
		must(t, db.AddKudos(ctx, k))
	}
	got, err := db.KudosFor(ctx, "UL", t0)
	must(t, err)
	var texts []string
	for _, k := range got {
		texts = append(texts, k.Text)
		if k.ID == "" {
			t.Errorf("KudosFor returned %q without an ID", k.Text)
		}
	}
	// "second" (k1) and "same time" (mine) share At; their IDs order them.
	if want := []string{"first", "second", "same time"}; !slices.Equal(texts, want) {
		t.Errorf("KudosFor(UL, t0) = %v, want %v in time order", texts, want)
	}
	if got, _ := db.KudosFor(ctx, "U-nobody", time.Time{}); len(got) != 0 {
		t.Errorf("KudosFor(nobody) = %v, want none", got)
	}
	// A leader whose ID is a prefix of another's sees only their own.
	if got, _ := db.KudosFor(ctx, "UL", time.Time{}); len(got) != 4 {
		t.Errorf("KudosFor(UL, all) has %d kudos, want 4 (not UL2's)", len(got))
	}
}

func TestAskedQuestions(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	if got, err := db.AskedQuestions(ctx, "U1"); len(got) != 0 || err != nil {
		t.Errorf("AskedQuestions(none) = %v, %v, want none", got, err)
	}
	for _, q := range []string{"q3", "q1", "q3", "q2"} {
		must(t, db.AddAskedQuestion(ctx, "U1", q))
	}
	must(t, db.AddAskedQuestion(ctx, "U11", "q9"))
	got, err := db.AskedQuestions(ctx, "U1")
	must(t, err)
	if want := []string{"q3", "q1", "q3", "q2"}; !slices.Equal(got, want) {
		t.Errorf("AskedQuestions(U1) = %v, want %v (oldest first)", got, want)
	}
}

func TestAuditLog(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	for i, a := range []string{"director.add", "schedule.add", "admin.add"} {
		must(t, db.Audit(ctx, coach.AuditEntry{At: t0.Add(time.Duration(i) * time.Minute), Actor: "UADM", Action: a}))
	}
	must(t, db.Audit(ctx, coach.AuditEntry{At: t0.Add(2 * time.Minute), Actor: "UADM", Action: "same.minute"}))
	got, err := db.AuditLog(ctx, 3)
	must(t, err)
	var actions []string
	for _, e := range got {
		actions = append(actions, e.Action)
	}
	if want := []string{"same.minute", "admin.add", "schedule.add"}; !slices.Equal(actions, want) {
		t.Errorf("AuditLog(3) = %v, want %v (newest first)", actions, want)
	}
	if all, _ := db.AuditLog(ctx, 0); len(all) != 4 {
		t.Errorf("AuditLog(0) has %d entries, want all 4", len(all))
	}
	// A zero time is stamped with the store's clock.
	must(t, db.Audit(ctx, coach.AuditEntry{Actor: "UADM", Action: "stamped"}))
	all, _ := db.AuditLog(ctx, 0)
	for _, e := range all {
		if e.Action == "stamped" && !e.At.Equal(t0) {
			t.Errorf("stamped entry At = %s, want %s", e.At, t0)
		}
	}
}
