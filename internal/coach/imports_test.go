package coach_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
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

// slackSyntax is Slack's text format: references (<@U1|name>, <#C1>,
// <!here>) and the entities of its escaping. Reading or writing it is the
// Slack adapter's job; the domain takes and gives plain IDs and plain text.
var slackSyntax = []string{"<@", "<#", "<!", "&lt;", "&gt;", "&amp;"}

// No non-test source of coach holds Slack's text format: not in its text
// (comments included), not in a string literal however it is spelled
// ("\u003c@" too), and no '<' or '>' on its own as a rune or string
// literal, the way a reference is taken apart by hand (s[0] == '<').
func TestCoachKnowsNoSlackText(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	read := 0
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		read++
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range slackSyntax {
			if i := strings.Index(string(src), s); i >= 0 {
				t.Errorf("%s:%d holds Slack's %q: the Slack adapter reads and writes it", file, 1+strings.Count(string(src[:i]), "\n"), s)
			}
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && slackLiteral(lit) {
				t.Errorf("%s: literal %s takes Slack's text apart: the Slack adapter does that", fset.Position(lit.Pos()), lit.Value)
			}
			return true
		})
	}
	if read < 20 {
		t.Fatalf("read %d files of coach, want them all", read)
	}
}

// slackLiteral reports a string or rune literal that holds Slack's syntax
// or is a lone '<' or '>'.
func slackLiteral(lit *ast.BasicLit) bool {
	var v string
	switch lit.Kind {
	case token.STRING:
		v, _ = strconv.Unquote(lit.Value)
	case token.CHAR:
		r, _, _, _ := strconv.UnquoteChar(lit.Value[1:len(lit.Value)-1], '\'')
		v = string(r)
	default:
		return false
	}
	return v == "<" || v == ">" || slices.ContainsFunc(slackSyntax, func(s string) bool { return strings.Contains(v, s) })
}
