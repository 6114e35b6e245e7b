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

// ParseUserID accepts a bare ID ("U123") or a Slack mention ("<@U123>",
// "<@U123|name>").
func ParseUserID(s string) (UserID, bool) {
	if len(s) > 3 && s[0] == '<' && s[1] == '@' && s[len(s)-1] == '>' {
		s = s[2 : len(s)-1]
		for i := 0; i < len(s); i++ {
			if s[i] == '|' {
				s = s[:i]
				break
			}
		}
	}
	if !userIDPattern.MatchString(s) {
		return "", false
	}
	return UserID(s), true
}

// ParseChannelID accepts a bare ID ("C123") or a Slack channel reference
// ("<#C123>", "<#C123|kudos>").
func ParseChannelID(s string) (ChannelID, bool) {
	if len(s) > 3 && s[0] == '<' && s[1] == '#' && s[len(s)-1] == '>' {
		s = s[2 : len(s)-1]
		for i := 0; i < len(s); i++ {
			if s[i] == '|' {
				s = s[:i]
				break
			}
		}
	}
	if !channelIDPattern.MatchString(s) {
		return "", false
	}
	return ChannelID(s), true
}
