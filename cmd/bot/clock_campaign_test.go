//go:build campaign

package main

import (
	"strings"
	"testing"
	"time"
)

func TestCampaignClock(t *testing.T) {
	tests := []struct {
		env     string
		off     time.Duration
		wall    bool // nil clock: the wall clock
		wantErr bool
	}{
		{env: "", wall: true},
		{env: "-5962h3m2.5s", off: -(5962*time.Hour + 3*time.Minute + 2500*time.Millisecond)},
		{env: "1h", off: time.Hour},
		{env: "0s", off: 0},
		{env: "2026-03-29T02:30:00Z", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			getenv := func(k string) string {
				if k == campaignClockEnv {
					return tt.env
				}
				return ""
			}
			c, err := campaignClock(getenv)
			switch {
			case tt.wantErr:
				if err == nil || !strings.Contains(err.Error(), campaignClockEnv) {
					t.Errorf("campaignClock(%q) error = %v, want one naming %s", tt.env, err, campaignClockEnv)
				}
				return
			case err != nil:
				t.Fatalf("campaignClock(%q) error = %v", tt.env, err)
			case tt.wall:
				if c != nil {
					t.Errorf("campaignClock(%q) = %v, want nil (the wall clock)", tt.env, c)
				}
				return
			}
			before := time.Now().Add(tt.off)
			got := c.Now()
			after := time.Now().Add(tt.off)
			if got.Before(before) || got.After(after) {
				t.Errorf("campaignClock(%q).Now() = %v, want within [%v, %v]", tt.env, got, before, after)
			}
		})
	}
}
