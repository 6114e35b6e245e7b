package manifest

// methodScopes maps each Slack Web API method leancoach may call to the bot scope
// it needs with the way leancoach uses it ("" = no scope). A method that needs
// different scopes for different conversation types maps to the one for ours:
// conversations.history reads the bot's DMs (im:history), conversations.info and
// conversations.join act on the public kudos channel (channels:*). Listing a
// method here grants nothing: the manifest's scopes are what the code calls.
var methodScopes = map[string]string{
	"auth.test":                    "",
	"apps.connections.open":        "connections:write", // app-level token, see AppTokenScopes
	"chat.postMessage":             "chat:write",
	"chat.update":                  "chat:write",
	"chat.postEphemeral":           "chat:write",
	"chat.delete":                  "chat:write",
	"chat.getPermalink":            "",
	"conversations.open":           "im:write",
	"conversations.info":           "channels:read",
	"conversations.join":           "channels:join",
	"conversations.history":        "im:history",
	"users.info":                   "users:read",
	"users.list":                   "users:read",
	"views.open":                   "",
	"views.publish":                "",
	"views.update":                 "",
	"views.push":                   "",
	"files.getUploadURLExternal":   "files:write",
	"files.completeUploadExternal": "files:write",
}

// ScopeFor returns the scope that method (a Slack method name such as
// "chat.postMessage") needs as leancoach uses it; "" means none. ok is false for
// a method leancoach is not known to call.
func ScopeFor(method string) (scope string, ok bool) {
	scope, ok = methodScopes[method]
	return scope, ok
}
