//go:build !campaign

package main

import "github.com/leancoach/leancoach/internal/coach"

// campaignClock is the production build's: always nil, the wall clock. The
// campaign's movable clock exists only in binaries built with -tags campaign
// (clock_campaign.go); this build does not read the environment for it at
// all, so no setting can move a production bot's time.
func campaignClock(func(string) string) (coach.Clock, error) { return nil, nil }
