package sandbox

import (
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/leancoach/leancoach/internal/slacksim"
)

// files renders the files shared with a message (files.completeUploadExternal,
// e.g. /coach export) as cards that download the file, as Slack's client
// shows them under the message.
func (r *Renderer) files(sim *slacksim.Server, as string, ids []string) string {
	var b strings.Builder
	for _, id := range ids {
		f, ok := sim.File(id)
		if !ok || !f.Uploaded {
			continue
		}
		title := f.Title
		if title == "" {
			title = f.Name
		}
		href := "/api/file?" + url.Values{"as": {as}, "id": {f.ID}}.Encode()
		fmt.Fprintf(&b, `<a class="file" href="%s" download="%s" data-file="%s">`, attr(href), attr(f.Name), attr(f.ID))
		b.WriteString(`<span class="file-icon" aria-hidden="true">📄</span><span class="file-body">`)
		fmt.Fprintf(&b, `<span class="file-title">%s</span>`, attr(title))
		fmt.Fprintf(&b, `<span class="file-meta">%s · %s</span>`, attr(f.Name), attr(r.size(len(f.Data))))
		b.WriteString(`</span></a>`)
	}
	return b.String()
}

// size says how big a file is: "512 bytes", "3 KB".
func (r *Renderer) size(n int) string {
	if n < 1024 {
		return r.Labels.Lang.Plural("sandbox.bytes", n)
	}
	return r.Labels.T("kilobytes", (n+1023)/1024)
}

// handleFile serves a shared file's bytes to a person who can see a channel
// it was shared in (GET /api/file?as=U…&id=F…). Anything else is "no such
// file", so the answer does not tell which files exist.
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	as, id := r.URL.Query().Get("as"), r.URL.Query().Get("id")
	ws := s.workspace()
	u, ok := ws.byID[as]
	f, found := s.sim.File(id)
	if !ok || !s.selectable(u) || !found || !f.Uploaded || !s.canSee(as, f.Channels, ws) {
		errorJSON(w, http.StatusNotFound, "no such file")
		return
	}
	ct := mime.TypeByExtension(path.Ext(f.Name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Length", strconv.Itoa(len(f.Data)))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(f.Data)
}

// canSee tells whether `as` sees one of channels: their DM with the bot, or
// a channel they are a member of.
func (s *Server) canSee(as string, channels []string, ws workspace) bool {
	dm := s.sim.DMChannel(as)
	for _, id := range channels {
		if id == dm {
			return true
		}
		for _, c := range ws.channels {
			if c.ID == id && !c.IsIM && slices.Contains(c.Members, as) {
				return true
			}
		}
	}
	return false
}
