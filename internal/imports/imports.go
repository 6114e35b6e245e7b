// Package imports reads the import clauses of a package's Go files, for
// the tests that hold the architecture's arrows (which package may import
// which). Only tests import it.
package imports

import (
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Module is this module's import path, with its trailing slash.
const Module = "github.com/leancoach/leancoach/"

// Foreign returns "file imports path" for every import of a non-test Go
// file in dir that is neither in the standard library nor allowed (allow
// gives an allowed package's directory, whose files are checked in turn,
// once; "" checks nothing further), and how many files it read. Every file
// is read whatever its build constraints, so an import added in a file
// built only elsewhere is found too.
func Foreign(dir string, allow func(path string) (dir string, ok bool)) (bad []string, files int, err error) {
	checked := map[string]bool{dir: true}
	todo := []string{dir}
	for len(todo) > 0 {
		d := todo[0]
		todo = todo[1:]
		more, n, next, err := of(d, allow)
		if err != nil {
			return nil, 0, err
		}
		bad, files = append(bad, more...), files+n
		for _, sub := range next {
			if sub != "" && !checked[sub] {
				checked[sub] = true
				todo = append(todo, sub)
			}
		}
	}
	return bad, files, nil
}

// of reads the non-test Go files of dir: the imports neither standard nor
// allowed, how many files it read, and the allowed packages' directories.
func of(dir string, allow func(string) (string, bool)) (bad []string, files int, next []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("read imports of %s: %w", dir, err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		file := filepath.Join(dir, name)
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
		if err != nil {
			return nil, 0, nil, fmt.Errorf("read imports of %s: %w", dir, err)
		}
		files++
		for _, spec := range f.Imports {
			p, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return nil, 0, nil, fmt.Errorf("read imports of %s: import %s: %w", file, spec.Path.Value, err)
			}
			if Standard(p) {
				continue
			}
			if sub, ok := allow(p); ok {
				next = append(next, sub)
			} else {
				bad = append(bad, file+" imports "+p)
			}
		}
	}
	return bad, files, next, nil
}

// Standard reports whether p is a standard library package: its first
// element has no dot (the go command's rule), and it is not cgo's "C".
func Standard(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return p != "C" && !strings.Contains(first, ".")
}

// Dir is the directory of a package of this module, from root (the
// module's directory), or "" for a package of another module.
func Dir(root, p string) string {
	rel, ok := strings.CutPrefix(p, Module)
	if !ok {
		return ""
	}
	return filepath.Join(root, rel)
}
