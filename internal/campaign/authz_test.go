package campaign_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// C6, E4: who may run an admin command (/coach director list), decided by
// the production bot from Slack's users.info. Workspace admins and owners
// may; members, guests, bots, deleted users and admins of another team may
// not; and when Slack cannot be asked, the answer is no.
func TestAdminDecisions(t *testing.T) {
	t.Parallel()
	rig := newRig(t, slacksim.Options{}, 2)
	users := []struct {
		u     slacksim.User
		allow bool
	}{
		{slacksim.User{ID: "U0WSADMIN1", Name: "wsadmin", IsAdmin: true}, true},
		{slacksim.User{ID: "U0WSOWNER1", Name: "owner", IsOwner: true}, true},
		{slacksim.User{ID: "U0MEMBER01", Name: "member"}, false},
		{slacksim.User{ID: "U0GUEST001", Name: "guest", IsAdmin: true, IsRestricted: true}, false},
		{slacksim.User{ID: "U0GUEST002", Name: "scguest", IsAdmin: true, IsUltraRestricted: true}, false},
		{slacksim.User{ID: "U0BOTUSER1", Name: "bot", IsAdmin: true, IsBot: true}, false},
		{slacksim.User{ID: "U0DELETED1", Name: "gone", IsAdmin: true, Deleted: true}, false},
		{slacksim.User{ID: "U0OUTSIDE1", Name: "outsider", IsAdmin: true, TeamID: "T0OTHER01"}, false},
	}
	for _, x := range users {
		rig.Sim.AddUser(x.u)
	}
	rig.Sim.AddUser(slacksim.User{ID: "U0WSADMIN2", Name: "wsadmin2", IsAdmin: true})
	if _, err := rig.WS.Seed(waitCtx(t, 10*time.Second), rig.DBPath); err != nil {
		t.Fatal(err)
	}
	startRig(t, rig)
	listed := "<@" + string(rig.WS.Directors[0]) + ">"
	ask := func(user string) string {
		t.Helper()
		res, err := rig.Sim.As(user).Slash(waitCtx(t, 10*time.Second), "/coach", "director list")
		if err != nil {
			t.Fatalf("%s: /coach director list: %v", user, err)
		}
		m, err := res.WaitResponse(waitCtx(t, 20*time.Second))
		if err != nil {
			t.Fatalf("%s: no reply: %v", user, err)
		}
		return m.Text + "\n" + textOf(m.Blocks)
	}
	wrong := 0
	for _, x := range users {
		reply := ask(x.u.ID)
		got := strings.Contains(reply, listed)
		if got != x.allow {
			wrong++
			t.Errorf("%s (%+v): allowed = %v, want %v; reply %.200q", x.u.ID, x.u, got, x.allow, reply)
		}
	}
	// A workspace admin asks while users.info fails: no.
	rig.Sim.FailNext("users.info", 50, slacksim.Fault{Status: http.StatusInternalServerError})
	if strings.Contains(ask("U0WSADMIN2"), listed) {
		wrong++
		t.Errorf("users.info failing: a workspace admin was allowed, want a refusal (fail closed)")
	}
	stopRig(t, rig, 5*time.Second)
	check(t, rig, campaign.Expect{})
	t.Logf("FIGURE E4/C6 admin decisions: %d users and one users.info outage, %d wrong", len(users), wrong)
}
