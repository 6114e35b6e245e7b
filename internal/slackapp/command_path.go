package slackapp

import "github.com/leancoach/leancoach/internal/coach"

// ParsePathCommand parses the text after "/coach" of a path command, as
// Slack sends it (mentions as <@U123|name>): "path" (or "paths") alone, or
// followed by one mention. Anything else is EINVALID with a correct
// example. Whether the person named is the director's Lean leader is
// PathService's to say.
func ParsePathCommand(text string) (coach.PathCommand, error) {
	if err := coach.CheckCommandLen(text); err != nil {
		return coach.PathCommand{}, err
	}
	const ex = "cmd.example.path"
	toks := tokenize(text)
	if len(toks) == 0 || !isWord(toks[0].s, "path", "paths") {
		return coach.PathCommand{}, usage("cmd.wrong.not_path", ex)
	}
	args := toks[1:]
	if len(args) == 0 {
		return coach.PathCommand{}, nil
	}
	l, err := userArg(args[0], ex)
	if err != nil {
		return coach.PathCommand{}, err
	}
	return coach.PathCommand{Leader: l}, noMore(args[1:], ex)
}
