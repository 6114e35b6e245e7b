package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

const exportUsage = `usage: bot export [--user U…] [--format json|csv]
  Prints what leancoach recorded to standard output: everything, or with
  --user (repeatable, or comma-separated) the data of those people only.
  json (the default) is the layout /coach export sends (docs/export.md);
  csv is one row per prompt and per compliment given, its columns named as
  the json keys. Works while the bot runs: the data is read
  from a consistent copy (as bot backup makes), never from the live file.
`

// runExport is `bot export [--user U…] [--format json|csv]`.
func runExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	users, format, err := parseExportArgs(args)
	if errors.Is(err, errHelp) {
		fmt.Fprint(stdout, exportUsage)
		return nil
	}
	if err != nil {
		fmt.Fprintf(stderr, "bot export: %v\n\n%s", err, exportUsage)
		return errUsage
	}
	cfg, err := LoadConfig(getenv, false)
	if err != nil {
		return err
	}
	db, cleanup, err := openExportCopy(ctx, cfg.DBPath)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer cleanup()
	all := len(users) == 0
	if all {
		if users, err = everyone(ctx, db); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	data := make([]coach.UserData, len(users))
	for i, u := range users {
		if data[i], err = db.Export(ctx, u); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	if format == "csv" {
		err = writeExportCSV(stdout, data)
	} else {
		err = writeExportJSON(ctx, stdout, db, all, data)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// parseExportArgs reads --user U (repeatable, comma-separated values too)
// and --format json|csv, in any order, with "=" or a space.
func parseExportArgs(args []string) (users []coach.UserID, format string, err error) {
	format = "json"
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "-h" || a == "--help" || a == "-help" {
			return nil, "", errHelp
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || (name != "user" && name != "format") {
			return nil, "", fmt.Errorf("unknown argument %q", a)
		}
		if !hasVal {
			if i+1 >= len(args) {
				return nil, "", fmt.Errorf("--%s needs a value", name)
			}
			i++
			val = args[i]
		}
		switch name {
		case "format":
			if val != "json" && val != "csv" {
				return nil, "", fmt.Errorf("--format must be json or csv, not %q", val)
			}
			format = val
		case "user":
			for _, f := range strings.Split(val, ",") {
				id, ok := userArg(strings.TrimSpace(f))
				if !ok {
					return nil, "", fmt.Errorf("--user %q is not a Slack user ID (like U012AB3CD)", f)
				}
				if !slices.Contains(users, id) {
					users = append(users, id)
				}
			}
		}
	}
	return users, format, nil
}

// openExportCopy copies the database (from the running bot over its backup
// socket, or from the file when no bot runs) into a private temporary
// directory and opens the copy. cleanup closes and deletes it: the copy
// holds everyone's data and must not outlive the command.
func openExportCopy(ctx context.Context, dbPath string) (*store.DB, func(), error) {
	dir, err := os.MkdirTemp("", "leancoach-export-*") // 0700
	if err != nil {
		return nil, nil, err
	}
	remove := func() { _ = os.RemoveAll(dir) }
	path := filepath.Join(dir, "copy.db")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		remove()
		return nil, nil, err
	}
	_, err = backupStream(ctx, dbPath, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		remove()
		return nil, nil, fmt.Errorf("copy the database: %w", err)
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		remove()
		return nil, nil, fmt.Errorf("open the copy: %w", err)
	}
	return db, func() { _ = db.Close(); remove() }, nil
}

// everyone returns every user the database names: directors and their
// leaders, added admins, schedule authors and targets, audit actors, and
// whoever gave or received kudos.
func everyone(ctx context.Context, db *store.DB) ([]coach.UserID, error) {
	seen := map[coach.UserID]bool{}
	add := func(ids ...coach.UserID) {
		for _, id := range ids {
			if _, ok := coach.ParseUserID(string(id)); ok {
				seen[id] = true
			}
		}
	}
	dirs, err := db.Directors(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range dirs {
		add(d.ID, d.AddedBy)
		add(d.Leaders...)
	}
	admins, err := db.Admins(ctx)
	if err != nil {
		return nil, err
	}
	add(admins...)
	scheds, err := db.Schedules(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range scheds {
		add(s.CreatedBy)
		add(s.Directors...)
	}
	log, err := db.AuditLog(ctx, 0)
	if err != nil {
		return nil, err
	}
	for _, e := range log {
		add(e.Actor)
	}
	for _, id := range slices.Collect(maps.Keys(seen)) { // seen grows below
		ks, err := db.KudosFor(ctx, id, time.Time{})
		if err != nil {
			return nil, err
		}
		for _, k := range ks {
			add(k.From, k.To)
		}
	}
	out := make([]coach.UserID, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	slices.Sort(out)
	return out, nil
}

// writeExportJSON writes the export of data (coach.Export); an export of
// everyone also holds the workspace's schedules and audit log.
func writeExportJSON(ctx context.Context, w io.Writer, db *store.DB, all bool, data []coach.UserData) error {
	var ws *coach.Workspace
	if all {
		scheds, err := db.Schedules(ctx)
		if err != nil {
			return err
		}
		log, err := db.AuditLog(ctx, 0) // newest first
		if err != nil {
			return err
		}
		slices.Reverse(log)
		ws = &coach.Workspace{Schedules: scheds, Audit: log}
	}
	b, err := coach.NewExport(time.Now(), data, ws).JSON()
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// exportColumns are the CSV columns: the json keys of coach.Export
// (docs/export.md). A prompt row fills those of its occurrence and answer;
// a kudos row kind, user_id (the giver), prompt_key, given_at, leader (the
// receiver) and text.
var exportColumns = []string{"kind", "user_id", "key", "schedule_id", "habit", "local_date", "due_at", "state",
	"outcome", "answered_at", "leader", "note", "observation", "feedback_given", "question_id", "asked",
	"prompt_key", "given_at", "text"}

// writeExportCSV writes one row per prompt (kind "prompt") and per kudos
// given (kind "kudos") of the users, from the same export as the json.
func writeExportCSV(w io.Writer, data []coach.UserData) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(exportColumns); err != nil {
		return err
	}
	str := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	for _, u := range coach.NewExport(time.Now(), data, nil).Users {
		for _, o := range u.Occurrences {
			row := map[string]string{"kind": "prompt", "user_id": u.UserID, "key": o.Key, "schedule_id": o.ScheduleID,
				"habit": o.Habit, "local_date": o.LocalDate, "due_at": str(o.DueAt), "state": o.State}
			if a := o.Answer; a != nil {
				row["outcome"], row["answered_at"], row["leader"] = a.Outcome, str(a.AnsweredAt), a.Leader
				row["note"], row["observation"], row["text"] = a.Note, a.Observation, a.Text
				row["feedback_given"], row["question_id"], row["asked"] = strconv.FormatBool(a.FeedbackGiven), a.QuestionID, a.Asked
			}
			if err := cw.Write(csvRow(row)); err != nil {
				return err
			}
		}
		for _, k := range u.KudosGiven {
			row := map[string]string{"kind": "kudos", "user_id": u.UserID, "prompt_key": k.PromptKey,
				"given_at": str(k.GivenAt), "leader": k.To, "text": k.Text}
			if err := cw.Write(csvRow(row)); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvRow orders row by exportColumns. Cells that a spreadsheet would read as
// a formula get a leading apostrophe (CSV injection): they hold users' text.
func csvRow(row map[string]string) []string {
	out := make([]string, len(exportColumns))
	for i, c := range exportColumns {
		v := row[c]
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			v = "'" + v
		}
		out[i] = v
	}
	return out
}
