package store

import (
	"github.com/leancoach/leancoach/internal/coach"
)

// mention formats a user for a message; Slack renders it as their name.
func mention(id coach.UserID) string { return "<@" + string(id) + ">" }

func errDirectorNotFound(id coach.UserID) error {
	return coach.Errorf(coach.ENOTFOUND, "store.director_not_found", mention(id))
}

func errOccurrenceNotFound() error {
	return coach.Errorf(coach.ENOTFOUND, "store.occurrence_not_found")
}

func errScheduleNotFound(id coach.ScheduleID) error {
	return coach.Errorf(coach.ENOTFOUND, "store.schedule_not_found", string(id))
}

func errAdminNotFound(id coach.UserID) error {
	return coach.Errorf(coach.ENOTFOUND, "store.admin_not_found", mention(id))
}

func errProfileNotFound(id coach.UserID) error {
	return coach.Errorf(coach.ENOTFOUND, "store.profile_not_found", mention(id))
}
