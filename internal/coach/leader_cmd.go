package coach

// CheckInCommand is `/coach checkin` parsed: alone it asks whether the
// monthly check-ins are on; with "on" or "off" it turns them so.
type CheckInCommand struct {
	Set bool // "on" or "off" was given
	On  bool // which, when Set
}

// ParseCheckInCommand parses the text after "/coach" of a check-in command:
// "checkin" alone, or followed by "on" or "off" (Dutch "aan" and "uit"
// too). Anything else is EINVALID with a correct example.
func ParseCheckInCommand(text string) (CheckInCommand, error) {
	if err := CheckCommandLen(text); err != nil {
		return CheckInCommand{}, err
	}
	const ex = "cmd.example.checkin"
	toks := tokenize(text)
	if len(toks) == 0 || !isWord(toks[0].s, "checkin", "check-in", "checkins") {
		return CheckInCommand{}, usage("cmd.wrong.not_checkin", ex)
	}
	args := toks[1:]
	if len(args) == 0 {
		return CheckInCommand{}, nil
	}
	var c CheckInCommand
	switch {
	case isWord(args[0].s, "on", "aan"):
		c = CheckInCommand{Set: true, On: true}
	case isWord(args[0].s, "off", "uit"):
		c = CheckInCommand{Set: true}
	default:
		return CheckInCommand{}, usageArg("cmd.wrong.checkin_word", quote(args[0].s), ex)
	}
	if err := noMore(args[1:], ex); err != nil {
		return CheckInCommand{}, err
	}
	return c, nil
}
