package slackapp_test

import (
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
)

func TestRenderHelp(t *testing.T) {
	for _, lang := range i18n.Langs() {
		for _, admin := range []bool{false, true} {
			name := "help_director." + string(lang)
			if admin {
				name = "help_admin." + string(lang)
			}
			r := slackapp.HelpReply(lang, admin)
			checkMessage(t, name, r.Text, r.Blocks)
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
	for _, lang := range i18n.Langs() {
		r := slackapp.ScheduleAddedReply(lang, info)
		checkMessage(t, "schedule_added."+string(lang), r.Text, r.Blocks)
		r = slackapp.ScheduleListReply(lang, []coach.ScheduleInfo{info, paused})
		checkMessage(t, "schedule_list."+string(lang), r.Text, r.Blocks)
	}
}
