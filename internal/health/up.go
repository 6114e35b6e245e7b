package health

import "errors"

// Up adapts a condition such as "the Socket Mode connection is up" to Check.Err:
// nil while up() holds, an error saying reason otherwise.
func Up(up func() bool, reason string) func() error {
	down := errors.New(reason)
	return func() error {
		if up() {
			return nil
		}
		return down
	}
}
