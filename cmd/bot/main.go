// Command bot runs leancoach: the Slack bot (run), a local try-out with no
// Slack workspace (sandbox), and the operations commands (backup, check,
// export, manifest).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"

	_ "time/tzdata" // every zone known even in a slim image without zoneinfo
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "bot:", err)
		}
		os.Exit(1)
	}
}

// errUsage means the usage was already printed.
var errUsage = errors.New("usage")

type subcommand func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error

func subcommands() map[string]subcommand {
	return map[string]subcommand{
		"run":      runBot,
		"sandbox":  runSandbox,
		"backup":   runBackup,
		"check":    runCheck,
		"export":   runExport,
		"manifest": runManifest,
	}
}

// run dispatches to a subcommand; "run" is the default.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	name := "run"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	if name == "help" || (len(args) > 0 && (args[0] == "-h" || args[0] == "--help") && name == "run") {
		fmt.Fprint(stdout, usage())
		return nil
	}
	cmd, ok := subcommands()[name]
	if !ok {
		fmt.Fprintf(stderr, "bot: unknown command %q\n\n%s", name, usage())
		return errUsage
	}
	return cmd(ctx, args, getenv, stdout, stderr)
}

// usage is the help of `bot help`, `bot --help` and a mistyped command:
// the commands, then every environment variable from settings().
func usage() string {
	var b strings.Builder
	b.WriteString(`usage: bot [command] [flags]

commands:
  run        connect to Slack and coach (default); needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN
  sandbox    a local Slack in your browser, no workspace needed (--addr, --db)
  backup     bot backup [--force] FILE: consistent copy of the database, also while the bot runs
  check      bot check [FILE]: verify the database file
  export     bot export [--user U…] [--format json|csv]: everything recorded, or one person's data
  manifest   print the Slack app manifest

environment (see docs/configuration.md):
`)
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "  variable\tmeaning\tdefault")
	for _, s := range settings() {
		fmt.Fprintf(w, "  %s\t%s\t%s\n", s.Name, s.Help, s.shown())
	}
	_ = w.Flush() // writes to a strings.Builder cannot fail
	return b.String()
}
