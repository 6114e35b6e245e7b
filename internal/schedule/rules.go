package schedule

import (
	"sync"

	"github.com/leancoach/leancoach/internal/coach"
)

// maxKeptRules bounds how many parsed rules Rules keeps: far more than a
// workspace has schedules, so only a stream of new rule texts empties it.
const maxKeptRules = 1024

// Rules parses rule texts and keeps what it parsed, so that each text is
// parsed once: the due-loop asks for every schedule's rule on every pass,
// the App Home and /coach schedule list on every view. A rule is a pure
// function of its text, so the text alone is the key. Errors are not kept:
// only an admin typing a rule meets one. It is safe for concurrent use; the
// zero Rules is not, build one with NewRules.
type Rules struct {
	mu     sync.Mutex
	byText map[string]*Rule // never changed once kept: callers share them
}

var _ coach.RuleParser = (*Rules)(nil)

// NewRules returns an empty Rules.
func NewRules() *Rules { return &Rules{byText: map[string]*Rule{}} }

// Parse returns the rule of when (see ParseWhen) for the domain.
func (b *Rules) Parse(when string) (coach.Rule, error) {
	r, err := b.kept(when)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Rule returns the rule of when, parsing it only when it is not kept yet.
func (b *Rules) Rule(when string) (Rule, error) {
	r, err := b.kept(when)
	if err != nil {
		return Rule{}, err
	}
	return *r, nil
}

func (b *Rules) kept(when string) (*Rule, error) {
	b.mu.Lock()
	r, ok := b.byText[when]
	b.mu.Unlock()
	if ok {
		return r, nil
	}
	parsed, err := ParseWhen(when)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.byText) >= maxKeptRules {
		clear(b.byText)
	}
	b.byText[when] = &parsed
	return &parsed, nil
}
