package campaign_test

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/campaign"
	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// E5: the acting user, against the production bot. Director 1 clicks
// director 0's prompt and submits a forged answer modal naming director 2's
// prompt; director 3 double-clicks their own. Only director 3's answer is
// recorded, once; the others stay unanswered (the oracle's "recorded but
// nobody answered it" catches a forged write).
func TestActingUser(t *testing.T) {
	t.Parallel()
	rig, keys := seededRig(t, 4)
	startRig(t, rig)
	ds := rig.WS.Directors
	intruder := rig.Sim.As(string(ds[1]))

	// B clicks A's prompt.
	res, err := intruder.Click(waitCtx(t, 10*time.Second), promptOf(t, rig.Sim, ds[0]), bot.ActionNotToday)
	if err != nil {
		t.Fatalf("forged click: %v", err)
	}
	if m, err := res.WaitResponse(waitCtx(t, 10*time.Second)); err != nil {
		t.Errorf("forged click got no refusal: %v", err)
	} else {
		t.Logf("forged click told: %q", m.Text)
	}

	// B submits an answer modal whose private_metadata names C's prompt.
	meta, _ := json.Marshal(bot.ModalMeta{Key: keys[2], Lang: "en"})
	payload, _ := json.Marshal(map[string]any{
		"type": "view_submission", "team": map[string]any{"id": rig.Sim.TeamID()},
		"user":       map[string]any{"id": string(ds[1]), "team_id": rig.Sim.TeamID()},
		"api_app_id": rig.Sim.AppID(), "trigger_id": "1.2.forged",
		"view": map[string]any{"id": "V0FORGED1", "type": "modal", "callback_id": bot.ViewDone,
			"private_metadata": string(meta), "state": map[string]any{"values": map[string]any{}}},
	})
	id := rig.Sim.Send("interactive", payload)
	if _, err := rig.Sim.WaitAck(waitCtx(t, 10*time.Second), id); err != nil {
		t.Errorf("forged submission not acked: %v", err)
	}

	// D double-clicks their own prompt.
	var in []campaign.Interaction
	var mu sync.Mutex
	var wg sync.WaitGroup
	own := promptOf(t, rig.Sim, ds[3])
	for range 2 {
		wg.Go(func() {
			r, err := rig.Sim.As(string(ds[3])).Click(waitCtx(t, 10*time.Second), own, bot.ActionNotToday)
			if err != nil {
				t.Errorf("own click: %v", err)
				return
			}
			mu.Lock()
			in = append(in, campaign.Interaction{EnvelopeID: r.EnvelopeID, Key: keys[3], Director: ds[3], Habit: coach.Gemba, Outcome: coach.NotToday})
			mu.Unlock()
		})
	}
	wg.Wait()
	waitEdited(t, rig.Sim, []slacksim.Message{own}, 20*time.Second)
	pauseT(t, time.Second) // the forged submission's handler, if any, has run
	stopRig(t, rig, 5*time.Second)
	rep := check(t, rig, campaign.Expect{Due: campaign.DuesOf(keys, campaign.WantSent), Interactions: in, Now: time.Now()})
	t.Logf("FIGURE E5 forged click, forged modal, double click: %s", rep)
}
