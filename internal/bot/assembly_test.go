package bot_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/leancoach/leancoach/"

// builders are the constructors of the bot's running parts, by import path:
// whoever calls one builds (a piece of) a bot of its own.
var builders = map[string][]string{
	"github.com/slack-go/slack/socketmode": {"New"},                                     // a Socket Mode connection
	module + "internal/slackio":            {"New", "NewConnectBrake", "NewTokenGuard"}, // the App, the reconnect brake, the token guard
	module + "internal/schedule":           {"New"},                                     // the due-loop
	module + "internal/retention":          {"New"},                                     // the note retention job
}

// slackSide are the transport and the surfaces on it: a default one takes
// from the other (a Poster given no token guard keeps one of its own)
// builds no bot.
var slackSide = []string{"internal/slackio", "internal/slackapp"}

// runsTheBot are the packages that run leancoach rather than one of its
// parts: `bot run` and `bot sandbox`, and the campaign, which must test
// what ships. Their tests too build no part of a bot of their own.
var runsTheBot = []string{"cmd/bot", "internal/campaign"}

// The bot is built in one place. A call to a builder is allowed only in
// the assembly itself (internal/bot), and in the tests of a part or of the
// local Slack that start no leancoach (slackio's App tests, the due-loop's,
// slacksim's). So neither cmd/bot nor the campaign nor any test that starts
// the assembly can wire sockets, an App or a due-loop around it, and what
// the campaign tests is what `bot run` starts. The check reads the source:
// calls are found in the syntax tree, through each file's own import names.
func TestOnlyTheAssemblyBuildsTheBot(t *testing.T) {
	root := filepath.Join("..", "..")
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); p != root && (name == "testdata" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		n++
		for _, call := range builderCalls(t, p) {
			if why := forbidden(filepath.ToSlash(rel), call.imports); why != "" {
				t.Errorf("%s:%d calls %s: %s; start the bot with bot.Start, and give it an option for what differs",
					rel, call.line, call.name, why)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Fatalf("read %d Go files under %s, want the whole module", n, root)
	}
}

// forbidden says why a builder call in the file rel (slash-separated,
// from the module root) that imports imports is not allowed, or "".
func forbidden(rel string, imports map[string]bool) string {
	dir := path.Dir(rel)
	test := strings.HasSuffix(rel, "_test.go")
	switch {
	case dir == "internal/bot":
		return ""
	case !test && slices.Contains(slackSide, dir):
		return ""
	case !test:
		return "only the assembly (internal/bot) builds the bot"
	case imports[module+"internal/bot"]:
		return "this test starts the assembly and must not build beside it"
	}
	for _, r := range runsTheBot {
		if dir == r {
			return r + " runs the bot through the assembly, in its tests too"
		}
	}
	return ""
}

type builderCall struct {
	name    string // as written, e.g. socketmode.New
	line    int
	imports map[string]bool // the file's import paths
}

// builderCalls parses the Go file at p and returns its calls to builders.
func builderCalls(t *testing.T, p string) []builderCall {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("parse %s: %v", p, err)
	}
	imports := map[string]bool{}
	byName := map[string]string{} // local name -> import path, for builder packages
	for _, spec := range f.Imports {
		ip, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			t.Fatalf("%s: import %s: %v", p, spec.Path.Value, err)
		}
		imports[ip] = true
		if _, ok := builders[ip]; !ok {
			continue
		}
		name := path.Base(ip)
		if spec.Name != nil {
			name = spec.Name.Name
		}
		byName[name] = ip
	}
	var calls []builderCall
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		pkg, ok := sel.X.(*ast.Ident)
		if !ok || byName[pkg.Name] == "" {
			return true
		}
		for _, fn := range builders[byName[pkg.Name]] {
			if sel.Sel.Name == fn {
				calls = append(calls, builderCall{name: pkg.Name + "." + fn, line: fset.Position(call.Pos()).Line, imports: imports})
			}
		}
		return true
	})
	return calls
}

// cmd/bot wires through the assembly only (architecture: no arrow from
// Main to the Slack side): its program imports neither the Slack side
// nor the due-loop, so it has nothing to build a bot of its own with.
func TestCmdImportsNoPartOfTheBot(t *testing.T) {
	parts := []string{"github.com/slack-go/slack", "github.com/slack-go/slack/socketmode",
		module + "internal/slackapp", module + "internal/slackio", module + "internal/schedule"}
	for _, b := range importsOf(t, filepath.Join("..", "..", "cmd", "bot"), false, parts) {
		t.Errorf("%s: cmd/bot starts the bot with bot.Start and sets bot.Options", b)
	}
}

// The campaign tests the assembly, not its own wiring (architecture: no
// arrow from the campaign to the Slack side or the due-loop): none of its
// files, its tests included, imports them. What it needs of them (a
// button's action_id, a prompt posted as the bot posts it, the recurrence
// rule) it takes from the assembly.
func TestCampaignReachesTheBotThroughTheAssembly(t *testing.T) {
	parts := []string{module + "internal/slackapp", module + "internal/slackio", module + "internal/schedule"}
	for _, b := range importsOf(t, filepath.Join("..", "campaign"), true, parts) {
		t.Errorf("%s: the campaign drives the bot through bot.Start and slacksim, and takes what it needs of the Slack side from internal/bot", b)
	}
}

// importsOf returns "file imports path" for every import of one of parts
// by a Go file in dir (its _test.go files too when tests).
func importsOf(t *testing.T, dir string, tests bool, parts []string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) < 2 {
		t.Fatalf("sources of %s: %v, %v", dir, files, err)
	}
	var bad []string
	for _, p := range files {
		if !tests && strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, spec := range f.Imports {
			if ip, _ := strconv.Unquote(spec.Path.Value); slices.Contains(parts, ip) {
				bad = append(bad, filepath.Base(p)+" imports "+ip)
			}
		}
	}
	return bad
}
