package coach

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// ErasedActor stands for a user whose data was erased, in the audit log (the
// store writes the same word over the user's ID in older entries).
const ErasedActor UserID = "erased"

// ExportFile is u's data as the JSON file /coach export sends, in the
// layout `bot export` prints (Export): everything DataStore.Export returns,
// with the format, its version and the time of export. Anyone may export
// their own data.
func (p *Portal) ExportFile(ctx context.Context, u UserID) ([]byte, error) {
	return ExportJSON(ctx, p.store, u, p.clock.Now())
}

// ExportJSON renders u's data from st as indented JSON.
func ExportJSON(ctx context.Context, st DataStore, u UserID, now time.Time) ([]byte, error) {
	data, err := st.Export(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", u, err)
	}
	return NewExport(now, []UserData{data}, nil).JSON()
}

// Forget erases everything stored about u, u's own choice: the store erases
// and compacts the file (DataStore.Forget), the digest and DM-answer
// bookkeeping and the cached profile go too. The audit log keeps that an
// erasure happened and how many delegation paths went with it, not whose.
func (p *Portal) Forget(ctx context.Context, u UserID) error {
	paths, err := p.store.ListPaths(ctx, u)
	if err != nil {
		return fmt.Errorf("forget: %w", err)
	}
	for _, k := range []string{digestKey(u), dmHintKey(u)} {
		if err := p.store.PutSetting(ctx, k, ""); err != nil {
			return fmt.Errorf("forget: %w", err)
		}
	}
	if err := p.store.Forget(ctx, u); err != nil {
		return fmt.Errorf("forget: %w", err)
	}
	p.access.Forget(u)
	return p.audit.Audit(ctx, ErasedActor, ActionForget, "paths="+strconv.Itoa(len(paths)))
}
