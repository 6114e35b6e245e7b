package main

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/retention"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadConfig(t *testing.T) {
	ok := map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}
	c, err := LoadConfig(env(ok), true)
	if err != nil {
		t.Fatalf("LoadConfig(valid) = %v", err)
	}
	if c.PostRate != 1 {
		t.Errorf("PostRate = %v, want 1", c.PostRate)
	}
	if c.WeeklyBudget != 5 {
		t.Errorf("WeeklyBudget = %v, want the default 5", c.WeeklyBudget)
	}
	for v, want := range map[string]coach.Budget{"1": 1, " 20 ": 20, "7": 7, "off": 0, "OFF": 0} {
		if c, err := LoadConfig(env(merge(ok, "LEANCOACH_WEEKLY_BUDGET", v)), true); err != nil || c.WeeklyBudget != want {
			t.Errorf("LoadConfig(LEANCOACH_WEEKLY_BUDGET=%q) = %v, %v; want %v", v, c.WeeklyBudget, err, want)
		}
	}
	if c.DBPath != "./leancoach.db" || c.TZ.String() != "UTC" || c.Lang != "en" || c.APIURL != "https://slack.com/api/" {
		t.Errorf("defaults = %+v", c)
	}
	if c.BotToken.Reveal() != "xoxb-1" {
		t.Errorf("BotToken = %q, want xoxb-1", c.BotToken.Reveal())
	}

	tests := []struct {
		name string
		env  map[string]string
		want string // a fragment of the error: the variable to set
	}{
		{"no bot token", map[string]string{"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN is not set"},
		{"no app token", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN is not set"},
		{"swapped tokens", map[string]string{"SLACK_BOT_TOKEN": "xapp-1", "SLACK_APP_TOKEN": "xoxb-1"}, "starting with xoxb-"},
		{"bad zone", merge(ok, "LEANCOACH_TZ", "Mars/Olympus"), "LEANCOACH_TZ"},
		{"Local zone", merge(ok, "LEANCOACH_TZ", "Local"), "LEANCOACH_TZ"},
		{"bad admin", merge(ok, "LEANCOACH_ADMINS", "U1AB,bob"), `"bob" is not a Slack user ID`},
		{"bad lang", merge(ok, "LEANCOACH_LANG", "fr"), "LEANCOACH_LANG"},
		{"bad level", merge(ok, "LOG_LEVEL", "loud"), "LOG_LEVEL"},
		{"bad format", merge(ok, "LOG_FORMAT", "xml"), "LOG_FORMAT"},
		{"bad url", merge(ok, "SLACK_API_URL", "slack.com"), "SLACK_API_URL"},
		{"post rate", merge(ok, "LEANCOACH_POST_RATE", "fast"), "LEANCOACH_POST_RATE"},
		{"post rate too high", merge(ok, "LEANCOACH_POST_RATE", "500"), "LEANCOACH_POST_RATE"},
		{"budget not a number", merge(ok, "LEANCOACH_WEEKLY_BUDGET", "few"), "LEANCOACH_WEEKLY_BUDGET must be a number of prompts a week from 1 to 20, or off"},
		{"budget zero", merge(ok, "LEANCOACH_WEEKLY_BUDGET", "0"), "LEANCOACH_WEEKLY_BUDGET"},
		{"budget too high", merge(ok, "LEANCOACH_WEEKLY_BUDGET", "21"), "LEANCOACH_WEEKLY_BUDGET"},
		{"budget fraction", merge(ok, "LEANCOACH_WEEKLY_BUDGET", "4.5"), "LEANCOACH_WEEKLY_BUDGET"},
		{"db is a dir", merge(ok, "LEANCOACH_DB", "/var/lib/"), "LEANCOACH_DB"},
		{"http addr no port", merge(ok, "LEANCOACH_HTTP_ADDR", "localhost"), "LEANCOACH_HTTP_ADDR"},
		{"http addr bad port", merge(ok, "LEANCOACH_HTTP_ADDR", "127.0.0.1:99999"), "LEANCOACH_HTTP_ADDR"},
		{"http addr named port", merge(ok, "LEANCOACH_HTTP_ADDR", "127.0.0.1:http"), "LEANCOACH_HTTP_ADDR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(env(tt.env), true)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadConfig = %v, want an error containing %q", err, tt.want)
			}
		})
	}

	c, err = LoadConfig(env(merge(ok, "LEANCOACH_ADMINS", " U1AB , W2CD,", "LEANCOACH_TZ", "Europe/Amsterdam", "LEANCOACH_LANG", "nl-NL", "SLACK_API_URL", "http://127.0.0.1:1/api")), true)
	if err != nil {
		t.Fatalf("LoadConfig = %v", err)
	}
	if len(c.Admins) != 2 || c.Admins[0] != "U1AB" || c.Admins[1] != "W2CD" || c.TZ.String() != "Europe/Amsterdam" || c.Lang != "nl" || c.APIURL != "http://127.0.0.1:1/api/" {
		t.Errorf("LoadConfig = %+v", c)
	}
	if _, err := LoadConfig(env(nil), false); err != nil {
		t.Errorf("LoadConfig(no tokens, not needed) = %v, want nil", err)
	}
	for addr, want := range map[string]string{"off": "", ":9090": ":9090", "0.0.0.0:9090": "0.0.0.0:9090", "[::1]:0": "[::1]:0"} {
		if c, err := LoadConfig(env(merge(ok, "LEANCOACH_HTTP_ADDR", addr)), true); err != nil || c.HTTPAddr != want {
			t.Errorf("LoadConfig(LEANCOACH_HTTP_ADDR=%s) = %q, %v; want %q", addr, c.HTTPAddr, err, want)
		}
	}
}

func merge(m map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func TestLoadConfigNoteRetention(t *testing.T) {
	ok := map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}
	for _, c := range []struct {
		value string
		want  retention.Period
	}{
		{"", retention.Default},
		{"  ", retention.Default},
		{"365d", retention.Period{Days: 365}},
		{"90d", retention.Period{Days: 90}},
		{"18mo", retention.Period{Months: 18}},
		{" 24MO ", retention.Period{Months: 24}},
		{"off", retention.Period{}},
		{"OFF", retention.Period{}},
		{"0", retention.Period{}},
	} {
		t.Run("ok "+c.value, func(t *testing.T) {
			cfg, err := LoadConfig(env(merge(ok, "LEANCOACH_NOTE_RETENTION", c.value)), true)
			if err != nil || cfg.NoteRetention != c.want {
				t.Errorf("LoadConfig(LEANCOACH_NOTE_RETENTION=%q) = %+v, %v, want %+v", c.value, cfg.NoteRetention, err, c.want)
			}
		})
	}
	if cfg, err := LoadConfig(env(ok), false); err != nil || cfg.NoteRetention != (retention.Period{Days: 365}) {
		t.Errorf("LoadConfig() NoteRetention = %+v, %v, want the 365d default", cfg.NoteRetention, err)
	}
	for _, c := range []struct {
		value string
		want  string // a fragment of the error
	}{
		{"18m", "write months as 18mo"},
		{"1y", "write years as months (12mo) or days (365d)"},
		{"365", `"365" has no unit: write 365d for days or 365mo for months`},
		{"8760h", `unknown unit "h"`},
		{"7d", "between 30d and 3650d (or off)"},
		{"200mo", "between 1mo and 120mo (or off)"},
		{"-30d", "like 365d or 18mo, or off"},
		{"forever", "like 365d or 18mo, or off"},
		{"1.5mo", `unknown unit ".5mo"`},
	} {
		t.Run("bad "+c.value, func(t *testing.T) {
			_, err := LoadConfig(env(merge(ok, "LEANCOACH_NOTE_RETENTION", c.value)), true)
			if err == nil || !strings.Contains(err.Error(), "LEANCOACH_NOTE_RETENTION") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("LoadConfig(LEANCOACH_NOTE_RETENTION=%q) = %v, want an error naming the variable with %q", c.value, err, c.want)
			}
		})
	}
}

// TestSettingsAreWhatLoadConfigReads: settings() (the table behind bot
// --help and the docs check) is every variable LoadConfig reads, no more.
func TestSettingsAreWhatLoadConfigReads(t *testing.T) {
	read := map[string]bool{}
	if _, err := LoadConfig(func(k string) string { read[k] = true; return "" }, true); err == nil {
		t.Errorf("LoadConfig without tokens = nil, want an error")
	}
	table := map[string]bool{}
	for _, s := range settings() {
		if table[s.Name] {
			t.Errorf("settings() lists %s twice", s.Name)
		}
		table[s.Name] = true
		if s.Help == "" || s.shown() == "" || (s.Default != "") == (s.Unset != "") {
			t.Errorf("setting %+v: want a Help and either a Default or what Unset means", s)
		}
	}
	for k := range read {
		if !table[k] {
			t.Errorf("LoadConfig reads %s, which settings() lacks: add it there, so that bot --help and docs/configuration.md name it", k)
		}
	}
	for k := range table {
		if !read[k] {
			t.Errorf("settings() lists %s, which LoadConfig never reads", k)
		}
	}
}

// TestHelpListsEverySetting: bot --help names every variable with its
// default, on one line.
func TestHelpListsEverySetting(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"help"}, {"-h"}} {
		var out strings.Builder
		if err := run(t.Context(), args, env(nil), &out, io.Discard); err != nil {
			t.Fatalf("bot %v = %v", args, err)
		}
		for _, s := range settings() {
			if !regexp.MustCompile(`(?m)^  ` + s.Name + ` .*` + regexp.QuoteMeta(s.shown()) + `$`).MatchString(out.String()) {
				t.Errorf("bot %v does not list %s with its default %q:\n%s", args, s.Name, s.shown(), out.String())
			}
		}
	}
}

// TestDocsNameEverySetting: docs/configuration.md has a row for every
// variable, with the same default, and no row for a variable that is not
// one; deploy/env.example names every variable.
func TestDocsNameEverySetting(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{} // variable -> default cell, without backticks
	for _, m := range regexp.MustCompile("(?m)^\\| `([A-Z_]+)` \\|.*\\| ([^|]+) \\|$").FindAllStringSubmatch(string(doc), -1) {
		rows[m[1]] = strings.ReplaceAll(strings.TrimSpace(m[2]), "`", "")
	}
	example, err := os.ReadFile(filepath.Join("..", "..", "deploy", "env.example"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range settings() {
		got, ok := rows[s.Name]
		switch {
		case !ok:
			t.Errorf("docs/configuration.md has no row for %s", s.Name)
		case got != s.shown():
			t.Errorf("docs/configuration.md gives %s the default %q, want %q", s.Name, got, s.shown())
		}
		delete(rows, s.Name)
		if !regexp.MustCompile(`(?m)^#?` + s.Name + `=`).Match(example) {
			t.Errorf("deploy/env.example does not name %s", s.Name)
		}
	}
	for name := range rows {
		t.Errorf("docs/configuration.md documents %s, which leancoach does not read", name)
	}
}
