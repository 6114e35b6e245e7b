package slackapp

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
)

// export answers /coach export: the user's own data as a JSON file in
// their DM with the bot.
func (s *Surfaces) export(ctx context.Context, u coach.UserID, args []string) (slackio.Reply, error) {
	lang := s.lang(ctx, u)
	if len(args) > 0 {
		return slackio.Reply{}, coach.Errorf(coach.EINVALID, "data.export.usage")
	}
	data, err := s.portal.ExportFile(ctx, u)
	if err != nil {
		return slackio.Reply{}, err
	}
	if err := s.uploadToDM(ctx, u, exportName(u), lang.T("data.export.title"), lang.T("data.export.comment"), data); err != nil {
		return slackio.Reply{}, err
	}
	return slackio.Reply{Text: lang.T("data.export.sent")}, nil
}

// forget answers /coach forget with a confirmation: nothing is erased until
// the user clicks the danger button (which asks once more).
func (s *Surfaces) forget(ctx context.Context, u coach.UserID, args []string) (slackio.Reply, error) {
	if len(args) > 0 {
		return slackio.Reply{}, coach.Errorf(coach.EINVALID, "data.forget.usage")
	}
	return ForgetConfirmReply(s.lang(ctx, u), u), nil
}

// ForgetConfirmReply asks the user to confirm erasing their data. The button
// carries the user's ID so the click can be bound to them.
func ForgetConfirmReply(lang i18n.Lang, u coach.UserID) slackio.Reply {
	yes := slack.NewButtonBlockElement(actionForgetConfirm, string(u), ptText(lang.T("data.forget.button.yes")))
	yes.Style = slack.StyleDanger
	yes.Confirm = slack.NewConfirmationBlockObject(ptText(lang.T("data.forget.confirm.title")),
		ptText(lang.T("data.forget.confirm.text")), ptText(lang.T("data.forget.confirm.yes")),
		ptText(lang.T("data.forget.confirm.no")))
	yes.Confirm.Style = slack.StyleDanger
	no := slack.NewButtonBlockElement(actionForgetCancel, string(u), ptText(lang.T("data.forget.button.no")))
	return slackio.Reply{Text: lang.T("data.forget.ask"), Blocks: []slack.Block{
		mdSection(lang.T("data.forget.ask")),
		slack.NewActionBlock("data_forget", yes, no),
	}}
}

// onForgetConfirm erases the clicker's data. Only the user the confirmation
// was shown to can confirm it: the button's value must be the clicker.
func (s *Surfaces) onForgetConfirm(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
	if err := s.fromUs(cb); err != nil {
		return err
	}
	u := coach.UserID(cb.User.ID)
	if act.Value != string(u) {
		s.log.Warn().Str("user_id", string(u)).Msg("forget confirmation clicked by someone else")
		return coach.Errorf(coach.EFORBIDDEN, "data.forget.not_yours")
	}
	lang := s.lang(ctx, u) // before the erasure takes the preference with it
	if err := s.portal.Forget(ctx, u); err != nil {
		return err
	}
	s.log.Info().Str("user_id", string(u)).Msg("user data erased")
	s.respond(ctx, cb, slackio.Reply{Text: lang.T("data.forget.done"), ReplaceOriginal: true})
	s.refreshAfter(ctx, u)
	return nil
}

func (s *Surfaces) onForgetCancel(ctx context.Context, cb slack.InteractionCallback, _ slack.BlockAction) error {
	u := coach.UserID(cb.User.ID)
	s.respond(ctx, cb, slackio.Reply{Text: s.lang(ctx, u).T("data.forget.cancelled"), ReplaceOriginal: true})
	return nil
}

// respond answers an interaction through its response_url, when it has one.
func (s *Surfaces) respond(ctx context.Context, cb slack.InteractionCallback, r slackio.Reply) {
	url := cb.ResponseURL
	if url == "" && len(cb.ResponseURLs) > 0 {
		url = cb.ResponseURLs[0].ResponseURL
	}
	if url == "" {
		return
	}
	msg := &slack.WebhookMessage{Text: r.Text, ReplaceOriginal: r.ReplaceOriginal, ResponseType: slack.ResponseTypeEphemeral}
	if len(r.Blocks) > 0 {
		msg.Blocks = &slack.Blocks{BlockSet: r.Blocks}
	}
	if err := slack.PostWebhookCustomHTTPContext(ctx, url, s.hc, msg); err != nil {
		s.log.Warn().Err(err).Str("user_id", cb.User.ID).Msg("reply failed")
	}
}

// language answers /coach language nl|en.
func (s *Surfaces) language(ctx context.Context, u coach.UserID, args []string) (slackio.Reply, error) {
	l, err := coach.ParseLanguage(args)
	if err != nil {
		return slackio.Reply{}, err
	}
	if err := s.portal.SetLanguage(ctx, u, l); err != nil {
		return slackio.Reply{}, err
	}
	s.refreshAfter(ctx, u)
	return slackio.Reply{Text: l.T("lang.set")}, nil
}

// pause answers /coach pause 2w and /coach pause until 2026-12-24.
func (s *Surfaces) pause(ctx context.Context, u coach.UserID, args []string) (slackio.Reply, error) {
	p, err := s.portal.Pause(ctx, u, args)
	if err != nil {
		return slackio.Reply{}, err
	}
	s.refreshAfter(ctx, u)
	lang := s.lang(ctx, u)
	return slackio.Reply{Text: lang.T("leave.paused", lang.Date(p.Until.In(s.portal.Location(ctx, u))))}, nil
}

// resume answers /coach resume.
func (s *Surfaces) resume(ctx context.Context, u coach.UserID, args []string) (slackio.Reply, error) {
	if len(args) > 0 {
		return slackio.Reply{}, coach.Errorf(coach.EINVALID, "leave.err.resume_usage")
	}
	if err := s.portal.Resume(ctx, u); err != nil {
		return slackio.Reply{}, err
	}
	s.refreshAfter(ctx, u)
	return slackio.Reply{Text: s.lang(ctx, u).T("leave.resumed")}, nil
}

func exportName(u coach.UserID) string {
	return fmt.Sprintf("leancoach-%s.json", u)
}
