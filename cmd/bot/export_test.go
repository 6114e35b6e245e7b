package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

const (
	exDirector coach.UserID = "UEXDIR001"
	exLeader   coach.UserID = "UEXLEAD01"
	exOther    coach.UserID = "UEXOTHER1"
	exAdmin    coach.UserID = "UEXADMIN1"
)

// seedExport fills db with two directors, a prompt each (one answered with a
// note that looks like a spreadsheet formula), a compliment and an admin
// change.
func seedExport(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := t.Context()
	due := time.Date(2026, 11, 30, 7, 45, 0, 0, time.UTC)
	for _, d := range []coach.UserID{exDirector, exOther} {
		if err := db.PutDirector(ctx, coach.Director{ID: d, Leaders: []coach.UserID{exLeader}, AddedBy: exAdmin}); err != nil {
			t.Fatal(err)
		}
		o := coach.Occurrence{Key: coach.NewOccurrenceKey("s1", d, "2026-11-30"), Schedule: "s1", Director: d,
			Habit: coach.Standup, LocalDate: "2026-11-30", Due: due, State: coach.Sent}
		if d == exDirector {
			o.Answer = &coach.Answer{Outcome: coach.Done, At: due.Add(time.Hour), By: d, Note: "=HYPERLINK(\"x\") narwhal"}
		}
		if _, _, err := db.CreateOccurrence(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddKudos(ctx, coach.Kudos{From: exDirector, To: exLeader, Text: "great board, narwhal", At: due}); err != nil {
		t.Fatal(err)
	}
	if err := db.Audit(ctx, coach.AuditEntry{At: due, Actor: exAdmin, Action: "director.add", Detail: string(exDirector)}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutSchedule(ctx, coach.Schedule{Habit: coach.Standup, When: "weekdays 08:45", ToAll: true, CreatedBy: exAdmin}); err != nil {
		t.Fatal(err)
	}
}

func TestExportEveryoneWithoutBot(t *testing.T) {
	db, path := newDB(t)
	seedExport(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	out, _, err := runOp(t, runExport, dbEnv(path))
	if err != nil {
		t.Fatalf("bot export = %v", err)
	}
	var doc coach.Export
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("bot export is not JSON: %v\n%s", err, out)
	}
	if doc.Format != coach.ExportFormat || doc.SchemaVersion != coach.ExportSchemaVersion || doc.Schedules == nil ||
		len(*doc.Schedules) != 1 || doc.Audit == nil || len(*doc.Audit) != 1 {
		t.Fatalf("export = format %q version %d, schedules %v, audit %v; want one of each", doc.Format, doc.SchemaVersion, doc.Schedules, doc.Audit)
	}
	byID := map[string]coach.ExportedUser{}
	for _, u := range doc.Users {
		byID[u.UserID] = u
	}
	for _, u := range []coach.UserID{exDirector, exOther, exLeader, exAdmin} {
		if _, ok := byID[string(u)]; !ok {
			t.Errorf("export of everyone lacks %s (has %d users)", u, len(doc.Users))
		}
	}
	if occs := byID[string(exDirector)].Occurrences; len(occs) != 1 || occs[0].Answer == nil || !strings.Contains(occs[0].Answer.Note, "narwhal") {
		t.Errorf("export lacks the director's note: %+v", occs)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(os.TempDir(), "leancoach-export-*")); len(leftovers) > 0 {
		for _, l := range leftovers {
			if fi, err := os.Stat(l); err == nil && time.Since(fi.ModTime()) < time.Minute {
				t.Errorf("export left its copy behind: %s", l)
			}
		}
	}
}

func TestExportOneUserCSVWhileBotRuns(t *testing.T) {
	db, path := newDB(t)
	seedExport(t, db)
	serveBackupsT(t, db, path) // the bot holds the file; the copy comes over its socket
	out, _, err := runOp(t, runExport, dbEnv(path), "--user", "<@"+string(exDirector)+">", "--format=csv")
	if err != nil {
		t.Fatalf("bot export --user --format csv = %v", err)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("export is not CSV: %v\n%s", err, out)
	}
	if len(rows) != 3 || strings.Join(rows[0], ",") != strings.Join(exportColumns, ",") {
		t.Fatalf("export rows = %q, want the header, one prompt and one compliment", rows)
	}
	col := func(name string) int {
		for i, c := range exportColumns {
			if c == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	prompt, kudos := rows[1], rows[2]
	if prompt[col("kind")] != "prompt" || prompt[col("user_id")] != string(exDirector) || prompt[col("outcome")] != "done" {
		t.Errorf("prompt row = %q", prompt)
	}
	if got := prompt[col("note")]; got != "'=HYPERLINK(\"x\") narwhal" {
		t.Errorf("note cell = %q, want the formula neutralised with a leading apostrophe", got)
	}
	if kudos[col("kind")] != "kudos" || kudos[col("leader")] != string(exLeader) || kudos[col("text")] != "great board, narwhal" {
		t.Errorf("kudos row = %q", kudos)
	}
	if strings.Contains(out, string(exOther)) {
		t.Errorf("export of one user names another director:\n%s", out)
	}
}

func TestExportArgs(t *testing.T) {
	for _, args := range [][]string{{"--user"}, {"--user", "bob"}, {"--format", "xml"}, {"extra"}, {"--color", "red"}} {
		if _, _, err := runOp(t, runExport, dbEnv(filepath.Join(t.TempDir(), "x.db")), args...); !errors.Is(err, errUsage) {
			t.Errorf("bot export %q = %v, want the usage", args, err)
		}
	}
	users, format, err := parseExportArgs([]string{"--user=U1AAA,U2BBB", "--user", "U1AAA", "--format", "json"})
	if err != nil || len(users) != 2 || format != "json" {
		t.Errorf("parseExportArgs = %v, %q, %v; want two users, json", users, format, err)
	}
	out, _, err := runOp(t, runExport, dbEnv(""), "--help")
	if err != nil || !strings.Contains(out, "usage: bot export") {
		t.Errorf("bot export --help = %q, %v", out, err)
	}
	if _, _, err := runOp(t, runExport, dbEnv(filepath.Join(t.TempDir(), "missing.db"))); err == nil {
		t.Errorf("bot export of a missing database = nil error")
	}
}

// TestExportPathsShareOneSchema: `bot export --user` and /coach export write
// the same document for a person, in the one documented layout (no key
// outside it), and the CSV's columns are keys of that layout.
func TestExportPathsShareOneSchema(t *testing.T) {
	db, path := newDB(t)
	seedExport(t, db)
	serveBackupsT(t, db, path)
	out, _, err := runOp(t, runExport, dbEnv(path), "--user", string(exDirector))
	if err != nil {
		t.Fatalf("bot export --user = %v", err)
	}
	strict := func(name string, b []byte) coach.Export {
		t.Helper()
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		var doc coach.Export
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("%s does not follow the export layout: %v\n%s", name, err, b)
		}
		return doc
	}
	byBot := strict("bot export", []byte(out))
	file, err := coach.ExportJSON(t.Context(), db, exDirector, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	byCommand := strict("/coach export", file)
	if byBot.SchemaVersion != coach.ExportSchemaVersion || byCommand.SchemaVersion != coach.ExportSchemaVersion {
		t.Errorf("schema_version = %d and %d, want %d", byBot.SchemaVersion, byCommand.SchemaVersion, coach.ExportSchemaVersion)
	}
	if !reflect.DeepEqual(byBot.Users, byCommand.Users) || len(byBot.Users) != 1 {
		t.Errorf("bot export --user and /coach export differ:\n%s\n%s", out, file)
	}
	keys := map[string]bool{"kind": true}
	for _, k := range regexp.MustCompile(`"([a-z_]+)":`).FindAllStringSubmatch(out, -1) {
		keys[k[1]] = true
	}
	for _, c := range exportColumns {
		if !keys[c] {
			t.Errorf("CSV column %q is no key of the json export", c)
		}
	}
}
