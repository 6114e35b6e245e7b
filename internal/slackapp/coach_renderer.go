package slackapp

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// PromptRenderer renders a prompt for delivery (the due-loop's Poster and
// /coach send both use it, through the Prompter), in the director's
// language. A question prompt without a question gets one first, durably
// (coach.EnsureQuestion), so the message, the "I asked it" modal and the
// history agree.
type PromptRenderer struct {
	store  coach.QuestionStore
	langOf func(ctx context.Context, u coach.UserID) i18n.Lang
	pick   func(n int) int
	paths  *pathSource // nil: a path prompt shows no paths
}

// pathSource is where a path prompt's paths are read from.
type pathSource struct {
	store coach.PathPromptStore
	zone  func(ctx context.Context, u coach.UserID) *time.Location
	now   func() time.Time
}

// WithPaths makes a path prompt show the director's paths, one block per
// Lean leader with one-click review buttons (coach.LoadPathPrompt): read
// from st at now, in the director's zone. It returns r.
func (r *PromptRenderer) WithPaths(st coach.PathPromptStore, zone func(ctx context.Context, u coach.UserID) *time.Location, now func() time.Time) *PromptRenderer {
	r.paths = &pathSource{store: st, zone: zone, now: now}
	return r
}

// NewPromptRenderer returns a PromptRenderer. pick chooses among candidate
// questions; nil = random.
func NewPromptRenderer(store coach.QuestionStore, langOf func(ctx context.Context, u coach.UserID) i18n.Lang, pick func(n int) int) *PromptRenderer {
	if pick == nil {
		pick = rand.IntN
	}
	if langOf == nil {
		langOf = func(context.Context, coach.UserID) i18n.Lang { return i18n.EN }
	}
	return &PromptRenderer{store: store, langOf: langOf, pick: pick}
}

// Render returns the prompt message of o: its notification text and blocks.
// A follow-up question shows what the Lean leader came up with last time;
// the compliment, gemba, spotlight and stand-up name the Lean leader whose
// turn it is (coach.LoadFocus).
func (r *PromptRenderer) Render(ctx context.Context, o coach.Occurrence) (string, []slack.Block, error) {
	o, err := coach.EnsureQuestion(ctx, r.store, o, r.pick)
	if err != nil {
		return "", nil, fmt.Errorf("render prompt: %w", err)
	}
	last, err := coach.LastAnswerBefore(ctx, r.store, o)
	if err != nil {
		return "", nil, fmt.Errorf("render prompt: %w", err)
	}
	info := PromptInfo{Last: last}
	if info.Focus, _, err = coach.LoadFocus(ctx, r.store, o); err != nil {
		return "", nil, fmt.Errorf("render prompt: %w", err)
	}
	if info.LastNote, err = coach.LastNoteBefore(ctx, r.store, o); err != nil {
		return "", nil, fmt.Errorf("render prompt: %w", err)
	}
	if o.Habit == coach.PathReview && r.paths != nil {
		ps := r.paths
		if info.Paths, err = coach.LoadPathPrompt(ctx, ps.store, o.Director, ps.now(), ps.zone(ctx, o.Director)); err != nil {
			return "", nil, fmt.Errorf("render prompt: %w", err)
		}
	}
	text, blocks := RenderPromptInfo(r.langOf(ctx, o.Director), o, info)
	return text, blocks, nil
}
