package manifest_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/leancoach/leancoach/internal/manifest"
)

// slackCalls maps slack-go identifiers (client methods with or without the Context
// suffix, and MsgOption functions that change the method a send uses) to the Slack
// Web API methods they call. A client method the code uses that is missing here
// fails the test: add it with the methods it calls (read its source in slack-go).
var slackCalls = withContext(map[string][]string{
	"AuthTest":                {"auth.test"},
	"PostMessage":             {"chat.postMessage"},
	"PostMessageWithResponse": {"chat.postMessage"},
	"SendMessage":             {"chat.postMessage"},
	"UpdateMessage":           {"chat.update"},
	"PostEphemeral":           {"chat.postEphemeral"},
	"DeleteMessage":           {"chat.delete"},
	"ScheduleMessage":         {"chat.scheduleMessage"},
	"GetPermalink":            {"chat.getPermalink"},
	"OpenConversation":        {"conversations.open"},
	"GetConversationInfo":     {"conversations.info"},
	"JoinConversation":        {"conversations.join"},
	"GetConversationHistory":  {"conversations.history"},
	"GetConversationReplies":  {"conversations.replies"},
	"GetConversations":        {"conversations.list"},
	"GetUsersInConversation":  {"conversations.members"},
	"GetConversationsForUser": {"users.conversations"},
	"GetUserInfo":             {"users.info"},
	"GetUsersInfo":            {"users.info"},
	"GetUsers":                {"users.list"},
	"GetUsersPaginated":       {"users.list"},
	"GetUserByEmail":          {"users.lookupByEmail"},
	"GetUserProfile":          {"users.profile.get"},
	"GetTeamInfo":             {"team.info"},
	"GetBotInfo":              {"bots.info"},
	"OpenView":                {"views.open"},
	"PublishView":             {"views.publish"},
	"UpdateView":              {"views.update"},
	"PushView":                {"views.push"},
	"UploadFile":              {"files.getUploadURLExternal", "files.completeUploadExternal"},
	"GetUploadURLExternal":    {"files.getUploadURLExternal"},
	"CompleteUploadExternal":  {"files.completeUploadExternal"},
	"UploadToURL":             nil, // a POST to the URL files.getUploadURLExternal returned
	"AddReaction":             {"reactions.add"},
	// slack-go's logger, and names zerolog shares with it.
	"Debug": nil, "Debugf": nil, "Debugln": nil,
	// socketmode.Client: the connection is opened with the app-level token.
	"Run": {"apps.connections.open"}, "Open": {"apps.connections.open"},
	"Ack": nil, "AckCtx": nil, "Send": nil, "SendCtx": nil,
	// Options that turn a SendMessage/PostMessage into another method.
	"MsgOptionUpdate":        {"chat.update"},
	"MsgOptionPostEphemeral": {"chat.postEphemeral"},
	"MsgOptionDelete":        {"chat.delete"},
	"MsgOptionSchedule":      {"chat.scheduleMessage"},
	"MsgOptionMeMessage":     {"chat.meMessage"},
})

// withContext adds the "…Context" variant of every client method.
func withContext(m map[string][]string) map[string][]string {
	out := make(map[string][]string, 2*len(m))
	for k, v := range m {
		out[k] = v
		if !strings.HasPrefix(k, "MsgOption") && !strings.HasPrefix(k, "Debug") {
			out[k+"Context"] = v
		}
	}
	out["RunContext"] = out["Run"]
	return out
}

// clientNames is every exported method name of slack-go's Web API and Socket Mode
// clients, plus the MsgOption functions in slackCalls.
func clientNames() map[string]bool {
	names := map[string]bool{}
	for _, typ := range []reflect.Type{reflect.TypeFor[*slack.Client](), reflect.TypeFor[*socketmode.Client]()} {
		for i := range typ.NumMethod() {
			names[typ.Method(i).Name] = true
		}
	}
	for k := range slackCalls {
		if strings.HasPrefix(k, "MsgOption") {
			names[k] = true
		}
	}
	return names
}

// call is one use of a slack-go identifier in the code.
type call struct {
	name string
	pos  token.Position
}

// skipDir names directories whose code is not leancoach talking to Slack:
// slacksim is the fake Slack server the tests use.
var skipDir = map[string]bool{"slacksim": true, "testdata": true}

// slackUses parses the non-test Go files under root/internal and root/cmd and
// returns every selector (x.Name, a call or a method value) whose Name is a
// slack-go client method, in packages that import slack-go. Reading source rather
// than type-checking keeps the test working while other packages are half done; a
// same-named method of another type in such a package only over-approximates.
func slackUses(t *testing.T, root string) []call {
	t.Helper()
	names := clientNames()
	fset := token.NewFileSet()
	byDir := map[string][]*ast.File{}
	for _, top := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if skipDir[d.Name()] || strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_") {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			byDir[filepath.Dir(path)] = append(byDir[filepath.Dir(path)], f)
			return nil
		})
		if err != nil {
			t.Fatalf("scan %s: %v", top, err)
		}
	}
	var uses []call
	for _, files := range byDir {
		if !importsSlack(files) {
			continue
		}
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok && names[sel.Sel.Name] {
					uses = append(uses, call{sel.Sel.Name, fset.Position(sel.Sel.Pos())})
				}
				return true
			})
		}
	}
	return uses
}

func importsSlack(files []*ast.File) bool {
	for _, f := range files {
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == "github.com/slack-go/slack" || strings.HasPrefix(p, "github.com/slack-go/slack/") {
				return true
			}
		}
	}
	return false
}

// calledMethods returns the Slack methods the code calls, each with one place
// that calls it.
func calledMethods(t *testing.T) map[string]token.Position {
	t.Helper()
	root := filepath.Join("..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not at %s: %v", root, err)
	}
	methods := map[string]token.Position{}
	for _, u := range slackUses(t, root) {
		api, ok := slackCalls[u.name]
		if !ok {
			t.Errorf("%s: slack-go %s is called but the test does not know which Slack method it uses; add it to slackCalls", u.pos, u.name)
			continue
		}
		for _, m := range api {
			if _, seen := methods[m]; !seen {
				methods[m] = u.pos
			}
		}
	}
	return methods
}

// TestScopesCoverCalls fails when the code calls a Slack method whose scope the
// manifest does not grant, and when the manifest grants a scope nothing needs.
func TestScopesCoverCalls(t *testing.T) {
	called := calledMethods(t)
	if len(called) == 0 {
		t.Fatalf("found no Slack Web API calls under internal/ and cmd/; the scan is broken")
	}
	granted := map[string]bool{}
	for _, s := range manifest.BotScopes() {
		granted[s.Name] = true
	}
	for _, s := range manifest.AppTokenScopes {
		granted[s] = true
	}
	// commands is needed by the slash command itself, not by a Web API method.
	needed := map[string][]string{"commands": {"the " + manifest.Command + " slash command"}}

	methods := make([]string, 0, len(called))
	for m := range called {
		methods = append(methods, m)
	}
	sort.Strings(methods)
	for _, m := range methods {
		scope, ok := manifest.ScopeFor(m)
		switch {
		case !ok:
			t.Errorf("%s: calls %s, which manifest.ScopeFor does not know; add it to methodScopes with its scope", called[m], m)
		case scope == "":
		case !granted[scope]:
			t.Errorf("%s: calls %s, which needs scope %s; the manifest does not grant it", called[m], m, scope)
		default:
			needed[scope] = append(needed[scope], m)
		}
	}
	for _, s := range manifest.BotScopes() {
		if len(needed[s.Name]) == 0 {
			t.Errorf("manifest grants %s (%s) but no called method needs it; remove it", s.Name, s.Why)
		}
	}
	t.Logf("Slack methods called: %v", methods)
}

// TestEveryScopeHasAMethod checks each bot scope is backed by ScopeFor's table
// (or is commands, for the slash command), so its justification names real use.
func TestEveryScopeHasAMethod(t *testing.T) {
	backed := map[string]bool{"commands": true}
	for _, calls := range slackCalls {
		for _, m := range calls {
			if scope, ok := manifest.ScopeFor(m); ok {
				backed[scope] = true
			}
		}
	}
	for _, s := range manifest.BotScopes() {
		if !backed[s.Name] {
			t.Errorf("bot scope %s: no method in ScopeFor's table needs it", s.Name)
		}
	}
	for _, s := range manifest.AppTokenScopes {
		if !backed[s] {
			t.Errorf("app token scope %s: no method in ScopeFor's table needs it", s)
		}
	}
}

// TestScanFindsCalls guards the scanner itself against a silent miss: it must find
// calls in a package that imports slack-go, and ignore test files, slacksim and
// packages that do not import slack-go.
func TestScanFindsCalls(t *testing.T) {
	root := t.TempDir()
	write := func(rel, src string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("internal/app/a.go", `package app
import "github.com/slack-go/slack"
var _ = slack.New`)
	write("internal/app/b.go", `package app
func f(api apiClient) { api.PostMessageContext(nil, "", nil); g(api.OpenView) }`)
	write("internal/app/b_test.go", `package app
func h(api apiClient) { api.GetUserInfoContext(nil, "") }`)
	write("internal/slacksim/s.go", `package slacksim
import "github.com/slack-go/slack"
func s(api *slack.Client) { api.JoinConversationContext(nil, "") }`)
	write("internal/other/o.go", `package other
func o(x thing) { x.GetConversationInfo(nil) }`)
	write("cmd/bot/m.go", `package main
import "github.com/slack-go/slack/socketmode"
func m(sm *socketmode.Client) { sm.RunContext(nil) }`)

	var got []string
	for _, u := range slackUses(t, root) {
		got = append(got, u.name)
	}
	sort.Strings(got)
	want := []string{"OpenView", "PostMessageContext", "RunContext"}
	if !slices.Equal(got, want) {
		t.Errorf("slackUses = %v, want %v", got, want)
	}
}
