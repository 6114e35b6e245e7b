//go:build campaign

package main

import (
	"fmt"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
)

// campaignClockEnv holds how far the bot's clock is ahead of the wall clock,
// as a Go duration ("-5962h3m2.5s"). Only binaries built with -tags campaign
// read it: the reliability campaign (internal/campaign) runs the compiled bot
// on a DST night or across downtime, killing and restarting it, and sets the
// offset anew before each start to step simulated time while the bot is
// down. A build tag rather than a runtime setting keeps this out of the
// production binary altogether (clock_default.go).
const campaignClockEnv = "LEANCOACH_CAMPAIGN_CLOCK"

// campaignClock returns the wall clock shifted by the offset in
// LEANCOACH_CAMPAIGN_CLOCK, or nil (the wall clock) when it is unset.
//
// The clock runs at the wall clock's pace on purpose: the due-loop and every
// timeout sleep on real timers for durations read off this clock, so a
// faster clock would make the loop wake late by the speed factor. Tests move
// time by steps between runs instead, and any process computing the same
// offset (the campaign's local Slack stamping messages) reads the same time.
func campaignClock(getenv func(string) string) (coach.Clock, error) {
	v := getenv(campaignClockEnv)
	if v == "" {
		return nil, nil
	}
	off, err := time.ParseDuration(v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", campaignClockEnv, err)
	}
	return coach.ClockFunc(func() time.Time { return time.Now().Add(off) }), nil
}
