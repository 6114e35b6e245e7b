package slackcorpus_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/leancoach/leancoach/internal/slackcorpus"
)

func TestPayloadsAreJSON(t *testing.T) {
	files, err := slackcorpus.Glob("*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !json.Valid(f.Data) {
			t.Errorf("%s is not valid JSON", f.Name)
		}
	}
}

// TestSourcesListEveryPayload checks that SOURCES.md names every payload
// and names none that is not there.
func TestSourcesListEveryPayload(t *testing.T) {
	files, err := slackcorpus.Glob("*.json")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("payloads/SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([^`]+\\.json)` \\|").FindAllSubmatch(src, -1) {
		listed = append(listed, string(m[1]))
	}
	var have []string
	for _, f := range files {
		have = append(have, f.Name)
		if !slices.Contains(listed, f.Name) {
			t.Errorf("SOURCES.md does not say where %s came from", f.Name)
		}
	}
	for _, n := range listed {
		if !slices.Contains(have, n) {
			t.Errorf("SOURCES.md lists %s, which is not in the corpus", n)
		}
	}
}

func TestReadAndGlob(t *testing.T) {
	b, err := slackcorpus.Read("socket-hello.json")
	if err != nil {
		t.Fatalf("Read(socket-hello.json) = %v", err)
	}
	var hello struct{ Type string }
	if err := json.Unmarshal(b, &hello); err != nil || hello.Type != "hello" {
		t.Errorf("socket-hello.json has type %q (%v), want hello", hello.Type, err)
	}
	if _, err := slackcorpus.Read("no-such.json"); err == nil {
		t.Error("Read(no-such.json) succeeded, want an error")
	}
	files, err := slackcorpus.Glob("envelope-slash-command*.json")
	if err != nil {
		t.Fatalf("Glob = %v", err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	if want := []string{"envelope-slash-command-real.json", "envelope-slash-command.json"}; !slices.Equal(names, want) {
		t.Errorf("Glob(envelope-slash-command*.json) = %v, want %v", names, want)
	}
	for _, bad := range []string{"nothing-matches-*.json", "[", "../*.json"} {
		if got, err := slackcorpus.Glob(bad); err == nil {
			t.Errorf("Glob(%q) = %d files and no error, want an error", bad, len(got))
		}
	}
}
