//go:build race

package validator

// raceEnabled: the race detector changes allocation counts.
const raceEnabled = true
