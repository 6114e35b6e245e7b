package slackapp

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
)

// How a prompt is shown anew after a click. The click's response_url
// replaces the message (replace_original): Slack gives it no rate tier,
// only 5 uses within 30 minutes, so a morning's burst of answers is shown
// as fast as they are recorded. chat.update (Tier 3, about 50 a minute
// per workspace) is kept for what no interaction can replace: a form's
// submission whose opening click left no usable response_url, /coach kudos
// answering a prompt, and a response_url that failed (PromptUpdates).

// renderAnswered renders a as its prompt message.
func renderAnswered(a coach.Answered) (string, []slack.Block) {
	lang := a.Lang
	if lang == "" {
		lang = i18n.EN
	}
	return RenderOccurrence(lang, a.Occurrence, AnsweredInfo{Streak: a.Streak, Loc: a.Zone,
		KudosChannel: a.KudosChannel, PromptInfo: PromptInfo{Last: a.Last, Paths: a.Paths, LastNote: a.LastNote, Focus: a.Focus}})
}

// promptShow shows answered prompts: through a response_url when there is
// one, else (or when it fails) through PromptUpdates.
type promptShow struct {
	hc      *http.Client
	updates *PromptUpdates
	log     zerolog.Logger
	metrics InteractionMetrics
}

// show shows a anew: replacing the message through responseURL, and when
// there is none or it fails, with chat.update, queued. Nothing is shown
// when a changed nothing.
func (s *promptShow) show(ctx context.Context, responseURL string, a coach.Answered) error {
	if !a.Changed || a.Key == "" {
		return nil
	}
	if responseURL != "" {
		text, blocks := renderAnswered(a)
		err := slackio.PostReply(ctx, s.hc, responseURL, slackio.Reply{Text: text, Blocks: blocks, ReplaceOriginal: true})
		if err == nil {
			return nil
		}
		reason := failureReason(err)
		s.metrics.InteractionFailed("prompt_reply", reason)
		s.log.Warn().Err(err).Str("occ", string(a.Key)).Str("reason", reason).
			Msg("prompt not replaced through its response_url; updating it with chat.update")
	}
	return s.updates.Show(ctx, a)
}

// openedForms remembers the response_url of each click that opened a form,
// by the prompt it was opened on, so that the form's submission (a
// view_submission has no response_url) can still replace the prompt through
// it, rather than through chat.update and its tier. Slack takes a
// response_url 5 times within 30 minutes; one kept here is used once, and
// only within formURLLife. A form submitted later, or after a restart,
// falls back to chat.update. Safe for concurrent use.
type openedForms struct {
	now func() time.Time

	mu    sync.Mutex
	byKey map[coach.OccurrenceKey]openedForm
}

type openedForm struct {
	url  string
	user coach.UserID
	at   time.Time
}

// formURLLife is how long a remembered response_url is used: under
// Slack's 30 minutes, with room for the post itself.
const formURLLife = 25 * time.Minute

// maxOpenedForms bounds the memory: forms opened and never submitted leave
// their entries until they expire or are pushed out.
const maxOpenedForms = 10_000

func newOpenedForms(now func() time.Time) *openedForms {
	return &openedForms{now: now, byKey: map[coach.OccurrenceKey]openedForm{}}
}

// remember keeps url, the response_url of user's click that opened the form
// of prompt key.
func (f *openedForms) remember(key coach.OccurrenceKey, user coach.UserID, url string) {
	if url == "" {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	if len(f.byKey) >= maxOpenedForms {
		for k, e := range f.byKey {
			if now.Sub(e.at) > formURLLife {
				delete(f.byKey, k)
			}
		}
	}
	if len(f.byKey) >= maxOpenedForms {
		for k := range f.byKey { // full of live ones: push one out
			delete(f.byKey, k)
			break
		}
	}
	f.byKey[key] = openedForm{url: url, user: user, at: now}
}

// take returns, and forgets, the response_url remembered for user's form of
// prompt key, if it is still usable.
func (f *openedForms) take(key coach.OccurrenceKey, user coach.UserID) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.byKey[key]
	if !ok || e.user != user {
		return ""
	}
	delete(f.byKey, key)
	if f.now().Sub(e.at) > formURLLife {
		return ""
	}
	return e.url
}

// responseURLOf is an interaction's response_url, or "".
func responseURLOf(cb slack.InteractionCallback) string {
	if cb.ResponseURL != "" {
		return cb.ResponseURL
	}
	if len(cb.ResponseURLs) > 0 {
		return cb.ResponseURLs[0].ResponseURL
	}
	return ""
}
