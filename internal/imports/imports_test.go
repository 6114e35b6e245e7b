package imports_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/leancoach/leancoach/internal/imports"
)

// Foreign finds an adapter import, also in a file built only elsewhere or
// in an allowed package (read once, however many files import it), and
// leaves test files alone.
func TestForeignFindsAdapters(t *testing.T) {
	dir := filepath.Join("testdata", "imports")
	bad, files, err := imports.Foreign(dir, func(p string) (string, bool) {
		return filepath.Join(dir, "allowed"), p == "example.com/allowed"
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		filepath.Join("testdata", "imports", "adapter.go") + " imports github.com/robfig/cron/v3",
		filepath.Join("testdata", "imports", "adapter.go") + " imports github.com/slack-go/slack",
		filepath.Join("testdata", "imports", "elsewhere.go") + " imports C",
		filepath.Join("testdata", "imports", "elsewhere.go") + " imports go.etcd.io/bbolt",
		filepath.Join("testdata", "imports", "allowed", "allowed.go") + " imports github.com/rs/zerolog",
	}
	if files != 5 || !slices.Equal(bad, want) {
		t.Errorf("Foreign(testdata) = %q over %d files, want %q over 5 (the _test.go file left out)", bad, files, want)
	}
}

// A directory that cannot be read is an error, not a clean package.
func TestForeignFailsOnAMissingDir(t *testing.T) {
	if _, _, err := imports.Foreign(filepath.Join("testdata", "none"), func(string) (string, bool) { return "", false }); err == nil {
		t.Error("Foreign(missing dir) = nil error, want one")
	}
}

func TestDir(t *testing.T) {
	if got, want := imports.Dir("root", imports.Module+"internal/i18n"), filepath.Join("root", "internal", "i18n"); got != want {
		t.Errorf("Dir(i18n) = %q, want %q", got, want)
	}
	if got := imports.Dir("root", "github.com/slack-go/slack"); got != "" {
		t.Errorf("Dir(slack-go) = %q, want \"\"", got)
	}
}
