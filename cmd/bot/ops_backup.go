package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"syscall"

	"github.com/leancoach/leancoach/internal/store"
)

// The client side of `bot backup`. A running bot holds the database's file lock,
// so another process cannot open it, not even read-only; the copy then comes
// from the bot over the backup socket (ops_socket.go). With no bot running, the
// command opens the file itself.

// backupResult says what was written and where the copy came from.
type backupResult struct {
	size   int64
	source string
}

const (
	fromRunningBot = "from the running bot, checked there"
	fromFile       = "from the database file (no bot running)"
)

// errNoBot means no bot answers on the backup socket.
var errNoBot = errors.New("no running bot")

// backupToFile writes a verified copy of the database at dbPath to file.
func backupToFile(ctx context.Context, dbPath, file string, force bool) (backupResult, error) {
	if err := checkTarget(dbPath, file, force); err != nil {
		return backupResult{}, err
	}
	body, err := fetchLive(ctx, dbPath)
	switch {
	case err == nil:
		defer body.Close()
		n, err := writeVerified(body, file, force)
		return backupResult{n, fromRunningBot}, err
	case !errors.Is(err, errNoBot):
		return backupResult{}, err
	}
	db, err := openForBackup(dbPath)
	if err != nil {
		return backupResult{}, err
	}
	defer db.Close()
	if err := db.BackupFile(file, force); err != nil {
		return backupResult{}, err
	}
	fi, err := os.Stat(file)
	if err != nil {
		return backupResult{}, err
	}
	return backupResult{fi.Size(), fromFile}, nil
}

// backupStream writes a copy of the database at dbPath to w, unverified (w may
// be a pipe), and says where it came from.
func backupStream(ctx context.Context, dbPath string, w io.Writer) (string, error) {
	body, err := fetchLive(ctx, dbPath)
	switch {
	case err == nil:
		defer body.Close()
		if _, err := io.Copy(w, body); err != nil {
			return "", fmt.Errorf("copy from the running bot: %w", err)
		}
		return fromRunningBot, nil
	case !errors.Is(err, errNoBot):
		return "", err
	}
	db, err := openForBackup(dbPath)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.Backup(w); err != nil {
		return "", err
	}
	return fromFile, nil
}

// checkTarget refuses to overwrite file without force, and refuses the database
// itself as the target whatever force says.
func checkTarget(dbPath, file string, force bool) error {
	fi, err := os.Stat(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if dbi, err := os.Stat(dbPath); err == nil && os.SameFile(fi, dbi) {
		return fmt.Errorf("%s is the database itself; choose another FILE", file)
	}
	if !force {
		return fmt.Errorf("%s exists; pass --force to overwrite it", file)
	}
	return nil
}

// openForBackup opens the database for a copy when no bot runs.
func openForBackup(dbPath string) (*store.DB, error) {
	if _, err := os.Stat(dbPath); err != nil {
		return nil, fmt.Errorf("no database at %s (set LEANCOACH_DB): %w", dbPath, err)
	}
	db, err := store.Open(dbPath, store.Options{})
	if errors.Is(err, store.ErrLocked) {
		return nil, fmt.Errorf("a process holds %s but no bot answers on %s: stop it and run the backup again: %w",
			dbPath, backupSocket(dbPath), err)
	}
	return db, err
}

// fetchLive asks the bot running on dbPath for a copy. It returns errNoBot when
// nothing listens on the socket.
func fetchLive(ctx context.Context, dbPath string) (io.ReadCloser, error) {
	sock := backupSocket(dbPath)
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		},
		DisableCompression: true,
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://leancoach"+backupPath, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED) {
		return nil, fmt.Errorf("%w on %s", errNoBot, sock)
	}
	if err != nil {
		return nil, fmt.Errorf("ask the running bot on %s: %w", sock, err)
	}
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		resp.Body.Close()
		return nil, fmt.Errorf("the running bot could not make a copy: %s: %s", resp.Status, msg)
	}
	return resp.Body, nil
}

// writeVerified writes r to a temporary file beside file, syncs it, checks it
// is a sound database and only then gives it the name: file never holds half a
// copy. Without force an existing file is never replaced.
func writeVerified(r io.Reader, file string, force bool) (int64, error) {
	dir := filepath.Dir(file)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(file)+".tmp-*") // mode 0600
	if err != nil {
		return 0, err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op once renamed; the link's old name otherwise
	n, err := io.Copy(f, r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("copy from the running bot: %w", err)
	}
	if err := store.Check(tmp); err != nil {
		return 0, fmt.Errorf("the copy failed its check: %w", err)
	}
	if force {
		err = os.Rename(tmp, file)
	} else if err = os.Link(tmp, file); errors.Is(err, fs.ErrExist) {
		return 0, fmt.Errorf("%s exists; pass --force to overwrite it", file)
	}
	if err != nil {
		return 0, err
	}
	return n, syncDir(dir)
}

// syncDir makes a new name in dir survive a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}
