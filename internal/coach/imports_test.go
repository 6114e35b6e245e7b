package coach_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/leancoach/leancoach/internal/imports"
)

// domainDeps are the packages of this module the domain may import: the
// message catalogs. Their own imports are held to the same rule.
var domainDeps = []string{imports.Module + "internal/i18n"}

// The domain imports the standard library and the i18n catalogs, nothing
// else: no Slack (slack-go), no bbolt, no cron, no logger, and no adapter
// of ours (store, schedule, slackio, slackapp…), so that the rules can be
// read and tested without any of them. The check reads the import clauses
// of every non-test Go file of the package, whatever its build
// constraints, and of the packages it is allowed, so a file or an import
// added anywhere in them is checked.
func TestCoachImportsNoAdapter(t *testing.T) {
	root := filepath.Join("..", "..")
	bad, files, err := imports.Foreign(".", func(p string) (string, bool) {
		return imports.Dir(root, p), slices.Contains(domainDeps, p)
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 20 {
		t.Fatalf("read %d files of coach and its allowed packages, want them all", files)
	}
	for _, b := range bad {
		t.Errorf("%s: the domain may import only the standard library and %v", b, domainDeps)
	}
}
