package coach

import (
	"context"
	"fmt"
	"strings"
)

// Sending the monthly check-in (docs/product.md "The Lean leader's side"):
// the due-loop sends it to every pair of CheckInPairs once a month, and an
// admin can send one now with `/coach send checkin @leader`. It is no
// director's habit: it is recorded on the check-in (OpenCheckIn), never as
// an occurrence, so it takes no place in a director's weekly budget and
// counts in no streak.

// CheckInDefaultWhen is when the monthly check-in goes by default, in each
// Lean leader's own time zone: in the third week of the month, away from
// the path review at the start of the month, with days left to answer.
const CheckInDefaultWhen = "monthly third wed 10:00"

// CheckInRef is the reference of pair's check-in message of month m, kept
// in the message's metadata so that an unclear send can be looked up in
// the Lean leader's DM before it is posted again.
func CheckInRef(pair Pair, m Month) string {
	return "checkin|" + string(pair.Leader) + "|" + string(pair.Director) + "|" + m.String()
}

// CheckInChoice is what a button of the check-in message carries: which
// director and month it is about, and the style clicked ("" for the
// note's button). The Lean leader is whoever clicks.
type CheckInChoice struct {
	Director UserID
	Month    Month
	Style    Style
}

// String is the button's value: "<director>|<month>[|<style>]".
func (c CheckInChoice) String() string {
	s := string(c.Director) + "|" + c.Month.String()
	if c.Style != "" {
		s += "|" + string(c.Style)
	}
	return s
}

// ParseCheckInChoice reads a button's value (CheckInChoice.String). A
// value that is not one is refused: it did not come from our message.
func ParseCheckInChoice(v string) (CheckInChoice, bool) {
	parts := strings.Split(v, "|")
	if len(parts) < 2 || len(parts) > 3 {
		return CheckInChoice{}, false
	}
	d, okD := ParseUserID(parts[0])
	m, okM := ParseMonth(parts[1])
	if !okD || !okM {
		return CheckInChoice{}, false
	}
	c := CheckInChoice{Director: d, Month: m}
	if len(parts) == 3 {
		s, ok := ParseStyle(parts[2])
		if !ok || s != Style(parts[2]) {
			return CheckInChoice{}, false
		}
		c.Style = s
	}
	return c, true
}

// CheckInSendTargets is what `/coach send checkin @leader` sends: one
// check-in per director who leads leader now, for the month it is now in
// leader's calendar. Admins only (EFORBIDDEN). Someone who is nobody's
// Lean leader is EINVALID; a Lean leader who turned the check-ins off is
// ECONFLICT (checkin.err.off): they get nothing.
func (s *LeaderService) CheckInSendTargets(ctx context.Context, actor, leader UserID) ([]Pair, Month, error) {
	if ok, err := s.c.IsAdmin(ctx, actor); err != nil || !ok {
		return nil, Month{}, Errorf(EFORBIDDEN, "svc.err.admin_only", "send")
	}
	ds, err := directorsOf(ctx, s.c.Store, leader)
	if err != nil {
		return nil, Month{}, fmt.Errorf("check-in targets: %w", err)
	}
	if len(ds) == 0 {
		return nil, Month{}, Errorf(EINVALID, "checkin.err.not_a_leader", mention(leader))
	}
	prefs, err := s.c.Store.Prefs(ctx, leader)
	if err != nil {
		return nil, Month{}, fmt.Errorf("check-in targets: %w", err)
	}
	if prefs.CheckInsOff {
		return nil, Month{}, Errorf(ECONFLICT, "checkin.err.off", mention(leader))
	}
	out := make([]Pair, 0, len(ds))
	for _, d := range ds {
		out = append(out, Pair{Director: d, Leader: leader})
	}
	return out, s.Month(ctx, leader), nil
}
