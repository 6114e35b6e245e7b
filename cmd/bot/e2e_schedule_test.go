package main

import (
	"regexp"
	"strings"
	"testing"
)

// An admin schedules a habit and sees its id and next three send times in
// each director's zone; a director may not; list, pause and remove work.
func TestScheduleCommandsEndToEnd(t *testing.T) {
	e := startBot(t)
	say := func(user, text string) string {
		t.Helper()
		res, err := e.sim.As(user).Slash(waitCtx(t), "/coach", text)
		if err != nil {
			t.Fatalf("/coach %s: %v", text, err)
		}
		msg, err := res.WaitResponse(waitCtx(t))
		if err != nil {
			t.Fatalf("no reply to /coach %s: %v", text, err)
		}
		// Read the blocks as a person would: Go's JSON escapes < and >.
		return msg.Text + "\n" + strings.NewReplacer(`\u003c`, "<", `\u003e`, ">").Replace(string(msg.Blocks))
	}
	say("U0ADMIN01", "director add <@U0DIRECT1|maarten> leader <@U0LEADER1|fatima>")
	say("U0ADMIN01", "director add <@U0DIRECT2|sarah> leader <@U0LEADER2|tom>")

	got := say("U0ADMIN01", "schedule add standup weekdays 08:45 to all")
	if !strings.Contains(got, "`s1`") {
		t.Errorf("schedule add reply = %s, want the id s1", got)
	}
	for _, zone := range []string{"Europe/Amsterdam", "Europe/London"} {
		if !strings.Contains(got, zone) {
			t.Errorf("schedule add reply = %s, want send times in %s", got, zone)
		}
	}
	// Three send times per director, at 08:45 local.
	if n := len(regexp.MustCompile(`08:45`).FindAllString(got, -1)); n < 6 {
		t.Errorf("schedule add reply shows 08:45 %d times, want 3 per director (6): %s", n, got)
	}

	// A sixth prompt a week for Sarah: over the default budget of 5; the
	// reply says so, and that the question waits behind the stand-ups.
	got = say("U0ADMIN01", "schedule add question weekly wed 10:00 to <@U0DIRECT2|sarah>")
	if !strings.Contains(got, "<@U0DIRECT2>: about 6 prompts a week, up to 6, over the weekly budget of 5") ||
		!strings.Contains(got, "*Ask a coaching question* waits for a later week") || strings.Contains(got, "<@U0DIRECT1>: about") {
		t.Errorf("schedule add over the budget = %s, want a warning for Sarah only", got)
	}
	if got := say("U0ADMIN01", "schedule list"); !strings.Contains(got, "<@U0DIRECT1>: about 5, up to 5") {
		t.Errorf("schedule list = %s, want Maarten's 5 prompts a week", got)
	}

	if got := say("U0DIRECT1", "schedule add gemba daily 09:00"); !strings.Contains(got, "beheerders") {
		t.Errorf("director's schedule add = %s, want the (Dutch) admins-only refusal", got)
	}
	if got := say("U0ADMIN01", `schedule add gemba cron "*/10 * * * *"`); !strings.Contains(got, "cron") || strings.Contains(got, "`s2`") {
		t.Errorf("too-frequent cron = %s, want a refusal", got)
	}
	if got := say("U0ADMIN01", "schedule pause s1"); !strings.Contains(got, "s1") {
		t.Errorf("schedule pause = %s", got)
	}
	if got := say("U0ADMIN01", "schedule list"); !strings.Contains(got, "s1") {
		t.Errorf("schedule list = %s, want s1", got)
	}
	if got := say("U0ADMIN01", "schedule remove s1"); !strings.Contains(got, "s1") {
		t.Errorf("schedule remove = %s", got)
	}
	if got := say("U0ADMIN01", "schedule list"); strings.Contains(got, "`s1`") {
		t.Errorf("schedule list after remove = %s, want no s1", got)
	}
}
