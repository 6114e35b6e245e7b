package slackio

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// handle routes one Socket Mode event. It runs on the reader goroutine, so it
// only acks, validates in memory and enqueues: never a network call other than
// the ack, never a database write.
func (a *lane) handle(ctx context.Context, ev socketmode.Event, q queues) {
	now := a.cfg.Now()
	switch ev.Type {
	case socketmode.EventTypeConnecting:
		if a.everUp.Load() {
			cause, _ := a.lastErr.Load().(string)
			if a.dropped != "" {
				cause = a.dropped
			}
			if cause == "" {
				cause = "unknown"
			}
			a.metrics.Reconnect(cause)
			a.log.Info().Str("cause", cause).Msg("reconnecting")
		}
		// slack-go has left its socket (a disconnect message reaches only
		// slack-go): this lane is down until its next hello.
		a.dropped = ""
		a.upSince.Store(0)
		a.stopStagger()
		a.setConnected(false, "")
	case socketmode.EventTypeConnected, socketmode.EventTypeHello:
		a.everUp.Store(true)
		a.setConnected(true, "")
		if ev.Type == socketmode.EventTypeHello {
			a.noteHello(ev, now)
		}
	case socketmode.EventTypeConnectionError:
		a.setConnected(false, "connection_error")
		a.log.Warn().Msg("connection error")
	case socketmode.EventTypeIncomingError:
		if unreadableFrame(ev) {
			// slack-go keeps the socket after a frame that is not JSON
			// (it reconnects itself after ten in a row): still connected.
			a.metrics.Envelope("bad_frame")
			a.log.Warn().Msg("unreadable frame ignored")
			return
		}
		// Only the cause: slack-go now reconnects, and its connecting
		// event marks the lane down. This event may come from the old
		// socket's reader after the new socket's hello, so it must not.
		a.lastErr.Store("incoming_error")
		a.log.Warn().Msg("socket read failed")
	case socketmode.EventTypeErrorWriteFailed:
		a.log.Warn().Msg("socket write failed; that ack is lost")
		// gorilla fails every later write on this socket too, while reads
		// (and pings) may go on: get a new one. A socket slack-go closed
		// itself is being replaced already.
		if wf, ok := ev.Data.(*socketmode.ErrorWriteFailed); !ok || wf == nil || !errors.Is(wf.Cause, net.ErrClosed) {
			a.reconnect("write_failed")
		}
	case socketmode.EventTypeInvalidAuth:
		a.setConnected(false, "invalid_auth")
	case socketmode.EventTypeErrorBadMessage:
		a.metrics.Envelope("bad_message")
		bm, _ := ev.Data.(*socketmode.ErrorBadMessage)
		if bm == nil {
			return
		}
		// Log size and cause only: the raw body may hold users' text.
		id := envelopeIDOf(bm.Message)
		a.log.Warn().Str("envelope_id", id).Int("bytes", len(bm.Message)).Str("cause", bm.Cause.Error()).Msg("unreadable envelope")
		if id != "" {
			a.ack(id, nil, now)
		}
	case socketmode.EventTypeSlashCommand:
		a.metrics.Envelope("slash_commands")
		a.onCommand(ev, q, now)
	case socketmode.EventTypeInteractive:
		a.metrics.Envelope("interactive")
		a.onInteractive(ev, q, now)
	case socketmode.EventTypeEventsAPI:
		a.metrics.Envelope("events_api")
		a.onEvent(ev, q, now)
	}
}

func (a *lane) onCommand(ev socketmode.Event, q queues, now time.Time) {
	cmd, ok := ev.Data.(slack.SlashCommand)
	if ev.Request == nil || !ok {
		return
	}
	id := ev.Request.EnvelopeID
	if a.seen.seen("env:"+id) || (cmd.TriggerID != "" && a.seen.seen("trigger:"+cmd.TriggerID)) {
		a.ack(id, nil, now)
		a.log.Info().Str("envelope_id", id).Msg("duplicate slash command ignored")
		return
	}
	h, ok := a.cfg.Router.command(cmd.Command, cmd.Text)
	if !ok {
		a.ack(id, nil, now)
		a.log.Warn().Str("command", cmd.Command).Msg("no route for command")
		return
	}
	user := cmd.UserID
	reply := func(ctx context.Context, text string) {
		if err := a.Respond(ctx, cmd.ResponseURL, Reply{Text: text}); err != nil {
			a.log.Warn().Err(err).Str("user_id", cmd.UserID).Msg("reply failed")
		}
	}
	j := job{name: cmd.Command, user: user, reply: reply, run: func(ctx context.Context) error {
		r, err := h(ctx, cmd)
		if err != nil {
			return err
		}
		if r.Text == "" && len(r.Blocks) == 0 {
			return nil
		}
		return a.Respond(ctx, cmd.ResponseURL, r)
	}}
	if !a.enqueue(q, j) {
		// Overloaded: answer in the ack itself so the user knows to retry.
		a.ack(id, map[string]string{"text": a.cfg.Voice.Busy(context.Background(), user)}, now)
		return
	}
	a.ack(id, nil, now)
}

func (a *lane) onInteractive(ev socketmode.Event, q queues, now time.Time) {
	cb, ok := ev.Data.(slack.InteractionCallback)
	if ev.Request == nil || !ok {
		return
	}
	id := ev.Request.EnvelopeID
	if a.seen.seen("env:"+id) || (cb.TriggerID != "" && a.seen.seen("trigger:"+string(cb.Type)+cb.TriggerID)) {
		a.ack(id, nil, now)
		a.log.Info().Str("envelope_id", id).Msg("duplicate interaction ignored")
		return
	}
	user := cb.User.ID
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		a.onActions(id, cb, q, now)
	case slack.InteractionTypeViewSubmission:
		h, ok := a.cfg.Router.views[cb.View.CallbackID]
		if !ok {
			a.ack(id, nil, now)
			a.log.Warn().Str("callback_id", cb.View.CallbackID).Msg("no route for view")
			return
		}
		if h.Validate != nil {
			if errs := h.Validate(cb); len(errs) > 0 {
				a.ackErrors(id, errs, now)
				return
			}
		}
		j := job{name: cb.View.CallbackID, user: user, reply: a.interactionReply(cb)}
		switch {
		case h.Record != nil:
			j.record = func(ctx context.Context) (Followup, error) { return h.Record(ctx, cb) }
		case h.Handle != nil:
			j.run = func(ctx context.Context) error { return h.Handle(ctx, cb) }
		default:
			a.ack(id, nil, now)
			return
		}
		if !a.enqueue(q, j) {
			a.ackErrors(id, map[string]string{
				firstInputBlock(cb.View): a.cfg.Voice.Busy(context.Background(), user)}, now)
			return
		}
		a.ack(id, nil, now)
	case slack.InteractionTypeViewClosed:
		a.ack(id, nil, now)
		if h, ok := a.cfg.Router.viewClosed[cb.View.CallbackID]; ok {
			a.enqueue(q, job{name: cb.View.CallbackID + ":closed", user: user,
				run: func(ctx context.Context) error { return h(ctx, cb) }})
		}
	default:
		a.ack(id, nil, now)
	}
}

func (a *lane) onEvent(ev socketmode.Event, q queues, now time.Time) {
	e, ok := ev.Data.(slackevents.EventsAPIEvent)
	if ev.Request == nil || !ok {
		return
	}
	id := ev.Request.EnvelopeID
	a.ack(id, nil, now)
	// A redelivered event has a new envelope_id but the same event_id.
	if a.seen.seen("env:"+id) || (eventID(e) != "" && a.seen.seen("event:"+eventID(e))) {
		a.log.Info().Str("envelope_id", id).Int("retry_attempt", ev.Request.RetryAttempt).Msg("duplicate event ignored")
		return
	}
	h, ok := a.cfg.Router.events[e.InnerEvent.Type]
	if !ok {
		return
	}
	user := eventUser(e)
	a.enqueue(q, job{name: e.InnerEvent.Type, user: user,
		run: func(ctx context.Context) error { return h(ctx, e) }})
}

// onActions routes a block_actions payload's clicked elements. A recording
// route's click is acked only once its recording is queued: the recording
// workers take every click they are handed, so an acked click is recorded
// even if the bot stops (App.Run); a click they cannot take is left unacked,
// and Slack tells the user it did not go through.
func (a *lane) onActions(id string, cb slack.InteractionCallback, q queues, now time.Time) {
	user := cb.User.ID
	taken := true
	for _, act := range cb.ActionCallback.BlockActions {
		act := *act
		j := job{name: act.ActionID, user: user, reply: a.interactionReply(cb)}
		if r, ok := a.cfg.Router.records[act.ActionID]; ok {
			j.record = func(ctx context.Context) (Followup, error) { return r(ctx, cb, act) }
		} else if h, ok := a.cfg.Router.action(act.ActionID); ok {
			j.run = func(ctx context.Context) error { return h(ctx, cb, act) }
		} else {
			a.log.Warn().Str("action_id", act.ActionID).Msg("no route for action")
			continue
		}
		if !a.enqueue(q, j) && j.record != nil {
			taken = false
		}
	}
	if !taken {
		a.log.Error().Str("envelope_id", id).Msg("click not taken (recording queue full); not acked, so Slack tells the user")
		return
	}
	a.ack(id, nil, now)
}

// interactionReply answers an interaction's user: through the response_url
// when the payload has one, otherwise not at all (App Home and modals have
// none; their handlers update the view themselves).
func (a *lane) interactionReply(cb slack.InteractionCallback) func(ctx context.Context, text string) {
	url := cb.ResponseURL
	if url == "" && len(cb.ResponseURLs) > 0 {
		url = cb.ResponseURLs[0].ResponseURL
	}
	if url == "" {
		return nil
	}
	return func(ctx context.Context, text string) {
		if err := a.Respond(ctx, url, Reply{Text: text}); err != nil {
			a.log.Warn().Err(err).Str("user_id", cb.User.ID).Msg("reply failed")
		}
	}
}

// ackErrors acks a view submission with field errors, kept under Slack's ack
// limit by errorsAck. Should not even one error fit, the bare ack closes the
// modal: worse than errors, better than no ack (Slack's "trouble connecting").
func (a *lane) ackErrors(envelopeID string, errs map[string]string, now time.Time) {
	if r := errorsAck(envelopeID, errs); r != nil {
		a.ack(envelopeID, r, now)
		return
	}
	a.metrics.Envelope("oversize_ack")
	a.log.Error().Str("envelope_id", envelopeID).Int("errors", len(errs)).Msg("view errors too large for an ack; acking bare")
	a.ack(envelopeID, nil, now)
}

// maxErrorRunes caps one field error in a response_action "errors" ack.
const maxErrorRunes = 300

// errorsAck is the response_action "errors" payload for errs, cut to fit one
// ack frame: each message is capped at maxErrorRunes, and if they still do not
// fit, only the first errors by block_id that do are kept (one is enough to
// keep the modal open). If not even one fits, it returns nil: ack() then acks
// bare rather than not at all.
func errorsAck(envelopeID string, errs map[string]string) *slack.ViewSubmissionResponse {
	if r := slack.NewErrorsViewSubmissionResponse(errs); ackFits(envelopeID, r) {
		return r
	}
	keys := slices.Sorted(maps.Keys(errs))
	capped := make(map[string]string, len(errs))
	for _, k := range keys {
		msg := errs[k]
		if utf8.RuneCountInString(msg) > maxErrorRunes {
			msg = string([]rune(msg)[:maxErrorRunes-1]) + "…"
		}
		capped[k] = msg
		if !ackFits(envelopeID, slack.NewErrorsViewSubmissionResponse(capped)) {
			delete(capped, k)
			break
		}
	}
	if len(capped) == 0 {
		return nil
	}
	return slack.NewErrorsViewSubmissionResponse(capped)
}

// unreadableFrame tells a frame that was not JSON (or not an object), after
// which slack-go keeps reading the socket, from a failed read.
func unreadableFrame(ev socketmode.Event) bool {
	ie, ok := ev.Data.(*slack.IncomingEventError)
	if !ok || ie == nil {
		return false
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	return errors.As(ie.ErrorObj, &syntax) || errors.As(ie.ErrorObj, &typ)
}

func firstInputBlock(v slack.View) string {
	for _, b := range v.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok {
			return in.BlockID
		}
	}
	return ""
}

func eventID(e slackevents.EventsAPIEvent) string {
	if cb, ok := e.Data.(*slackevents.EventsAPICallbackEvent); ok {
		return cb.EventID
	}
	return ""
}

func eventUser(e slackevents.EventsAPIEvent) string {
	switch in := e.InnerEvent.Data.(type) {
	case *slackevents.AppHomeOpenedEvent:
		return in.User
	case *slackevents.MessageEvent:
		return in.User
	}
	return ""
}
