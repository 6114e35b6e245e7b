package slackapp_test

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/manifest"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

// suggested finds the commands a text suggests: every "/coach" followed by
// its words ("/coach pause until 2027-01-05" suggests pause; a bare /coach
// is help).
var suggested = regexp.MustCompile(`/coach((?: [a-z]+)*)`)

// suggestions returns the commands text suggests, by the role table, and
// the texts it could not match to a command.
func suggestions(text string) (cmds []coach.CommandInfo, unknown []string) {
	for _, m := range suggested.FindAllStringSubmatch(text, -1) {
		words := strings.TrimSpace(m[1])
		if words == "" {
			words = "help"
		}
		c, ok := coach.CommandOf(words)
		if !ok {
			unknown = append(unknown, m[0])
			continue
		}
		cmds = append(cmds, c)
	}
	return cmds, unknown
}

// matrixSubject is a person with known roles, in one language.
type matrixSubject struct {
	id    string
	roles coach.Roles
	lang  string
}

// matrixInputs are the texts typed after /coach: for every command of the
// role table its bare words and its words with a wrong argument, a correct
// form where one is known (the placeholders $LEADER, $NEWBIE, $LANG and
// $DATE are filled in per subject), and texts that name no command.
func matrixInputs() []string {
	valid := map[string][]string{
		"language":        {"language $LANG"},
		"kudos":           {"kudos <@$LEADER|lee> thank you for the calm stand-up"},
		"pause":           {"pause 2w", "pause until $DATE", "pause until 2020-01-01"},
		"director add":    {"director add <@$NEWBIE|nina> leader <@$LEADER|lee>"},
		"director remove": {"director remove <@$NEWBIE|nina>"},
		"channel":         {"channel <#CMXKUDOS1|kudos>"},
		"schedule add":    {"schedule add standup weekdays 08:45 to all"},
		"schedule pause":  {"schedule pause s1"},
		"send":            {"send standup <@$NEWBIE|nina>"},
		"admin add":       {"admin add <@$NEWBIE|nina>"},
		"admin remove":    {"admin remove <@$NEWBIE|nina>"},
		"checkin":         {"checkin off", "checkin on", "checkin"},
	}
	var out []string
	for _, c := range coach.Commands() {
		out = append(out, c.Words, c.Words+" <!channel> x")
		out = append(out, valid[c.Words]...)
	}
	return append(out, "", "frobnicate", "director", "schedule", "kudos <@$LEADER|lee> "+strings.Repeat("ok ", 1400))
}

// TestE2ERepliesSuggestOnlyWhatTheReaderCanRun types every command of the
// role table (bare, wrong and right) as an admin, a director, a Lean leader,
// someone without a role and people with two roles, in English and in
// Dutch, opens their App Home and types a message in their DM. No reply may
// suggest a command its reader cannot run; naming the command they typed
// (in a refusal or an example of its syntax) is the one exception.
func TestE2ERepliesSuggestOnlyWhatTheReaderCanRun(t *testing.T) {
	sim := slacksim.New(slacksim.Options{BotEvents: manifest.BotEvents(), RetryDelays: []time.Duration{0, 50 * time.Millisecond}})
	t.Cleanup(sim.Close)
	var subjects []matrixSubject
	var admins []coach.UserID
	var directors []coach.Director
	for _, lang := range []string{"en", "nl"} {
		id := func(role string) string { return strings.ToUpper("UMX" + role + lang) }
		for _, s := range []matrixSubject{
			{id("ADM"), coach.RoleAdmin, lang},
			{id("DIR"), coach.RoleDirector, lang},
			{id("LEAD"), coach.RoleLeader, lang},
			{id("NONE"), coach.RoleNone, lang},
			{id("ADMDIR"), coach.RoleAdmin | coach.RoleDirector, lang},
			{id("DIRLEAD"), coach.RoleDirector | coach.RoleLeader, lang},
		} {
			subjects = append(subjects, s)
			sim.AddUser(slacksim.User{ID: s.id, Name: strings.ToLower(s.id), Locale: s.lang + "-NL", TZ: "Europe/Amsterdam"})
			if s.roles.Has(coach.RoleAdmin) {
				admins = append(admins, coach.UserID(s.id))
			}
		}
		directors = append(directors,
			coach.Director{ID: coach.UserID(id("DIR")), Leaders: []coach.UserID{coach.UserID(id("LEAD")), coach.UserID(id("DIRLEAD"))}},
			coach.Director{ID: coach.UserID(id("ADMDIR")), Leaders: []coach.UserID{coach.UserID(id("LEAD"))}},
			coach.Director{ID: coach.UserID(id("DIRLEAD")), Leaders: []coach.UserID{coach.UserID(id("LEAD"))}})
	}
	const newbie = "UMXNEWBIE"
	sim.AddUser(slacksim.User{ID: newbie, Name: "nina"})
	sim.AddChannel(slacksim.Channel{ID: "CMXKUDOS1", Name: "kudos"})
	seed := func(ctx context.Context, db *store.DB) error {
		for _, d := range directors {
			if err := db.PutDirector(ctx, d); err != nil {
				return err
			}
		}
		return db.PutSetting(ctx, coach.SettingKudosChannel, "CMXKUDOS1")
	}
	startBot(t, sim, filepath.Join(t.TempDir(), "leancoach.db"), botOptions{admins: admins, seed: seed})

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	replies, bad := 0, 0
	check := func(s matrixSubject, what, typed, text string) {
		t.Helper()
		replies++
		typedCmd, typedOK := coach.CommandOf(typed)
		cmds, unknown := suggestions(text)
		for _, u := range unknown {
			if strings.HasPrefix(typed, strings.TrimSpace(strings.TrimPrefix(u, "/coach"))) {
				continue // "I don't know /coach frobnicate"
			}
			t.Errorf("%s (%s) %s: suggests %q, which is no command of the role table", s.id, s.roles, what, u)
		}
		for _, c := range cmds {
			if s.roles.Can(c) || (typedOK && c.Words == typedCmd.Words) {
				continue
			}
			bad++
			t.Errorf("%s (%s) %s: suggests /coach %s, which needs %s:\n%s", s.id, s.roles, what, c.Words, c.Who, text)
		}
	}
	for _, s := range subjects {
		leader := "UMXLEAD" + strings.ToUpper(s.lang)
		if s.id == leader {
			leader = "UMXDIRLEAD" + strings.ToUpper(s.lang) // no compliments to oneself
		}
		fill := strings.NewReplacer("$LEADER", leader, "$NEWBIE", newbie, "$LANG", s.lang,
			"$DATE", time.Now().AddDate(0, 0, 10).Format(time.DateOnly))
		for _, in := range matrixInputs() {
			text := fill.Replace(in)
			r, err := sim.As(s.id).Slash(ctx, "/coach", text)
			if err != nil {
				t.Fatalf("%s: /coach %.40s: %v", s.id, text, err)
			}
			m, err := r.WaitResponse(ctx)
			if err != nil {
				t.Fatalf("%s: /coach %.40s: no reply: %v", s.id, text, err)
			}
			check(s, "/coach "+firstWords(text), text, shown(m.Text, m.Blocks))
			if text == "help" {
				checkComplete(t, s, shown(m.Text, m.Blocks))
			}
		}
		home, err := sim.As(s.id).OpenHome(ctx)
		if err != nil {
			t.Fatalf("%s opens the App Home: %v", s.id, err)
		}
		v, err := home.WaitView(ctx)
		if err != nil {
			t.Fatalf("%s: no App Home: %v", s.id, err)
		}
		check(s, "App Home", "", shown("", v.Blocks))
		said, err := sim.As(s.id).Say(ctx, "hello?")
		if err != nil {
			t.Fatalf("%s types in the DM: %v", s.id, err)
		}
		dm, err := said.WaitDM(ctx)
		if err != nil {
			t.Fatalf("%s: no answer to text in the DM: %v", s.id, err)
		}
		check(s, "DM answer", "", shown(dm.Text, dm.Blocks))
	}
	t.Logf("roles matrix: %d subjects, %d replies, %d suggestions of a command the reader cannot run",
		len(subjects), replies, bad)
}

// checkComplete fails unless help lists every command s may run.
func checkComplete(t *testing.T, s matrixSubject, help string) {
	t.Helper()
	listed := map[string]bool{}
	cmds, _ := suggestions(help)
	for _, c := range cmds {
		listed[c.Help] = true
	}
	for _, c := range coach.CommandsFor(s.roles) {
		if !listed[c.Help] {
			t.Errorf("%s (%s): help does not list /coach %s", s.id, s.roles, c.Words)
		}
	}
}

func firstWords(s string) string {
	f := strings.Fields(s)
	if len(f) > 3 {
		f = f[:3]
	}
	return strings.Join(f, " ")
}
