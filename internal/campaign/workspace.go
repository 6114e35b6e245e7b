package campaign

import (
	"context"
	"fmt"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
	"github.com/leancoach/leancoach/internal/store"
)

// Canary tokens: every campaign run uses them, and I6 looks for them in every
// log line the bot wrote.
const (
	CanaryBotToken = "xoxb-CANARY-0000000000-bot-7f3a9c1e5b"
	CanaryAppToken = "xapp-1-CANARY-0000000000-app-4d2b8e6f0a"
)

// Workspace is the people and channels of a campaign run.
type Workspace struct {
	Admin     coach.UserID
	Directors []coach.UserID
	Leaders   []coach.UserID // Leaders[i] leads for Directors[i]
	Kudos     coach.ChannelID
	// Zones[i] is Directors[i]'s Slack time zone.
	Zones []string
}

// DirectorID is the i-th director's user id.
func DirectorID(i int) coach.UserID { return coach.UserID(fmt.Sprintf("U0DIR%05d", i)) }

// LeaderID is the i-th director's Lean leader's user id.
func LeaderID(i int) coach.UserID { return coach.UserID(fmt.Sprintf("U0LDR%05d", i)) }

// NewWorkspace adds an admin, n directors (each with one Lean leader) and a
// #kudos channel the bot is in to sim. Directors take their zones from
// zones in turn (default Europe/Amsterdam).
func NewWorkspace(sim *slacksim.Server, n int, zones ...string) Workspace {
	if len(zones) == 0 {
		zones = []string{"Europe/Amsterdam"}
	}
	ws := Workspace{Admin: "U0ADMIN01", Kudos: "C0KUDOS01"}
	sim.AddUser(slacksim.User{ID: string(ws.Admin), Name: "ingrid", RealName: "Ingrid Admin", TZ: "Europe/Amsterdam", Locale: "en-US", IsAdmin: true})
	members := []string{string(ws.Admin), sim.BotUserID()}
	for i := range n {
		d, l := DirectorID(i), LeaderID(i)
		zone := zones[i%len(zones)]
		sim.AddUser(slacksim.User{ID: string(d), Name: fmt.Sprintf("dir%d", i), RealName: fmt.Sprintf("Director %d", i), TZ: zone, Locale: "en-US"})
		sim.AddUser(slacksim.User{ID: string(l), Name: fmt.Sprintf("lead%d", i), RealName: fmt.Sprintf("Leader %d", i), TZ: zone, Locale: "en-US"})
		ws.Directors = append(ws.Directors, d)
		ws.Leaders = append(ws.Leaders, l)
		ws.Zones = append(ws.Zones, zone)
		members = append(members, string(d), string(l))
	}
	sim.AddChannel(slacksim.Channel{ID: string(ws.Kudos), Name: "kudos", Members: members})
	return ws
}

// Seed writes the workspace's directors, the kudos channel and schedules
// into the database at path, as an admin's /coach commands would, so that a
// scenario starts from a known state without a slash-command preamble.
// It returns the schedules' ids in order.
func (ws Workspace) Seed(ctx context.Context, path string, schedules ...coach.Schedule) ([]coach.ScheduleID, error) {
	db, err := store.Open(path, store.Options{})
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	defer db.Close()
	for i, d := range ws.Directors {
		if err := db.PutDirector(ctx, coach.Director{ID: d, Leaders: []coach.UserID{ws.Leaders[i]}, AddedBy: ws.Admin}); err != nil {
			return nil, fmt.Errorf("seed: director %s: %w", d, err)
		}
	}
	if err := db.PutSetting(ctx, coach.SettingKudosChannel, string(ws.Kudos)); err != nil {
		return nil, fmt.Errorf("seed: kudos channel: %w", err)
	}
	var ids []coach.ScheduleID
	for _, s := range schedules {
		if s.CreatedBy == "" {
			s.CreatedBy = ws.Admin
		}
		id, err := db.PutSchedule(ctx, s)
		if err != nil {
			return nil, fmt.Errorf("seed: schedule %s: %w", s.When, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// SeedProfiles caches every director's and Lean leader's Slack profile in
// the database at path, fetched at at, as a bot that has been running for a
// while has them (it renews them in bulk): a load test of a morning then
// measures the morning, not the warming of a first start.
func (ws Workspace) SeedProfiles(ctx context.Context, path string, at time.Time) error {
	db, err := store.Open(path, store.Options{})
	if err != nil {
		return fmt.Errorf("seed profiles: %w", err)
	}
	defer db.Close()
	ps := make([]coach.Profile, 0, 2*len(ws.Directors))
	for i, d := range ws.Directors {
		ps = append(ps, coach.Profile{ID: d, Name: string(d), TZ: ws.Zones[i], Locale: "en-US", FetchedAt: at},
			coach.Profile{ID: ws.Leaders[i], Name: string(ws.Leaders[i]), TZ: ws.Zones[i], Locale: "en-US", FetchedAt: at})
	}
	if err := db.PutProfile(ctx, ps...); err != nil {
		return fmt.Errorf("seed profiles: %w", err)
	}
	return nil
}

// BotEnv is the environment for the production bot against sim.
func BotEnv(sim *slacksim.Server, ws Workspace, dbPath string) map[string]string {
	return map[string]string{
		"SLACK_BOT_TOKEN":     sim.BotToken(),
		"SLACK_APP_TOKEN":     sim.AppToken(),
		"SLACK_API_URL":       sim.APIURL(),
		"LEANCOACH_DB":        dbPath,
		"LEANCOACH_ADMINS":    string(ws.Admin),
		"LEANCOACH_HTTP_ADDR": "off",
		// The scenarios pack many prompts a day into each director's DM to
		// load the delivery path; the weekly budget would hold most of them
		// back. It has its own tests (internal/coach, internal/schedule).
		"LEANCOACH_WEEKLY_BUDGET": "off",
		// Debug is the chattiest level: I6 must hold at every level.
		"LOG_LEVEL": "debug",
	}
}
