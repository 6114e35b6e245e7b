package slackapp

import (
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
)

// The Lean leader's side in Block Kit (docs/product.md "The Lean leader's
// side"): the Lean leader's part of the App Home, the comment form, the
// lines a director's path card and review form show of what the Lean
// leader shared, /coach checkin's replies and the admins' counts.
//
// What a reader may see is decided before rendering: the director's
// surfaces get a coach.LeaderVoice, built from coach.SharedCheckIn, which
// holds no text marked "only for me"; the Lean leader's Home gets their own
// coach.CheckIn; admins get coach.CheckInCounts. Everything a person typed
// is escaped (userText) and shown in verbatim mrkdwn.

// The comment form's callback_id and block, and the Lean leader's Home
// buttons: "Add a comment" (value: the director's ID) and a comment's
// "Delete" (value: "<director>|<comment id>").
const (
	ViewComment         = "lc_leader_comment"
	BlockComment        = string(coach.FieldComment)
	ActionCommentAdd    = "leader.comment.add"
	ActionCommentDelete = "leader.comment.delete"
)

// Caps of what the Lean leader's part of the Home shows, so the Home
// stays within its 100 blocks (a path takes at most 3 + MaxVoiceComments).
const (
	maxLeaderPaths = 5
	// kudosTextShort caps a compliment's text on the Home.
	kudosTextShort = 400
)

// leaderHome is a Lean leader's own part of the App Home: the path with
// each director, read-only, with their comments and "Add a comment"; their
// monthly check-ins, with what the director sees marked; and the kudos they
// received. Nothing when h has no LeaderHome.
func leaderHome(lang i18n.Lang, h coach.Home) []slack.Block {
	lh := h.Leader
	if lh == nil {
		return nil
	}
	loc := h.Now.Location()
	blocks := []slack.Block{
		slack.NewHeaderBlock(ptText(lang.T("leader.home.title"))),
		mrkdwnContext(lang.T("leader.home.intro")),
	}
	for i, v := range lh.Paths {
		if i == maxLeaderPaths {
			break
		}
		blocks = append(blocks, slack.NewDividerBlock())
		blocks = append(blocks, leaderPathBlocks(lang, v, loc)...)
	}
	blocks = append(blocks, slack.NewDividerBlock(), mrkdwnSection(leaderCheckInLines(lang, lh, lh.Month), true),
		mrkdwnContext(lang.T("leader.home.checkins.legend")+"\n"+checkInsState(lang, lh.CheckInsOff)))
	blocks = append(blocks, slack.NewDividerBlock(), mrkdwnSection(leaderKudosLines(lang, lh.Kudos, loc), true))
	return blocks
}

// leaderPathBlocks is one director's path as the Lean leader reads it:
// where it stands (what the director saw at a review is not in the view:
// coach.Path.ForLeader), their last check-in, their own comments with a
// delete button each, and "Add a comment".
func leaderPathBlocks(lang i18n.Lang, v coach.PathView, loc *time.Location) []slack.Block {
	d := mentionOf(v.Director)
	lines := []string{lang.T("leader.home.path.title", d)}
	if v.Path == nil {
		lines = append(lines, lang.T("leader.home.path.none", d))
	} else {
		lines = append(lines, pathNow(lang, v), pathNext(lang, v))
		if strings.TrimSpace(v.Path.Next.DoneLooksLike) != "" {
			lines = append(lines, lang.T("path.card.done", userText(v.Path.Next.DoneLooksLike, pathTextShort)))
		}
		lines = append(lines, pathReviews(lang, v))
	}
	if c := v.Voice.Contrast; c.Any() {
		lines = append(lines, lang.T("leader.home.path.checkin", monthLabel(lang, c.Latest.Month, v.Today),
			lang.T(c.Latest.Needed.NameKey()), lang.T(c.Latest.Got.NameKey())))
	}
	blocks := []slack.Block{mrkdwnSection(strings.Join(lines, "\n"), true)}
	for _, cm := range v.Voice.Comments {
		del := slack.NewButtonBlockElement(ActionCommentDelete, string(v.Director)+"|"+cm.ID, ptText(lang.T("leader.home.button.delete")))
		del.Confirm = slack.NewConfirmationBlockObject(ptText(lang.T("leader.home.delete.title")), ptText(lang.T("leader.home.delete.text")),
			ptText(lang.T("leader.home.delete.yes")), ptText(lang.T("leader.home.delete.no")))
		del.Confirm.Style = slack.StyleDanger
		text := lang.T("leader.home.comment", lang.Date(cm.At.In(loc)), userText(cm.Text, pathTextShort))
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn(text, true), nil, slack.NewAccessory(del)))
	}
	footer := lang.T("leader.home.path.private", d)
	if more := v.Voice.AllComments - len(v.Voice.Comments); more > 0 {
		footer = lang.T("leader.home.comments.more", more) + "\n" + footer
	}
	add := slack.NewButtonBlockElement(ActionCommentAdd, string(v.Director), ptText(lang.T("leader.home.button.comment")))
	return append(blocks, slack.NewActionBlock("leader_path_"+string(v.Director), add), mrkdwnContext(footer))
}

// leaderCheckInLines are the Lean leader's latest check-ins, each with its
// note marked as seen by the director (👁) or only for them (🔒).
func leaderCheckInLines(lang i18n.Lang, lh *coach.LeaderHome, now coach.Month) string {
	lines := []string{lang.T("leader.home.checkins.title")}
	if len(lh.CheckIns) == 0 {
		lines = append(lines, lang.T("leader.home.checkins.none"))
	}
	for _, c := range lh.CheckIns {
		month := monthLabel(lang, c.Month, now.First())
		if !c.IsAnswered() {
			lines = append(lines, lang.T("leader.home.checkin.open", month, mentionOf(c.Director)))
		} else {
			lines = append(lines, lang.T("leader.home.checkin.line", month, mentionOf(c.Director),
				lang.T(c.Needed.NameKey()), lang.T(c.Got.NameKey())))
		}
		if c.Note == "" {
			continue
		}
		key := "leader.home.checkin.shared"
		if c.Private {
			key = "leader.home.checkin.private"
		}
		lines = append(lines, "        "+lang.T(key, userText(c.Note, pathTextShort)))
	}
	return strings.Join(lines, "\n")
}

// checkInsState says whether the check-ins are on, and how to change it.
func checkInsState(lang i18n.Lang, off bool) string {
	if off {
		return lang.T("leader.home.checkins.off")
	}
	return lang.T("leader.home.checkins.on")
}

// leaderKudosLines are the kudos the Lean leader received, newest first.
func leaderKudosLines(lang i18n.Lang, ks []coach.Kudos, loc *time.Location) string {
	lines := []string{lang.T("leader.home.kudos.title")}
	if len(ks) == 0 {
		lines = append(lines, lang.T("leader.home.kudos.none"))
	}
	for _, k := range ks {
		when := lang.Date(k.At.In(loc))
		if strings.TrimSpace(k.Text) == "" {
			lines = append(lines, lang.T("leader.home.kudos.removed", mentionOf(k.From), when))
			continue
		}
		lines = append(lines, lang.T("leader.home.kudos.line", mentionOf(k.From), when, userText(k.Text, kudosTextShort)))
	}
	return strings.Join(lines, "\n")
}

// monthLabel names month m for a reader on day today: "November", with
// the year when it is not today's.
func monthLabel(lang i18n.Lang, m coach.Month, today coach.Date) string {
	s := lang.Month(m.Month())
	if m.Year() != today.Year() {
		s = lang.T("path.date.year", s, m.Year())
	}
	return s
}

// voiceLines are what a director's path card and review form show of what
// the Lean leader shared (v.Voice, read from shared check-ins only): the
// latest check-in's contrast with the neutral line, the note the Lean
// leader shared, and their latest comments. None when they shared nothing.
func voiceLines(lang i18n.Lang, v coach.PathView) []string {
	var lines []string
	l := mentionOf(v.Leader)
	if c := v.Voice.Contrast; c.Any() {
		lines = append(lines, lang.T("leader.card.checkin", monthLabel(lang, c.Latest.Month, v.Today),
			lang.T(c.Latest.Needed.NameKey()), lang.T(c.Latest.Got.NameKey())),
			"_"+lang.Render(c.Line())+"_")
		if c.Latest.Note != "" {
			lines = append(lines, lang.T("leader.card.letgo", l, userText(c.Latest.Note, pathTextShort)))
		}
	}
	loc := orUTC(v.Loc)
	for _, cm := range v.Voice.Comments {
		lines = append(lines, lang.T("leader.card.comment", l, lang.Date(cm.At.In(loc)), userText(cm.Text, pathTextShort)))
	}
	if more := v.Voice.AllComments - len(v.Voice.Comments); more > 0 {
		lines = append(lines, lang.T("leader.card.comments.more", more))
	}
	return lines
}

// reviewVoiceBlocks is the review form's section of what the Lean leader
// shared; none when they shared nothing.
func reviewVoiceBlocks(lang i18n.Lang, v coach.PathView) []slack.Block {
	lines := voiceLines(lang, v)
	if len(lines) == 0 {
		return nil
	}
	text := lang.T("leader.review.title", mentionOf(v.Leader)) + "\n" + strings.Join(lines, "\n")
	return []slack.Block{mrkdwnSection(text, true)}
}

// checkInCountLines are the admins' lines about the check-ins: counts
// only, per month; none when there are no months counted.
func checkInCountLines(lang i18n.Lang, c coach.CheckInCounts, today coach.Date) []string {
	if len(c.Months) == 0 {
		return nil
	}
	lines := []string{lang.T("checkin.counts.title")}
	for _, m := range c.Months {
		lines = append(lines, lang.T("checkin.counts.month", monthLabel(lang, m.Month, today), m.Sent, m.Answered, m.Differs))
	}
	return lines
}

// CommentMeta is the comment form's private_metadata: the director whose
// path it comments on (the Lean leader is whoever submits) and the
// language the form was rendered in. Slack echoes it back, but it is still
// input: ParseCommentMeta checks it and LeaderService checks the pair.
type CommentMeta struct {
	Director coach.UserID `json:"d"`
	Lang     i18n.Lang    `json:"l"`
}

func (m CommentMeta) encode() string {
	b, _ := json.Marshal(m) // two strings: cannot fail
	return string(b)
}

// ParseCommentMeta decodes and checks a comment form's private_metadata;
// an unknown language becomes English.
func ParseCommentMeta(s string) (CommentMeta, error) {
	if len(s) == 0 || len(s) > 3000 {
		return CommentMeta{}, errors.New("comment form metadata: missing or too long")
	}
	var m CommentMeta
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return CommentMeta{}, errors.New("comment form metadata: not JSON")
	}
	if _, ok := coach.ParseUserID(string(m.Director)); !ok {
		return CommentMeta{}, errors.New("comment form metadata: bad director")
	}
	if l, ok := i18n.ParseLang(string(m.Lang)); ok {
		m.Lang = l
	} else {
		m.Lang = i18n.EN
	}
	return m, nil
}

// CommentFormView renders the form of a Lean leader's comment on their
// path with director: who will read it, and that admins never do.
func CommentFormView(lang i18n.Lang, director coach.UserID) slack.ModalViewRequest {
	d := mentionOf(director)
	in := textInput(BlockComment, lang.T("leader.comment.placeholder"), true)
	in.MaxLength = coach.MaxCommentLen
	return modal(ViewComment, CommentMeta{Director: director, Lang: lang}.encode(), lang.T("leader.comment.title"),
		lang.T("leader.comment.submit"), lang,
		mrkdwnSection(lang.T("leader.comment.intro", d), false),
		slack.NewInputBlock(BlockComment, plain(lang.T("leader.comment.label")), nil, in),
		mrkdwnContext(lang.T("leader.comment.footer", d)))
}

// CheckCommentForm reads and validates a submitted comment form in memory
// (it runs before the ack): the director, the text, and the field errors
// by block_id in the form's language. err is set when the submission is
// not one of ours at all.
func CheckCommentForm(cb slack.InteractionCallback) (CommentMeta, string, map[string]string, error) {
	if cb.View.CallbackID != ViewComment {
		return CommentMeta{}, "", nil, errors.New("comment form: unknown callback_id")
	}
	m, err := ParseCommentMeta(cb.View.PrivateMetadata)
	if err != nil {
		return CommentMeta{}, "", nil, err
	}
	text := stateValue(cb.View.State, BlockComment).Value
	_, err = coach.ValidateComment(text)
	return m, text, fieldErrors(m.Lang, err, BlockComment), nil
}

// CheckInReply renders the answer to /coach checkin: whether the check-ins
// are on, after a change or when asked.
func CheckInReply(lang i18n.Lang, on, changed bool) slackio.Reply {
	key := "leader.checkin.status.off"
	switch {
	case changed && on:
		key = "leader.checkin.on"
	case changed:
		key = "leader.checkin.off"
	case on:
		key = "leader.checkin.status.on"
	}
	return slackio.Reply{Text: lang.T(key)}
}
