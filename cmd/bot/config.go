package main

import (
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/retention"
	"github.com/leancoach/leancoach/internal/secret"
)

// Config is leancoach's configuration, read from the environment.
type Config struct {
	BotToken secret.Token
	AppToken secret.Token
	APIURL   string // Slack Web API base, ends with "/"
	DBPath   string
	Admins   []coach.UserID
	TZ       *time.Location // for users whose Slack profile has no zone
	Lang     i18n.Lang      // for users whose locale is unknown
	HTTPAddr string         // /healthz, /readyz, /metrics; "" = off
	PostRate float64        // prompts per second, workspace-wide
	// WeeklyBudget is the most scheduled prompts a director gets a week;
	// zero = no budget (LEANCOACH_WEEKLY_BUDGET=off).
	WeeklyBudget coach.Budget
	LogLevel     zerolog.Level
	LogFormat    string // "json" or "console"
	// NoteRetention is how long users' free text (private notes, the
	// question as asked, compliments) is kept; zero = forever.
	NoteRetention retention.Period
}

// setting is one environment variable LoadConfig reads. The table of them
// (settings) is the one list: LoadConfig takes its defaults from it, `bot
// --help` lists it, and tests check that LoadConfig reads nothing else and
// that docs/configuration.md and deploy/env.example name every one.
type setting struct {
	Name    string
	Default string // the value when unset; "" when there is none
	Unset   string // what an unset variable means when there is no Default
	Help    string // one line for bot --help
}

// settings are leancoach's environment variables, in the order of the help
// and the docs.
func settings() []setting {
	return []setting{
		{Name: "SLACK_BOT_TOKEN", Unset: "required for run", Help: "xoxb-… bot token"},
		{Name: "SLACK_APP_TOKEN", Unset: "required for run", Help: "xapp-… app-level token (connections:write)"},
		{Name: "SLACK_API_URL", Default: "https://slack.com/api/", Help: "Slack Web API base URL (tests, proxies)"},
		{Name: "LEANCOACH_DB", Default: "./leancoach.db", Help: "the database file (mode 0600)"},
		{Name: "LEANCOACH_ADMINS", Unset: "empty", Help: "Slack user IDs who are always admins, comma-separated"},
		{Name: "LEANCOACH_TZ", Default: "UTC", Help: "time zone when a Slack profile has none"},
		{Name: "LEANCOACH_LANG", Default: "en", Help: "language (en, nl) when the Slack locale is neither"},
		{Name: "LEANCOACH_POST_RATE", Default: "1", Help: "prompts posted per second, workspace-wide (0.1-50)"},
		{Name: "LEANCOACH_WEEKLY_BUDGET", Default: strconv.Itoa(int(coach.DefaultWeeklyBudget)), Help: "most scheduled prompts a director gets a week (1-20), or off"},
		{Name: "LEANCOACH_HTTP_ADDR", Default: "127.0.0.1:9090", Help: "address of /healthz, /readyz, /metrics; off for none"},
		{Name: "LEANCOACH_NOTE_RETENTION", Default: "365d", Help: "how long notes are kept: 30d-3650d, 1mo-120mo, off"},
		{Name: "LOG_LEVEL", Default: "info", Help: "trace, debug, info, warn or error"},
		{Name: "LOG_FORMAT", Default: "json", Help: "json or console"},
	}
}

// shown is how help and docs show the setting's default.
func (s setting) shown() string {
	if s.Default != "" {
		return s.Default
	}
	return s.Unset
}

// defaultOf is the default of the named setting; it panics on a name that
// is not in the table, which every test of LoadConfig would hit at once.
func defaultOf(name string) string {
	for _, s := range settings() {
		if s.Name == name {
			return s.Default
		}
	}
	panic("config: " + name + " is not in settings()")
}

// LoadConfig reads the configuration from getenv. needTokens is false for
// commands that do not talk to Slack. Every error names the variable to set.
func LoadConfig(getenv func(string) string, needTokens bool) (Config, error) {
	get := func(k string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return defaultOf(k)
	}
	c := Config{
		APIURL:    get("SLACK_API_URL"),
		DBPath:    get("LEANCOACH_DB"),
		HTTPAddr:  get("LEANCOACH_HTTP_ADDR"),
		LogFormat: get("LOG_FORMAT"),
	}
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }

	if needTokens {
		bot, app := getenv("SLACK_BOT_TOKEN"), getenv("SLACK_APP_TOKEN")
		switch {
		case bot == "":
			bad("SLACK_BOT_TOKEN is not set: set it to the bot token (xoxb-…) from your Slack app's OAuth & Permissions page")
		case !strings.HasPrefix(bot, "xoxb-"):
			bad("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
		}
		switch {
		case app == "":
			bad("SLACK_APP_TOKEN is not set: set it to an app-level token (xapp-…) with the connections:write scope")
		case !strings.HasPrefix(app, "xapp-"):
			bad("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
		}
		c.BotToken, c.AppToken = secret.Token(bot), secret.Token(app)
	}
	if !strings.HasPrefix(c.APIURL, "http://") && !strings.HasPrefix(c.APIURL, "https://") {
		bad("SLACK_API_URL must be an http(s) URL, e.g. https://slack.com/api/")
	} else if !strings.HasSuffix(c.APIURL, "/") {
		c.APIURL += "/"
	}
	if filepath.Base(c.DBPath) == "." || strings.HasSuffix(c.DBPath, "/") {
		bad("LEANCOACH_DB must name a file, e.g. /var/lib/leancoach/leancoach.db")
	}
	for _, f := range strings.Split(getenv("LEANCOACH_ADMINS"), ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		id, ok := userArg(f)
		if !ok {
			bad("LEANCOACH_ADMINS: %q is not a Slack user ID (like U012AB3CD)", f)
			continue
		}
		c.Admins = append(c.Admins, id)
	}
	tz := get("LEANCOACH_TZ")
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "Local" {
		bad("LEANCOACH_TZ: %q is not an IANA time zone name (like Europe/Amsterdam)", tz)
	}
	c.TZ = loc
	lang, ok := i18n.ParseLang(get("LEANCOACH_LANG"))
	if !ok {
		bad("LEANCOACH_LANG must be en or nl")
	}
	c.Lang = lang
	lvl, err := zerolog.ParseLevel(strings.ToLower(get("LOG_LEVEL")))
	if err != nil || lvl == zerolog.NoLevel {
		bad("LOG_LEVEL must be one of trace, debug, info, warn, error")
	}
	c.LogLevel = lvl
	if c.LogFormat != "json" && c.LogFormat != "console" {
		bad("LOG_FORMAT must be json or console")
	}
	if r, err := strconv.ParseFloat(get("LEANCOACH_POST_RATE"), 64); err != nil || r < 0.1 || r > 50 {
		bad("LEANCOACH_POST_RATE must be a number of prompts per second between 0.1 and 50 (default %s)", defaultOf("LEANCOACH_POST_RATE"))
	} else {
		c.PostRate = r
	}
	if b, err := parseBudget(get("LEANCOACH_WEEKLY_BUDGET")); err != nil {
		bad("%v", err)
	} else {
		c.WeeklyBudget = b
	}
	if r, err := retention.Parse(get("LEANCOACH_NOTE_RETENTION")); err != nil {
		bad("LEANCOACH_NOTE_RETENTION: %v", err)
	} else {
		c.NoteRetention = r
	}
	if c.HTTPAddr == "off" {
		c.HTTPAddr = ""
	} else if !hostPort(c.HTTPAddr) {
		bad("LEANCOACH_HTTP_ADDR must be host:port, like 127.0.0.1:9090, or off")
	}
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("configuration: %s", strings.Join(errs, "; "))
	}
	return c, nil
}

// parseBudget reads LEANCOACH_WEEKLY_BUDGET: a whole number of prompts a
// week from coach.MinWeeklyBudget to coach.MaxWeeklyBudget, or "off" for no
// budget.
func parseBudget(s string) (coach.Budget, error) {
	if strings.EqualFold(s, "off") {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < int(coach.MinWeeklyBudget) || n > int(coach.MaxWeeklyBudget) {
		return 0, fmt.Errorf("LEANCOACH_WEEKLY_BUDGET must be a number of prompts a week from %d to %d, or off (default %s)",
			coach.MinWeeklyBudget, coach.MaxWeeklyBudget, defaultOf("LEANCOACH_WEEKLY_BUDGET"))
	}
	return coach.Budget(n), nil
}

// hostPort reports whether addr is host:port with a numeric port, as
// net.Listen takes it (the host may be empty: all interfaces).
func hostPort(addr string) bool {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	_, err = strconv.ParseUint(port, 10, 16)
	return err == nil
}

// userArg reads a user ID an operator gave: bare ("U012AB3CD") or as a
// mention copied from Slack ("<@U012AB3CD>", "<@U012AB3CD|name>").
func userArg(s string) (coach.UserID, bool) {
	if strings.HasPrefix(s, "<@") && strings.HasSuffix(s, ">") {
		s, _, _ = strings.Cut(s[2:len(s)-1], "|")
	}
	return coach.ParseUserID(s)
}
