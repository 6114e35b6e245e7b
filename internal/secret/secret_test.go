package secret_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/secret"
)

const canary = "xoxb-canary-7f3a9c1e"

type config struct {
	BotToken secret.Token
	Ptr      *secret.Token
}

func TestRevealReturnsValue(t *testing.T) {
	tok := secret.Token(canary)
	if got := tok.Reveal(); got != canary {
		t.Errorf("Reveal() = %q, want %q", got, canary)
	}
	if tok.IsZero() {
		t.Errorf("Token(%q).IsZero() = true, want false", "canary")
	}
	var zero secret.Token
	if zero.Reveal() != "" || !zero.IsZero() {
		t.Errorf("zero Token: Reveal() = %q, IsZero() = %t; want empty and true", zero.Reveal(), zero.IsZero())
	}
}

func TestFmtNeverPrintsValue(t *testing.T) {
	tok := secret.Token(canary)
	cfg := config{BotToken: tok, Ptr: &tok}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s", "%T"} {
		for name, arg := range map[string]any{"token": tok, "pointer": &tok, "struct": cfg, "struct pointer": &cfg, "slice": []secret.Token{tok}, "map": map[string]secret.Token{"k": tok}} {
			t.Run(verb+" "+name, func(t *testing.T) {
				if got := fmt.Sprintf(verb, arg); strings.Contains(got, "canary") {
					t.Errorf("Sprintf(%q, %s) = %q, contains the token", verb, name, got)
				}
			})
		}
	}
	if got := fmt.Sprint(tok); got != secret.Redacted {
		t.Errorf("Sprint(tok) = %q, want %q", got, secret.Redacted)
	}
	if got := fmt.Sprintf("%#v", tok); got != secret.Redacted {
		t.Errorf("Sprintf(%%#v, tok) = %q, want %q", got, secret.Redacted)
	}
}

func TestEncodersNeverPrintValue(t *testing.T) {
	tok := secret.Token(canary)
	cfg := config{BotToken: tok, Ptr: &tok}
	j, err := json.Marshal(cfg)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	if want := `{"BotToken":"[redacted]","Ptr":"[redacted]"}`; string(j) != want {
		t.Errorf("json.Marshal(cfg) = %s, want %s", j, want)
	}
	type doc struct{ Token secret.Token }
	x, err := xml.Marshal(doc{tok})
	if err != nil {
		t.Fatalf("xml.Marshal: %v", err)
	}
	if strings.Contains(string(x), "canary") || !strings.Contains(string(x), secret.Redacted) {
		t.Errorf("xml.Marshal = %s, want [redacted] and no token", x)
	}
	txt, _ := tok.MarshalText()
	if string(txt) != secret.Redacted {
		t.Errorf("MarshalText() = %q, want %q", txt, secret.Redacted)
	}
}

func TestLoggersNeverPrintValue(t *testing.T) {
	tok := secret.Token(canary)
	var buf bytes.Buffer
	log := zerolog.New(&buf).Level(zerolog.TraceLevel)
	log.Debug().
		Interface("interface", tok).
		Stringer("stringer", tok).
		Object("object", tok).
		Any("any", config{BotToken: tok, Ptr: &tok}).
		Msgf("msgf %v %s", tok, tok)
	zerolog.Ctx(t.Context()).Info().Interface("x", tok).Send()
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("slog", "token", tok, "cfg", config{BotToken: tok})
	slog.New(slog.NewTextHandler(&buf, nil)).Info("slog", "token", tok)

	out := buf.String()
	if strings.Contains(out, "canary") {
		t.Errorf("log output contains the token:\n%s", out)
	}
	if n := strings.Count(out, secret.Redacted); n < 8 {
		t.Errorf("log output has %d redaction markers, want at least 8:\n%s", n, out)
	}
}
