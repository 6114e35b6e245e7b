package metrics

import "time"

// CommitLatency observes the duration of one bbolt write transaction.
func (m *Metrics) CommitLatency(d time.Duration) {
	if m == nil {
		return
	}
	m.commitLatency.Observe(seconds(d))
}

// DBSize installs the function that reports the database file size in bytes; it is
// called on every scrape, so it must be cheap and safe for concurrent use. A later
// call replaces the function; until the first call the metric is absent.
func (m *Metrics) DBSize(size func() int64) {
	if m == nil || size == nil {
		return
	}
	m.dbSize.fn.Store(&size)
}

// Commit is CommitLatency under the name store.Observer asks for, so a *Metrics
// can be passed as store.Options.Observer.
func (m *Metrics) Commit(d time.Duration) { m.CommitLatency(d) }
