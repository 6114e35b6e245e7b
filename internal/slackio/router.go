package slackio

import (
	"context"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// CommandHandler answers a slash command. The core has already acked the
// envelope; the Reply goes to the command's response_url (ephemeral unless
// InChannel). An error is answered with its user-safe message in the user's
// language and its internals are logged.
type CommandHandler func(ctx context.Context, cmd slack.SlashCommand) (Reply, error)

// ActionHandler handles one clicked element of a block_actions payload.
type ActionHandler func(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error

// A Followup is the Slack side of a recording route: what shows the user
// what was recorded (the prompt updated, a form opened, a refusal told).
// It runs after the recording, on the App's reply workers, which a stop
// bounds and cancels once every recording is done.
type Followup func(ctx context.Context) error

// RecordHandler records what one clicked element asks for, touching only
// the store (never Slack, so Slack's limits never hold it up), and returns
// what shows it (nil: nothing to show). It runs on the App's recording
// workers, which a stop always lets finish. An error is logged and, unless
// a Followup comes with it (which then tells it), told to the user like
// any handler's, from the reply workers.
type RecordHandler func(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) (Followup, error)

// ViewHandler handles a modal submission in two steps.
type ViewHandler struct {
	// Validate runs before the ack, on the Socket Mode reader: it must be pure
	// and fast. A non-empty result (block_id -> message) goes back in the ack
	// as response_action "errors", the modal stays open and Handle is not called.
	Validate func(cb slack.InteractionCallback) map[string]string
	// Handle runs on a worker after the ack closed the modal.
	Handle func(ctx context.Context, cb slack.InteractionCallback) error
	// Record, set instead of Handle, records the submission in two phases
	// as a RecordHandler does.
	Record func(ctx context.Context, cb slack.InteractionCallback) (Followup, error)
}

// CommandGuard runs before every handler of a slash command; an error is
// the answer and the handler does not run.
type CommandGuard func(ctx context.Context, cmd slack.SlashCommand) error

// EventHandler handles one Events API event, by inner event type.
type EventHandler func(ctx context.Context, ev slackevents.EventsAPIEvent) error

// Router maps what Slack sends to handlers: slash commands by name, actions by
// action_id (exact, then the longest prefix), views by callback_id and events
// by inner type. Register every route before App.Run; it is read-only after.
type Router struct {
	commands     map[string]CommandHandler
	subcommands  map[string]map[string]CommandHandler
	guards       map[string]CommandGuard
	actions      map[string]ActionHandler
	records      map[string]RecordHandler
	actionPrefix map[string]ActionHandler
	views        map[string]ViewHandler
	events       map[string]EventHandler
	viewClosed   map[string]func(ctx context.Context, cb slack.InteractionCallback) error
}

// NewRouter returns an empty routing table.
func NewRouter() *Router {
	return &Router{
		commands:     map[string]CommandHandler{},
		subcommands:  map[string]map[string]CommandHandler{},
		guards:       map[string]CommandGuard{},
		actions:      map[string]ActionHandler{},
		records:      map[string]RecordHandler{},
		actionPrefix: map[string]ActionHandler{},
		views:        map[string]ViewHandler{},
		events:       map[string]EventHandler{},
		viewClosed:   map[string]func(context.Context, slack.InteractionCallback) error{},
	}
}

// Command routes the slash command name (e.g. "/coach"). When sub-commands
// are registered for the same name, h handles only the texts whose first word
// has no sub-command of its own.
func (r *Router) Command(name string, h CommandHandler) { r.commands[name] = h }

// Subcommand routes "/name word …" by its first word (case-insensitive); word
// "" routes the bare command. It takes precedence over Command(name).
func (r *Router) Subcommand(name, word string, h CommandHandler) {
	if r.subcommands[name] == nil {
		r.subcommands[name] = map[string]CommandHandler{}
	}
	r.subcommands[name][strings.ToLower(word)] = h
}

// Guard runs g before every handler of the slash command name, whatever
// its sub-command: checks that hold for the whole command, such as who may
// run which sub-command, live in one place.
func (r *Router) Guard(name string, g CommandGuard) { r.guards[name] = g }

func (r *Router) command(name, text string) (CommandHandler, bool) {
	word, _, _ := strings.Cut(strings.TrimSpace(text), " ")
	h, ok := r.subcommands[name][strings.ToLower(word)]
	if !ok {
		h, ok = r.commands[name]
	}
	g := r.guards[name]
	if !ok || g == nil {
		return h, ok
	}
	return func(ctx context.Context, cmd slack.SlashCommand) (Reply, error) {
		if err := g(ctx, cmd); err != nil {
			return Reply{}, err
		}
		return h(ctx, cmd)
	}, true
}

// Action routes an exact action_id.
func (r *Router) Action(actionID string, h ActionHandler) { r.actions[actionID] = h }

// Record routes an exact action_id to a recording handler: one that records
// what the user did before anything is said in Slack (see RecordHandler).
func (r *Router) Record(actionID string, h RecordHandler) { r.records[actionID] = h }

// ActionPrefix routes every action_id that starts with prefix.
func (r *Router) ActionPrefix(prefix string, h ActionHandler) { r.actionPrefix[prefix] = h }

// View routes view submissions by callback_id.
func (r *Router) View(callbackID string, h ViewHandler) { r.views[callbackID] = h }

// ViewClosed routes view_closed payloads by callback_id.
func (r *Router) ViewClosed(callbackID string, h func(ctx context.Context, cb slack.InteractionCallback) error) {
	r.viewClosed[callbackID] = h
}

// Event routes Events API events by inner event type (e.g. "app_home_opened").
func (r *Router) Event(eventType string, h EventHandler) { r.events[eventType] = h }

func (r *Router) action(id string) (ActionHandler, bool) {
	if h, ok := r.actions[id]; ok {
		return h, true
	}
	best := ""
	for p := range r.actionPrefix {
		if strings.HasPrefix(id, p) && len(p) > len(best) {
			best = p
		}
	}
	if best == "" {
		return nil, false
	}
	return r.actionPrefix[best], true
}
