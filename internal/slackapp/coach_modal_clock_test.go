package slackapp

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"
)

// openViewStub is a CoachAPI whose views.open fails with the errors given,
// in order, and then succeeds.
type openViewStub struct {
	fail  []error
	calls int
}

func (s *openViewStub) OpenViewContext(context.Context, string, slack.ModalViewRequest) (*slack.ViewResponse, error) {
	s.calls++
	if s.calls <= len(s.fail) {
		return nil, s.fail[s.calls-1]
	}
	return &slack.ViewResponse{}, nil
}

func (s *openViewStub) PostEphemeralContext(context.Context, string, string, ...slack.MsgOption) (string, error) {
	return "", nil
}

// The trigger's life is read on the routes' clock (CoachDeps.Now): a
// transient failure is retried while the trigger lives by that clock, and
// not after. The clock reads a fixed moment far from the real time: by the
// wall clock the older click's trigger would still live, and be retried.
func TestOpenViewReadsTheTriggerLifeOnItsClock(t *testing.T) {
	now := time.Date(2101, 3, 4, 9, 0, 0, 0, time.UTC)
	ts := func(t time.Time) string { return fmt.Sprintf("%d.%06d", t.Unix(), t.Nanosecond()/1000) }
	tests := []struct {
		name    string
		clicked time.Time
		opened  bool
		calls   int
	}{
		{"clicked now: retried within the trigger's life", now, true, 2},
		{"clicked 10s ago: one attempt, no retry", now.Add(-10 * time.Second), false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &openViewStub{fail: []error{slack.StatusCodeError{Code: http.StatusInternalServerError, Status: "500"}}}
			c := &coachRoutes{api: api, log: zerolog.Nop(), now: func() time.Time { return now }}
			err := c.openView(t.Context(), ts(tt.clicked), "trigger", slack.ModalViewRequest{})
			if (err == nil) != tt.opened || api.calls != tt.calls {
				t.Errorf("openView = %v after %d views.open calls; want opened %v after %d", err, api.calls, tt.opened, tt.calls)
			}
		})
	}
}
