package store_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/store"
)

// The child of TestAnswersSurviveKill is this test binary, re-executed with
// these variables set.
const (
	envKillChild  = "LEANCOACH_STORE_KILL_CHILD" // the store's path
	envKillPrefix = "LEANCOACH_STORE_KILL_PREFIX"
	envKillN      = "LEANCOACH_STORE_KILL_N"
)

// TestAnswersSurviveKill: a child process answers n prompts from n
// goroutines at once (so that answers share commits) and prints each answer
// as its call returns; the parent kills it with SIGKILL partway. Every
// answer the child saw return is in the file afterwards, and the file
// passes the consistency check at open. reliability.md §4.1: a commit that
// returned is durable; a kill loses only the page cache's unsynced writes,
// which no returned call depends on.
func TestAnswersSurviveKill(t *testing.T) {
	if os.Getenv(envKillChild) != "" {
		t.Skip("in the child")
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	const cycles, n = 4, 300
	path := filepath.Join(t.TempDir(), "leancoach.db")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	for c := range cycles {
		prefix := fmt.Sprintf("C%d", c)
		db, err := store.Open(path, store.Options{})
		must(t, err)
		keys := sentPrompts(t, db, prefix, n)
		must(t, db.Close())

		killAfter := 1 + rng.IntN(n-1)
		returned, killed := runKillChild(t, path, prefix, n, killAfter)

		db, err = store.Open(path, store.Options{}) // runs the consistency check
		if err != nil {
			t.Fatalf("cycle %d: open after the kill: %v", c, err)
		}
		answered := 0
		for i, k := range keys {
			o, err := db.Occurrence(t.Context(), k)
			if err != nil {
				t.Fatalf("cycle %d: %s: %v", c, k, err)
			}
			if o.Answer != nil {
				answered++
				if want := "note " + strconv.Itoa(i); o.Answer.Note != want {
					t.Errorf("cycle %d: %s has note %q, want %q", c, k, o.Answer.Note, want)
				}
			} else if returned[k] {
				t.Errorf("cycle %d: %s: its answer returned before the kill but is not in the file", c, k)
			}
		}
		must(t, db.Close())
		t.Logf("cycle %d: killed %v after %d answers returned (asked for %d); %d in the file",
			c, killed, len(returned), killAfter, answered)
	}
}

// runKillChild runs the child and SIGKILLs it once killAfter answers have
// returned. It reports the answers that returned and whether the kill came
// before the child finished.
func runKillChild(t *testing.T, path, prefix string, n, killAfter int) (map[coach.OccurrenceKey]bool, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestAnswersSurviveKillChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envKillChild+"="+path, envKillPrefix+"="+prefix, envKillN+"="+strconv.Itoa(n))
	out, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	returned := map[coach.OccurrenceKey]bool{}
	killed := false
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		k, ok := strings.CutPrefix(sc.Text(), "answered ")
		if !ok {
			continue
		}
		returned[coach.OccurrenceKey(k)] = true
		if len(returned) == killAfter && !killed {
			killed = cmd.Process.Signal(syscall.SIGKILL) == nil
		}
	}
	err = cmd.Wait()
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !(ws.Signaled() && ws.Signal() == syscall.SIGKILL) && err != nil {
		t.Fatalf("child = %v", err)
	}
	return returned, killed && ws.Signaled()
}

// TestAnswersSurviveKillChild is the child of TestAnswersSurviveKill.
func TestAnswersSurviveKillChild(t *testing.T) {
	path := os.Getenv(envKillChild)
	if path == "" {
		t.Skip("only runs as the child of TestAnswersSurviveKill")
	}
	n, _ := strconv.Atoi(os.Getenv(envKillN))
	prefix := os.Getenv(envKillPrefix)
	db, err := store.Open(path, store.Options{SkipCheck: true})
	must(t, err)
	defer db.Close()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range n {
		d := coach.UserID(fmt.Sprintf("%s%04d", prefix, i))
		k := coach.NewOccurrenceKey("s1", d, t0.Format(time.DateOnly))
		wg.Go(func() {
			if err := answer(db, k, d, "note "+strconv.Itoa(i)); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(os.Stdout, "answered %s\n", k) // unbuffered: the parent sees it at once
		})
	}
	wg.Wait()
}
