package slackapp

import (
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
)

// onMessage answers text a person typed in their DM with the bot (a
// message.im event), at most once a day (coach.Portal.DMHint), with what
// that person can do. Every other message event is left alone: the bot's
// own posts echoed back, edits, deletions and other subtypes, and messages
// outside a DM.
func (s *Surfaces) onMessage(ctx context.Context, ev slackevents.EventsAPIEvent) error {
	m, ok := ev.InnerEvent.Data.(*slackevents.MessageEvent)
	if !ok || m.ChannelType != "im" || m.BotID != "" || m.SubType != "" || m.User == "" ||
		!strings.HasPrefix(m.Channel, "D") {
		return nil
	}
	if ev.TeamID != "" && coach.TeamID(ev.TeamID) != s.team {
		s.log.Warn().Str("team_id", ev.TeamID).Msg("message from another team ignored")
		return nil
	}
	u, ok := coach.ParseUserID(m.User)
	if !ok {
		return nil
	}
	v, due, err := s.portal.DMHint(ctx, u)
	if err != nil || !due {
		return err
	}
	r := DMHintReply(s.lang(ctx, u), v)
	if _, _, err := s.api.PostMessageContext(ctx, m.Channel, slack.MsgOptionText(r.Text, false), slack.MsgOptionBlocks(r.Blocks...)); err != nil {
		if uerr := s.portal.UndoDMHint(ctx, u); uerr != nil {
			s.log.Warn().Err(uerr).Str("user_id", string(u)).Msg("dm answer not sent and its day not taken back")
		}
		return fmt.Errorf("dm answer %s: chat.postMessage: %w", u, err)
	}
	return nil
}

// DMHintReply is the answer to text typed in the bot's DM: that it works
// with commands and buttons, and the commands of v's roles.
func DMHintReply(lang i18n.Lang, v coach.Viewer) slackio.Reply {
	blocks := []slack.Block{mrkdwnSection(lang.T("dm.hint.intro"), false)}
	for _, sec := range commandSections(lang, v) {
		blocks = append(blocks, mrkdwnSection(sec, false))
	}
	blocks = append(blocks, mrkdwnContext(lang.T("dm.hint.footer")))
	return slackio.Reply{Text: lang.T("dm.hint.intro"), Blocks: blocks}
}
