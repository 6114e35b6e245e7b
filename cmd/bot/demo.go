package main

import (
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/sandbox"
	"github.com/leancoach/leancoach/internal/secret"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// demoWorkspace names the people of the sandbox's demo workspace.
type demoWorkspace struct {
	admin     coach.UserID
	directors []coach.UserID
	leaders   []coach.UserID
	kudos     coach.ChannelID
}

// seedWorkspace fills a local Slack with the demo workspace of product.md: an
// admin, two directors, two Lean leaders and a #kudos channel, Dutch and
// English speakers in three time zones. The visitor starts as the admin, who
// speaks English, as the README does.
func seedWorkspace(sim *slacksim.Server) demoWorkspace {
	users := []slacksim.User{
		{ID: "U0ADMIN01", Name: "ingrid", RealName: "Ingrid de Vries", TZ: "Europe/Amsterdam", Locale: "en-GB", IsAdmin: true},
		{ID: "U0DIRECT1", Name: "maarten", RealName: "Maarten Jansen", TZ: "Europe/Amsterdam", Locale: "nl-NL"},
		{ID: "U0DIRECT2", Name: "sarah", RealName: "Sarah Mitchell", TZ: "Europe/London", Locale: "en-GB"},
		{ID: "U0LEADER1", Name: "fatima", RealName: "Fatima El Amrani", TZ: "Europe/Amsterdam", Locale: "nl-NL"},
		{ID: "U0LEADER2", Name: "tom", RealName: "Tom Peeters", TZ: "Europe/Brussels", Locale: "nl-BE"},
	}
	for _, u := range users {
		sim.AddUser(u)
	}
	var members []string
	for _, u := range users {
		members = append(members, u.ID)
	}
	sim.AddChannel(slacksim.Channel{ID: "C0KUDOS01", Name: "kudos", Members: members})
	return demoWorkspace{
		admin:     "U0ADMIN01",
		directors: []coach.UserID{"U0DIRECT1", "U0DIRECT2"},
		leaders:   []coach.UserID{"U0LEADER1", "U0LEADER2"},
		kudos:     "C0KUDOS01",
	}
}

// guide is the page's "try this" walk-through over the demo workspace: the
// admin looks at the setup and sends Sarah a prompt; Sarah answers it, gives
// her Lean leader Tom kudos, which Tom reads in #kudos, and opens her Home;
// then anyone switches language.
func (w demoWorkspace) guide() []sandbox.GuideStep {
	admin, sarah, tom := string(w.admin), string(w.directors[1]), string(w.leaders[1])
	return []sandbox.GuideStep{
		{Key: "setup", Names: []string{admin}, Actions: []sandbox.GuideAction{
			{As: admin, Command: "/coach director list"},
			{As: admin, Command: "/coach schedule list"},
		}},
		{Key: "prompt", Names: []string{admin, sarah}, Actions: []sandbox.GuideAction{
			{As: admin, Command: "/coach send " + string(coach.Standup) + " @sarah"},
		}},
		{Key: "answer", Names: []string{sarah}, Actions: []sandbox.GuideAction{{As: sarah}}},
		{Key: "kudos", Names: []string{sarah, tom}, Actions: []sandbox.GuideAction{
			{As: sarah, Command: "/coach kudos @tom Great stand-up today: the board was current and the team solved the blocker themselves."},
			{As: tom, Open: string(w.kudos)},
		}},
		{Key: "home", Names: []string{sarah}, Actions: []sandbox.GuideAction{{As: sarah, Open: sandbox.OpenHome}}},
		{Key: "language", Actions: []sandbox.GuideAction{
			{Command: "/coach language nl"},
			{Command: "/coach language en"},
		}},
	}
}

func secretToken(s string) secret.Token { return secret.Token(s) }
