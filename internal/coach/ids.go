package coach

import "regexp"

// Slack identifiers, parsed at the edge so the domain never holds free text
// where an ID belongs.
type (
	UserID    string // U… or W…
	ChannelID string // C…, G… or D…
	TeamID    string // T…
)

var (
	userIDPattern    = regexp.MustCompile(`^[UW][A-Z0-9]{2,20}$`)
	channelIDPattern = regexp.MustCompile(`^[CGD][A-Z0-9]{2,20}$`)
)

// ParseUserID accepts a bare user ID ("U123"). Reading one out of the
// text a person typed is the adapter's job.
func ParseUserID(s string) (UserID, bool) {
	if !userIDPattern.MatchString(s) {
		return "", false
	}
	return UserID(s), true
}

// ParseChannelID accepts a bare channel ID ("C123").
func ParseChannelID(s string) (ChannelID, bool) {
	if !channelIDPattern.MatchString(s) {
		return "", false
	}
	return ChannelID(s), true
}
