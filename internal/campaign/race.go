//go:build race

package campaign

// RaceEnabled tells whether this binary runs with the race detector.
const RaceEnabled = true
