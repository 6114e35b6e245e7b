package slackapp_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// userTextSinks are the functions whose arguments end up in front of users,
// with the positions of those arguments.
var userTextSinks = map[string][]int{
	"NewTextBlockObject":   {1},
	"plain":                {0},
	"mrkdwn":               {0},
	"mrkdwnSection":        {0},
	"mrkdwnContext":        {0},
	"NewHeaderBlock":       {0},
	"NewOptionBlockObject": {},
	"Respond":              {},
	"PostEphemeralContext": {},
}

// wordy matches text a person would read: two letters in a row. Emoji codes
// such as :white_check_mark: are not words.
var (
	wordy = regexp.MustCompile(`\p{L}{2,}`)
	emoji = regexp.MustCompile(`:[a-z0-9_+-]+:`)
)

// TestNoUserTextOutsideCatalogs checks the Slack adapter's code: every text a
// user reads comes from the i18n catalogs, so no string literal with words
// may reach a text object, a reply or a message text.
func TestNoUserTextOutsideCatalogs(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				name := callName(n.Fun)
				for _, i := range userTextSinks[name] {
					if i < len(n.Args) {
						checked++
						checkLiteral(t, fset, n.Args[i], name)
					}
				}
			case *ast.CompositeLit:
				// Reply{Text: "…"}, slack.Msg{Text: "…"}, WebhookMessage{Text: "…"}
				for _, el := range n.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					if k, ok := kv.Key.(*ast.Ident); ok && (k.Name == "Text" || k.Name == "Title" || k.Name == "Placeholder") {
						checked++
						checkLiteral(t, fset, kv.Value, "composite "+k.Name)
					}
				}
			}
			return true
		})
	}
	if checked < 20 {
		t.Errorf("checked only %d user-text sites; the scan is not finding the rendering code", checked)
	}
}

func callName(fun ast.Expr) string {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

// checkLiteral fails on a string literal with words, also inside a
// concatenation ("*" + lang.T(k) + "*" is fine; "Hello " + name is not).
func checkLiteral(t *testing.T, fset *token.FileSet, e ast.Expr, where string) {
	t.Helper()
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			return false // arguments of a call (lang.T("key"), fmt…) are not the text itself
		case *ast.BasicLit:
			if n.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(n.Value)
			if err == nil && wordy.MatchString(emoji.ReplaceAllString(s, "")) {
				t.Errorf("%s: %s gets the literal %q: user-visible text must come from the i18n catalogs", fset.Position(n.Pos()), where, s)
			}
		}
		return true
	})
}
