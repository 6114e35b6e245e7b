package slackapp_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
)

// TestRenderHelp renders the help for each role and a person with two; its
// example date comes from the viewer's today (renderAt, 7 December 2026).
func TestRenderHelp(t *testing.T) {
	for _, lang := range i18n.Langs() {
		for name, rs := range map[string]coach.Roles{
			"help_none":           coach.RoleNone,
			"help_director":       coach.RoleDirector,
			"help_leader":         coach.RoleLeader,
			"help_admin":          coach.RoleAdmin,
			"help_admin_director": coach.RoleAdmin | coach.RoleDirector,
		} {
			r := slackapp.HelpReply(lang, coach.Viewer{User: directorID, Roles: rs, Now: renderAt})
			checkMessage(t, name+"."+string(lang), r.Text, r.Blocks)
		}
	}
}

func TestRenderSchedules(t *testing.T) {
	london := mustLoc("Europe/London")
	info := coach.ScheduleInfo{
		Schedule: coach.Schedule{ID: "s3", Habit: coach.Standup, When: "weekdays 08:45", ToAll: true},
		Upcoming: []coach.Upcoming{
			{Director: directorID, Loc: amsterdam, Times: []time.Time{
				time.Date(2026, 12, 7, 8, 45, 0, 0, amsterdam), time.Date(2026, 12, 8, 8, 45, 0, 0, amsterdam),
				time.Date(2026, 12, 9, 8, 45, 0, 0, amsterdam)}},
			{Director: "UDIRECT2", Loc: london, Times: []time.Time{time.Date(2026, 12, 7, 8, 45, 0, 0, london)}},
		},
		More: 3,
	}
	paused := coach.ScheduleInfo{Schedule: coach.Schedule{ID: "s4", Habit: coach.Compliment, When: "weekly fri 10:00",
		Directors: []coach.UserID{directorID}, Paused: true}}
	over := coach.Load{Director: directorID, Budget: 5, Average: 6.25, Max: 7, Wait: []coach.Habit{coach.Gemba, coach.Feedback}}
	fits := coach.Load{Director: "UDIRECT2", Budget: 5, Average: 3.25, Max: 4}
	overInfo := info
	overInfo.Over, overInfo.OverMore = []coach.Load{over, {Director: "UDIRECT3", Budget: 5, Average: 5.5, Max: 6, Wait: []coach.Habit{coach.Gemba}}}, 2
	// A check-in schedule's times are per Lean leader, in their zone; a
	// second one names the one the check-ins go on.
	checkIn := coach.ScheduleInfo{
		Schedule: coach.Schedule{ID: "s5", Habit: coach.CheckInHabit, When: "monthly third wed 10:00", ToAll: true},
		Upcoming: []coach.Upcoming{{Leader: leaderID, Loc: london, Times: []time.Time{
			time.Date(2026, 12, 16, 10, 0, 0, 0, london), time.Date(2027, 1, 20, 10, 0, 0, 0, london)}}},
		More: 2,
	}
	checkInBy := coach.ScheduleInfo{Schedule: coach.Schedule{ID: "s6", Habit: coach.CheckInHabit, When: "monthly last fri 15:00", ToAll: true},
		CheckInBy: "s5"}
	noLeaders := coach.ScheduleInfo{Schedule: checkIn.Schedule}
	for _, lang := range i18n.Langs() {
		r := slackapp.ScheduleAddedReply(lang, info)
		checkMessage(t, "schedule_added."+string(lang), r.Text, r.Blocks)
		r = slackapp.ScheduleAddedReply(lang, overInfo)
		checkMessage(t, "schedule_added_over."+string(lang), r.Text, r.Blocks)
		r = slackapp.ScheduleListReply(lang, []coach.ScheduleInfo{info, paused}, []coach.Load{over, fits})
		checkMessage(t, "schedule_list."+string(lang), r.Text, r.Blocks)
		r = slackapp.ScheduleListReply(lang, []coach.ScheduleInfo{info}, []coach.Load{{Director: "UDIRECT2", Average: 9, Max: 10}})
		checkMessage(t, "schedule_list_no_budget."+string(lang), r.Text, r.Blocks)
		r = slackapp.ScheduleAddedReply(lang, checkIn)
		checkMessage(t, "schedule_added_checkin."+string(lang), r.Text, r.Blocks)
		r = slackapp.ScheduleAddedReply(lang, checkInBy)
		checkMessage(t, "schedule_added_checkin_by."+string(lang), r.Text, r.Blocks)
		r = slackapp.ScheduleAddedReply(lang, noLeaders)
		checkMessage(t, "schedule_added_checkin_none."+string(lang), r.Text, r.Blocks)
		r = slackapp.ScheduleListReply(lang, []coach.ScheduleInfo{checkIn, checkInBy}, nil)
		checkMessage(t, "schedule_list_checkin."+string(lang), r.Text, r.Blocks)
	}
}

// TestRenderDMHint renders the answer to text typed in the bot's DM.
func TestRenderDMHint(t *testing.T) {
	for _, lang := range i18n.Langs() {
		for name, rs := range map[string]coach.Roles{"dm_hint_leader": coach.RoleLeader, "dm_hint_director": coach.RoleDirector} {
			r := slackapp.DMHintReply(lang, coach.Viewer{User: leaderID, Roles: rs, Now: renderAt})
			checkMessage(t, name+"."+string(lang), r.Text, r.Blocks)
		}
	}
}

// TestExamplesFollowTheClock: with the clock in 2027, the help and the App
// Home show an example date two weeks ahead, never a fixed one.
func TestExamplesFollowTheClock(t *testing.T) {
	ams := mustLoc("Europe/Amsterdam")
	now := time.Date(2027, 3, 10, 23, 30, 0, 0, ams)
	d := coach.Director{ID: "UDIRANNA1", Leaders: []coach.UserID{"ULEADER1"}}
	home := coach.BuildHome(coach.HomeInput{User: d.ID, Now: now, Loc: ams, Director: &d})
	for _, l := range i18n.Langs() {
		help := slackapp.HelpReply(l, coach.Viewer{User: d.ID, Roles: coach.RoleDirector, Now: now})
		raw, _ := json.Marshal(help.Blocks)
		homeRaw, _ := json.Marshal(slackapp.HomeView(l, home).Blocks)
		for name, out := range map[string]string{"help": string(raw), "home": string(homeRaw)} {
			if !strings.Contains(out, "pause until 2027-03-24") || strings.Contains(out, "2026-") {
				t.Errorf("%s (%s) at %s: want the example 2027-03-24 and no 2026 date:\n%s", name, l, now, out)
			}
		}
	}
}
