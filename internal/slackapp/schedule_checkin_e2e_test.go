package slackapp_test

import (
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/schedule"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// `/coach schedule add checkin` tells the send times as the check-ins will
// go: per Lean leader (once for a Lean leader with two directors, none for
// one who turned them off), each in the Lean leader's zone, not the
// directors'; the first time shown is the one the due-loop plans. A
// second check-in schedule has no times of its own: it says which one the
// check-ins go on.
func TestE2EScheduleAddCheckInTellsLeaderZones(t *testing.T) {
	const kenji = "ULEADTOK1"
	tokyo, ams := mustLoc("Asia/Tokyo"), mustLoc("Europe/Amsterdam")
	clock := &setClock{now: time.Now()}
	w := newWorldClock(t, true, clock)
	w.sim.AddUser(slacksim.User{ID: kenji, Name: "kenji", TZ: "Asia/Tokyo"})
	w.slash(eAdmin, "director add <@"+eDirector+"|dana> leader <@"+eLeader+"|lee> <@"+kenji+"|kenji>")
	w.slash(eAdmin, "director add <@"+eDirectorN+"|daan> leader <@"+kenji+"|kenji> <@"+eLeader2+"|lotte>")
	w.slash(eLeader2, "checkin off")

	const when = "monthly third wed 10:00"
	rule := schedule.MustParseWhen(when)
	inTokyo := rule.Next(clock.Now(), tokyo)
	r := w.slash(eAdmin, "schedule add checkin "+when)
	s := shown(r.Text, r.Blocks)
	for _, want := range []string{
		i18n.EN.T("sched.next_checkin"),
		"<@" + kenji + "> (Asia/Tokyo): " + i18n.EN.DateTime(inTokyo),
		"<@" + eLeader + "> (Europe/Amsterdam): " + i18n.EN.DateTime(rule.Next(clock.Now(), ams)),
	} {
		if !strings.Contains(s, want) {
			t.Errorf("schedule add checkin reply lacks %q:\n%s", want, s)
		}
	}
	if n := strings.Count(s, "<@"+kenji+">"); n != 1 {
		t.Errorf("kenji, led by two directors, is named %d times, want once:\n%s", n, s)
	}
	for _, u := range []string{eLeader2, eDirector, eDirectorN} {
		if strings.Contains(s, "<@"+u+"> (") {
			t.Errorf("the reply gives send times for %s, who gets no check-in:\n%s", u, s)
		}
	}

	// The due-loop plans kenji's check-in at the time the reply said.
	w.bot.bot.Loop.Poke()
	if err := waitUntil(w.ctx(), func() bool {
		ds, _ := w.bot.db.Dues(w.ctx())
		for _, d := range ds {
			if d.Schedule == "checkin" && d.Director == kenji && d.When == when {
				return d.Next.Equal(inTokyo)
			}
		}
		return false
	}); err != nil {
		t.Errorf("kenji's check-in is not planned at %s, the time the reply said: %v", inTokyo, err)
	}

	// A second check-in schedule is not the one they go on, and says so.
	r = w.slash(eAdmin, "schedule add checkin monthly last fri 15:00")
	if s := shown(r.Text, r.Blocks); !strings.Contains(s, i18n.EN.T("sched.checkin_by", "s1")) || strings.Contains(s, "<@"+kenji+"> (") {
		t.Errorf("second check-in schedule reply:\n%s\nwant it to say the check-ins go on s1, with no times", s)
	}
	list := w.slash(eAdmin, "schedule list")
	ls := shown(list.Text, list.Blocks)
	if !strings.Contains(ls, i18n.EN.T("sched.list.checkin_by", "s1")) || !strings.Contains(ls, "next check-in: <@") {
		t.Errorf("schedule list:\n%s\nwant s1's next check-in and s2 pointing at s1", ls)
	}
}
