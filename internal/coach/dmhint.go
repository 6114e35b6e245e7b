package coach

import (
	"context"
	"fmt"
	"time"
)

// dmHintKey is the setting that holds the local date on which u's text typed
// in the bot's DM was last answered.
func dmHintKey(u UserID) string { return "dmhint|" + string(u) }

// DMHint decides whether text u typed in the bot's DM gets an answer now:
// at most one a day, by u's local date. The day is recorded before the
// answer goes out, so a crash or a redelivered event loses an answer rather
// than doubling it; when the answer could not be posted, UndoDMHint takes
// the day back. v is whom the answer is for.
func (p *Portal) DMHint(ctx context.Context, u UserID) (v Viewer, due bool, err error) {
	p.hintMu.Lock() // two messages typed at once: one answer
	defer p.hintMu.Unlock()
	v, err = p.Viewer(ctx, u)
	if err != nil {
		return v, false, fmt.Errorf("dm hint %s: %w", u, err)
	}
	day := v.Now.Format(time.DateOnly)
	last, err := p.store.Setting(ctx, dmHintKey(u))
	if err != nil {
		return v, false, fmt.Errorf("dm hint %s: %w", u, err)
	}
	if last == day {
		return v, false, nil
	}
	if err := p.store.PutSetting(ctx, dmHintKey(u), day); err != nil {
		return v, false, fmt.Errorf("dm hint %s: %w", u, err)
	}
	return v, true, nil
}

// UndoDMHint forgets the day DMHint recorded for u, so the next text u types
// is answered.
func (p *Portal) UndoDMHint(ctx context.Context, u UserID) error {
	if err := p.store.PutSetting(ctx, dmHintKey(u), ""); err != nil {
		return fmt.Errorf("undo dm hint %s: %w", u, err)
	}
	return nil
}
