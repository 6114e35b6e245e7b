package coach_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/leancoach/leancoach/"

// domainDeps are the packages of this module the domain may import: the
// message catalogs. Their own imports are held to the same rule.
var domainDeps = []string{module + "internal/i18n"}

// The domain imports the standard library and the i18n catalogs, nothing
// else: no Slack (slack-go), no bbolt, no cron, no logger, and no adapter
// of ours (store, schedule, slackapp…), so that the rules can be read and
// tested without any of them. The check reads the import clauses of every
// non-test Go file of the package, whatever its build constraints, and
// of the packages it is allowed, so a file or an import added anywhere
// in them is checked.
func TestCoachImportsNoAdapter(t *testing.T) {
	root := filepath.Join("..", "..")
	bad, files := foreignImports(t, ".", func(p string) (string, bool) {
		if !slices.Contains(domainDeps, p) {
			return "", false
		}
		return filepath.Join(root, strings.TrimPrefix(p, module)), true
	})
	if files < 20 {
		t.Fatalf("read %d files of coach and its allowed packages, want them all", files)
	}
	for _, b := range bad {
		t.Errorf("%s: the domain may import only the standard library and %v", b, domainDeps)
	}
}

// The check itself finds an adapter import, also in a file built only
// elsewhere or in an allowed package (read once, however many files import
// it), and leaves test files alone.
func TestForeignImportsFindsAdapters(t *testing.T) {
	dir := filepath.Join("testdata", "imports")
	bad, files := foreignImports(t, dir, func(p string) (string, bool) {
		return filepath.Join(dir, "allowed"), p == "example.com/allowed"
	})
	want := []string{
		filepath.Join("testdata", "imports", "adapter.go") + " imports github.com/robfig/cron/v3",
		filepath.Join("testdata", "imports", "adapter.go") + " imports github.com/slack-go/slack",
		filepath.Join("testdata", "imports", "elsewhere.go") + " imports C",
		filepath.Join("testdata", "imports", "elsewhere.go") + " imports go.etcd.io/bbolt",
		filepath.Join("testdata", "imports", "allowed", "allowed.go") + " imports github.com/rs/zerolog",
	}
	if files != 5 || !slices.Equal(bad, want) {
		t.Errorf("foreignImports(testdata) = %q over %d files, want %q over 5 (the _test.go file left out)", bad, files, want)
	}
}

// foreignImports returns "file imports path" for every import of a non-test
// Go file in dir that is neither in the standard library nor allowed (allow
// gives an allowed package's directory; its files are checked in turn, once),
// and how many files it read.
func foreignImports(t *testing.T, dir string, allow func(path string) (dir string, ok bool)) (bad []string, files int) {
	t.Helper()
	checked := map[string]bool{dir: true}
	var check func(dir string)
	check = func(dir string) {
		more, n, next := importsOf(t, dir, allow)
		bad, files = append(bad, more...), files+n
		for _, d := range next {
			if !checked[d] {
				checked[d] = true
				check(d)
			}
		}
	}
	check(dir)
	return bad, files
}

// importsOf reads the non-test Go files of dir: the imports neither standard
// nor allowed, how many files it read, and the allowed packages' directories.
func importsOf(t *testing.T, dir string, allow func(string) (string, bool)) (bad []string, files int, next []string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		file := filepath.Join(dir, name)
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		files++
		for _, spec := range f.Imports {
			p, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				t.Fatalf("%s: import %s: %v", file, spec.Path.Value, err)
			}
			if standard(p) {
				continue
			}
			if sub, ok := allow(p); ok {
				next = append(next, sub)
			} else {
				bad = append(bad, file+" imports "+p)
			}
		}
	}
	return bad, files, next
}

// standard reports whether p is a standard library package: its first
// element has no dot (the go command's rule), and it is not cgo's "C".
func standard(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return p != "C" && !strings.Contains(first, ".")
}
