package coach

import (
	"errors"
	"fmt"

	"github.com/leancoach/leancoach/internal/i18n"
)

// Error codes. Every code but EINTERNAL carries a message that is safe to show
// to the user who caused it.
const (
	EINVALID   = "invalid"   // bad input: the message says what and shows an example
	ENOTFOUND  = "not_found" // the thing named does not exist
	EFORBIDDEN = "forbidden" // the actor may not do this
	ECONFLICT  = "conflict"  // the state does not allow it (already answered, already exists)
	EINTERNAL  = "internal"  // anything else; never shown to users
)

// Error is a failure with a user-safe message, rendered in the reader's
// language at the edge.
type Error struct {
	Code string
	Msg  i18n.Msg
}

func (e *Error) Error() string {
	return fmt.Sprintf("coach error: code=%s key=%s", e.Code, e.Msg.Key)
}

// Errorf returns an *Error whose message is the catalog key with args.
func Errorf(code, key string, args ...any) *Error {
	return &Error{Code: code, Msg: i18n.M(key, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err: its own for an *Error,
// a generic apology for anything else.
func ErrorMessage(err error) i18n.Msg {
	if e, ok := errors.AsType[*Error](err); ok && e.Code != EINTERNAL {
		return e.Msg
	}
	return i18n.M("error.internal")
}
