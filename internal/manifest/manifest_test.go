package manifest_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/leancoach/leancoach/internal/manifest"
)

var update = flag.Bool("update", false, "rewrite deploy/slack-manifest.yaml from manifest.YAML()")

// goldenPath is the deployed manifest, relative to this package.
var goldenPath = filepath.Join("..", "..", "deploy", "slack-manifest.yaml")

func TestGolden(t *testing.T) {
	got := manifest.YAML()
	if *update {
		if err := os.WriteFile(goldenPath, got, 0o644); err != nil {
			t.Fatalf("write %s: %v", goldenPath, err)
		}
	}
	want, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("read %s: %v (run go test ./internal/manifest -update)", goldenPath, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("manifest.YAML() differs from %s; run go test ./internal/manifest -update\ngot:\n%s", goldenPath, got)
	}
}

func TestYAMLIsStable(t *testing.T) {
	if a, b := manifest.YAML(), manifest.YAML(); !bytes.Equal(a, b) {
		t.Errorf("YAML() differs between calls")
	}
}

// doc is the part of the manifest schema the tests check.
type doc struct {
	Metadata struct {
		Major int `yaml:"major_version"`
		Minor int `yaml:"minor_version"`
	} `yaml:"_metadata"`
	Display struct {
		Name            string `yaml:"name"`
		Description     string `yaml:"description"`
		LongDescription string `yaml:"long_description"`
		BackgroundColor string `yaml:"background_color"`
	} `yaml:"display_information"`
	Features struct {
		AppHome struct {
			Home     bool `yaml:"home_tab_enabled"`
			Messages bool `yaml:"messages_tab_enabled"`
			ReadOnly bool `yaml:"messages_tab_read_only_enabled"`
		} `yaml:"app_home"`
		BotUser struct {
			DisplayName  string `yaml:"display_name"`
			AlwaysOnline bool   `yaml:"always_online"`
		} `yaml:"bot_user"`
		SlashCommands []struct {
			Command      string `yaml:"command"`
			Description  string `yaml:"description"`
			UsageHint    string `yaml:"usage_hint"`
			ShouldEscape bool   `yaml:"should_escape"`
			URL          string `yaml:"url"`
		} `yaml:"slash_commands"`
	} `yaml:"features"`
	OAuth struct {
		Scopes struct {
			Bot  []string `yaml:"bot"`
			User []string `yaml:"user"`
		} `yaml:"scopes"`
		RedirectURLs []string `yaml:"redirect_urls"`
	} `yaml:"oauth_config"`
	Settings struct {
		Events struct {
			RequestURL string   `yaml:"request_url"`
			BotEvents  []string `yaml:"bot_events"`
		} `yaml:"event_subscriptions"`
		Interactivity struct {
			IsEnabled  bool   `yaml:"is_enabled"`
			RequestURL string `yaml:"request_url"`
		} `yaml:"interactivity"`
		SocketMode    bool `yaml:"socket_mode_enabled"`
		OrgDeploy     bool `yaml:"org_deploy_enabled"`
		TokenRotation bool `yaml:"token_rotation_enabled"`
	} `yaml:"settings"`
}

func parse(t *testing.T, b []byte) doc {
	t.Helper()
	var d doc
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true) // every key the manifest has must be one the test knows
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("parse manifest: %v", err)
	}
	return d
}

func TestStructure(t *testing.T) {
	d := parse(t, manifest.YAML())
	check := func(name string, ok bool) {
		t.Helper()
		if !ok {
			t.Errorf("manifest: %s does not hold", name)
		}
	}
	check("_metadata.major_version == 1", d.Metadata.Major == 1)
	check("display_information.name == leancoach", d.Display.Name == manifest.AppName)
	check("description is 1..140 characters", len(d.Display.Description) > 0 && len([]rune(d.Display.Description)) <= 140)
	check("long_description is 175..4000 characters", len(d.Display.LongDescription) >= 175 && len(d.Display.LongDescription) <= 4000)
	check("bot_user.display_name set", d.Features.BotUser.DisplayName != "")
	check("socket mode on", d.Settings.SocketMode)
	check("interactivity on", d.Settings.Interactivity.IsEnabled)
	check("no interactivity request_url (socket mode)", d.Settings.Interactivity.RequestURL == "")
	check("no event request_url (socket mode)", d.Settings.Events.RequestURL == "")
	check("app_home_opened subscribed", slices.Contains(d.Settings.Events.BotEvents, "app_home_opened"))
	// Text typed in the bot's DM gets an answer; Slack delivers it only with
	// im:history and the Messages tab on.
	check("message.im subscribed", slices.Contains(d.Settings.Events.BotEvents, "message.im"))
	check("message.im has im:history", slices.Contains(d.OAuth.Scopes.Bot, "im:history"))
	check("home tab on", d.Features.AppHome.Home)
	check("messages tab on", d.Features.AppHome.Messages)
	// Read-only would also block /coach typed in the bot's DM.
	check("messages tab not read-only", !d.Features.AppHome.ReadOnly)
	// The bot keeps one long-lived token; it does not implement rotation.
	check("token rotation off", !d.Settings.TokenRotation)
	check("no user scopes", len(d.OAuth.Scopes.User) == 0)
	check("no redirect URLs", len(d.OAuth.RedirectURLs) == 0)

	if n := len(d.Features.SlashCommands); n != 1 {
		t.Fatalf("slash_commands has %d entries, want 1", n)
	}
	c := d.Features.SlashCommands[0]
	check("command is /coach", c.Command == manifest.Command)
	check("/coach should_escape", c.ShouldEscape)
	check("/coach has a usage hint", c.UsageHint != "")
	check("/coach has a description", c.Description != "")
	check("/coach has no url (socket mode)", c.URL == "")

	var want []string
	for _, s := range manifest.BotScopes() {
		if s.Why == "" {
			t.Errorf("scope %s has no justification", s.Name)
		}
		want = append(want, s.Name)
	}
	if !slices.Equal(d.OAuth.Scopes.Bot, want) {
		t.Errorf("oauth_config.scopes.bot = %v, want %v", d.OAuth.Scopes.Bot, want)
	}
	if !slices.IsSorted(want) || len(slices.Compact(slices.Clone(want))) != len(want) {
		t.Errorf("BotScopes() = %v, want sorted and without duplicates", want)
	}
}

// TestScopeCommentsInYAML checks each scope's justification reaches the file an
// admin reads.
func TestScopeCommentsInYAML(t *testing.T) {
	y := manifest.YAML()
	for _, s := range manifest.BotScopes() {
		if line := []byte("- " + s.Name + " # " + s.Why); !bytes.Contains(y, line) {
			t.Errorf("YAML() lacks the line %q", line)
		}
	}
}

func TestScopeFor(t *testing.T) {
	tests := []struct {
		method, scope string
		ok            bool
	}{
		{"chat.postMessage", "chat:write", true},
		{"chat.update", "chat:write", true},
		{"conversations.open", "im:write", true},
		{"conversations.history", "im:history", true},
		{"users.info", "users:read", true},
		{"views.publish", "", true},
		{"auth.test", "", true},
		{"apps.connections.open", "connections:write", true},
		{"files.completeUploadExternal", "files:write", true},
		{"admin.users.list", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			scope, ok := manifest.ScopeFor(tt.method)
			if scope != tt.scope || ok != tt.ok {
				t.Errorf("ScopeFor(%q) = %q, %t, want %q, %t", tt.method, scope, ok, tt.scope, tt.ok)
			}
		})
	}
}
