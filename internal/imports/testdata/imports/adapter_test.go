package imports

import "github.com/slack-go/slack/socketmode"

var _ = socketmode.New
