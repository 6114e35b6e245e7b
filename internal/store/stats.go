package store

import (
	"fmt"
	"os"
	"sync/atomic"
)

// Stats are figures for metrics: the file and bbolt's counters.
type Stats struct {
	FileSize     int64 // bytes
	FreePages    int   // pages on the freelist: reclaimable by Compact
	PendingPages int   // freed pages still held by open read transactions
	OpenReadTx   int   // read transactions open now
	ReadTx       int   // read transactions started since Open
	Writes       int64 // page writes since Open (bbolt TxStats.Write)

	// Transactions the store's methods ran since Open, across compactions:
	// a test takes Stats before and after an operation to count what the
	// operation cost. A share of a group commit counts as one write
	// transaction; Commits counts the commits themselves (each two
	// fdatasyncs), so Commits < WriteTxns when writers shared them.
	ReadTxns  int64 // read-only transactions
	WriteTxns int64 // write transactions asked for (alone or in a group)
	Commits   int64 // write transactions committed
}

// txCounts are the counters behind Stats' transaction figures.
type txCounts struct {
	reads, writes, commits atomic.Int64
}

// Stats returns the current figures.
func (db *DB) Stats() (Stats, error) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if db.bdb == nil {
		return Stats{}, fmt.Errorf("store stats: %w", ErrClosed)
	}
	s := db.bdb.Stats()
	fi, err := os.Stat(db.path)
	if err != nil {
		return Stats{}, fmt.Errorf("store stats: %w", err)
	}
	return Stats{
		FileSize:     fi.Size(),
		FreePages:    s.FreePageN,
		PendingPages: s.PendingPageN,
		OpenReadTx:   s.OpenTxN,
		ReadTx:       s.TxN,
		Writes:       s.TxStats.GetWrite(),
		ReadTxns:     db.txns.reads.Load(),
		WriteTxns:    db.txns.writes.Load(),
		Commits:      db.txns.commits.Load(),
	}, nil
}
