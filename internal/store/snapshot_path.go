package store

import (
	"fmt"

	"github.com/leancoach/leancoach/internal/coach"
)

// Paths returns director d's delegation paths within the snapshot's
// transaction, ordered by Lean leader (as ListPaths).
func (s snapshot) Paths(d coach.UserID) ([]coach.Path, error) {
	out, err := pathsIn(s.tx, key(string(d), ""))
	if err != nil {
		return nil, fmt.Errorf("paths of %s: %w", d, err)
	}
	return out, nil
}
