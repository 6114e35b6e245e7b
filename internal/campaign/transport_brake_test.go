package campaign_test

import (
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// A5 with A9: SIGTERM while the reconnect brake holds apps.connections.open
// back. The wait ends with the bot's context: the bot exits 0 within the
// 5 s of A9, not after the brake's interval.
func TestSIGTERMDuringReconnectBrake(t *testing.T) {
	t.Parallel()
	// The test watches the bot's own brake spend its burst, so Slack's Tier 1
	// for apps.connections.open must not answer 429 first.
	rig := newRig(t, slacksim.Options{RateLimits: slacksim.TierLimits().Without("apps.connections.open")}, 1)
	addr, err := campaign.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	rig.Bot.Env["LEANCOACH_HTTP_ADDR"] = addr
	startRig(t, rig)
	evs, cancel := rig.Sim.Subscribe()
	defer cancel()
	// Disconnect after every hello until the bot has spent its burst.
	rig.Sim.Disconnect("refresh_requested")
	ctx := waitCtx(t, 30*time.Second)
	for opened := 1; opened < bot.ConnectRate(campaign.BotSockets).Burst; {
		select {
		case ev, ok := <-evs:
			if !ok {
				t.Fatal("local Slack closed")
			}
			if ev.Kind == slacksim.EventConnOpened {
				opened++
				rig.Sim.Disconnect("refresh_requested")
			}
		case <-ctx.Done():
			t.Fatal("bot stopped reconnecting before spending its burst")
		}
	}
	cancel()
	// The next call to apps.connections.open is being held back.
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if v, err := metricValue(waitCtx(t, 5*time.Second), addr, "leancoach_socket_reconnect_waits_total"); err == nil && v >= 1 {
			break
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			t.Fatal("the brake never held a reconnect back")
		}
	}
	code, took, err := rig.Bot.Stop(5 * time.Second)
	if err != nil {
		t.Fatalf("SIGTERM during a braked reconnect: %v", err)
	}
	if code != 0 {
		t.Errorf("exit code after SIGTERM during a braked reconnect = %d, want 0", code)
	}
	check(t, rig, campaign.Expect{})
	t.Logf("FIGURE A5/A9 SIGTERM during a braked reconnect: exit %d after %v", code, took.Round(time.Millisecond))
}
