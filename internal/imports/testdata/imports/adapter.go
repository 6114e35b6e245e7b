package imports

import (
	"fmt"

	"github.com/robfig/cron/v3"
	"github.com/slack-go/slack"
)

var _ = fmt.Sprint(cron.Every, slack.New)
