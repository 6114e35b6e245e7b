package slacksim

import (
	"strings"
	"time"
)

// tzLabels gives Slack's long zone labels for common abbreviations; others fall back
// to the abbreviation Go reports.
var tzLabels = map[string]string{
	"CET": "Central European Time", "CEST": "Central European Summer Time",
	"WET": "Western European Time", "WEST": "Western European Summer Time",
	"EET": "Eastern European Time", "EEST": "Eastern European Summer Time",
	"GMT": "Greenwich Mean Time", "BST": "British Summer Time", "UTC": "Coordinated Universal Time",
	"PST": "Pacific Standard Time", "PDT": "Pacific Daylight Time",
	"MST": "Mountain Standard Time", "MDT": "Mountain Daylight Time",
	"CST": "Central Standard Time", "CDT": "Central Daylight Time",
	"EST": "Eastern Standard Time", "EDT": "Eastern Daylight Time",
	"IST": "India Standard Time", "JST": "Japan Standard Time",
	"AEST": "Australian Eastern Standard Time", "AEDT": "Australian Eastern Daylight Time",
}

// zoneInfo computes tz_label and tz_offset (seconds east of UTC, DST included) at now.
func zoneInfo(tz string, now time.Time) (string, int) {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return tz, 0
	}
	abbr, off := now.In(loc).Zone()
	if l, ok := tzLabels[abbr]; ok {
		return l, off
	}
	return abbr, off
}

func (s *Server) userJSON(u *User, withLocale bool) obj {
	label, off := zoneInfo(u.TZ, time.Now())
	first, last, _ := strings.Cut(u.RealName, " ")
	o := obj{"id": u.ID, "team_id": u.TeamID, "name": u.Name, "deleted": u.Deleted, "color": "9f69e7",
		"real_name": u.RealName, "tz": u.TZ, "tz_label": label, "tz_offset": off,
		"profile": obj{"real_name": u.RealName, "display_name": u.Name, "real_name_normalized": u.RealName,
			"display_name_normalized": u.Name, "first_name": first, "last_name": last, "email": u.Email,
			"team": u.TeamID, "avatar_hash": "g000000000", "status_text": "", "status_emoji": "",
			"image_48": "https://secure.gravatar.com/avatar/0.jpg", "image_72": "https://secure.gravatar.com/avatar/0.jpg"},
		"is_admin": u.IsAdmin, "is_owner": u.IsOwner, "is_primary_owner": u.IsPrimaryOwner,
		"is_restricted": u.IsRestricted, "is_ultra_restricted": u.IsUltraRestricted, "is_bot": u.IsBot,
		"is_app_user": false, "updated": time.Now().Unix(), "has_2fa": false}
	if withLocale {
		o["locale"] = u.Locale
	}
	return o
}

func (s *Server) usersInfo(r *apiReq) obj {
	id := r.str("user")
	if id == s.opts.BotUserID {
		b := &User{ID: id, TeamID: s.opts.TeamID, Name: s.opts.BotName, RealName: s.opts.BotName, TZ: "UTC",
			Locale: "en-US", IsBot: true}
		return obj{"ok": true, "user": s.userJSON(b, r.flag("include_locale"))}
	}
	u, ok := s.st.users[id]
	if !ok {
		return fail("user_not_found")
	}
	return obj{"ok": true, "user": s.userJSON(u, r.flag("include_locale"))}
}

func (s *Server) usersList(r *apiReq) obj {
	page, next, bad := paginate(len(s.st.userOrder), r.str("cursor"), r.num("limit", 0))
	if bad != nil {
		return bad
	}
	members := make([]obj, 0, page[1]-page[0])
	for _, id := range s.st.userOrder[page[0]:page[1]] {
		members = append(members, s.userJSON(s.st.users[id], r.flag("include_locale")))
	}
	return obj{"ok": true, "members": members, "cache_ts": time.Now().Unix(),
		"response_metadata": obj{"next_cursor": next}}
}

func (s *Server) usersLookupByEmail(r *apiReq) obj {
	email := strings.ToLower(r.str("email"))
	for _, id := range s.st.userOrder {
		if u := s.st.users[id]; email != "" && strings.ToLower(u.Email) == email {
			return obj{"ok": true, "user": s.userJSON(u, false)}
		}
	}
	return fail("users_not_found")
}
