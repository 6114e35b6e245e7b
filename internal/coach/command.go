package coach

import (
	"unicode/utf8"

	"github.com/leancoach/leancoach/internal/i18n"
)

// CommandKind names what a /coach command asks for.
type CommandKind string

const (
	CmdHelp           CommandKind = "help"
	CmdDirectorAdd    CommandKind = "director.add"
	CmdDirectorRemove CommandKind = "director.remove"
	CmdDirectorList   CommandKind = "director.list"
	CmdChannel        CommandKind = "channel"
	CmdSend           CommandKind = "send"
	CmdSendCheckIn    CommandKind = "send.checkin" // /coach send checkin @leader
	CmdStreak         CommandKind = "streak"
	CmdKudos          CommandKind = "kudos"
	CmdHabits         CommandKind = "habits"
)

// Command is a parsed /coach command. Only the fields of its Kind are set.
type Command struct {
	Kind     CommandKind
	Director UserID    // director add/remove, send
	Leaders  []UserID  // director add; kudos, send checkin: the one leader
	Channel  ChannelID // channel
	Habit    Habit     // send
	Text     string    // kudos: the compliment (GiveKudos takes it as the person typed it)
	Args     []string  // for kinds parsed elsewhere (help topic)
}

// MaxCommandLen bounds the text after /coach, in characters; a slash command
// is at most a few thousand characters in practice, and a compliment at
// most MaxTextLen.
const MaxCommandLen = 4000

// CheckCommandLen fails with EINVALID, saying the limit, when text is longer
// than MaxCommandLen characters.
func CheckCommandLen(text string) error {
	if n := utf8.RuneCountInString(text); n > MaxCommandLen {
		return &Error{Code: EINVALID, Msg: i18n.M("cmd.err.too_long", n, MaxCommandLen)}
	}
	return nil
}

// PathCommand is `/coach path` parsed: with a Lean leader named it opens
// the path form for that pair, without one it lists the director's paths.
type PathCommand struct {
	Leader UserID // "" lists the paths
}

// CheckInCommand is `/coach checkin` parsed: alone it asks whether the
// monthly check-ins are on; with "on" or "off" it turns them so.
type CheckInCommand struct {
	Set bool // "on" or "off" was given
	On  bool // which, when Set
}

func usage(wrong, example string) error {
	return &Error{Code: EINVALID, Msg: i18n.M("cmd.err.usage", i18n.M(wrong), i18n.M(example))}
}
