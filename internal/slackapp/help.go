package slackapp

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// HelpDeps is what the help route needs to know about the user who asks.
type HelpDeps struct {
	LangOf  func(ctx context.Context, u coach.UserID) i18n.Lang
	IsAdmin func(ctx context.Context, u coach.UserID) bool // nil = nobody
}

// RegisterHelp answers "/coach" and "/coach help".
func RegisterHelp(r *Router, deps HelpDeps) {
	h := func(ctx context.Context, cmd slack.SlashCommand) (Reply, error) {
		u := coach.UserID(cmd.UserID)
		lang := i18n.EN
		if deps.LangOf != nil {
			lang = deps.LangOf(ctx, u)
		}
		admin := deps.IsAdmin != nil && deps.IsAdmin(ctx, u)
		return HelpReply(lang, admin), nil
	}
	r.Subcommand("/coach", "", h)
	r.Subcommand("/coach", "help", h)
}

// helpSections lists the help's sections: a heading key and its command lines.
// Each line key has a ".cmd" (the syntax, never translated: keywords are
// English for everyone) and a ".desc" text.
var helpSections = []struct {
	heading string
	admin   bool
	lines   []string
}{
	{"help.section.everyone", false, []string{"help", "streak", "kudos", "pause", "resume", "language", "export", "forget"}},
	{"help.section.admin", true, []string{"director.add", "director.remove", "director.list", "channel", "schedule.add", "schedule.list", "schedule.manage", "send", "habits", "admin", "report", "audit"}},
}

// HelpReply renders the help in lang; admins also see the admin commands.
func HelpReply(lang i18n.Lang, admin bool) Reply {
	blocks := []slack.Block{
		slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, lang.T("help.title"), false, false)),
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, lang.T("help.intro"), false, false), nil, nil),
	}
	for _, s := range helpSections {
		if s.admin && !admin {
			continue
		}
		var b strings.Builder
		b.WriteString("*" + lang.T(s.heading) + "*\n")
		for _, l := range s.lines {
			b.WriteString("`" + lang.T("help."+l+".cmd") + "` " + lang.T("help."+l+".desc") + "\n")
		}
		blocks = append(blocks, slack.NewDividerBlock(),
			slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, strings.TrimSpace(b.String()), false, false), nil, nil))
	}
	blocks = append(blocks, slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, lang.T("help.footer"), false, false)))
	return Reply{Text: lang.T("help.title"), Blocks: blocks}
}
