package slacksim

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
)

func (s *Server) channelJSON(c *Channel, numMembers bool) obj {
	if c.IsIM {
		var latest any
		if ms := s.st.msgs[c.ID]; len(ms) > 0 {
			latest = s.msgJSON(ms[len(ms)-1], false)
		}
		return obj{"id": c.ID, "created": c.Created.Unix(), "is_im": true, "is_org_shared": false,
			"user": c.User, "is_user_deleted": s.st.users[c.User] != nil && s.st.users[c.User].Deleted,
			"priority": 0, "is_open": true, "last_read": "0000000000.000000", "latest": latest,
			"unread_count": 0, "unread_count_display": 0}
	}
	o := obj{"id": c.ID, "name": c.Name, "name_normalized": c.Name, "created": c.Created.Unix(),
		"is_channel": !c.IsPrivate, "is_group": false, "is_im": false, "is_mpim": false,
		"is_private": c.IsPrivate, "is_archived": false, "is_general": false, "is_shared": false,
		"is_ext_shared": false, "is_org_shared": false, "creator": "",
		"is_member": slices.Contains(c.Members, s.opts.BotUserID)}
	if numMembers {
		o["num_members"] = len(c.Members)
	}
	return o
}

func (s *Server) conversationsOpen(r *apiReq) obj {
	if id := r.str("channel"); id != "" {
		c, code := s.st.resolveChannel(id)
		if code != "" {
			return fail(code)
		}
		return obj{"ok": true, "no_op": true, "already_open": true, "channel": s.channelJSON(c, false)}
	}
	users := strings.Split(r.str("users"), ",")
	if len(users) == 0 || users[0] == "" {
		return fail("users_list_not_supplied")
	}
	if len(users) > 1 {
		return fail("invalid_arguments") // multi-person DMs are not simulated
	}
	u, ok := s.st.users[users[0]]
	switch {
	case !ok:
		return fail("user_not_found")
	case u.Deleted:
		return fail("user_disabled")
	}
	_, existed := s.st.dmByUser[u.ID]
	c := s.st.dm(u.ID)
	if !r.flag("return_im") && !existed {
		return obj{"ok": true, "channel": obj{"id": c.ID}}
	}
	o := obj{"ok": true, "channel": s.channelJSON(c, false)}
	if existed {
		o["no_op"], o["already_open"] = true, true
	}
	return o
}

func (s *Server) conversationsInfo(r *apiReq) obj {
	c, ok := s.st.channels[r.str("channel")]
	if !ok {
		return fail("channel_not_found")
	}
	o := s.channelJSON(c, r.flag("include_num_members"))
	if r.flag("include_locale") {
		o["locale"] = "en-US"
	}
	return obj{"ok": true, "channel": o}
}

func (s *Server) conversationsJoin(r *apiReq) obj {
	c, ok := s.st.channels[r.str("channel")]
	switch {
	case !ok:
		return fail("channel_not_found")
	case c.IsIM, c.IsPrivate:
		return fail("method_not_supported_for_channel_type")
	}
	o := obj{"ok": true}
	if slices.Contains(c.Members, s.opts.BotUserID) {
		o["warning"] = "already_in_channel"
		o["response_metadata"] = obj{"warnings": []string{"already_in_channel"}}
	} else {
		c.Members = append(c.Members, s.opts.BotUserID)
		s.st.emit(Event{Kind: EventChannelAdded, Channel: c.ID, User: s.opts.BotUserID, Detail: "joined"})
	}
	o["channel"] = s.channelJSON(c, false)
	return o
}

func (s *Server) conversationsHistory(r *apiReq) obj {
	c, ok := s.st.channels[r.str("channel")]
	if !ok {
		return fail("channel_not_found")
	}
	if code := s.st.botCanPost(c); code != "" {
		return fail(code)
	}
	latest, oldest, inclusive := r.str("latest"), r.str("oldest"), r.flag("inclusive")
	var list []*Message
	all := s.st.msgs[c.ID]
	for i := len(all) - 1; i >= 0; i-- { // newest first
		m := all[i]
		if m.Deleted || !tsIn(m.TS, oldest, latest, inclusive) {
			continue
		}
		list = append(list, m)
	}
	page, next, bad := paginate(len(list), r.str("cursor"), r.num("limit", 100))
	if bad != nil {
		return bad
	}
	meta := r.flag("include_all_metadata")
	out := make([]obj, 0, page[1]-page[0])
	for _, m := range list[page[0]:page[1]] {
		out = append(out, s.msgJSON(m, meta))
	}
	return obj{"ok": true, "messages": out, "has_more": next != "", "pin_count": 0,
		"response_metadata": obj{"next_cursor": next}}
}

func (s *Server) conversationsMembers(r *apiReq) obj {
	c, ok := s.st.channels[r.str("channel")]
	if !ok {
		return fail("channel_not_found")
	}
	page, next, bad := paginate(len(c.Members), r.str("cursor"), r.num("limit", 100))
	if bad != nil {
		return bad
	}
	return obj{"ok": true, "members": slices.Clone(c.Members[page[0]:page[1]]),
		"response_metadata": obj{"next_cursor": next}}
}

// tsIn applies history's oldest/latest bounds; ts strings of equal shape sort as numbers.
func tsIn(ts, oldest, latest string, inclusive bool) bool {
	cmp := func(a, b string) int {
		x, _ := strconv.ParseFloat(a, 64)
		y, _ := strconv.ParseFloat(b, 64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return strings.Compare(a, b)
	}
	if oldest != "" {
		if c := cmp(ts, oldest); c < 0 || (c == 0 && !inclusive) {
			return false
		}
	}
	if latest != "" {
		if c := cmp(ts, latest); c > 0 || (c == 0 && !inclusive) {
			return false
		}
	}
	return true
}

// paginate turns an opaque cursor and limit into the [from, to) window of n items and
// the next cursor ("" on the last page). Cursors look like Slack's base64 ones.
func paginate(n int, cursor string, limit int) ([2]int, string, obj) {
	from := 0
	if cursor != "" {
		raw, err := base64.StdEncoding.DecodeString(cursor)
		v, ok := strings.CutPrefix(string(raw), "offset:")
		if err != nil || !ok {
			return [2]int{}, "", fail("invalid_cursor")
		}
		if from, err = strconv.Atoi(v); err != nil || from < 0 || from > n {
			return [2]int{}, "", fail("invalid_cursor")
		}
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	to := min(from+limit, n)
	next := ""
	if to < n {
		next = base64.StdEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(to)))
	}
	return [2]int{from, to}, next, nil
}
