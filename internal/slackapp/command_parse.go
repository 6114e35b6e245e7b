package slackapp

import (
	"strings"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// ParseCommand parses the text after "/coach" as Slack sends it with
// should_escape on: mentions as <@U123|name>, channels as <#C123|name>.
// Keywords are English for everyone and case-insensitive. A failure is an
// EINVALID *coach.Error whose message says what was wrong and shows a
// correct example; user input quoted in it is already escaped for mrkdwn.
// The Text of a kudos is as Slack sent it: TypedText reads it back.
func ParseCommand(text string) (coach.Command, error) {
	if err := coach.CheckCommandLen(text); err != nil {
		return coach.Command{}, err
	}
	toks := tokenize(text)
	if len(toks) == 0 {
		return coach.Command{Kind: coach.CmdHelp}, nil
	}
	verb := strings.ToLower(toks[0].s)
	rest := toks[1:]
	switch verb {
	case "help":
		return coach.Command{Kind: coach.CmdHelp, Args: words(rest)}, nil
	case "director", "directors":
		return parseDirector(rest)
	case "channel":
		return parseChannel(rest)
	case "send":
		return parseSend(rest)
	case "streak", "streaks":
		return coach.Command{Kind: coach.CmdStreak}, noMore(rest, "cmd.example.streak")
	case "habits", "habit":
		return coach.Command{Kind: coach.CmdHabits}, noMore(rest, "cmd.example.habits")
	case "kudos", "compliment":
		return parseKudos(text, rest)
	}
	return coach.Command{}, &coach.Error{Code: coach.EINVALID, Msg: i18n.M("cmd.err.unknown", quote(toks[0].s))}
}

func parseDirector(rest []token) (coach.Command, error) {
	if len(rest) == 0 {
		return coach.Command{}, usage("cmd.wrong.missing_sub", "cmd.example.director_add")
	}
	sub := strings.ToLower(rest[0].s)
	args := rest[1:]
	switch sub {
	case "add":
		return parseDirectorAdd(args)
	case "remove", "rm", "delete":
		if len(args) == 0 {
			return coach.Command{}, usage("cmd.wrong.missing_director", "cmd.example.director_remove")
		}
		d, err := userArg(args[0], "cmd.example.director_remove")
		if err != nil {
			return coach.Command{}, err
		}
		return coach.Command{Kind: coach.CmdDirectorRemove, Director: d}, noMore(args[1:], "cmd.example.director_remove")
	case "list", "ls":
		return coach.Command{Kind: coach.CmdDirectorList}, noMore(args, "cmd.example.director_list")
	}
	return coach.Command{}, usageArg("cmd.wrong.unknown_sub", quote(rest[0].s), "cmd.example.director_add")
}

func parseDirectorAdd(args []token) (coach.Command, error) {
	const ex = "cmd.example.director_add"
	if len(args) == 0 {
		return coach.Command{}, usage("cmd.wrong.missing_director", ex)
	}
	d, err := userArg(args[0], ex)
	if err != nil {
		return coach.Command{}, err
	}
	args = args[1:]
	if len(args) == 0 || !isWord(args[0].s, "leader", "leaders") {
		return coach.Command{}, usage("cmd.wrong.missing_leader", ex)
	}
	args = args[1:]
	if len(args) == 0 {
		return coach.Command{}, usage("cmd.wrong.missing_leader", ex)
	}
	cmd := coach.Command{Kind: coach.CmdDirectorAdd, Director: d}
	seen := map[coach.UserID]bool{}
	for _, a := range args {
		if a.s == "," || isWord(a.s, "and", "en") {
			continue
		}
		l, err := userArg(a, ex)
		if err != nil {
			return coach.Command{}, err
		}
		if l == d {
			return coach.Command{}, usage("cmd.wrong.own_leader", ex)
		}
		if !seen[l] {
			seen[l] = true
			cmd.Leaders = append(cmd.Leaders, l)
		}
	}
	if len(cmd.Leaders) == 0 {
		return coach.Command{}, usage("cmd.wrong.missing_leader", ex)
	}
	return cmd, nil
}

func parseChannel(args []token) (coach.Command, error) {
	const ex = "cmd.example.channel"
	if len(args) == 0 {
		return coach.Command{}, usage("cmd.wrong.missing_channel", ex)
	}
	c, ok := parseChannelMention(args[0].s)
	if !ok || args[0].s[0] != '<' || c[0] == 'D' {
		return coach.Command{}, usageArg("cmd.wrong.not_a_channel", quote(args[0].s), ex)
	}
	return coach.Command{Kind: coach.CmdChannel, Channel: c}, noMore(args[1:], ex)
}

func parseSend(args []token) (coach.Command, error) {
	const ex = "cmd.example.send"
	if len(args) == 0 {
		return coach.Command{}, usage("cmd.wrong.missing_habit", ex)
	}
	if isWord(args[0].s, "checkin", "check-in") {
		return parseSendCheckIn(args[1:])
	}
	h, ok := coach.ParseHabit(strings.ToLower(args[0].s))
	if !ok {
		return coach.Command{}, usageArg("cmd.wrong.unknown_habit", quote(args[0].s), ex)
	}
	args = args[1:]
	if len(args) > 0 && isWord(args[0].s, "to") {
		args = args[1:]
	}
	if len(args) == 0 {
		return coach.Command{}, usage("cmd.wrong.missing_director", ex)
	}
	d, err := userArg(args[0], ex)
	if err != nil {
		return coach.Command{}, err
	}
	return coach.Command{Kind: coach.CmdSend, Habit: h, Director: d}, noMore(args[1:], ex)
}

// parseSendCheckIn parses what follows "send checkin": one Lean leader.
func parseSendCheckIn(args []token) (coach.Command, error) {
	const ex = "cmd.example.send_checkin"
	if len(args) > 0 && isWord(args[0].s, "to") {
		args = args[1:]
	}
	if len(args) == 0 {
		return coach.Command{}, usage("cmd.wrong.missing_leader_one", ex)
	}
	u, err := userArg(args[0], ex)
	if err != nil {
		return coach.Command{}, err
	}
	return coach.Command{Kind: coach.CmdSendCheckIn, Leaders: []coach.UserID{u}}, noMore(args[1:], ex)
}

// parseKudos keeps the compliment text after the mention exactly as Slack
// sent it (spacing and line breaks included). Its length is checked once it
// is read back into what was typed: Slack's escaping makes it longer.
func parseKudos(raw string, args []token) (coach.Command, error) {
	const ex = "cmd.example.kudos"
	if len(args) == 0 {
		return coach.Command{}, usage("cmd.wrong.kudos_missing_leader", ex)
	}
	l, err := userArg(args[0], ex)
	if err != nil {
		return coach.Command{}, err
	}
	text := strings.TrimSpace(raw[args[0].end:])
	if coach.Clean(text, 0) == "" {
		return coach.Command{}, usage("cmd.wrong.missing_text", ex)
	}
	return coach.Command{Kind: coach.CmdKudos, Leaders: []coach.UserID{l}, Text: text}, nil
}

func userArg(t token, example string) (coach.UserID, error) {
	// Only a real mention: a bare "U123" typed by hand is more likely a
	// mistake than an ID, and a plain "@bob" means Slack did not link it.
	if u, ok := parseUserMention(t.s); ok && strings.HasPrefix(t.s, "<@") {
		return u, nil
	}
	return "", usageArg("cmd.wrong.not_a_user", quote(t.s), example)
}

func noMore(rest []token, example string) error {
	if len(rest) == 0 {
		return nil
	}
	return usageArg("cmd.wrong.extra", quote(rest[0].s), example)
}

func usage(wrong, example string) error {
	return &coach.Error{Code: coach.EINVALID, Msg: i18n.M("cmd.err.usage", i18n.M(wrong), i18n.M(example))}
}

func usageArg(wrong string, arg any, example string) error {
	return &coach.Error{Code: coach.EINVALID, Msg: i18n.M("cmd.err.usage", i18n.M(wrong, arg), i18n.M(example))}
}

// quote makes a piece of user input safe to show inside a reply: short,
// escaped, and without backticks that would end the code span around it.
func quote(s string) string {
	return strings.ReplaceAll(Escape(s, 40), "`", "'")
}

func isWord(s string, words ...string) bool {
	for _, w := range words {
		if strings.EqualFold(s, w) {
			return true
		}
	}
	return false
}

func words(ts []token) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.s
	}
	return out
}

// token is one word of the command text; end is the byte offset just past it.
type token struct {
	s   string
	end int
}

// tokenize splits on white space, keeping a Slack reference <…> together even
// when its label holds spaces, and splitting off commas so "@a, @b" works.
// A no-break space (Slack clients sometimes send one between words) is a
// space too; token ends are offsets into s as it is.
func tokenize(s string) []token {
	var out []token
	i := 0
	for i < len(s) {
		c := s[i]
		if w := spaceAt(s, i); w > 0 {
			i += w
			continue
		}
		if c == ',' {
			out = append(out, token{s: ",", end: i + 1})
			i++
			continue
		}
		start := i
		if c == '<' {
			if j := strings.IndexByte(s[i:], '>'); j > 0 {
				i += j + 1
				out = append(out, token{s: s[start:i], end: i})
				continue
			}
		}
		for i < len(s) && spaceAt(s, i) == 0 && s[i] != ',' && !(s[i] == '<' && i > start) {
			i++
		}
		out = append(out, token{s: s[start:i], end: i})
	}
	return out
}

// spaceAt is the width in bytes of the white space at s[i], or 0.
func spaceAt(s string, i int) int {
	switch s[i] {
	case ' ', '\t', '\n', '\r', '\v', '\f':
		return 1
	}
	if strings.HasPrefix(s[i:], "\u00a0") {
		return len("\u00a0")
	}
	return 0
}
