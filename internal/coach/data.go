package coach

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// ExportFormat names the layout of an export file, so a reader can tell
// versions apart.
const ExportFormat = "leancoach-export/1"

// ErasedActor stands for a user whose data was erased, in the audit log (the
// store writes the same word over the user's ID in older entries).
const ErasedActor UserID = "erased"

// ExportFile is u's data as the JSON file /coach export sends and
// `bot export --user` prints: everything DataStore.Export returns, with the
// format and the time of export. Anyone may export their own data.
func (p *Portal) ExportFile(ctx context.Context, u UserID) ([]byte, error) {
	return ExportJSON(ctx, p.store, u, p.clock.Now())
}

// ExportJSON renders u's data from st as indented JSON.
func ExportJSON(ctx context.Context, st DataStore, u UserID, now time.Time) ([]byte, error) {
	data, err := st.Export(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", u, err)
	}
	data["format"] = ExportFormat
	data["exported_at"] = now.UTC().Format(time.RFC3339)
	b, err := json.MarshalIndent(data, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", u, err)
	}
	return b, nil
}

// Forget erases everything stored about u, u's own choice: the store erases
// and compacts the file (DataStore.Forget), the digest and DM-answer
// bookkeeping and the cached profile go too. The audit log keeps that an erasure happened, not
// whose.
func (p *Portal) Forget(ctx context.Context, u UserID) error {
	for _, k := range []string{digestKey(u), dmHintKey(u)} {
		if err := p.store.PutSetting(ctx, k, ""); err != nil {
			return fmt.Errorf("forget: %w", err)
		}
	}
	if err := p.store.Forget(ctx, u); err != nil {
		return fmt.Errorf("forget: %w", err)
	}
	p.access.Forget(u)
	return p.audit.Audit(ctx, ErasedActor, ActionForget, "")
}
