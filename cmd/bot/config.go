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
	BotToken  secret.Token
	AppToken  secret.Token
	APIURL    string // Slack Web API base, ends with "/"
	DBPath    string
	Admins    []coach.UserID
	TZ        *time.Location // for users whose Slack profile has no zone
	Lang      i18n.Lang      // for users whose locale is unknown
	HTTPAddr  string         // /healthz, /readyz, /metrics; "" = off
	PostRate  float64        // prompts per second, workspace-wide
	LogLevel  zerolog.Level
	LogFormat string // "json" or "console"
	// NoteRetention is how long users' free text (private notes, the
	// question as asked, compliments) is kept; zero = forever.
	NoteRetention retention.Period
}

// LoadConfig reads the configuration from getenv. needTokens is false for
// commands that do not talk to Slack. Every error names the variable to set.
func LoadConfig(getenv func(string) string, needTokens bool) (Config, error) {
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		APIURL:    get("SLACK_API_URL", "https://slack.com/api/"),
		DBPath:    get("LEANCOACH_DB", "./leancoach.db"),
		HTTPAddr:  get("LEANCOACH_HTTP_ADDR", "127.0.0.1:9090"),
		LogFormat: get("LOG_FORMAT", "json"),
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
		id, ok := coach.ParseUserID(f)
		if !ok {
			bad("LEANCOACH_ADMINS: %q is not a Slack user ID (like U012AB3CD)", f)
			continue
		}
		c.Admins = append(c.Admins, id)
	}
	tz := get("LEANCOACH_TZ", "UTC")
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "Local" {
		bad("LEANCOACH_TZ: %q is not an IANA time zone name (like Europe/Amsterdam)", tz)
	}
	c.TZ = loc
	lang, ok := i18n.ParseLang(get("LEANCOACH_LANG", "en"))
	if !ok {
		bad("LEANCOACH_LANG must be en or nl")
	}
	c.Lang = lang
	lvl, err := zerolog.ParseLevel(strings.ToLower(get("LOG_LEVEL", "info")))
	if err != nil || lvl == zerolog.NoLevel {
		bad("LOG_LEVEL must be one of trace, debug, info, warn, error")
	}
	c.LogLevel = lvl
	if c.LogFormat != "json" && c.LogFormat != "console" {
		bad("LOG_FORMAT must be json or console")
	}
	c.PostRate = 1
	if v := getenv("LEANCOACH_POST_RATE"); v != "" {
		r, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || r < 0.1 || r > 50 {
			bad("LEANCOACH_POST_RATE must be a number of prompts per second between 0.1 and 50 (default 1)")
		}
		c.PostRate = r
	}
	c.NoteRetention = retention.Default
	if v := getenv("LEANCOACH_NOTE_RETENTION"); strings.TrimSpace(v) != "" {
		r, err := retention.Parse(v)
		if err != nil {
			bad("LEANCOACH_NOTE_RETENTION: %v", err)
		}
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
