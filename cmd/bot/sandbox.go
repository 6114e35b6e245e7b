package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/leancoach/leancoach/internal/slacksim"
)

// runSandbox starts a local Slack with a demo workspace and the production bot
// connected to it over Socket Mode.
func runSandbox(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:3000", "address of the sandbox web page")
	dbPath := fs.String("db", "", "keep the sandbox data in this file (default: a temporary file)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	cfg, err := LoadConfig(getenv, false)
	if err != nil {
		return err
	}
	if *dbPath == "" {
		dir, err := os.MkdirTemp("", "leancoach-sandbox-")
		if err != nil {
			return fmt.Errorf("sandbox: %w", err)
		}
		defer os.RemoveAll(dir)
		*dbPath = filepath.Join(dir, "sandbox.db")
	}
	cfg.DBPath = *dbPath
	cfg.HTTPAddr = ""

	sim := slacksim.New(slacksim.Options{})
	defer sim.Close()
	w := seedWorkspace(sim)
	cfg.BotToken, cfg.AppToken = secretToken(sim.BotToken()), secretToken(sim.AppToken())
	cfg.APIURL = sim.APIURL()
	cfg.Admins = append(cfg.Admins, w.admin)

	log := newLogger(Config{LogLevel: cfg.LogLevel, LogFormat: "console"}, stderr)
	_ = addr
	fmt.Fprintf(stdout, "leancoach sandbox: local Slack at %s\n", sim.URL())
	return serve(ctx, cfg, log, serveOptions{})
}
