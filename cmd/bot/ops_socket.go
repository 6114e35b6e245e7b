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
)

// The server side of `bot backup`: while it runs, the bot answers GET /backup on
// a Unix socket beside the database with a consistent copy (bbolt's transaction
// copy). The socket is mode 0600 in the database's directory, so only the bot's
// own user (and root) can ask; nothing is exposed on the network.

const backupPath = "/backup"

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
	mux.Handle("GET "+backupPath, backupHandler(filepath.Dir(dbPath), src, log))
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

// backupHandler spools a copy into an unlinked temporary file in dir, then
// streams it with its length. Spooling keeps bbolt's read transaction as short
// as a local disk write, however slow the reader: a long read transaction pins
// pages and can hold up writers that need to grow the file.
func backupHandler(dir string, src backupSource, log zerolog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		f, err := os.CreateTemp(dir, ".leancoach-backup-*")
		if err != nil {
			log.Error().Err(err).Msg("backup: create spool file")
			http.Error(w, "create spool file: "+err.Error(), http.StatusInternalServerError)
			return
		}
		os.Remove(f.Name()) // unlinked: its space is freed on close, even after a crash
		defer f.Close()
		n, err := src.Backup(f)
		if err == nil {
			_, err = f.Seek(0, io.SeekStart)
		}
		if err != nil {
			log.Error().Err(err).Msg("backup: copy database")
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
		if _, err := io.Copy(w, f); err != nil {
			log.Warn().Err(err).Msg("backup: client went away")
			return
		}
		log.Info().Int64("bytes", n).Dur("took", time.Since(start)).Msg("served a backup")
	})
}
