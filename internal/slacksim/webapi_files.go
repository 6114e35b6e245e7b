package slacksim

import (
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
)

func (s *Server) filesGetUploadURL(r *apiReq) obj {
	name, length := r.str("filename"), r.num("length", 0)
	if name == "" || length <= 0 {
		return fail("invalid_arguments")
	}
	f := &File{ID: s.st.newID("F"), Name: name, Title: name, AltText: r.str("alt_txt"), Length: length}
	s.st.files[f.ID] = f
	return obj{"ok": true, "upload_url": s.base + "/upload/" + f.ID, "file_id": f.ID}
}

// handleUpload accepts the bytes for a file id: multipart (slack-go sends field
// "file") or a raw body.
func (s *Server) handleUpload(w http.ResponseWriter, hr *http.Request) {
	id := strings.TrimPrefix(hr.URL.Path, "/upload/")
	if tok := strings.TrimPrefix(hr.Header.Get("Authorization"), "Bearer "); tok != "" && tok != s.opts.BotToken {
		http.Error(w, "invalid_auth", http.StatusUnauthorized)
		return
	}
	data, err := readUpload(hr)
	if err != nil {
		http.Error(w, "bad upload: "+err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	f, ok := s.st.files[id]
	if ok {
		f.Data, f.Uploaded = data, true
	}
	s.mu.Unlock()
	if !ok {
		http.Error(w, "file not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = io.WriteString(w, "OK - "+itoa(len(data)))
}

func readUpload(hr *http.Request) ([]byte, error) {
	ct, params, _ := mime.ParseMediaType(hr.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		return io.ReadAll(io.LimitReader(hr.Body, 64<<20))
	}
	mr := multipart.NewReader(hr.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			return nil, err
		}
		if p.FormName() == "file" {
			return io.ReadAll(io.LimitReader(p, 64<<20))
		}
	}
}

func (s *Server) filesCompleteUpload(r *apiReq) obj {
	var list []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if json.Unmarshal(r.raw("files"), &list) != nil || len(list) == 0 {
		return fail("invalid_arguments")
	}
	var chans []*Channel
	for _, id := range append([]string{r.str("channel_id")}, strings.Split(r.str("channels"), ",")...) {
		if id == "" {
			continue
		}
		c, code := s.st.resolveChannel(id)
		if code != "" {
			return fail(code)
		}
		if code := s.st.botCanPost(c); code != "" {
			return fail(code)
		}
		chans = append(chans, c)
	}
	var out []obj
	var ids []string
	for _, it := range list {
		f, ok := s.st.files[it.ID]
		if !ok || !f.Uploaded {
			return fail("file_not_found")
		}
		if it.Title != "" {
			f.Title = it.Title
		}
		ids = append(ids, f.ID)
		out = append(out, obj{"id": f.ID, "title": f.Title})
	}
	for _, c := range chans {
		m := &Message{Channel: c.ID, User: s.opts.BotUserID, BotID: s.opts.BotID, Text: r.str("initial_comment"),
			Files: ids, ThreadTS: r.str("thread_ts"), Source: "files"}
		s.st.addMsg(m)
		for _, id := range ids {
			f := s.st.files[id]
			f.Shared = true
			f.Channels = append(f.Channels, c.ID)
			s.st.emit(Event{Kind: EventFileShared, Channel: c.ID, TS: m.TS, Detail: id})
		}
	}
	return obj{"ok": true, "files": out}
}
