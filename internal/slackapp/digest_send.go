package slackapp

import (
	"context"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/slackio"
)

var _ coach.DigestSender = (*Surfaces)(nil)

// DigestEventType marks a weekly digest's message metadata; its payload's
// "ref" is "digest|<director>|<ISO week>".
const DigestEventType = "leancoach_digest"

// SendDigest posts dg in the director's DM (coach.DigestSender), once per
// week: the digest carries its week in the message metadata, and a digest
// already in the DM (after a crash, or a database restored from a backup
// older than the send) is not posted again.
//
// The weekly digests go to every director in a row, so each call is paced
// under its tier (conversations.history and .open: Tier 3; chat.postMessage:
// the Poster's pace and one a second per channel), and one Slack answers
// 429 waits its Retry-After and is made again (nothing happened on a 429).
// The DM is the one the week's prompts went to; conversations.open only
// when no prompt knows it.
func (s *Surfaces) SendDigest(ctx context.Context, dg coach.Digest) error {
	ref := "digest|" + string(dg.Director) + "|" + dg.Week
	ch := string(dg.Channel)
	if ch == "" {
		var open *slack.Channel
		err := s.paced(ctx, [][2]string{{slackio.LimitOpen}}, func() (err error) {
			open, _, _, err = s.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{string(dg.Director)}, ReturnIM: true})
			return err
		})
		if err != nil {
			return fmt.Errorf("send digest %s: conversations.open: %w", dg.Director, err)
		}
		ch = open.ID
	}
	posted, err := s.digestPosted(ctx, ch, ref, dg.From)
	if err != nil {
		return fmt.Errorf("send digest %s: %w", dg.Director, err)
	}
	if posted {
		return nil
	}
	text, blocks := DigestMessage(s.lang(ctx, dg.Director), dg)
	meta := slack.SlackMetadata{EventType: DigestEventType, EventPayload: map[string]any{"ref": ref}}
	err = s.paced(ctx, [][2]string{{slackio.LimitPost}, {slackio.LimitPerChannel, ch}}, func() error {
		_, _, err := s.api.PostMessageContext(ctx, ch, slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...),
			slack.MsgOptionMetadata(meta))
		return err
	})
	if err != nil {
		return fmt.Errorf("send digest %s: %w", dg.Director, err)
	}
	return nil
}

// bulkWaitBudget bounds how long one call of a bulk send waits out Slack's
// Retry-After in all.
const bulkWaitBudget = 2 * time.Minute

// paced makes call once the limits of keys (a limit key, and the channel
// of a per-channel one) allow it, and again after Slack's Retry-After for
// as long as Slack answers 429, within bulkWaitBudget; the method is held
// back meanwhile for every caller. It returns call's last error.
func (s *Surfaces) paced(ctx context.Context, keys [][2]string, call func() error) error {
	budget := bulkWaitBudget
	for {
		if err := s.lim.Wait(ctx, keys...); err != nil {
			return err
		}
		err := call()
		pause, limited := slackio.RetryAfter(err)
		if !limited || pause > budget {
			return err
		}
		budget -= pause
		s.lim.Block(keys[0][0], pause)
	}
}

// digestPosted looks in the DM, since the start of the digest's week, for a
// digest with ref in its metadata.
func (s *Surfaces) digestPosted(ctx context.Context, channel, ref string, since time.Time) (bool, error) {
	params := &slack.GetConversationHistoryParameters{ChannelID: channel, Limit: 200,
		Oldest: slackTS(since), Inclusive: true, IncludeAllMetadata: true}
	for range 20 {
		var resp *slack.GetConversationHistoryResponse
		err := s.paced(ctx, [][2]string{{slackio.LimitHistory}}, func() (err error) {
			resp, err = s.api.GetConversationHistoryContext(ctx, params)
			return err
		})
		if err != nil {
			return false, fmt.Errorf("conversations.history: %w", err)
		}
		for _, m := range resp.Messages {
			if m.Metadata.EventType == DigestEventType && m.Metadata.EventPayload["ref"] == ref {
				return true, nil
			}
		}
		if !resp.HasMore || resp.ResponseMetaData.NextCursor == "" {
			return false, nil
		}
		params.Cursor = resp.ResponseMetaData.NextCursor
	}
	return false, fmt.Errorf("conversations.history of %s too long", channel)
}
