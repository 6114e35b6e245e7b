package slackapp

import (
	"context"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
)

// HelpDeps is what the help route needs to know about the user who asks.
type HelpDeps struct {
	LangOf func(ctx context.Context, u coach.UserID) i18n.Lang
	// Viewer tells who u is and their local time; nil treats everyone as
	// someone without a role, in UTC. On an error the viewer it returns is
	// still used: its roles are never more than the user has.
	Viewer func(ctx context.Context, u coach.UserID) (coach.Viewer, error)
}

// RegisterHelp answers "/coach" and "/coach help".
func RegisterHelp(r *slackio.Router, deps HelpDeps) {
	h := func(ctx context.Context, cmd slack.SlashCommand) (slackio.Reply, error) {
		u := coach.UserID(cmd.UserID)
		lang := i18n.EN
		if deps.LangOf != nil {
			lang = deps.LangOf(ctx, u)
		}
		v := coach.Viewer{User: u, Now: time.Now().UTC()}
		if deps.Viewer != nil {
			v, _ = deps.Viewer(ctx, u)
		}
		return HelpReply(lang, v), nil
	}
	r.Subcommand("/coach", "", h)
	r.Subcommand("/coach", "help", h)
}

// helpSection is a heading key and the role whose commands it lists
// (coach.Everyone: the commands anyone may run).
type helpSection struct {
	heading string
	role    coach.Roles
}

// helpSections are the help's sections in order. A command is listed once,
// in the first section of the reader's that has it.
func helpSections() []helpSection {
	return []helpSection{
		{"help.section.everyone", coach.Everyone},
		{"help.section.director", coach.RoleDirector},
		{"help.section.leader", coach.RoleLeader},
		{"help.section.admin", coach.RoleAdmin},
	}
}

// HelpReply renders the help in lang for v: the commands of v's roles
// (coach.Commands), with examples computed from v's today.
func HelpReply(lang i18n.Lang, v coach.Viewer) slackio.Reply {
	blocks := []slack.Block{
		slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, lang.T("help.title"), false, false)),
		mrkdwnSection(lang.T(helpIntro(v.Roles)), false),
	}
	for _, s := range commandSections(lang, v) {
		blocks = append(blocks, slack.NewDividerBlock(), mrkdwnSection(s, false))
	}
	blocks = append(blocks, slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, lang.T("help.footer"), false, false)))
	return slackio.Reply{Text: lang.T("help.title"), Blocks: blocks}
}

// helpIntro is the key of the help's first paragraph for someone with rs.
func helpIntro(rs coach.Roles) string {
	switch {
	case rs.Has(coach.RoleDirector):
		return "help.intro"
	case rs.Has(coach.RoleAdmin):
		return "help.intro.admin"
	case rs.Has(coach.RoleLeader):
		return "help.intro.leader"
	}
	return "help.intro.none"
}

// commandSections renders the commands v may run, one mrkdwn text per
// section of helpSections that has any: a bold heading and a line per
// command, "`syntax` what it does".
func commandSections(lang i18n.Lang, v coach.Viewer) []string {
	shown := map[string]bool{}
	var out []string
	for _, s := range helpSections() {
		if s.role != coach.Everyone && !v.Roles.Has(s.role) {
			continue
		}
		var b strings.Builder
		for _, c := range coach.Commands() {
			if shown[c.Help] || !inSection(c, s.role) || !v.Roles.Can(c) {
				continue
			}
			shown[c.Help] = true
			b.WriteString("\n`" + helpSyntax(lang, c.Help, v) + "` " + lang.T("help."+c.Help+".desc"))
		}
		if b.Len() > 0 {
			out = append(out, "*"+lang.T(s.heading)+"*"+b.String())
		}
	}
	return out
}

// inSection reports whether c belongs in the section of role: the
// commands for everyone in that one, the others in each of their roles'.
func inSection(c coach.CommandInfo, role coach.Roles) bool {
	if role == coach.Everyone {
		return c.Who == coach.Everyone
	}
	return c.Who.Has(role)
}

// helpSyntax renders a command's syntax line. A syntax that shows a date
// (/coach pause until …) has it as %[1]s: the viewer's example date.
func helpSyntax(lang i18n.Lang, help string, v coach.Viewer) string {
	key := "help." + help + ".cmd"
	if s := lang.T(key); !strings.Contains(s, "%[1]s") {
		return s
	}
	return lang.T(key, v.ExampleDate())
}
