package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

func dbEnv(dbPath string) func(string) string {
	return func(k string) string {
		if k == "LEANCOACH_DB" {
			return dbPath
		}
		return ""
	}
}

// runOp runs one operations command and returns its stdout, stderr and error.
func runOp(t *testing.T, cmd subcommand, getenv func(string) string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := cmd(t.Context(), args, getenv, &out, &errb)
	return out.String(), errb.String(), err
}

func TestManifestCommand(t *testing.T) {
	out, _, err := runOp(t, runManifest, dbEnv(""))
	if err != nil {
		t.Fatalf("bot manifest = %v", err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "deploy", "slack-manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("bot manifest printed %d bytes that differ from deploy/slack-manifest.yaml (%d bytes)", len(out), len(want))
	}
	if _, _, err := runOp(t, runManifest, dbEnv(""), "extra"); err != errUsage {
		t.Errorf("bot manifest extra = %v, want errUsage", err)
	}
}

func TestParseBackupArgs(t *testing.T) {
	tests := []struct {
		args    []string
		force   bool
		file    string
		wantErr bool
	}{
		{[]string{"b.db"}, false, "b.db", false},
		{[]string{"--force", "b.db"}, true, "b.db", false},
		{[]string{"b.db", "--force"}, true, "b.db", false},
		{[]string{"-"}, false, "-", false},
		{nil, false, "", true},
		{[]string{"a.db", "b.db"}, false, "", true},
		{[]string{"--forse", "b.db"}, false, "", true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			force, file, err := parseBackupArgs(tt.args)
			if force != tt.force || file != tt.file || (err != nil) != tt.wantErr {
				t.Errorf("parseBackupArgs(%q) = %t, %q, %v; want %t, %q, error %t", tt.args, force, file, err, tt.force, tt.file, tt.wantErr)
			}
		})
	}
}

// occKey is the i-th test occurrence's key: one director, one date per i.
func occKey(i int) coach.OccurrenceKey {
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format(time.DateOnly)
	return coach.NewOccurrenceKey("s1", "U0DIRECTOR", day)
}

// answer records the i-th occurrence as sent and answered done, in two
// transactions as the bot does.
func answer(ctx context.Context, db *store.DB, i int) error {
	k := occKey(i)
	due := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, i)
	o := coach.Occurrence{Key: k, Schedule: "s1", Director: "U0DIRECTOR", Habit: "standup",
		LocalDate: due.Format(time.DateOnly), Due: due, State: coach.Sent, SentAt: due, Channel: "D0DM", TS: "1.000001"}
	if _, _, err := db.CreateOccurrence(ctx, o); err != nil {
		return err
	}
	_, err := db.UpdateOccurrence(ctx, k, func(o *coach.Occurrence) error {
		o.Answer = &coach.Answer{Outcome: coach.Done, At: due.Add(time.Minute), By: "U0DIRECTOR"}
		return nil
	})
	return err
}

func newDB(t *testing.T) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "leancoach.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

// serveBackupsT runs the backup socket for db until the test ends.
func serveBackupsT(t *testing.T, db *store.DB, dbPath string) {
	t.Helper()
	ln, err := listenPrivate(backupSocket(dbPath))
	if err != nil {
		t.Fatalf("listenPrivate: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- serveBackupsOn(ctx, ln, dbPath, db, zerolog.New(zerolog.NewTestWriter(t))) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serveBackups = %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("serveBackups did not stop")
		}
		if _, err := os.Stat(backupSocket(dbPath)); err == nil {
			t.Errorf("socket %s left behind", backupSocket(dbPath))
		}
	})
}

// verifyAnswers opens path as a fresh bot would and checks answers 0..n-1 are
// recorded done.
func verifyAnswers(t *testing.T, path string, n int) {
	t.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("open backup %s: %v", path, err)
	}
	defer db.Close()
	for i := range n {
		o, err := db.Occurrence(t.Context(), occKey(i))
		if err != nil {
			t.Fatalf("backup lacks answer %d committed before the backup began: %v", i, err)
		}
		if o.Answer == nil || o.Answer.Outcome != coach.Done {
			t.Fatalf("backup answer %d = %+v, want done", i, o.Answer)
		}
	}
}

func TestBackupWhileBotWrites(t *testing.T) {
	db, dbPath := newDB(t)
	serveBackupsT(t, db, dbPath)

	// A writer answers prompts without pause until the backup is done.
	ctx, stop := context.WithCancel(t.Context())
	var (
		mu        sync.Mutex
		committed int // answers 0..committed-1 are durable
	)
	warm := make(chan struct{})
	writerDone := make(chan error, 1)
	go func() {
		for i := 0; ctx.Err() == nil; i++ {
			if err := answer(ctx, db, i); err != nil {
				if ctx.Err() != nil {
					break
				}
				writerDone <- err
				return
			}
			mu.Lock()
			committed = i + 1
			mu.Unlock()
			if i == 200 {
				close(warm)
			}
		}
		writerDone <- nil
	}()
	select {
	case <-warm:
	case err := <-writerDone:
		t.Fatalf("writer: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("writer did not commit 200 answers")
	}

	mu.Lock()
	before := committed
	mu.Unlock()
	file := filepath.Join(t.TempDir(), "new-dir", "backup.db")
	out, _, err := runOp(t, runBackup, dbEnv(dbPath), file)
	stop()
	if err := <-writerDone; err != nil {
		t.Fatalf("writer: %v", err)
	}
	if err != nil {
		t.Fatalf("bot backup %s = %v", file, err)
	}
	if !strings.Contains(out, fromRunningBot) {
		t.Errorf("bot backup output = %q, want it to say %q", out, fromRunningBot)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file mode = %v (err %v), want 0600", fi.Mode().Perm(), err)
	}
	if out, _, err := runOp(t, runCheck, dbEnv(""), file); err != nil || !strings.Contains(out, "ok") {
		t.Errorf("bot check %s = %q, %v; want ok", file, out, err)
	}
	verifyAnswers(t, file, before)
	t.Logf("backup holds at least the %d answers committed before it began", before)
}

func TestBackupWithoutBot(t *testing.T) {
	db, dbPath := newDB(t)
	for i := range 20 {
		if err := answer(t.Context(), db, i); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	file := filepath.Join(t.TempDir(), "backup.db")
	out, _, err := runOp(t, runBackup, dbEnv(dbPath), file)
	if err != nil || !strings.Contains(out, fromFile) {
		t.Fatalf("bot backup (no bot) = %q, %v; want success %q", out, err, fromFile)
	}
	verifyAnswers(t, file, 20)
}

func TestBackupToStdout(t *testing.T) {
	db, dbPath := newDB(t)
	if err := answer(t.Context(), db, 0); err != nil {
		t.Fatal(err)
	}
	serveBackupsT(t, db, dbPath)
	out, errOut, err := runOp(t, runBackup, dbEnv(dbPath), "-")
	if err != nil {
		t.Fatalf("bot backup - = %v", err)
	}
	if !strings.Contains(errOut, "bot check") {
		t.Errorf("bot backup - stderr = %q, want advice to run bot check", errOut)
	}
	file := filepath.Join(t.TempDir(), "piped.db")
	if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := checkFile(file); err != nil {
		t.Fatalf("check of the piped copy = %v", err)
	}
	verifyAnswers(t, file, 1)
}

func TestBackupRefusesOverwrite(t *testing.T) {
	db, dbPath := newDB(t)
	serveBackupsT(t, db, dbPath)
	file := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(file, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runOp(t, runBackup, dbEnv(dbPath), file); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("bot backup onto an existing file = %v, want an error naming --force", err)
	}
	if b, _ := os.ReadFile(file); string(b) != "keep me" {
		t.Errorf("existing file changed to %d bytes without --force", len(b))
	}
	if _, _, err := runOp(t, runBackup, dbEnv(dbPath), "--force", file); err != nil {
		t.Errorf("bot backup --force = %v", err)
	}
	if _, err := checkFile(file); err != nil {
		t.Errorf("check after --force = %v", err)
	}
	for _, args := range [][]string{{dbPath}, {"--force", dbPath}} {
		if _, _, err := runOp(t, runBackup, dbEnv(dbPath), args...); err == nil || !strings.Contains(err.Error(), "database itself") {
			t.Errorf("bot backup %q = %v, want refusal to overwrite the database", args, err)
		}
	}
}

func TestBackupSocketPathTooLong(t *testing.T) {
	long := filepath.Join(t.TempDir(), strings.Repeat("d", 120), "leancoach.db")
	if _, err := listenPrivate(backupSocket(long)); err == nil || !strings.Contains(err.Error(), "LEANCOACH_DB") {
		t.Errorf("listenPrivate(long path) = %v, want an error naming LEANCOACH_DB", err)
	}
}

func TestBackupSocketIsPrivate(t *testing.T) {
	db, dbPath := newDB(t)
	serveBackupsT(t, db, dbPath)
	fi, err := os.Stat(backupSocket(dbPath))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup socket mode = %v, want a socket with 0600", fi.Mode())
	}
}

// damage writes a copy of src to a new file, changed by fn.
func damage(t *testing.T, src, name string, fn func([]byte) []byte) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, fn(bytes.Clone(b)), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// flipRootPage flips the type byte of the root bucket's root page, taken from
// the newest valid meta page: a one-byte change that leaves the meta pages'
// checksums intact.
func flipRootPage(t *testing.T) func([]byte) []byte {
	return func(b []byte) []byte {
		t.Helper()
		le := binary.LittleEndian
		pageSize := int(le.Uint32(b[24:]))
		meta := 0
		if le.Uint64(b[pageSize+64:]) > le.Uint64(b[64:]) { // txid of meta 1 > meta 0
			meta = pageSize
		}
		root := int(le.Uint64(b[meta+32:]))
		b[root*pageSize+8] ^= 0xFF
		return b
	}
}

func TestCheckDamagedFiles(t *testing.T) {
	db, dbPath := newDB(t)
	for i := range 300 {
		if err := answer(t.Context(), db, i); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if _, err := checkFile(dbPath); err != nil {
		t.Fatalf("check of the sound file = %v", err)
	}

	tests := []struct {
		name string
		fn   func([]byte) []byte
		want []string // fragments of the message
	}{
		{"truncated", func(b []byte) []byte { return b[:len(b)/2] }, []string{"DAMAGED", "truncated", "Back up and restore"}},
		{"byte-flipped", flipRootPage(t), []string{"DAMAGED", "Back up and restore"}},
		{"empty", func([]byte) []byte { return nil }, []string{"DAMAGED"}},
		{"garbage", func(b []byte) []byte { return bytes.Repeat([]byte("leancoach"), len(b)/9) }, []string{"DAMAGED"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := damage(t, dbPath, tt.name+".db", tt.fn)
			out, _, err := runOp(t, runCheck, dbEnv(""), path)
			if err == nil {
				t.Fatalf("bot check %s = nil (stdout %q), want an error", tt.name, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("bot check %s = %q, want it to contain %q", tt.name, err, w)
				}
			}
		})
	}
}

func TestCheckMessages(t *testing.T) {
	db, dbPath := newDB(t)
	t.Run("held by the running bot", func(t *testing.T) {
		_, _, err := runOp(t, runCheck, dbEnv(dbPath))
		if err == nil || !strings.Contains(err.Error(), "running bot holds") {
			t.Errorf("bot check on the open database = %v, want it to say the running bot holds it", err)
		}
	})
	db.Close()
	t.Run("default is LEANCOACH_DB", func(t *testing.T) {
		out, _, err := runOp(t, runCheck, dbEnv(dbPath))
		if err != nil || out != fmt.Sprintf("%s: ok (%d bytes)\n", dbPath, fileSize(t, dbPath)) {
			t.Errorf("bot check = %q, %v; want ok for %s", out, err, dbPath)
		}
	})
	t.Run("readable by others", func(t *testing.T) {
		path := damage(t, dbPath, "open.db", func(b []byte) []byte { return b })
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := runOp(t, runCheck, dbEnv(""), path)
		if err == nil || !strings.Contains(err.Error(), "chmod 600 "+path) {
			t.Errorf("bot check on a 0644 file = %v, want the chmod 600 fix", err)
		}
	})
	t.Run("missing", func(t *testing.T) {
		_, _, err := runOp(t, runCheck, dbEnv(""), filepath.Join(t.TempDir(), "nope.db"))
		if err == nil || !strings.Contains(err.Error(), "no such file") {
			t.Errorf("bot check on a missing file = %v, want no such file", err)
		}
	})
	t.Run("two files", func(t *testing.T) {
		if _, _, err := runOp(t, runCheck, dbEnv(""), "a", "b"); err != errUsage {
			t.Errorf("bot check a b = %v, want errUsage", err)
		}
	})
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
