package slackapp_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/schedule"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

// The people of the surfaces' end-to-end tests: the subjects of the
// authorization matrix, a director with a Lean leader, and a kudos channel.
const (
	suOwner     = "UOWNER001"
	suWSAdmin   = "UWSADMIN1"
	suListed    = "ULISTED01"
	suAdded     = "UADDED001"
	suMember    = "UMEMBER01"
	suGuest     = "UGUEST001" // listed
	suSCGuest   = "USCGUEST1" // added
	suBot       = "UBOTUSER1" // listed
	suDeleted   = "UDELETED1" // listed, was a workspace admin
	suStranger  = "USTRANGE1" // listed, another team's owner
	suFailing   = "UFAILING1" // listed; users.info fails for them
	suDirector  = "UDIRANNA1"
	suLeader    = "ULEADER01"
	suNewbie    = "UNEWBIE01" // target of admin add / director add
	suKudos     = "CKUDOS001"
	suOtherTeam = "T0OTHER01"
)

var suListedAdmins = []coach.UserID{suListed, suGuest, suBot, suDeleted, suStranger, suFailing}

// surfWorld is slacksim with the bot wired as cmd/bot must wire it: a bbolt
// store, the users.info Directory, coach.Access with LEANCOACH_ADMINS,
// the Service with Access.IsAdmin, the coaching routes, help and Surfaces.
type surfWorld struct {
	t        *testing.T
	sim      *slacksim.Server
	db       *store.DB
	access   *coach.Access
	portal   *coach.Portal
	surfaces *slackapp.Surfaces
}

// surfPrompter records a prompt as sent without posting it: the surfaces'
// tests need /coach send to pass the admin check, not the prompt itself.
type surfPrompter struct{ db *store.DB }

func (p surfPrompter) Deliver(ctx context.Context, o coach.Occurrence) (coach.Occurrence, error) {
	o.State, o.SentAt = coach.Sent, o.Due
	got, created, err := p.db.CreateOccurrence(ctx, o)
	if err != nil {
		return o, err
	}
	if !created {
		return got, coach.Errorf(coach.ECONFLICT, "schedule.prompt.already_sent")
	}
	return got, nil
}

func scheduleNext(when string, after time.Time, loc *time.Location) (time.Time, error) {
	r, err := schedule.ParseWhen(when)
	if err != nil {
		return time.Time{}, err
	}
	return r.Next(after, loc), nil
}

func newSurfWorld(t *testing.T) *surfWorld {
	t.Helper()
	sim := slacksim.New(slacksim.Options{RetryDelays: []time.Duration{0, 50 * time.Millisecond}})
	t.Cleanup(sim.Close)
	for _, u := range []slacksim.User{
		{ID: suOwner, Name: "olga", IsOwner: true, IsPrimaryOwner: true},
		{ID: suWSAdmin, Name: "wim", IsAdmin: true},
		{ID: suListed, Name: "lisa"},
		{ID: suAdded, Name: "adam"},
		{ID: suMember, Name: "mia"},
		{ID: suGuest, Name: "gus", IsRestricted: true},
		{ID: suSCGuest, Name: "sam", IsRestricted: true, IsUltraRestricted: true},
		{ID: suBot, Name: "robo", IsBot: true},
		{ID: suDeleted, Name: "dirk", Deleted: true, IsAdmin: true},
		{ID: suStranger, Name: "stan", TeamID: suOtherTeam, IsOwner: true, IsAdmin: true},
		{ID: suFailing, Name: "fay"},
		{ID: suDirector, Name: "anna", TZ: "Europe/Amsterdam"},
		{ID: suLeader, Name: "lee"},
		{ID: suNewbie, Name: "nina"},
	} {
		sim.AddUser(u)
	}
	sim.AddChannel(slacksim.Channel{ID: suKudos, Name: "kudos", Members: []string{suOwner, suDirector, suLeader}})

	db, err := store.Open(filepath.Join(t.TempDir(), "leancoach.db"), store.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	ctx := t.Context()
	for _, u := range []coach.UserID{suAdded, suSCGuest} {
		if err := db.AddAdmin(ctx, u, suListed); err != nil {
			t.Fatal(err)
		}
	}
	api := slack.New(sim.BotToken(), slack.OptionAPIURL(sim.APIURL()), slack.OptionAppLevelToken(sim.AppToken()))
	clock := coach.ClockFunc(time.Now)
	dir := slackapp.NewDirectory(api, db, clock)
	access, err := coach.NewAccess(coach.AccessConfig{Team: coach.TeamID(sim.TeamID()), Listed: suListedAdmins,
		Store: db, Directory: dir, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	audit := coach.NewAuditLog(db, clock)
	portal, err := coach.NewPortal(coach.PortalConfig{Store: db, Access: access, Audit: audit,
		Directory: slackapp.CachedDirectory{Dir: dir, MaxAge: 5 * time.Minute}, Clock: clock, NextDue: scheduleNext, DefaultTZ: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	// Languages come from what is stored only: no users.info call may come
	// between a command and its admin check (the failing subject relies on it).
	langOf := func(ctx context.Context, u coach.UserID) i18n.Lang {
		p, _ := db.Prefs(ctx, u)
		prof, _ := db.CachedProfile(ctx, u)
		return coach.LangFor(p, prof, i18n.EN)
	}
	svc, err := coach.NewService(coach.ServiceConfig{
		Store: db, Prompter: surfPrompter{db}, Directory: slackapp.CachedDirectory{Dir: dir, MaxAge: 5 * time.Minute}, Clock: clock,
		Messenger: slackapp.NewMessenger(slackapp.MessengerConfig{Slack: api, Settings: db, LangOf: langOf}),
		IsAdmin:   access.IsAdmin,
	})
	if err != nil {
		t.Fatal(err)
	}
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.ErrorLevel)
	surfaces, err := slackapp.NewSurfaces(slackapp.SurfacesConfig{Portal: portal, Slack: api,
		Team: coach.TeamID(sim.TeamID()), LangOf: langOf, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	r := slackapp.NewRouter()
	slackapp.RegisterHelp(r, slackapp.HelpDeps{LangOf: langOf, IsAdmin: func(ctx context.Context, u coach.UserID) bool {
		ok, _ := access.IsAdmin(ctx, u)
		return ok
	}})
	if err := slackapp.RegisterCoach(r, slackapp.CoachDeps{Service: svc, Store: db, Slack: api, LangOf: langOf,
		Team: coach.TeamID(sim.TeamID()), Logger: log}); err != nil {
		t.Fatal(err)
	}
	surfaces.Register(r)
	schedules, err := coach.NewSchedules(coach.SchedulesConfig{Store: db, IsAdmin: access.IsAdmin, Audit: audit,
		Directory: slackapp.CachedDirectory{Dir: dir, MaxAge: 5 * time.Minute}, Clock: clock,
		Parse: func(w string) (string, error) {
			r, err := schedule.ParseWhen(w)
			if err != nil {
				return "", err
			}
			return r.String(), nil
		},
		NextDue: scheduleNext})
	if err != nil {
		t.Fatal(err)
	}
	slackapp.RegisterSchedules(r, slackapp.ScheduleDeps{Schedules: schedules, LangOf: langOf})

	app := slackapp.New(slackapp.Config{Socket: socketmode.New(api), Router: r, Logger: log, LangOf: langOf})
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Run(runCtx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Errorf("App.Run did not return within 10s of cancel")
		}
		if err := db.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	if err := sim.WaitConnected(wctx); err != nil {
		t.Fatalf("bot never connected: %v", err)
	}
	return &surfWorld{t: t, sim: sim, db: db, access: access, portal: portal, surfaces: surfaces}
}

func (w *surfWorld) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	w.t.Cleanup(cancel)
	return ctx
}

// slash types "/coach text" as user and returns the reply.
func (w *surfWorld) slash(user, text string) slacksim.Message {
	w.t.Helper()
	ctx := w.ctx()
	r, err := w.sim.As(user).Slash(ctx, "/coach", text)
	if err != nil {
		w.t.Fatalf("/coach %s as %s: %v", text, user, err)
	}
	m, err := r.WaitResponse(ctx)
	if err != nil {
		w.t.Fatalf("/coach %s as %s: no reply: %v", text, user, err)
	}
	if len(m.Blocks) > 0 {
		for _, p := range slacksim.ValidateMessageBlocks(m.Blocks) {
			w.t.Errorf("/coach %s: Block Kit: %s", text, p)
		}
	}
	return m
}

// home opens user's App Home and returns the published view.
func (w *surfWorld) home(user string) slacksim.View {
	w.t.Helper()
	ctx := w.ctx()
	r, err := w.sim.As(user).OpenHome(ctx)
	if err != nil {
		w.t.Fatalf("%s opens the App Home: %v", user, err)
	}
	v, err := r.WaitView(ctx)
	if err != nil {
		w.t.Fatalf("%s opened the App Home; nothing published: %v", user, err)
	}
	if v.Type != "home" {
		w.t.Fatalf("%s's App Home view type = %q, want home", user, v.Type)
	}
	return v
}

// shown is every string a person sees in blocks (and text), one per line.
func shown(text string, blocks json.RawMessage) string {
	var b strings.Builder
	b.WriteString(text)
	var v any
	if json.Unmarshal(blocks, &v) == nil {
		collectShown(&b, v)
	}
	return b.String()
}

func collectShown(b *strings.Builder, v any) {
	switch x := v.(type) {
	case string:
		b.WriteString("\n" + x)
	case []any:
		for _, e := range x {
			collectShown(b, e)
		}
	case map[string]any:
		for _, e := range x {
			collectShown(b, e)
		}
	}
}

// refused reports whether reply is the refusal of an admin command, from
// this package's Access or the coaching Service.
func refused(reply, command string) bool {
	for _, l := range i18n.Langs() {
		if reply == l.T("access.err.admin_only", command) || reply == l.T("svc.err.admin_only", command) {
			return true
		}
	}
	return false
}

// TestE2EAuthorizationMatrix types every admin command the bot serves as
// every subject through slacksim. The subject users.info fails for gets a
// Slack error injected before each of their commands. Wrong allows: 0.
func TestE2EAuthorizationMatrix(t *testing.T) {
	w := newSurfWorld(t)
	ctx := t.Context()
	if err := w.db.PutDirector(ctx, coach.Director{ID: suDirector, Leaders: []coach.UserID{suLeader}}); err != nil {
		t.Fatal(err)
	}
	subjects := []struct {
		name  string
		id    string
		admin bool
	}{
		{"workspace owner", suOwner, true},
		{"workspace admin", suWSAdmin, true},
		{"listed admin", suListed, true},
		{"added admin", suAdded, true},
		{"plain member", suMember, false},
		{"guest", suGuest, false},
		{"single-channel guest", suSCGuest, false},
		{"bot", suBot, false},
		{"deleted user", suDeleted, false},
		{"user of another team", suStranger, false},
		{"users.info failing", suFailing, false},
	}
	commands := []struct{ name, text string }{
		{"director add", "director add <@" + suNewbie + "|nina> leader <@" + suLeader + "|lee>"},
		{"director remove", "director remove <@" + suNewbie + "|nina>"},
		{"director list", "director list"},
		{"channel", "channel <#" + suKudos + "|kudos>"},
		{"send", "send standup <@" + suDirector + "|anna>"},
		{"admin add", "admin add <@" + suNewbie + "|nina>"},
		{"admin remove", "admin remove <@" + suNewbie + "|nina>"},
		{"admin list", "admin list"},
		{"report", "report"},
		{"audit", "audit"},
		{"schedule add", "schedule add standup weekdays 08:45 to all"},
		{"schedule list", "schedule list"},
		{"schedule pause", "schedule pause s1"},
		{"schedule resume", "schedule resume s1"},
		{"schedule remove", "schedule remove s1"},
		// "habits" is left out: the coaching routes answer it for everyone
		// (a read-only list), though docs/product.md lists it for admins.
	}
	wrongAllows, wrongDenies, served := 0, 0, 0
	for _, c := range commands {
		word, _, _ := strings.Cut(c.text, " ")
		if m := w.slash(suOwner, c.text); strings.Contains(m.Text, "/coach "+word+"`") && strings.Contains(m.Text, "/coach help") {
			t.Errorf("/coach %s is not served: %q", c.name, m.Text)
			continue
		}
		served++
		for _, s := range subjects {
			before, _ := w.db.AuditLog(ctx, 0)
			admins, _ := w.db.Admins(ctx)
			calls := len(w.sim.CallsTo("users.info"))
			if s.id == suFailing {
				w.sim.FailNext("users.info", 1, slacksim.Fault{Error: "internal_error"})
			}
			reply := w.slash(s.id, c.text)
			if s.id == suFailing {
				got := w.sim.CallsTo("users.info")
				if len(got) <= calls || got[calls].Error != "internal_error" || got[calls].Args["user"] != suFailing {
					t.Fatalf("%s by %s: the injected users.info failure was not what the admin check saw: %+v", c.name, s.name, got[calls:])
				}
			}
			allowed := !refused(reply.Text, c.name)
			after, _ := w.db.AuditLog(ctx, 0)
			adminsAfter, _ := w.db.Admins(ctx)
			switch {
			case allowed && !s.admin:
				wrongAllows++
				t.Errorf("/coach %s by %s (%s) was not refused: %q", c.name, s.name, s.id, reply.Text)
			case !allowed && s.admin:
				wrongDenies++
				t.Errorf("/coach %s by %s was refused: %q", c.name, s.name, reply.Text)
			case !allowed && (len(after) != len(before) || len(adminsAfter) != len(admins)):
				t.Errorf("/coach %s by %s was refused but changed something (audit %d->%d, admins %v->%v)",
					c.name, s.name, len(before), len(after), admins, adminsAfter)
			}
		}
	}
	t.Logf("end-to-end authorization matrix: %d served commands x %d subjects, %d wrong allows, %d wrong denies",
		served, len(subjects), wrongAllows, wrongDenies)
	if wrongAllows != 0 {
		t.Fatalf("wrong allows = %d, want 0", wrongAllows)
	}
	if wrongDenies != 0 {
		t.Fatalf("wrong denies = %d, want 0", wrongDenies)
	}
	// The allowed admin changes were audited: who, what, when.
	log, _ := w.db.AuditLog(ctx, 0)
	actions := map[string]int{}
	for _, e := range log {
		actions[e.Action]++
	}
	for _, a := range []string{"director.add", "director.remove", "channel.set", "admin.add", "admin.remove",
		"schedule.add", "schedule.pause", "schedule.resume", "schedule.remove"} {
		if actions[a] == 0 {
			t.Errorf("audit log has no %s entry: %v", a, actions)
		}
	}
}

func TestE2EAdminCommands(t *testing.T) {
	w := newSurfWorld(t)
	if m := w.slash(suOwner, "admin add <@"+suGuest+"|gus>"); !strings.Contains(m.Text, "can't be a leancoach admin") {
		t.Errorf("admin add guest = %q, want a refusal that says why", m.Text)
	}
	if m := w.slash(suOwner, "admin add <@"+suNewbie+"|nina>"); m.Text != i18n.EN.T("admin.added", "<@"+suNewbie+">") {
		t.Errorf("admin add = %q", m.Text)
	}
	if m := w.slash(suNewbie, "admin list"); !strings.Contains(shown(m.Text, m.Blocks), "<@"+suNewbie+">") {
		t.Errorf("admin list by the new admin = %q, want them listed", shown(m.Text, m.Blocks))
	}
	if m := w.slash(suOwner, "admin remove <@"+suListed+"|lisa>"); !strings.Contains(m.Text, "LEANCOACH_ADMINS") {
		t.Errorf("admin remove listed = %q, want it to point at LEANCOACH_ADMINS", m.Text)
	}
	if m := w.slash(suOwner, "admin frobnicate"); m.Text != i18n.EN.T("admin.usage") {
		t.Errorf("admin frobnicate = %q, want the usage", m.Text)
	}
	m := w.slash(suOwner, "audit")
	got := shown(m.Text, m.Blocks)
	if !strings.Contains(got, "`admin.add` `"+suNewbie+"`") || !strings.Contains(got, "<@"+suOwner+">") {
		t.Errorf("audit = %q, want the admin.add by the owner", got)
	}
}
