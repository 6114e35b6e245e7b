// Package manifest is leancoach's Slack app manifest, kept as Go data so that
// `bot manifest`, deploy/slack-manifest.yaml and the scope tests share one source.
//
// The bot scopes are the ones the code needs and no more: manifest_test scans the
// code for the Slack Web API methods it calls and fails on a method whose scope is
// missing here, and on a scope here that no called method (or feature) needs.
package manifest

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// AppName is the app's and the bot user's display name.
const AppName = "leancoach"

// Command is the one slash command.
const Command = "/coach"

// Scope is an OAuth scope with the reason leancoach asks for it.
type Scope struct {
	Name string
	Why  string
}

// botScopes are the bot token scopes, each justified by what uses it. Keep in
// step with methodScopes: manifest_test enforces that both ways.
var botScopes = []Scope{
	{"channels:join", "conversations.join: join the kudos channel set with /coach channel"},
	{"chat:write", "chat.postMessage/update/postEphemeral/delete: prompts, answers shown in place, kudos, command replies"},
	{"commands", "the /coach slash command"},
	{"files:write", "files.getUploadURLExternal/completeUploadExternal: /coach export sends your data as a file in your DM"},
	{"im:history", "conversations.history in the bot's DMs: after a crash, find a prompt already posted so it is never sent twice; message.im events for text typed there"},
	{"im:write", "conversations.open: open the DM with a director to send prompts"},
	{"users:read", "users.info/users.list: time zone, locale, and whether a user is a workspace admin, owner, guest, bot or deleted"},
}

// BotEvents are the Events API events the app subscribes to:
// app_home_opened draws the App Home; message.im lets the bot answer text
// typed in its DM with what the person can do (it needs im:history and the
// Messages tab, both already there).
func BotEvents() []string { return []string{"app_home_opened", "message.im"} }

// AppTokenScopes are the scopes of the app-level token (SLACK_APP_TOKEN). Slack
// does not take them from the manifest: the admin adds them when creating the
// token under Basic Information > App-Level Tokens.
var AppTokenScopes = []string{"connections:write"}

// BotScopes returns the bot token scopes in manifest order.
func BotScopes() []Scope { return append([]Scope(nil), botScopes...) }

// app mirrors the manifest schema (https://api.slack.com/reference/manifests).
type app struct {
	Metadata    metadata    `yaml:"_metadata"`
	Display     display     `yaml:"display_information"`
	Features    features    `yaml:"features"`
	OAuthConfig oauthConfig `yaml:"oauth_config"`
	Settings    settings    `yaml:"settings"`
}

type metadata struct {
	MajorVersion int `yaml:"major_version"`
	MinorVersion int `yaml:"minor_version"`
}

type display struct {
	Name            string `yaml:"name"`
	Description     string `yaml:"description"`
	LongDescription string `yaml:"long_description"`
	BackgroundColor string `yaml:"background_color"`
}

type features struct {
	AppHome       appHome        `yaml:"app_home"`
	BotUser       botUser        `yaml:"bot_user"`
	SlashCommands []slashCommand `yaml:"slash_commands"`
}

type appHome struct {
	HomeTabEnabled             bool `yaml:"home_tab_enabled"`
	MessagesTabEnabled         bool `yaml:"messages_tab_enabled"`
	MessagesTabReadOnlyEnabled bool `yaml:"messages_tab_read_only_enabled"`
}

type botUser struct {
	DisplayName  string `yaml:"display_name"`
	AlwaysOnline bool   `yaml:"always_online"`
}

type slashCommand struct {
	Command      string `yaml:"command"`
	Description  string `yaml:"description"`
	UsageHint    string `yaml:"usage_hint"`
	ShouldEscape bool   `yaml:"should_escape"`
}

type oauthConfig struct {
	Scopes scopes `yaml:"scopes"`
}

type scopes struct {
	Bot []string `yaml:"bot"`
}

type settings struct {
	EventSubscriptions eventSubscriptions `yaml:"event_subscriptions"`
	Interactivity      interactivity      `yaml:"interactivity"`
	OrgDeployEnabled   bool               `yaml:"org_deploy_enabled"`
	SocketModeEnabled  bool               `yaml:"socket_mode_enabled"`
	TokenRotation      bool               `yaml:"token_rotation_enabled"`
}

type eventSubscriptions struct {
	BotEvents []string `yaml:"bot_events"`
}

type interactivity struct {
	IsEnabled bool `yaml:"is_enabled"`
}

func manifest() app {
	names := make([]string, len(botScopes))
	for i, s := range botScopes {
		names[i] = s.Name
	}
	return app{
		Metadata: metadata{MajorVersion: 1, MinorVersion: 1},
		Display: display{
			Name:        AppName,
			Description: "Nudges directors toward the coaching habits that grow their Lean leaders, and keeps their streaks.",
			LongDescription: "leancoach sends each director a short prompt in a DM when a coaching habit is due: " +
				"go to the stand-up (Gemba), give a compliment, ask a self-solving question. One click records " +
				"the answer; streaks and habit strength show in the App Home, and compliments to Lean leaders " +
				"are posted as public kudos. Admins set it up with /coach. Self-hosted: your data stays in one " +
				"file on your own server.",
			BackgroundColor: "#1f4e3d",
		},
		Features: features{
			// The Home tab shows streaks. The Messages tab carries the prompts; it is
			// not read-only because Slack then also blocks /coach typed in the
			// bot's DM, which is where directors naturally type it.
			AppHome: appHome{HomeTabEnabled: true, MessagesTabEnabled: true, MessagesTabReadOnlyEnabled: false},
			BotUser: botUser{DisplayName: AppName, AlwaysOnline: true},
			SlashCommands: []slashCommand{{
				Command:     Command,
				Description: "Coaching habits: your streaks, kudos, leave; admins set directors and schedules",
				UsageHint:   "help | streak | kudos @leader text | pause 2w | resume | export",
				// Mentions then arrive as <@U123|name>, so users are parsed by ID.
				ShouldEscape: true,
			}},
		},
		OAuthConfig: oauthConfig{Scopes: scopes{Bot: names}},
		Settings: settings{
			EventSubscriptions: eventSubscriptions{BotEvents: BotEvents()},
			Interactivity:      interactivity{IsEnabled: true},
			// Socket Mode: no public endpoint, so no request URLs anywhere.
			SocketModeEnabled: true,
		},
	}
}

const header = `# Slack app manifest for leancoach. Generated: do not edit; print it with
# "bot manifest". Create the app at https://api.slack.com/apps > Create New App >
# From a manifest, paste this, then create an app-level token with the
# connections:write scope (Basic Information > App-Level Tokens) for SLACK_APP_TOKEN
# and install the app to get the bot token (xoxb-...) for SLACK_BOT_TOKEN.
`

// YAML returns the manifest as YAML, each bot scope commented with its reason.
func YAML() []byte {
	var doc yaml.Node
	if err := doc.Encode(manifest()); err != nil {
		panic(fmt.Sprintf("manifest: encode: %v", err)) // static data: cannot fail
	}
	bot := lookup(&doc, "oauth_config", "scopes", "bot")
	for i, item := range bot.Content {
		item.LineComment = botScopes[i].Why
	}
	var buf bytes.Buffer
	buf.WriteString(header)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		panic(fmt.Sprintf("manifest: marshal: %v", err))
	}
	if err := enc.Close(); err != nil {
		panic(fmt.Sprintf("manifest: marshal: %v", err))
	}
	return buf.Bytes()
}

// lookup follows keys through nested mappings; the path is static, so a miss is a
// programming error.
func lookup(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				n, found = n.Content[i+1], true
				break
			}
		}
		if !found {
			panic("manifest: no key " + k)
		}
	}
	return n
}
