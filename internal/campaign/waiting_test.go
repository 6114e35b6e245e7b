package campaign_test

import (
	"sync"
	"testing"
)

// TestWaitingScenarios runs the scenarios that spend most of their time
// waiting on a clock (slack-go's 30 s ping watchdog, Slack's 30 s
// rate-limit fallback, the next minute, a frozen process, a 2 s Web API)
// side by side: as parallel tests they would each hold one of the
// -parallel slots (GOMAXPROCS, 2 in CI) while idle.
func TestWaitingScenarios(t *testing.T) {
	t.Parallel()
	scenarios := map[string]func(*testing.T){
		"A3_half_open":                  halfOpenDetected,
		"A6_slow_downstream":            slowDownstream,
		"B4_kill_restart_around_due":    killRestartAroundDueTime,
		"B5_frozen_and_resumed":         frozenAndResumed,
		"C1_ratelimited_200_body":       ratelimitedBody.run,
		"C4_token_revoked":              func(t *testing.T) { webAPITokenRevoked(t, "token_revoked") },
		"C4_invalid_auth_on_every_call": func(t *testing.T) { webAPITokenRevoked(t, "invalid_auth") },
	}
	var wg sync.WaitGroup
	for name, run := range scenarios {
		wg.Go(func() { t.Run(name, run) })
	}
	wg.Wait()
}
