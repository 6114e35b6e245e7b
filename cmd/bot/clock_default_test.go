//go:build !campaign

package main

import "testing"

// The production build never moves its clock, whatever the environment says.
func TestCampaignClockIgnoredInProduction(t *testing.T) {
	getenv := func(string) string { return "-720h" }
	c, err := campaignClock(getenv)
	if c != nil || err != nil {
		t.Errorf("campaignClock(-720h) = %v, %v; want nil (the wall clock), nil", c, err)
	}
}
