package slackapp

import "github.com/leancoach/leancoach/internal/coach"

// ParseCheckInCommand parses the text after "/coach" of a check-in command:
// "checkin" alone, or followed by "on" or "off" (Dutch "aan" and "uit"
// too). Anything else is EINVALID with a correct example.
func ParseCheckInCommand(text string) (coach.CheckInCommand, error) {
	if err := coach.CheckCommandLen(text); err != nil {
		return coach.CheckInCommand{}, err
	}
	const ex = "cmd.example.checkin"
	toks := tokenize(text)
	if len(toks) == 0 || !isWord(toks[0].s, "checkin", "check-in", "checkins") {
		return coach.CheckInCommand{}, usage("cmd.wrong.not_checkin", ex)
	}
	args := toks[1:]
	if len(args) == 0 {
		return coach.CheckInCommand{}, nil
	}
	var c coach.CheckInCommand
	switch {
	case isWord(args[0].s, "on", "aan"):
		c = coach.CheckInCommand{Set: true, On: true}
	case isWord(args[0].s, "off", "uit"):
		c = coach.CheckInCommand{Set: true}
	default:
		return coach.CheckInCommand{}, usageArg("cmd.wrong.checkin_word", quote(args[0].s), ex)
	}
	if err := noMore(args[1:], ex); err != nil {
		return coach.CheckInCommand{}, err
	}
	return c, nil
}
