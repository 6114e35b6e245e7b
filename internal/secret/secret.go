// Package secret holds credentials in a type that never prints its value.
//
// A Token prints as "[redacted]" through fmt (every verb, also as an exported field
// of a struct), encoding/json, encoding/text, log/slog and zerolog. Reveal (or a
// string conversion) is the way out; call it only where the token is handed to the
// Slack client.
//
// Caveat: fmt cannot call methods on unexported struct fields, so it prints an
// unexported Token field's raw value. Keep Token fields exported (as Config does),
// or never print the struct that holds them.
package secret

import (
	"fmt"
	"log/slog"

	"github.com/rs/zerolog"
)

// Redacted is what a Token prints instead of its value.
const Redacted = "[redacted]"

// Token is a credential such as a Slack bot or app token: secret.Token(s) wraps s.
type Token string

// Reveal returns the credential. Never log or print its result.
func (t Token) Reveal() string { return string(t) }

// IsZero reports whether the token is empty.
func (t Token) IsZero() bool { return t == "" }

// String implements fmt.Stringer.
func (t Token) String() string { return Redacted }

// GoString implements fmt.GoStringer (%#v).
func (t Token) GoString() string { return Redacted }

// Format implements fmt.Formatter so that every verb, %x and %q included, prints
// the redaction marker rather than the default rendering of the value.
func (t Token) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(Redacted)) }

// MarshalJSON implements json.Marshaler.
func (t Token) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }

// MarshalText implements encoding.TextMarshaler.
func (t Token) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// LogValue implements slog.LogValuer.
func (t Token) LogValue() slog.Value { return slog.StringValue(Redacted) }

// MarshalZerologObject implements zerolog.LogObjectMarshaler for Event.Object.
func (t Token) MarshalZerologObject(e *zerolog.Event) { e.Str("value", Redacted) }
