package coach_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

func TestCommandOf(t *testing.T) {
	tests := []struct {
		in    string
		words string // "" = no command
		who   coach.Roles
	}{
		{"", "", 0},
		{"   ", "", 0},
		{"help", "help", coach.Everyone},
		{"HELP me", "help", coach.Everyone},
		{"habits", "habits", coach.Everyone},
		{"habit", "habits", coach.Everyone},
		{"taal nl", "language", coach.Everyone},
		{"streaks", "streak", coach.RoleDirector},
		{"compliment <@U1> well done", "kudos", coach.RoleDirector | coach.RoleAdmin},
		{"kudos\u00a0<@U1> well done", "kudos", coach.RoleDirector | coach.RoleAdmin},
		{"pause until 2027-01-05", "pause", coach.RoleDirector},
		{"path <@U1|lee>", "path", coach.RoleDirector},
		{"paths", "path", coach.RoleDirector},
		{"checkin off", "checkin", coach.RoleLeader},
		{"check-in on", "checkin", coach.RoleLeader},
		{"director add <@U1> leader <@U2>", "director add", coach.RoleAdmin},
		{"Directors LIST", "director list", coach.RoleAdmin},
		{"director rm <@U1>", "director", coach.RoleAdmin}, // an alias of the sub-command: the family
		{"director", "director", coach.RoleAdmin},
		{"schedule", "schedule", coach.RoleAdmin},
		{"schedule delete s1", "schedule", coach.RoleAdmin},
		{"schedule pause s1", "schedule pause", coach.RoleAdmin},
		{"admins list", "admin list", coach.RoleAdmin},
		{"send standup <@U1>", "send", coach.RoleAdmin},
		{"frobnicate", "", 0},
		{"<@U1>", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c, ok := coach.CommandOf(tt.in)
			if ok != (tt.words != "") || c.Words != tt.words || c.Who != tt.who {
				t.Errorf("CommandOf(%q) = %+v, %v; want %q for %s", tt.in, c, ok, tt.words, tt.who)
			}
		})
	}
}

// TestRoleTable checks the table the help and the hints are driven by: each
// command once, each with its help line in every language, and what each
// role may run.
func TestRoleTable(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range coach.Commands() {
		if seen[c.Words] {
			t.Errorf("command %q is in the table twice", c.Words)
		}
		seen[c.Words] = true
		for _, l := range i18n.Langs() {
			for _, part := range []string{".cmd", ".desc"} {
				if k := "help." + c.Help + part; l.T(k) == k {
					t.Errorf("%s: help line %s missing in %s", c.Words, k, l)
				}
			}
			if syntax := l.T("help." + c.Help + ".cmd"); !strings.HasPrefix(syntax, "/coach "+c.Words) && !strings.Contains(syntax, "|") {
				t.Errorf("%s: help syntax %q does not start with the command", c.Words, syntax)
			}
		}
	}
	can := func(rs coach.Roles) []string {
		var out []string
		for _, c := range coach.CommandsFor(rs) {
			out = append(out, c.Words)
		}
		return out
	}
	everyone := []string{"help", "habits", "language", "export", "forget"}
	if got := can(coach.RoleNone); !slices.Equal(got, everyone) {
		t.Errorf("CommandsFor(none) = %q, want %q", got, everyone)
	}
	if got, want := can(coach.RoleLeader), append(slices.Clone(everyone), "checkin"); !slices.Equal(got, want) {
		t.Errorf("CommandsFor(leader) = %q, want %q", got, want)
	}
	director := append(slices.Clone(everyone), "streak", "kudos", "path", "pause", "resume")
	if got := can(coach.RoleDirector); !slices.Equal(got, director) {
		t.Errorf("CommandsFor(director) = %q, want %q", got, director)
	}
	admin := can(coach.RoleAdmin)
	if slices.Contains(admin, "streak") || !slices.Contains(admin, "kudos") || !slices.Contains(admin, "audit") {
		t.Errorf("CommandsFor(admin) = %q, want kudos and audit, no streak", admin)
	}
	both := can(coach.RoleAdmin | coach.RoleDirector)
	if len(both) != len(coach.Commands())-1 || slices.Contains(both, "checkin") {
		t.Errorf("CommandsFor(admin+director) = %q, want all %d but the Lean leaders' checkin", both, len(coach.Commands())-1)
	}
	if all := can(coach.RoleAdmin | coach.RoleDirector | coach.RoleLeader); len(all) != len(coach.Commands()) {
		t.Errorf("CommandsFor(all three roles) = %d commands, want all %d", len(all), len(coach.Commands()))
	}
	for _, r := range []coach.Roles{coach.RoleNone, coach.RoleDirector, coach.RoleAdmin, coach.RoleAdmin | coach.RoleDirector} {
		if slices.Contains(can(r), "checkin") {
			t.Errorf("CommandsFor(%s) has checkin, a Lean leader's command", r)
		}
	}
	if s := (coach.RoleAdmin | coach.RoleLeader).String(); s != "admin+leader" {
		t.Errorf("Roles.String = %q", s)
	}
}

func TestLoadRoles(t *testing.T) {
	f := newPortalFix(t)
	ctx := t.Context()
	const (
		dirA coach.UserID = "UDIRA0001"
		lead coach.UserID = "ULEAD0001"
	)
	for _, d := range []coach.Director{
		{ID: dirA, Leaders: []coach.UserID{lead}},
		{ID: pAdded, Leaders: []coach.UserID{lead, pOwner}}, // an admin who directs, and leads
	} {
		if err := f.db.PutDirector(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		u    coach.UserID
		want coach.Roles
	}{
		{pMember, coach.RoleNone},
		{dirA, coach.RoleDirector},
		{lead, coach.RoleLeader},
		{pWSAdmin, coach.RoleAdmin},
		{pAdded, coach.RoleAdmin | coach.RoleDirector},
		{pOwner, coach.RoleAdmin | coach.RoleLeader},
		{pUnknowable, coach.RoleNone}, // Slack cannot be asked: not an admin
	}
	for _, tt := range tests {
		v, err := f.portal.Viewer(ctx, tt.u)
		if err != nil || v.Roles != tt.want || v.User != tt.u {
			t.Errorf("Viewer(%s) = %+v, %v; want roles %s", tt.u, v, err, tt.want)
		}
	}
	if v, _ := f.portal.Viewer(ctx, pMember); v.Now.Location().String() != "Europe/Amsterdam" || !v.Now.Equal(pStart) {
		t.Errorf("Viewer.Now = %v, want now in the member's zone", v.Now)
	}
}

// TestExampleDatesComeFromTheClock runs with a clock in 2027: no example may
// show a date that has passed, and each is two weeks after today in the
// reader's zone.
func TestExampleDatesComeFromTheClock(t *testing.T) {
	auckland := mustLoc(t, "Pacific/Auckland")
	// 23:30 UTC on 10 March is already 11 March in Auckland.
	now := time.Date(2027, 3, 10, 23, 30, 0, 0, time.UTC)
	if got := coach.ExampleDate(now.In(auckland)); got != "2027-03-25" {
		t.Errorf("ExampleDate(Auckland) = %s, want 2027-03-25", got)
	}
	if got := (coach.Viewer{Now: now}).ExampleDate(); got != "2027-03-24" {
		t.Errorf("Viewer.ExampleDate(UTC) = %s, want 2027-03-24", got)
	}
	date := regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)
	for _, in := range []string{"", "until", "until 2026-12-24", "until soon", "until 2027-03-01"} {
		_, err := coach.ParseLeave(strings.Fields(in), now, auckland)
		if coach.ErrorCode(err) != coach.EINVALID {
			t.Fatalf("ParseLeave(%q) = %v, want EINVALID", in, err)
		}
		for _, l := range i18n.Langs() {
			msg := l.Render(coach.ErrorMessage(err))
			examples := date.FindAllString(strings.ReplaceAll(msg, in, ""), -1)
			if len(examples) == 0 || slices.ContainsFunc(examples, func(d string) bool { return d != "2027-03-25" }) {
				t.Errorf("ParseLeave(%q) says %q in %s, want the example 2027-03-25", in, msg, l)
			}
		}
	}
}

// TestDirectorCommandsTellOthersWhatTheyCanDo: streak, kudos and leave typed
// by someone who is no director answer with what they can do instead, by
// role, and never suggest a command they cannot run.
func TestDirectorCommandsTellOthersWhatTheyCanDo(t *testing.T) {
	f := newFixture(t).withDirector(t)
	ctx := t.Context()
	p := newPortalFix(t)
	if err := p.db.PutDirector(ctx, coach.Director{ID: "UDIRA0001", Leaders: []coach.UserID{"ULEAD0001"}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  error
		hint string
	}{
		{"streak by a Lean leader", second(f.svc.Streaks(ctx, leader)), "role.hint.leader"},
		{"streak by a stranger", second(f.svc.Streaks(ctx, other)), "role.hint.none"},
		{"streak by an admin", second(f.svc.Streaks(ctx, admin)), "role.hint.admin"},
		{"kudos by a Lean leader", second(f.svc.GiveKudos(ctx, leader, leader2, "thanks")), "role.hint.leader"},
		{"kudos by a stranger", second(f.svc.GiveKudos(ctx, other, leader, "thanks")), "role.hint.none"},
		{"pause by a Lean leader", second(p.portal.Pause(ctx, "ULEAD0001", []string{"2w"})), "role.hint.leader"},
		{"pause without a length by a stranger", second(p.portal.Pause(ctx, pMember, nil)), "role.hint.none"},
		{"resume by a Lean leader", p.portal.Resume(ctx, "ULEAD0001"), "role.hint.leader"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := coach.ErrorMessage(tt.err)
			if len(msg.Args) != 1 {
				t.Fatalf("error = %v (%+v), want a message with the role hint", tt.err, msg)
			}
			if hint, _ := msg.Args[0].(i18n.Msg); hint.Key != tt.hint {
				t.Errorf("hint = %+v, want %s", msg.Args[0], tt.hint)
			}
		})
	}
}

func second[T any](_ T, err error) error { return err }

// FuzzCommandOf: any text finds no command or one whose words are the
// text's first words (after an alias), with the table's roles.
func FuzzCommandOf(f *testing.F) {
	for _, s := range []string{"", "help", "director add <@U1> leader <@U2>", "Directors rm x", "schedule",
		"kudos\u00a0<@U1> hi", "taal nl", "send", "\x00", "😀 x"} {
		f.Add(s)
	}
	who := map[string]coach.Roles{}
	for _, c := range coach.Commands() {
		who[c.Words] = c.Who
		first, _, _ := strings.Cut(c.Words, " ")
		if _, ok := who[first]; !ok {
			who[first] = c.Who
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, ok := coach.CommandOf(text)
		if !ok {
			return
		}
		w, known := who[c.Words]
		if !known || w != c.Who {
			t.Fatalf("CommandOf(%q) = %+v, not a command or family of the table", text, c)
		}
		typed := strings.Fields(strings.ToLower(text))
		first, _, _ := strings.Cut(c.Words, " ")
		if len(typed) == 0 || (typed[0] != first && !slices.Contains([]string{"directors", "streaks", "habit", "compliment", "admins", "lang", "taal"}, typed[0])) {
			t.Fatalf("CommandOf(%q) = %q, not the text's first word", text, c.Words)
		}
	})
}
