package slacksim

import (
	"context"
	"fmt"
)

// Say posts text as the person in their DM with the bot and delivers the message.im
// event; it waits for the ack.
func (a *Actor) Say(ctx context.Context, text string) (*Result, error) {
	return a.SayIn(ctx, "", text)
}

// SayIn posts text as the person in channel ("" = their DM with the bot). The bot
// gets a message event only if it is in the channel and subscribed to the
// channel type's message event (Options.BotEvents); otherwise the Result has no
// envelope and SayIn does not wait.
func (a *Actor) SayIn(ctx context.Context, channel, text string) (*Result, error) {
	a.s.mu.Lock()
	if _, err := a.userObj(); err != nil {
		a.s.mu.Unlock()
		return nil, err
	}
	chID, _, err := a.channelRef(channel)
	if err != nil {
		a.s.mu.Unlock()
		return nil, err
	}
	m := &Message{Channel: chID, User: a.user, Text: text, Source: "user", ClientMsgID: newUUID()}
	a.s.st.addMsg(m)
	if c := a.s.st.channels[chID]; a.s.st.botCanPost(c) != "" || !a.s.subscribed(messageSubscription(c)) {
		// Slack sends message events only for conversations the bot is in,
		// of the types it subscribed to.
		r := &Result{s: a.s, user: a.user, since: a.s.st.seq, cursors: map[string]int64{}, Channel: chID, TS: m.TS}
		a.s.mu.Unlock()
		return r, nil
	}
	r := a.send("events_api", a.s.eventCallback(a.s.messageEvent(m)))
	r.Channel, r.TS = chID, m.TS
	a.s.mu.Unlock()
	return r, r.wait(ctx)
}

// Edit changes the text of the person's own message at ts in channel ("" = their DM
// with the bot), as editing it in a Slack client does. The bot gets a message event
// of subtype message_changed (hidden, with the message as it is now and as it was)
// under the rules of SayIn; Edit waits for its ack when there is one.
func (a *Actor) Edit(ctx context.Context, channel, ts, text string) (*Result, error) {
	a.s.mu.Lock()
	chID, _, err := a.channelRef(channel)
	if err != nil {
		a.s.mu.Unlock()
		return nil, err
	}
	m := a.s.st.findMsg(chID, ts)
	if m == nil || m.Ephemeral || m.User != a.user || m.BotID != "" {
		a.s.mu.Unlock()
		return nil, fmt.Errorf("slacksim edit: no message %s/%s of %s: %w", chID, ts, a.user, ErrNotFound)
	}
	before := a.s.messageEvent(m)
	a.s.st.updateMsg(m, text, nil, nil, nil, "user")
	r := &Result{s: a.s, user: a.user, since: a.s.st.seq, cursors: map[string]int64{}, Channel: chID, TS: ts}
	c := a.s.st.channels[chID]
	if a.s.st.botCanPost(c) != "" || !a.s.subscribed(messageSubscription(c)) {
		a.s.mu.Unlock()
		return r, nil
	}
	editTS := a.s.st.nextTS()
	now := a.s.messageEvent(m)
	now["edited"] = obj{"user": a.user, "ts": editTS}
	for _, e := range []obj{before, now} {
		delete(e, "channel")
		delete(e, "channel_type")
		delete(e, "event_ts")
		delete(e, "team")
	}
	ev := obj{"type": "message", "subtype": "message_changed", "hidden": true, "channel": chID,
		"channel_type": channelType(c), "ts": editTS, "event_ts": editTS, "message": now, "previous_message": before}
	sent := a.send("events_api", a.s.eventCallback(ev))
	r.EnvelopeID = sent.EnvelopeID
	a.s.mu.Unlock()
	return r, r.wait(ctx)
}
