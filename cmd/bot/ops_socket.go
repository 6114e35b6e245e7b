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
	"strconv"
	"time"

	"github.com/rs/zerolog"

	"github.com/leancoach/leancoach/internal/store"
)

// The server side of `bot backup`: while it runs, the bot answers GET /backup on
// a Unix socket beside the database with a consistent copy (bbolt's transaction
// copy). The socket is mode 0600 in the database's directory, so only the bot's
// own user (and root) can ask; nothing is exposed on the network.

const backupPath = "/backup"

// maxSocketPath is the longest Unix socket path every Unix accepts (sun_path is
// 104 bytes on BSDs and macOS, 108 on Linux, both NUL-terminated).
const maxSocketPath = 103

// backupSocket is the socket's path for the database at dbPath.
func backupSocket(dbPath string) string { return dbPath + ".sock" }

// backupSource makes a consistent copy of the database; *store.DB is one.
type backupSource interface {
	Backup(w io.Writer) (int64, error)
}

// serveBackups serves copies of the database at dbPath on its backup socket
// until ctx is done. Call it only while holding the database open: the file
// lock guarantees no other bot serves this socket, so a leftover socket file is
// stale and replaced.
func serveBackups(ctx context.Context, dbPath string, src backupSource, log zerolog.Logger) error {
	sock := backupSocket(dbPath)
	ln, err := listenPrivate(sock)
	if err != nil {
		return fmt.Errorf("backup socket %s: %w", sock, err)
	}
	return serveBackupsOn(ctx, ln, dbPath, src, log)
}

// serveBackupsOn is serveBackups on a listener from listenPrivate(backupSocket(dbPath)).
func serveBackupsOn(ctx context.Context, ln *net.UnixListener, dbPath string, src backupSource, log zerolog.Logger) error {
	sock := backupSocket(dbPath)
	defer os.Remove(sock)

	mux := http.NewServeMux()
	removeStaleSpools(dbPath, log)
	mux.Handle("GET "+backupPath, backupHandler(dbPath, src, log))
	// No write timeout: a copy of a large file to a slow reader may take long.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("backup socket %s: %w", sock, err)
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		_ = srv.Close() // a copy still streaming is cut; the client's check rejects it
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("backup socket %s: %w", sock, err)
	}
	return nil
}

// listenPrivate listens on a Unix socket at path that only the owner can use.
// It binds a temporary name, sets mode 0600, then renames it into place, so the
// socket is never reachable with a looser mode.
func listenPrivate(path string) (*net.UnixListener, error) {
	tmp := path + ".new"
	if len(tmp) > maxSocketPath {
		return nil, fmt.Errorf("path longer than the %d bytes a Unix socket allows; use a shorter LEANCOACH_DB", maxSocketPath)
	}
	for _, p := range []string{path, tmp} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: tmp, Net: "unix"})
	if err != nil {
		return nil, err
	}
	ln.SetUnlinkOnClose(false) // the name moves; serveBackups removes it
	if err := os.Chmod(tmp, 0o600); err != nil {
		ln.Close()
		os.Remove(tmp)
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		ln.Close()
		os.Remove(tmp)
		return nil, err
	}
	return ln, nil
}

// spoolPattern names the temporary copies beside the database at dbPath.
func spoolPattern(dbPath string) string { return "." + filepath.Base(dbPath) + ".backup-*" }

// removeStaleSpools deletes copies a crash left behind. Only the holder of the
// database's lock serves its backups, so no other process is writing them.
func removeStaleSpools(dbPath string, log zerolog.Logger) {
	stale, _ := filepath.Glob(filepath.Join(filepath.Dir(dbPath), spoolPattern(dbPath)))
	for _, p := range stale {
		if err := os.Remove(p); err != nil {
			log.Warn().Err(err).Str("path", p).Msg("backup: remove stale spool file")
		}
	}
}

// backupHandler spools a copy into a temporary file beside the database, checks
// it, then streams it with its length. Spooling keeps bbolt's read transaction as
// short as a local disk write, however slow the reader: a long read transaction
// pins pages and can hold up writers that need to grow the file. Checking at the
// source means even a copy piped to standard output was verified once.
func backupHandler(dbPath string, src backupSource, log zerolog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		f, n, err := spool(dbPath, src)
		if err != nil {
			log.Error().Err(err).Msg("backup: copy database")
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer f.Close()
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
		if _, err := io.Copy(w, f); err != nil {
			log.Warn().Err(err).Msg("backup: client went away")
			return
		}
		log.Info().Int64("bytes", n).Dur("took", time.Since(start)).Msg("served a backup")
	})
}

// spool writes a checked copy to an unlinked temporary file and returns it open
// at offset 0 with its size.
func spool(dbPath string, src backupSource) (*os.File, int64, error) {
	f, err := os.CreateTemp(filepath.Dir(dbPath), spoolPattern(dbPath)) // 0600
	if err != nil {
		return nil, 0, fmt.Errorf("create spool file: %w", err)
	}
	defer os.Remove(f.Name()) // unlinked once checked; the open file stays readable
	n, err := src.Backup(f)
	if err == nil {
		err = store.Check(f.Name())
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, n, nil
}
