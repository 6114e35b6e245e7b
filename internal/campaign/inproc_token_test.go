package campaign_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/bot"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// C4, auth, in process: the bot token is refused while sending. The
// in-process bot stops on its own, as the binary exits non-zero
// (TestWebAPIBotTokenRefused): Done closes, Stop reports Slack's refusal,
// and the log says so once.
func TestInProcStopsWhenBotTokenRefused(t *testing.T) {
	t.Parallel()
	p := newInProc(t, slacksim.Options{}, 1, nil, noLoop)
	d := p.ws.Directors[0]
	for _, m := range botTokenMethods {
		p.sim.FailNext(m, 1000, slacksim.Fault{Error: "token_revoked"})
	}
	if _, err := p.sim.As(string(p.ws.Admin)).Slash(waitCtx(t, 10*time.Second), "/coach", "send gemba <@"+string(d)+"|dir0>"); err != nil {
		t.Fatalf("/coach send: %v", err)
	}
	select {
	case <-p.bot.Done():
	case <-waitCtx(t, 30*time.Second).Done():
		t.Fatal("in-process bot kept running with its token refused")
	}
	err := p.bot.Stop()
	p.bot = nil
	var auth *bot.AuthError
	if !errors.As(err, &auth) || auth.Code != "token_revoked" {
		t.Errorf("Stop() = %v, want the *bot.AuthError token_revoked", err)
	}
	if n := bytes.Count(p.log.Bytes(), tokenRefusedLog); n != 1 {
		t.Errorf("the log says %q %d times, want once", tokenRefusedLog, n)
	}
	if n := len(p.sim.CallsTo("chat.postMessage")); n > 1 {
		t.Errorf("chat.postMessage called %d times with the token refused, want ≤ 1 (no retry)", n)
	}
}
