package schedule

import (
	"strconv"
	"time"
)

const (
	// maxSkew is how far the bot's clock may be off Slack's before it warns.
	maxSkew = time.Minute
	// skewWarnEvery spaces the warnings while the clock stays off.
	skewWarnEvery = time.Hour
)

// noteSkew compares the loop's clock (now) with Slack's, read off the ts
// Slack just gave a new message, and warns, at most once per skewWarnEvery,
// when they are more than maxSkew apart: prompts then go at the wrong wall
// time, and with the bot's clock over findSlack fast an unclear post would be
// posted again. The post's round trip is far below maxSkew.
func (l *Loop) noteSkew(now time.Time, ts string) {
	secs, err := strconv.ParseFloat(ts, 64)
	if err != nil || secs <= 0 {
		return
	}
	skew := now.Sub(time.Unix(0, int64(secs*float64(time.Second)))).Round(time.Second)
	if skew.Abs() <= maxSkew {
		return
	}
	l.mu.Lock()
	warn := l.skewWarned.IsZero() || now.Sub(l.skewWarned).Abs() >= skewWarnEvery
	if warn {
		l.skewWarned = now
	}
	l.mu.Unlock()
	if warn {
		l.log.Warn().Str("skew", skew.String()).Msg("the bot's clock is off Slack's (ahead when positive); check its time sync")
	}
}
