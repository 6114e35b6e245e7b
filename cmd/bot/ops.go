package main

// The operations commands: bot backup, bot check, bot manifest.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/leancoach/leancoach/internal/manifest"
	"github.com/leancoach/leancoach/internal/store"
)

const backupUsage = `usage: bot backup [--force] FILE
  Writes a consistent copy of the database (LEANCOACH_DB) to FILE, verified
  before it takes the name. Works while the bot runs: the copy then comes from
  the running bot over the socket beside the database. FILE "-" writes the copy
  to standard output. An existing FILE is kept unless --force.
`

// runBackup is `bot backup [--force] FILE`.
func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	force, file, err := parseBackupArgs(args)
	if errors.Is(err, errHelp) {
		fmt.Fprint(stdout, backupUsage)
		return nil
	}
	if err != nil {
		fmt.Fprintf(stderr, "bot backup: %v\n\n%s", err, backupUsage)
		return errUsage
	}
	cfg, err := LoadConfig(getenv, false)
	if err != nil {
		return err
	}
	if file == "-" {
		src, err := backupStream(ctx, cfg.DBPath, stdout)
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		fmt.Fprintf(stderr, "backup: wrote the database to standard output (%s); after saving it, check the file with: bot check FILE\n", src)
		return nil
	}
	res, err := backupToFile(ctx, cfg.DBPath, file, force)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "backup: wrote %s (%d bytes, verified) %s\n", file, res.size, res.source)
	return nil
}

var errHelp = errors.New("help")

// parseBackupArgs accepts --force anywhere, as flag users expect, and exactly
// one FILE.
func parseBackupArgs(args []string) (force bool, file string, err error) {
	var files []string
	for _, a := range args {
		switch {
		case a == "--force" || a == "-force" || a == "-f":
			force = true
		case a == "-h" || a == "--help" || a == "-help":
			return false, "", errHelp
		case a != "-" && strings.HasPrefix(a, "-"):
			return false, "", fmt.Errorf("unknown flag %s", a)
		default:
			files = append(files, a)
		}
	}
	if len(files) != 1 {
		return false, "", fmt.Errorf("want exactly one FILE, got %d", len(files))
	}
	return force, files[0], nil
}

const checkUsage = `usage: bot check [FILE]
  Verifies a database file (default LEANCOACH_DB) without changing it: bbolt's
  consistency check, a read of every record, and the file's permissions. Exits
  non-zero with the reason when the file is damaged.
`

// runCheck is `bot check [FILE]`.
func runCheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		fmt.Fprint(stdout, checkUsage)
		return nil
	}
	if len(args) > 1 || len(args) == 1 && strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(stderr, "bot check: want at most one FILE\n\n%s", checkUsage)
		return errUsage
	}
	path := ""
	if len(args) == 1 {
		path = args[0]
	} else {
		cfg, err := LoadConfig(getenv, false)
		if err != nil {
			return err
		}
		path = cfg.DBPath
	}
	size, err := checkFile(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: ok (%d bytes)\n", path, size)
	return nil
}

// checkFile verifies the database file at path and returns its size. Its errors
// say what is wrong and what to do.
func checkFile(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("check %s: %w", path, err)
	}
	if err := store.Check(path); err != nil {
		switch {
		case errors.Is(err, store.ErrLocked):
			return 0, fmt.Errorf("check %s: the running bot holds this file, so it cannot be checked in place; "+
				"make a backup instead (bot backup FILE verifies the copy), or stop the bot first", path)
		case errors.Is(err, store.ErrDamaged):
			return 0, fmt.Errorf("%w\nthe file is DAMAGED: stop the bot, move the file aside and restore the latest "+
				"verified backup (docs/operations.md, \"Back up and restore\")", err)
		}
		return 0, err
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return 0, fmt.Errorf("check %s: the data is sound, but group or others may access the file (mode %#o) and the bot "+
			"refuses to open it; fix it with: chmod 600 %s", path, perm, path)
	}
	return fi.Size(), nil
}

// runManifest is `bot manifest`: the Slack app manifest, as in deploy/.
func runManifest(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "bot manifest: takes no arguments, got %q\n", args[0])
		return errUsage
	}
	_, err := stdout.Write(manifest.YAML())
	return err
}
