package slackapp_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
	"github.com/leancoach/leancoach/internal/slackio"
)

// A user's mistake (EINVALID, EFORBIDDEN, ENOTFOUND, ECONFLICT) is sorted
// as refused with its message key; EINTERNAL and any error that is no
// coach.Error as the bot's failure.
func TestVoiceSortsTheDomainsErrors(t *testing.T) {
	for _, code := range []string{coach.EINVALID, coach.EFORBIDDEN, coach.ENOTFOUND, coach.ECONFLICT} {
		err := fmt.Errorf("parse: %w", coach.Errorf(code, "lang.err.usage"))
		if got, want := (slackapp.Voice{}).Sort(err), (slackio.Failure{Code: code, Refused: true, Key: "lang.err.usage"}); got != want {
			t.Errorf("Sort(%s) = %+v, want %+v", code, got, want)
		}
	}
	for _, err := range []error{coach.Errorf(coach.EINTERNAL, "error.internal"), errors.New("disk full")} {
		if got, want := (slackapp.Voice{}).Sort(err), (slackio.Failure{Code: coach.EINTERNAL, Internal: true}); got != want {
			t.Errorf("Sort(%v) = %+v, want %+v", err, got, want)
		}
	}
}

// The Voice tells an error's safe message, never its text, in the user's
// language.
func TestVoiceTellsInTheUsersLanguage(t *testing.T) {
	v := slackapp.Voice{LangOf: func(_ context.Context, u coach.UserID) i18n.Lang {
		if u == "U0NL" {
			return i18n.NL
		}
		return i18n.EN
	}}
	err := fmt.Errorf("save %q: %w", "TYPED", errors.New("disk full"))
	if got, want := v.ErrorText(t.Context(), "U0NL", err), i18n.NL.T("error.internal"); got != want {
		t.Errorf("ErrorText(NL) = %q, want %q", got, want)
	}
	if got, want := v.Busy(t.Context(), "U0EN"), i18n.EN.T("error.busy"); got != want {
		t.Errorf("Busy(EN) = %q, want %q", got, want)
	}
	if got, want := (slackapp.Voice{}).Busy(t.Context(), "U0NL"), i18n.EN.T("error.busy"); got != want {
		t.Errorf("Busy without LangOf = %q, want %q", got, want)
	}
}
