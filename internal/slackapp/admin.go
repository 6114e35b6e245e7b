package slackapp

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
)

// SurfacesAPI is the part of the Slack Web API the surfaces use; *slack.Client
// has it.
type SurfacesAPI interface {
	PublishViewContext(ctx context.Context, req slack.PublishViewContextRequest) (*slack.ViewResponse, error)
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	OpenConversationContext(ctx context.Context, params *slack.OpenConversationParameters) (*slack.Channel, bool, bool, error)
	UploadFileContext(ctx context.Context, params slack.UploadFileParameters) (*slack.FileSummary, error)
	GetConversationHistoryContext(ctx context.Context, params *slack.GetConversationHistoryParameters) (*slack.GetConversationHistoryResponse, error)
}

// SurfacesConfig wires Surfaces. Portal, Slack and Team are required.
type SurfacesConfig struct {
	Portal     *coach.Portal
	Slack      SurfacesAPI
	Team       coach.TeamID // payloads from any other team are refused
	LangOf     func(ctx context.Context, u coach.UserID) i18n.Lang
	Logger     zerolog.Logger
	HTTPClient *http.Client // for response_url posts; nil = http.DefaultClient
	// Limits pace what Surfaces sends to many users in a row (the weekly
	// digests) under Slack's tiers, keyed as the Poster's; nil =
	// DefaultLimits().
	Limits map[string]slackio.Rate
}

// Surfaces is the Slack side of coach.Portal: the admin, audit and report
// commands, the App Home, the weekly digest, leave and language, and the
// data-rights commands (export, forget).
type Surfaces struct {
	portal *coach.Portal
	api    SurfacesAPI
	team   coach.TeamID
	langOf func(ctx context.Context, u coach.UserID) i18n.Lang
	log    zerolog.Logger
	hc     *http.Client
	lim    *slackio.Limiter
}

// NewSurfaces returns Surfaces; it fails when a required field is missing.
func NewSurfaces(c SurfacesConfig) (*Surfaces, error) {
	switch {
	case c.Portal == nil:
		return nil, fmt.Errorf("new surfaces: no portal")
	case c.Slack == nil:
		return nil, fmt.Errorf("new surfaces: no slack client")
	case c.Team == "":
		return nil, fmt.Errorf("new surfaces: no team")
	}
	if c.HTTPClient == nil {
		c.HTTPClient = http.DefaultClient
	}
	if c.Limits == nil {
		c.Limits = slackio.DefaultLimits()
	}
	return &Surfaces{portal: c.Portal, api: c.Slack, team: c.Team, langOf: c.LangOf,
		log: c.Logger.With().Str("component", "surfaces").Logger(), hc: c.HTTPClient,
		lim: slackio.NewLimiter(c.Limits, time.Now)}, nil
}

// Sub-commands of /coach that Surfaces answers.
var surfaceWords = []string{"admin", "admins", "audit", "report", "export", "forget", "language", "lang", "taal", "pause", "resume"}

// Register routes Surfaces' sub-commands, actions and events.
func (s *Surfaces) Register(r *slackio.Router) {
	cmds := map[string]func(context.Context, coach.UserID, []string) (slackio.Reply, error){
		"admin": s.admin, "admins": s.admin, "audit": s.auditCmd, "report": s.report,
		"export": s.export, "forget": s.forget, "language": s.language, "lang": s.language, "taal": s.language,
		"pause": s.pause, "resume": s.resume,
	}
	for _, w := range surfaceWords {
		h := cmds[w]
		r.Subcommand("/coach", w, func(ctx context.Context, cmd slack.SlashCommand) (slackio.Reply, error) {
			if coach.TeamID(cmd.TeamID) != s.team {
				return slackio.Reply{}, coach.Errorf(coach.EFORBIDDEN, "access.err.other_team")
			}
			args := strings.Fields(cmd.Text)
			if len(args) > 0 {
				args = args[1:]
			}
			return h(ctx, coach.UserID(cmd.UserID), args)
		})
	}
	r.Guard("/coach", s.guard)
	r.Event("app_home_opened", s.onHomeOpened)
	r.Event("message", s.onMessage)
	r.ActionPrefix(actionPause, s.onPauseClick)
	r.Action(actionResume, s.onResumeClick)
	r.Action(actionForgetConfirm, s.onForgetConfirm)
	r.Action(actionForgetCancel, s.onForgetCancel)
}

// guard answers before any /coach route does: a text longer than
// coach.MaxCommandLen with the limit, and an admin's command typed by anyone
// else with the refusal, before its syntax is checked: who may not use a
// command learns that, not how to write it. Payloads of another team are
// left to the routes, which refuse them.
func (s *Surfaces) guard(ctx context.Context, cmd slack.SlashCommand) error {
	if err := coach.CheckCommandLen(cmd.Text); err != nil {
		return err
	}
	c, ok := coach.CommandOf(cmd.Text)
	if !ok || c.Who != coach.RoleAdmin || coach.TeamID(cmd.TeamID) != s.team {
		return nil
	}
	return s.portal.RequireAdmin(ctx, coach.UserID(cmd.UserID), c.Words)
}

func (s *Surfaces) lang(ctx context.Context, u coach.UserID) i18n.Lang {
	if s.langOf == nil {
		return i18n.EN
	}
	return s.langOf(ctx, u)
}

// admin answers /coach admin add|remove|list.
func (s *Surfaces) admin(ctx context.Context, actor coach.UserID, args []string) (slackio.Reply, error) {
	lang := s.lang(ctx, actor)
	if len(args) == 0 {
		return slackio.Reply{}, coach.Errorf(coach.EINVALID, "admin.usage")
	}
	sub := strings.ToLower(args[0])
	if sub == "list" && len(args) == 1 {
		l, err := s.portal.Admins(ctx, actor)
		if err != nil {
			return slackio.Reply{}, err
		}
		return AdminListReply(lang, l), nil
	}
	if (sub != "add" && sub != "remove") || len(args) != 2 {
		return slackio.Reply{}, coach.Errorf(coach.EINVALID, "admin.usage")
	}
	u, ok := parseUserMention(args[1])
	if !ok {
		return slackio.Reply{}, coach.Errorf(coach.EINVALID, "admin.usage")
	}
	if sub == "add" {
		res, err := s.portal.AddAdmin(ctx, actor, u)
		if err != nil {
			return slackio.Reply{}, err
		}
		if res.Already {
			return slackio.Reply{Text: lang.T("admin.already", mentionOf(u))}, nil
		}
		return slackio.Reply{Text: lang.T("admin.added", mentionOf(u))}, nil
	}
	if err := s.portal.RemoveAdmin(ctx, actor, u); err != nil {
		return slackio.Reply{}, err
	}
	return slackio.Reply{Text: lang.T("admin.removed", mentionOf(u))}, nil
}

// auditCmd answers /coach audit.
func (s *Surfaces) auditCmd(ctx context.Context, actor coach.UserID, args []string) (slackio.Reply, error) {
	if len(args) > 0 {
		return slackio.Reply{}, coach.Errorf(coach.EINVALID, "audit.usage")
	}
	es, err := s.portal.AuditLog(ctx, actor)
	if err != nil {
		return slackio.Reply{}, err
	}
	return AuditReply(s.lang(ctx, actor), es, s.portal.Location(ctx, actor)), nil
}

// report answers /coach report.
func (s *Surfaces) report(ctx context.Context, actor coach.UserID, args []string) (slackio.Reply, error) {
	if len(args) > 0 {
		return slackio.Reply{}, coach.Errorf(coach.EINVALID, "report.usage")
	}
	r, err := s.portal.Report(ctx, actor)
	if err != nil {
		return slackio.Reply{}, err
	}
	return ReportReply(s.lang(ctx, actor), r, s.portal.Location(ctx, actor)), nil
}

func mentionOf(u coach.UserID) string { return "<@" + string(u) + ">" }

func mdText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

func ptText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, true, false)
}

func mdSection(s string) *slack.SectionBlock { return slack.NewSectionBlock(mdText(s), nil, nil) }

// sections splits lines into section blocks of at most maxSection bytes
// each (Slack's limit for a section's text is 3000 characters).
func mdSections(lines []string) []slack.Block {
	const maxSection = 2900
	var out []slack.Block
	var b strings.Builder
	for _, l := range lines {
		if len(l) > maxSection {
			l = l[:maxSection]
		}
		if b.Len() > 0 && b.Len()+1+len(l) > maxSection {
			out = append(out, mdSection(b.String()))
			b.Reset()
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
	}
	if b.Len() > 0 {
		out = append(out, mdSection(b.String()))
	}
	return out
}

// AdminListReply renders /coach admin list.
func AdminListReply(lang i18n.Lang, l coach.AdminList) slackio.Reply {
	var lines []string
	lines = append(lines, "*"+lang.T("admin.list.title")+"*")
	lines = append(lines, lang.T("admin.list.listed", adminMentions(lang, l.Listed)))
	lines = append(lines, lang.T("admin.list.added", adminMentions(lang, l.Added)))
	blocks := mdSections(lines)
	blocks = append(blocks, slack.NewContextBlock("", mdText(lang.T("admin.list.workspace"))))
	return slackio.Reply{Text: lang.T("admin.list.title"), Blocks: blocks}
}

func adminMentions(lang i18n.Lang, us []coach.UserID) string {
	if len(us) == 0 {
		return lang.T("admin.list.none")
	}
	parts := make([]string, len(us))
	for i, u := range us {
		parts[i] = mentionOf(u)
	}
	return strings.Join(parts, ", ")
}

// CachedDirectory is a coach.Directory over Directory.Cached: answers up to
// MaxAge old, and a stale one when Slack cannot be asked. It suits time
// zones and languages (coach.PortalConfig.Directory); never use it for
// admin checks, which must fail closed (coach.Access takes the Directory
// itself).
type CachedDirectory struct {
	Dir    *Directory
	MaxAge time.Duration
}

// Profile implements coach.Directory.
func (c CachedDirectory) Profile(ctx context.Context, id coach.UserID) (coach.Profile, error) {
	return c.Dir.Cached(ctx, id, c.MaxAge)
}
