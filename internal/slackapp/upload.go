package slackapp

import (
	"bytes"
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
)

// uploadToDM shares data as a file in u's DM with the bot, in Slack's three
// steps (files.getUploadURLExternal, the upload itself,
// files.completeUploadExternal). The DM is opened first: the command may have
// been typed in any channel, and the file must only ever land in the DM.
func (s *Surfaces) uploadToDM(ctx context.Context, u coach.UserID, name, title, comment string, data []byte) error {
	ch, _, _, err := s.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{string(u)}, ReturnIM: true})
	if err != nil {
		return fmt.Errorf("upload %s: conversations.open: %w", name, err)
	}
	if ch == nil || ch.ID == "" || ch.ID[0] != 'D' {
		return fmt.Errorf("upload %s: conversations.open gave no DM", name)
	}
	_, err = s.api.UploadFileContext(ctx, slack.UploadFileParameters{
		Reader:         bytes.NewReader(data),
		FileSize:       len(data),
		Filename:       name,
		Title:          title,
		InitialComment: comment,
		Channel:        ch.ID,
	})
	if err != nil {
		return fmt.Errorf("upload %s: %w", name, err)
	}
	return nil
}
