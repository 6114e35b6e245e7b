package slacksim

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Call is one Web API request as the server saw it. Args never hold tokens.
type Call struct {
	Method   string
	Args     map[string]string // form/query values; JSON bodies flattened one level (non-strings as JSON)
	Status   int               // HTTP status answered
	Error    string            // the ok:false error code, "" on success
	Time     time.Time
	Duration time.Duration
}

// obj is a JSON object answer.
type obj = map[string]any

func fail(code string) obj { return obj{"ok": false, "error": code} }

// apiReq is a parsed Web API request.
type apiReq struct {
	method string
	args   map[string]string
	token  string
}

func (r *apiReq) str(k string) string { return r.args[k] }

func (r *apiReq) flag(k string) bool {
	b, _ := strconv.ParseBool(r.args[k])
	return b
}

func (r *apiReq) num(k string, def int) int {
	n, err := strconv.Atoi(r.args[k])
	if err != nil {
		return def
	}
	return n
}

// raw returns a JSON argument: a nested object in JSON bodies, a JSON string in forms.
func (r *apiReq) raw(k string) json.RawMessage {
	v := strings.TrimSpace(r.args[k])
	if v == "" {
		return nil
	}
	return json.RawMessage(v)
}

type tokenKind int

const (
	botToken tokenKind = iota
	appToken
)

type method struct {
	token tokenKind
	h     func(s *Server, r *apiReq) obj // runs with s.mu held
}

// methods is the Web API surface; unknown names answer unknown_method like Slack.
var methods = map[string]method{
	"auth.test":                    {botToken, (*Server).authTest},
	"apps.connections.open":        {appToken, (*Server).connectionsOpen},
	"chat.postMessage":             {botToken, (*Server).chatPostMessage},
	"chat.update":                  {botToken, (*Server).chatUpdate},
	"chat.postEphemeral":           {botToken, (*Server).chatPostEphemeral},
	"chat.delete":                  {botToken, (*Server).chatDelete},
	"conversations.open":           {botToken, (*Server).conversationsOpen},
	"conversations.info":           {botToken, (*Server).conversationsInfo},
	"conversations.join":           {botToken, (*Server).conversationsJoin},
	"conversations.history":        {botToken, (*Server).conversationsHistory},
	"conversations.members":        {botToken, (*Server).conversationsMembers},
	"users.info":                   {botToken, (*Server).usersInfo},
	"users.list":                   {botToken, (*Server).usersList},
	"users.lookupByEmail":          {botToken, (*Server).usersLookupByEmail},
	"views.open":                   {botToken, (*Server).viewsOpen},
	"views.publish":                {botToken, (*Server).viewsPublish},
	"views.update":                 {botToken, (*Server).viewsUpdate},
	"views.push":                   {botToken, (*Server).viewsPush},
	"files.getUploadURLExternal":   {botToken, (*Server).filesGetUploadURL},
	"files.completeUploadExternal": {botToken, (*Server).filesCompleteUpload},
}

func (s *Server) handleAPI(w http.ResponseWriter, hr *http.Request) {
	start := time.Now()
	name := strings.TrimPrefix(hr.URL.Path, "/api/")
	r, perr := parseAPIRequest(hr)
	r.method = name
	status, body, header, recorded := s.serveAPI(hr, r, perr, start)
	for k, v := range header {
		w.Header().Set(k, v)
	}
	if body == nil {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, http.StatusText(status))
	} else {
		writeJSON(w, status, body)
	}
	if recorded {
		return
	}
	s.mu.Lock()
	s.st.recordCall(r, status, body, start)
	s.mu.Unlock()
}

// recordCall appends the call to the log and emits its event; s.mu is held.
func (st *state) recordCall(r *apiReq, status int, body obj, start time.Time) {
	code, _ := body["error"].(string)
	if body == nil {
		code = "http_" + strconv.Itoa(status)
	}
	st.calls = append(st.calls, Call{Method: r.method, Args: r.args, Status: status, Error: code,
		Time: start, Duration: time.Since(start)})
	st.emit(Event{Kind: EventAPICall, Method: r.method, Detail: code})
}

// serveAPI authenticates, applies rate limits and injected faults, then runs the
// method. A nil body means a bare HTTP status (slack-go never parses those).
// A method that ran is recorded in the call log under the same lock as its
// effect (recorded is then true), so whoever sees the effect sees the call.
func (s *Server) serveAPI(hr *http.Request, r *apiReq, perr string, start time.Time) (status int, body obj, header map[string]string, recorded bool) {
	m, ok := methods[r.method]
	if !ok {
		return http.StatusOK, fail("unknown_method"), nil, false
	}
	if code := s.checkToken(r.token, m.token); code != "" {
		return http.StatusOK, fail(code), nil, false
	}
	if perr != "" {
		return http.StatusOK, fail(perr), nil, false
	}
	f, hasFault, wait := s.admit(r)
	if wait > 0 {
		secs := strconv.Itoa(int((wait + time.Second - 1) / time.Second))
		return http.StatusTooManyRequests, fail("ratelimited"), map[string]string{"Retry-After": secs}, false
	}
	if hasFault {
		if f.Hang {
			select {
			case <-hr.Context().Done():
			case <-s.closed:
			}
			return http.StatusServiceUnavailable, nil, nil, false
		}
		if st, body, hdr, done := f.answer(); done {
			return st, body, hdr, false
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	body = m.h(s, r)
	if hasFault && f.AfterProcessing {
		s.st.recordCall(r, f.Status, nil, start)
		return f.Status, nil, nil, true
	}
	s.st.recordCall(r, http.StatusOK, body, start)
	return http.StatusOK, body, nil, true
}

// checkToken returns the Slack error for a wrong or missing token.
func (s *Server) checkToken(tok string, want tokenKind) string {
	switch {
	case tok == "":
		return "not_authed"
	case tok == s.opts.BotToken && want == botToken, tok == s.opts.AppToken && want == appToken:
		return ""
	case tok == s.opts.BotToken || tok == s.opts.AppToken:
		return "not_allowed_token_type"
	default:
		return "invalid_auth"
	}
}

// parseAPIRequest reads the token and arguments from the Authorization header, the
// query string, and a form or JSON body. The second result is a Slack error code for
// an unreadable body.
func parseAPIRequest(hr *http.Request) (*apiReq, string) {
	r := &apiReq{args: map[string]string{}}
	for k, v := range hr.URL.Query() {
		r.args[k] = v[0]
	}
	var perr string
	ct, _, _ := mime.ParseMediaType(hr.Header.Get("Content-Type"))
	body, _ := io.ReadAll(io.LimitReader(hr.Body, 8<<20))
	switch {
	case ct == "application/json" && len(strings.TrimSpace(string(body))) > 0:
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			perr = "invalid_json"
			break
		}
		for k, v := range m {
			var str string
			if json.Unmarshal(v, &str) == nil {
				r.args[k] = str
			} else {
				r.args[k] = string(v)
			}
		}
	case ct == "application/x-www-form-urlencoded" || (ct == "" && len(body) > 0):
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			perr = "invalid_form_data"
			break
		}
		for k, v := range vals {
			r.args[k] = v[0]
		}
	}
	r.token = r.args["token"]
	delete(r.args, "token")
	if h := hr.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		r.token = strings.TrimPrefix(h, "Bearer ")
	}
	return r, perr
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// Calls returns every Web API call so far, oldest first.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Call, len(s.st.calls))
	copy(out, s.st.calls)
	return out
}

// CallsTo returns the calls of one method.
func (s *Server) CallsTo(method string) []Call {
	var out []Call
	for _, c := range s.Calls() {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) authTest(r *apiReq) obj {
	return obj{"ok": true, "url": "https://" + s.opts.TeamDomain + ".slack.com/", "team": s.opts.TeamName,
		"user": s.opts.BotName, "team_id": s.opts.TeamID, "user_id": s.opts.BotUserID,
		"bot_id": s.opts.BotID, "app_id": s.opts.AppID, "is_enterprise_install": false}
}
