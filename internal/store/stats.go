package store

import (
	"fmt"
	"os"
)

// Stats are figures for metrics: the file and bbolt's counters.
type Stats struct {
	FileSize     int64 // bytes
	FreePages    int   // pages on the freelist: reclaimable by Compact
	PendingPages int   // freed pages still held by open read transactions
	OpenReadTx   int   // read transactions open now
	ReadTx       int   // read transactions started since Open
	Writes       int64 // page writes since Open (bbolt TxStats.Write)
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
	}, nil
}
