package campaign

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// BuildBot compiles cmd/bot into dir and returns the binary's path. With
// race set (the campaign's own test binary runs with -race) the bot is built
// with the race detector too, and a race report in its log fails I4.
func BuildBot(ctx context.Context, dir string, race bool) (string, error) {
	out := filepath.Join(dir, "leancoach-bot")
	args := []string{"build", "-o", out}
	if race {
		args = append(args, "-race")
	}
	args = append(args, "github.com/leancoach/leancoach/cmd/bot")
	cmd := exec.CommandContext(ctx, goTool(), args...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build bot: %w\n%s", err, msg)
	}
	return out, nil
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(os.Getenv("GOROOT"), "bin", "go")
}

// Bot is the production binary run as a child process. Its stdout and
// stderr go to one log file that outlives the process (kept across
// restarts), so a SIGKILLed bot's last words can still be read.
type Bot struct {
	Path    string
	Env     map[string]string
	LogPath string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	err  error // of the last Wait, valid once done is closed
}

// Start starts the bot (again). It fails if it is already running.
func (b *Bot) Start(args ...string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cmd != nil {
		select {
		case <-b.done:
		default:
			return errors.New("bot: already running")
		}
	}
	logf, err := os.OpenFile(b.LogPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("bot: open log: %w", err)
	}
	if len(args) == 0 {
		args = []string{"run"}
	}
	cmd := exec.Command(b.Path, args...)
	cmd.Env = envList(b.Env)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("bot: start: %w", err)
	}
	done := make(chan struct{})
	b.cmd, b.done = cmd, done
	go func() {
		err := cmd.Wait()
		logf.Close()
		b.mu.Lock()
		b.err = err
		b.mu.Unlock()
		close(done)
	}()
	return nil
}

// Pid is the running process's id, 0 when none was started.
func (b *Bot) Pid() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cmd == nil || b.cmd.Process == nil {
		return 0
	}
	return b.cmd.Process.Pid
}

// Signal sends sig to the running process.
func (b *Bot) Signal(sig syscall.Signal) error {
	b.mu.Lock()
	cmd := b.cmd
	b.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return errors.New("bot: not started")
	}
	return cmd.Process.Signal(sig)
}

// Exited returns a channel closed when the process has exited.
func (b *Bot) Exited() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.done
}

// Wait waits for the process to exit (bounded by ctx) and returns its exit
// code (-1 when killed by a signal) and how long the wait took.
func (b *Bot) Wait(ctx context.Context) (code int, took time.Duration, err error) {
	start := time.Now()
	done := b.Exited()
	if done == nil {
		return 0, 0, errors.New("bot: not started")
	}
	select {
	case <-done:
	case <-ctx.Done():
		return 0, time.Since(start), fmt.Errorf("bot: still running: %w", ctx.Err())
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.cmd.ProcessState.ExitCode(), time.Since(start), nil
}

// Stop sends SIGTERM and waits up to d, then SIGKILLs. It returns the exit
// code and how long the graceful stop took; a kill is an error.
func (b *Bot) Stop(d time.Duration) (int, time.Duration, error) {
	if err := b.Signal(syscall.SIGTERM); err != nil {
		select {
		case <-b.Exited():
		default:
			return 0, 0, err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	code, took, err := b.Wait(ctx)
	if err != nil {
		_ = b.Signal(syscall.SIGKILL)
		<-b.Exited()
		return code, took, fmt.Errorf("bot did not stop within %v of SIGTERM; killed", d)
	}
	return code, took, nil
}

// Kill SIGKILLs the process and waits for it.
func (b *Bot) Kill() {
	if b.Signal(syscall.SIGKILL) == nil {
		<-b.Exited()
	}
}

// Logs returns everything the bot wrote so far, over all its runs.
func (b *Bot) Logs() []byte {
	out, _ := os.ReadFile(b.LogPath)
	return out
}

func envList(m map[string]string) []string {
	out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	if v := os.Getenv("TMPDIR"); v != "" {
		out = append(out, "TMPDIR="+v)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, k+"="+m[k])
	}
	return out
}

// Scrape reads the bot's own figures from its /metrics endpoint at addr
// (LEANCOACH_HTTP_ADDR): goroutines, open fds and resident memory.
func Scrape(ctx context.Context, addr string) (Resources, error) {
	r := Resources{Goroutines: -1, FDs: -1, RSS: -1}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/metrics", nil)
	if err != nil {
		return r, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return r, fmt.Errorf("scrape: %w", err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 {
			continue
		}
		v, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			continue
		}
		switch f[0] {
		case "go_goroutines":
			r.Goroutines = int(v)
		case "process_open_fds":
			r.FDs = int(v)
		case "process_resident_memory_bytes":
			r.RSS = int64(v)
		}
	}
	return r, sc.Err()
}

// FreeAddr returns a loopback address with a port that was free a moment
// ago, for LEANCOACH_HTTP_ADDR.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
