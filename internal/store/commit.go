package store

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Group commit. A bbolt commit costs two fdatasyncs, and bbolt runs one write
// transaction at a time, so writers that each commit alone queue behind each
// other's fsyncs: a morning's burst of answers is bounded by the disk's sync
// latency, one answer per commit. Group commit lets every writer that arrives
// while a commit is in progress share the next one: one transaction and one
// pair of fsyncs for the whole group, and each caller returns only once the
// group holding its change is durable.
//
// Why not bbolt's DB.Batch: Batch waits up to MaxBatchDelay (10 ms) even for a
// lone writer, and when one function of a batch fails it rolls the whole
// batch back and runs every other function again, so a function runs twice
// and results captured by closures can come from a run that did not commit.
// Here a change is split in two steps instead:
//
//   - decide reads (it sees the writes of the changes before it in the
//     group) and either refuses with an error or returns apply;
//   - apply makes the writes.
//
// A refusal has written nothing, so it fails only its own caller and the
// group goes on: the answer to a double click is decided against the first
// click's write, which commits with it. Only a failing apply, a panic, or a
// failed commit rolls the group back; then each change of the group that
// needs it runs again alone, on its caller's goroutine, so one bad change
// never fails the others (and a panic surfaces where the caller can see it).
// So decide runs again only after such a failure, and the results a change
// reports are always those of the run that committed, provided decide
// assigns every result it reports on every run.
//
// There is no committer goroutine: the first writer to find no group in
// progress leads, commits the queue (up to maxGroup changes) and hands the
// lead to the first writer still queued. A writer adds no delay when it is
// alone and waits at most for the commit in progress and its own.

// maxGroup bounds the changes one commit carries; later ones wait for the
// next commit.
const maxGroup = 1000

// A change is one write of a group commit (see above). decide may only read
// and must assign every result it reports on every call; apply must only
// write. Neither may do I/O but bbolt's own.
type change func(tx *bolt.Tx) (apply func() error, err error)

// blind is a change that decides nothing: it always makes fn's writes.
func blind(fn func(tx *bolt.Tx) error) change {
	return func(tx *bolt.Tx) (func() error, error) {
		return func() error { return fn(tx) }, nil
	}
}

// run is the change as one function, for a transaction of its own.
func (c change) run(tx *bolt.Tx) error {
	apply, err := c(tx)
	if err != nil {
		return err
	}
	return apply()
}

// request is a change waiting in the group queue.
type request struct {
	c    change
	done chan outcome // buffered: the leader never blocks on it
}

// outcome is what a queued writer is told: lead the next group, run the
// change alone, or its result.
type outcome struct {
	err  error
	lead bool
	solo bool
}

// group is the group-commit queue of one DB.
type group struct {
	mu      sync.Mutex
	queue   []*request
	leading bool
	// queued, when set (tests), is called with the queue's length each
	// time a change joins it.
	queued func(n int)
}

// join queues c and returns its outcome once the group holding it has
// committed (or failed). A solo outcome means the caller must run c in a
// transaction of its own.
func (g *group) join(bdb *bolt.DB, c change, committed func(time.Duration)) outcome {
	r := &request{c: c, done: make(chan outcome, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, r)
	lead := !g.leading
	g.leading = true
	if g.queued != nil {
		g.queued(len(g.queue))
	}
	g.mu.Unlock()
	if !lead {
		if o := <-r.done; !o.lead {
			return o
		}
	}
	g.lead(bdb, committed)
	return <-r.done
}

// lead commits the changes at the head of the queue (the leader's own is
// the first of them) and hands the lead on to the next queued writer.
func (g *group) lead(bdb *bolt.DB, committed func(time.Duration)) {
	g.mu.Lock()
	n := min(len(g.queue), maxGroup)
	batch := g.queue[:n:n]
	g.queue = append([]*request(nil), g.queue[n:]...)
	g.mu.Unlock()

	commitGroup(bdb, batch, committed)

	g.mu.Lock()
	if len(g.queue) > 0 {
		g.queue[0].done <- outcome{lead: true}
	} else {
		g.leading = false
	}
	g.mu.Unlock()
}

// errNoWrites rolls back a group whose changes were all refused: there is
// nothing to make durable, so no fsync.
var errNoWrites = errors.New("no writes")

// commitGroup runs batch in one transaction and tells every request its
// outcome.
func commitGroup(bdb *bolt.DB, batch []*request, committed func(time.Duration)) {
	for len(batch) > 0 {
		refused := make([]error, len(batch))
		failed := -1
		start := time.Now()
		err := bdb.Update(func(tx *bolt.Tx) error {
			wrote := false
			for i, r := range batch {
				apply, err := decide(r.c, tx)
				if err != nil && !isPanic(err) {
					refused[i] = err // nothing written: the group goes on
					continue
				}
				if err == nil {
					err = safeApply(apply)
				}
				if err != nil {
					failed = i
					return err
				}
				wrote = true
			}
			if !wrote {
				return errNoWrites
			}
			return nil
		})
		switch {
		case failed >= 0:
			// Rolled back: the failing change runs alone, the rest again.
			batch[failed].done <- outcome{solo: true}
			batch = append(batch[:failed:failed], batch[failed+1:]...)
			continue
		case err == nil:
			committed(time.Since(start))
		case errors.Is(err, errNoWrites):
			err = nil
		case len(batch) > 1:
			// The commit failed, perhaps because of one change (a file
			// that may not grow by the group's size): each runs alone.
			for _, r := range batch {
				r.done <- outcome{solo: true}
			}
			return
		}
		for i, r := range batch {
			res := err // nil, or the commit error of a group of one
			if res == nil {
				res = refused[i]
			}
			r.done <- outcome{err: res}
		}
		return
	}
}

// panicError is a panic in a change run by a group's leader, recovered so
// that the leader goes on; the change then runs alone on its caller's
// goroutine, where it panics again (or not) as it would without the group.
type panicError struct {
	v     any
	stack []byte
}

func (p *panicError) Error() string {
	return fmt.Sprintf("panic in store change: %v\n%s", p.v, p.stack)
}

func isPanic(err error) bool {
	var p *panicError
	return errors.As(err, &p)
}

func decide(c change, tx *bolt.Tx) (apply func() error, err error) {
	defer func() {
		if v := recover(); v != nil {
			apply, err = nil, &panicError{v, debug.Stack()}
		}
	}()
	return c(tx)
}

func safeApply(apply func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &panicError{v, debug.Stack()}
		}
	}()
	return apply()
}
